#!/usr/bin/env bash
# 850-ocr.t: add a card from a photo (issue 24) on the real stack: a
# generated Chinese card uploaded through the page and the API, read by the
# OCR worker (batch/livecard-ocr), reviewed, one field fixed, saved as a
# folder entry with its image, flagged as a member's card and offered for
# linking; bad uploads are 4xx and change nothing; another user's scan is 404.
# National phone numbers are read in the member's own country (verified
# phone, else own card's phone, else language); the API takes a back image
# beside the front (multipart, as the page's form).
. "$(dirname "$0")/../lib.sh"
stack_up

GEN=$TOP/tests/ocr/gen-cards.py
# the member whose card this is: the card's e-mail is hers
cat >"$VARDIR/card.json" <<'EOF'
{"lang": "zh", "layout": "left", "font": 0, "name": "王芳", "title": "销售总监",
 "organization": "杭州云海科技有限公司", "address": "浙江省杭州市西湖区文三路90号",
 "phones": [["手机", "138 0013 8000", "+8613800138000"]],
 "email": "wangfang@yunhai.cn", "url": "www.yunhai.cn"}
EOF
/usr/bin/python3 "$GEN" --card "$VARDIR/card.json" "$VARDIR/card.png" || bail "cannot draw the test card"
/usr/bin/python3 "$GEN" --card "$VARDIR/card.json" "$VARDIR/photo.jpg" photo || bail "cannot draw the test photo"
# an American card with a national number: "(415) 555-2671" is +1 415 555 2671
# in the US, but a valid Chinese number too (0415 is Dandong): only the
# member's country tells them apart
cat >"$VARDIR/us.json" <<'EOF'
{"lang": "en", "layout": "left", "font": 3, "name": "Nina Brooks", "title": "Sales Director",
 "organization": "Harbor Systems Inc.", "address": "500 Market Street, San Francisco, CA 94105",
 "phones": [["Tel", "(415) 555-2671", "+14155552671"]],
 "email": "nina@harborsystems.com", "url": ""}
EOF
/usr/bin/python3 "$GEN" --card "$VARDIR/us.json" "$VARDIR/us.png" || bail "cannot draw the American card"

ok "$(pgrep -f "$BUILD/batch/livecard-ocr" >/dev/null; echo $?)" "the stack runs the OCR worker"

signup_verified wangfang@yunhai.cn "王芳"
put_card '{"full_name": "王芳", "organization": "杭州云海科技有限公司", "emails": [{"type": "work", "value": "wangfang@yunhai.cn"}]}'
is "$STATUS" 200 "the member has a card of her own"
signup_verified pia@example.com "Pia"
PIA=$TOKEN
signup_verified quinn@example.com "Quinn"
QUINN=$TOKEN

# html_ok DESCRIPTION: BODY is HTML without errors for Debian's tidy (warnings are 900-html-valid.t's business)
html_ok() {
	printf '%s' "$BODY" | tidy -q -e --show-warnings no >/dev/null 2>&1
	ok $([ $? -lt 2 ]; echo $?) "$1"
}

# wait_scan ID: poll the API (as TOKEN) until the worker is done; STATUS/BODY of the last answer
wait_scan() {
	local i
	for i in $(seq 1 120); do
		api GET "/api/v1/folder/scan/$1"
		[ "$STATUS" = 200 ] || return 1
		case $(jqb .status) in done | failed) return 0 ;; esac
		sleep 0.5
	done
	return 1
}

# --- the API --------------------------------------------------------------------
TOKEN=$PIA
before=$(sql "SELECT COUNT(*) FROM scans")
req POST /api/v1/folder/scan -H 'Content-Type: image/png' --data-binary "@$VARDIR/card.png"
is "$STATUS" 202 "POST /api/v1/folder/scan answers at once with 202"
SID=$(jqb .scan_id)
like "$SID" '^[0-9]+$' "with the scan's id"
is "$(jqb .status)" pending "and a pending status"
like "$(header Location)" "^/api/v1/folder/scan/$SID\$" "Location names the scan"
t0=$(date +%s)
wait_scan "$SID"
ok $? "the worker reads the card"
diag "read in $(( $(date +%s) - t0 )) s (worker: $(jqb .ocr_ms) ms)"
is "$(jqb .status)" done "the scan is done"
is "$(jqb .fields.full_name.value)" "王芳" "the name is read"
is "$(jqb .fields.organization.value)" "杭州云海科技有限公司" "the organisation"
is "$(jqb .fields.title.value)" "销售总监" "the title"
is "$(jqb '.fields.emails[0].value')" "wangfang@yunhai.cn" "the e-mail"
is "$(jqb '.fields.phones[0].value')" "+8613800138000" "the phone, normalised to E.164"
is "$(jqb '.fields.phones[0].type')" "cell" "typed as a mobile"
is "$(jqb '.fields.urls[0].value')" "www.yunhai.cn" "the web address"
is "$(jqb .fields.address.value)" "浙江省杭州市西湖区文三路90号" "the address"
like "$(jqb .fields.full_name.confidence)" '^(0(\.[0-9]+)?|1(\.0+)?)$' "each field has a confidence between 0 and 1"
is "$(jqb '.fields.full_name.check | type')" boolean "and a flag saying whether to check it"
is "$(jqb .images.front)" "/api/v1/folder/scan/$SID/images/front" "the image's address"
req GET "/api/v1/folder/scan/$SID/images/front"
is "$STATUS" 200 "the uploaded image is served to its owner"
is "$(header Content-Type)" "image/jpeg" "re-encoded like every upload"

# a photographed card (rotated, skewed, uneven light) is read too
req POST /api/v1/folder/scan -H 'Content-Type: image/jpeg' --data-binary "@$VARDIR/photo.jpg"
is "$STATUS" 202 "a photo of the card is accepted"
PSID=$(jqb .scan_id)
wait_scan "$PSID"
ok $? "and read"
is "$(jqb '.fields.emails[0].value')" "wangfang@yunhai.cn" "its e-mail is read from the photo"
is "$(jqb '.fields.phones[0].value')" "+8613800138000" "and its phone"

# --- bad input: 4xx, nothing stored ------------------------------------------------
printf 'not an image at all' >"$VARDIR/bad.bin"
req POST /api/v1/folder/scan -H 'Content-Type: text/plain' --data-binary "@$VARDIR/bad.bin"
is "$STATUS" 415 "a body that is not an image type is 415"
req POST /api/v1/folder/scan -H 'Content-Type: image/png' --data-binary "@$VARDIR/bad.bin"
like "$STATUS" '^4[0-9][0-9]$' "bytes that are no image are refused ($STATUS)"
is "$(jqb .error.code)" unsupported_image "saying the image is not supported"
req POST /api/v1/folder/scan -H 'Content-Type: image/png' --data-binary ''
is "$STATUS" 400 "an empty body is 400"
is "$(sql "SELECT COUNT(*) FROM scans")" "$((before + 2))" "no scan was stored for the bad uploads"
api GET /api/v1/folder/scan/999999
is "$STATUS" 404 "an unknown scan is 404"

# --- another user ---------------------------------------------------------------------
TOKEN=$QUINN
api GET "/api/v1/folder/scan/$SID"
is "$STATUS" 404 "another user cannot read the scan (404)"
req GET "/api/v1/folder/scan/$SID/images/front"
is "$STATUS" 404 "nor its image"
TOKEN=""
api GET "/api/v1/folder/scan/$SID"
is "$STATUS" 401 "without signing in: 401"

# --- the member's country reads national numbers ------------------------------------
signup_verified rex@example.com "Rex"
REX=$TOKEN
req POST /api/v1/folder/scan -H 'Content-Type: image/png' --data-binary "@$VARDIR/us.png"
is "$STATUS" 202 "Rex (no phone, no card, English) scans an American card"
wait_scan "$(jqb .scan_id)"
is "$(jqb .fields.default_country.value)/$(jqb .fields.default_country.from)" "CN/site" \
	"without a phone, card or Chinese language of his own the site's country is the default"
is "$(jqb '.fields.phones[0].value')" "+864155552671" "so the national number is read as a Chinese one"
put_card '{"full_name": "Rex", "phones": [{"type": "cell", "value": "+12024561111"}]}'
is "$STATUS" 200 "Rex's own card has an American phone"
req POST /api/v1/folder/scan -H 'Content-Type: image/png' --data-binary "@$VARDIR/us.png"
USID=$(jqb .scan_id)
wait_scan "$USID"
is "$(jqb .fields.default_country.value)/$(jqb .fields.default_country.from)" "US/card" \
	"then his card's phone says his country"
is "$(jqb '.fields.phones[0].value')" "+14155552671" "and the card's national number is read as American"
is "$(jqb '.fields.phones | length')" 1 "and only so"
verify_phone "+442079460958" || diag "verify_phone failed: $STATUS $BODY"
TOKEN=$REX

# --- the API takes a back image (multipart, as the page's form) ---------------------------
n_scans=$(sql "SELECT COUNT(*) FROM scans")
req POST /api/v1/folder/scan -F "front=@$VARDIR/us.png;type=image/png" -F "back=@$VARDIR/card.png;type=image/png"
is "$STATUS" 202 "a multipart scan with front and back is accepted"
BSID=$(jqb .scan_id)
like "$(header Location)" "^/api/v1/folder/scan/$BSID\$" "Location names it"
wait_scan "$BSID"
is "$(jqb .status)" done "both sides are read"
is "$(jqb .images.back)" "/api/v1/folder/scan/$BSID/images/back" "the scan has a back image"
is "$(jqb .fields.default_country.value)/$(jqb .fields.default_country.from)" "GB/phone" \
	"a verified phone of the member's own comes before his card's"
is "$(jqb .fields.full_name.value)" "Nina Brooks" "the name is the front's"
is "$(jqb '[.fields.emails[].value] | sort | join(" ")')" "nina@harborsystems.com wangfang@yunhai.cn" \
	"the back's e-mail is added to the front's"
req GET "/api/v1/folder/scan/$BSID/images/back"
is "$STATUS" 200 "the back image is served to its owner"
is "$(header Content-Type)" "image/jpeg" "re-encoded like every upload"
req POST /api/v1/folder/scan -F "front=@$VARDIR/us.png;type=image/png" -F "back=@$VARDIR/bad.bin;type=image/png"
like "$STATUS" '^4[0-9][0-9]$' "a back that is no image is refused ($STATUS)"
is "$(jqb .error.field)" back "naming the back"
req POST /api/v1/folder/scan -F "back=@$VARDIR/card.png;type=image/png"
is "$STATUS" 400 "a back without a front is 400"
is "$(jqb .error.code)/$(jqb .error.field)" required/front "the front is required"
req POST /api/v1/folder/scan -H 'Content-Type: application/x-www-form-urlencoded' --data 'front=x'
is "$STATUS" 415 "an urlencoded body is 415"
is "$(sql "SELECT COUNT(*) FROM scans")" "$((n_scans + 1))" "only the good scan was stored"

# --- the pages, without script --------------------------------------------------------
web_signin pia@example.com /folder || bail "Pia cannot sign in"
like "$BODY" 'href="/folder/scan"' "the folder page offers adding a card from a photo"
req GET /folder/scan
is "$STATUS" 200 "the upload page"
like "$BODY" 'enctype="multipart/form-data"' "a file upload form"
like "$BODY" 'name="front"' "for the front"
like "$BODY" 'name="back"' "and the back"
html_ok "the upload page is valid HTML"
CSRF_P=$(csrf_of)
ok "$([ -n "$CSRF_P" ]; echo $?)" "with a CSRF token"
n_scans=$(sql "SELECT COUNT(*) FROM scans")
req POST /folder/scan -F "front=@$VARDIR/card.png;type=image/png"
is "$STATUS" 403 "an upload without the CSRF token is refused"
req POST /folder/scan -F "csrf=$CSRF_P" -F "front=@$VARDIR/bad.bin;type=image/png"
like "$STATUS" '^4[0-9][0-9]$' "a file that is no image shows the form again with a 4xx"
like "$BODY" 'name="front"' "the form"
req POST /folder/scan -F "csrf=$CSRF_P"
is "$STATUS" 400 "no file is 400"
is "$(sql "SELECT COUNT(*) FROM scans")" "$n_scans" "nothing was stored"

req POST /folder/scan -F "csrf=$CSRF_P" -F "front=@$VARDIR/card.png;type=image/png"
is "$STATUS" 303 "uploading the photo leads on"
like "$(header Location)" '^/folder/scan/[0-9]+$' "to the scan's page"
WSID=$(header Location | sed 's|.*/||')
req GET "/folder/scan/$WSID"
is "$STATUS" 200 "the scan's page"
if [ "$(sql "SELECT status FROM scans WHERE id=$WSID")" != done ]; then
	like "$(header Refresh)" '^[0-9]+$' "while the card is read, the page refreshes itself (no script needed)"
	like "$BODY" "/api/v1/folder/scan/$WSID/images/front" "and shows the photo"
	like "$BODY" 'src="/static/scan.js"' "with scripts, it asks the API instead (live update)"
	html_ok "the waiting page is valid HTML"
fi
req GET /static/scan.js
is "$STATUS" 200 "the page's script is served"
for i in $(seq 1 120); do
	req GET "/folder/scan/$WSID"
	[ -z "$(header Refresh)" ] && break
	sleep 0.5
done
is "$(header Refresh)" "" "once read, the page stops refreshing"
like "$BODY" "/api/v1/folder/scan/$WSID/images/front\\?v=[0-9a-f]{64}" "the review shows the photo"
like "$BODY" 'id="full_name" name="full_name" required maxlength="200" value="王芳"' "beside the name it read"
like "$BODY" 'name="emails.0.value" maxlength="254" value="wangfang@yunhai.cn"' "the e-mail"
like "$BODY" 'value="\+8613800138000"' "the phone"
like "$BODY" 'value="杭州云海科技有限公司"' "the organisation"
html_ok "the review page is valid HTML"
CSRF_P=$(csrf_of)

# Chinese interface
sql "UPDATE users SET locale='zh-CN' WHERE email='pia@example.com'"
req GET "/folder/scan/$WSID"
like "$BODY" '核对名片' "the review page in Chinese"
like "$BODY" '保存到名片夹' "with its save button"
sql "UPDATE users SET locale='en' WHERE email='pia@example.com'"

# fix one field (the title), save
n_entries=$(sql "SELECT COUNT(*) FROM folder_entries")
req POST "/folder/scan/$WSID" --data-urlencode "csrf=$CSRF_P" --data-urlencode "full_name=王芳" \
	--data-urlencode "organization=杭州云海科技有限公司" --data-urlencode "title=华东区销售总监" \
	--data-urlencode "emails.0.type=work" --data-urlencode "emails.0.value=not an address"
is "$STATUS" 400 "an invalid field shows the review again with 400"
like "$BODY" "/api/v1/folder/scan/$WSID/images/front" "with the photo"
like "$BODY" 'value="华东区销售总监"' "and what was typed"
is "$(sql "SELECT COUNT(*) FROM folder_entries")" "$n_entries" "nothing saved"
req POST "/folder/scan/$WSID" --data-urlencode "full_name=王芳" --data-urlencode "title=x"
is "$STATUS" 403 "saving without the CSRF token is refused"

req POST "/folder/scan/$WSID" --data-urlencode "csrf=$CSRF_P" --data-urlencode "full_name=王芳" \
	--data-urlencode "organization=杭州云海科技有限公司" --data-urlencode "title=华东区销售总监" \
	--data-urlencode "emails.0.type=work" --data-urlencode "emails.0.value=wangfang@yunhai.cn" \
	--data-urlencode "phones.0.type=cell" --data-urlencode "phones.0.value=+8613800138000" \
	--data-urlencode "addresses.0.type=work" --data-urlencode "addresses.0.street=浙江省杭州市西湖区文三路90号" \
	--data-urlencode "on_duplicate=keep"
is "$STATUS" 303 "saving the reviewed card leads on"
like "$(header Location)" '^/folder/[0-9]+\?saved=1$' "to the new folder entry"
E=$(header Location | sed 's|/folder/||; s|?.*||')
is "$(sql "SELECT status FROM scans WHERE id=$WSID")" saved "the scan is marked saved"
is "$(sql "SELECT entry_id FROM scans WHERE id=$WSID")" "$E" "with its entry"
is "$(sql "SELECT front_image = (SELECT front_image FROM scans WHERE id=$WSID) FROM folder_entries WHERE id=$E")" 1 \
	"the photo is the entry's front image"
req GET "/folder/$E"
is "$STATUS" 200 "the entry page"
like "$BODY" '王芳' "with the name"
like "$BODY" '华东区销售总监' "and the corrected title"
like "$BODY" 'badge-member' "flagged as a member's card (her e-mail is a member's)"
like "$BODY" 'id="keep-updated"' "and offered for linking"
like "$BODY" "/api/v1/folder/$E/images/front" "with the image as its front"
TOKEN=$PIA
api GET "/api/v1/folder/$E"
is "$(jqb .entry.owner_is_member)" true "the API says the same: a member's card"
is "$(jqb .entry.link_offer)" true "with a link offer"
TOKEN=""

n_entries=$(sql "SELECT COUNT(*) FROM folder_entries")
req POST "/folder/scan/$WSID" --data-urlencode "csrf=$CSRF_P" --data-urlencode "full_name=王芳"
is "$STATUS" 409 "a scan saved once cannot be saved again"
is "$(sql "SELECT COUNT(*) FROM folder_entries")" "$n_entries" "no second entry"
req GET "/folder/scan/$WSID"
is "$STATUS" 303 "the saved scan's page leads to its entry"

# another user's scan through the pages
web_signin quinn@example.com /folder || bail "Quinn cannot sign in"
req GET "/folder/scan/$PSID"
is "$STATUS" 404 "another user's scan page is 404"
req POST "/folder/scan/$PSID" --data-urlencode "csrf=$WCSRF" --data-urlencode "full_name=x"
is "$STATUS" 404 "and cannot be saved by them"
is "$(sql "SELECT status FROM scans WHERE id=$PSID")" done "which leaves it as it was"

# a national number typed in the review is read in the member's country too
web_signin rex@example.com /folder || bail "Rex cannot sign in"
req GET "/folder/scan/$USID"
is "$STATUS" 200 "Rex reviews his American card"
req POST "/folder/scan/$USID" --data-urlencode "csrf=$(csrf_of)" --data-urlencode "full_name=Nina Brooks" \
	--data-urlencode "phones.0.type=work" --data-urlencode "phones.0.value=020 7946 0958"
is "$STATUS" 303 "and saves it with a number typed as at home"
E=$(header Location | sed 's|/folder/||; s|?.*||')
TOKEN=$REX
api GET "/api/v1/folder/$E"
is "$(jqb '.entry.card.phones[0].value')" "+442079460958" "read in his country (his verified phone's, GB)"

done_testing
