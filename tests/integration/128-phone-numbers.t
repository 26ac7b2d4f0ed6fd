#!/usr/bin/env bash
# 128-phone-numbers.t: phones through libphonenumber (issue 21): shown as people read them ("+86 138 0013 9999", "+1 650-253-0000") on the card, public, folder, savers, settings and updates pages and in the mails, tel: links in E.164; numbers the old country table got wrong are refused with a 400 and nothing saved (API, card form, subscribe form), and good ones it refused are taken and matched to a member.
. "$(dirname "$0")/../lib.sh"
stack_up

# shows PAGE-NAME E164 GROUPED: BODY links tel:E164 with the grouped text
shows() {
	local e=${2//+/\\+} g=${3//+/\\+}
	like "$BODY" "href=\"tel:$e\"[^>]*>$g</a>" "$1: $3, linked to tel:$2"
}

signup_verified ann@example.com "Ann Phone" || bail "cannot make a member"
ANN=$TOKEN
put_card '{"full_name":"Ann Phone","phones":[{"type":"cell","value":"138 0013 9999"},{"type":"work","value":"+1 (650) 253-0000"},{"type":"work","value":"(0755) 1234-5678 转 12"}]}'
is "$STATUS" 200 "Ann writes her card: a national mobile, a US number, a Shenzhen landline with a Chinese extension"
api GET /api/v1/card
is "$(jqb '[.card.phones[].value] | join(" ")')" "+8613800139999 +16502530000 +8675512345678" "all three stored in E.164"
P=$(jqb .share.url)
P=${P#"$B"}
A_TOKEN=${P#/c/}

# --- every page that shows a phone shows it grouped, tel: in E.164 ------------------
TOKEN=""
req GET "$P"
is "$STATUS" 200 "the public page"
shows "public page" +8613800139999 "+86 138 0013 9999"
shows "public page" +16502530000 "+1 650-253-0000"
shows "public page" +8675512345678 "+86 755 1234 5678"
unlike "$BODY" '>\+8613800139999<' "public page: the bare E.164 is not the text"
req GET "$P" -H 'Accept-Language: zh-CN,zh;q=0.9'
shows "public page in Chinese" +8613800139999 "+86 138 0013 9999"
TOKEN=$ANN
req GET /card
shows "Ann's card page" +8613800139999 "+86 138 0013 9999"

signup_verified bob@example.com "Bob Saver" || bail "cannot make a second member"
BOB=$TOKEN
put_card '{"full_name":"Bob Saver","phones":[{"type":"cell","value":"+44 (0)20 7946 0958"}]}'
is "$STATUS" 200 "Bob's card has a London number written with (0)"
api POST /api/v1/folder/save-shared "{\"token\":\"$A_TOKEN\"}"
ok "$([ "$STATUS" = 200 ] || [ "$STATUS" = 201 ]; echo $?)" "Bob saves Ann's card from her link ($STATUS)"
ENTRY=$(sql "SELECT f.id FROM folder_entries f JOIN users u ON u.id = f.holder_id WHERE u.email='bob@example.com' AND f.full_name='Ann Phone'")
req GET /folder
is "$STATUS" 200 "Bob's folder"
like "$BODY" '<span class="card-line">\+86 138 0013 9999</span>' "folder tile: the first phone, grouped"
req GET "/folder/$ENTRY"
is "$STATUS" 200 "the folder entry page"
shows "folder entry" +16502530000 "+1 650-253-0000"

TOKEN=$ANN
req GET /savers
is "$STATUS" 200 "Ann's savers list"
shows "savers list" +442079460958 "+44 20 7946 0958"
mail=$(grep -l -s "^To: ann@example.com" "$MAILDIR"/* | xargs -r grep -l "Bob Saver" | head -1)
like "$(cat "$mail" 2>/dev/null)" '\+44 20 7946 0958' "the saved-your-card mail shows Bob's number grouped"

# the updates page shows a changed phone grouped
put_card '{"full_name":"Ann Phone","phones":[{"type":"cell","value":"139 1234 5678"}]}'
is "$STATUS" 200 "Ann changes her mobile"
TOKEN=$BOB
req GET /updates
like "$BODY" '\+86 139 1234 5678' "Bob's updates page shows the new number grouped"
unlike "$BODY" '>\+8613912345678<' "not in E.164"

# settings: a verified phone, typed nationally, listed grouped
TOKEN=$ANN
verify_phone +8613800139999 "138 0013 9999"
ok $? "Ann verifies her mobile, typed nationally"
web_signin ann@example.com /settings || bail "cannot sign in"
like "$BODY" '\+86 138 0013 9999 <span class="hint">' "settings: her phone, grouped"

# --- bad numbers: a clear 400 and nothing saved -----------------------------------
TOKEN=$ANN
JAR=""
api GET /api/v1/card
before=$(sql "SELECT revision FROM cards WHERE user_id=$(uid_of ann@example.com)")
for bad in "12345678901" "0571 8888888" "+86 138 0013 800" "+39 6 1234 5678" "+44 20 7946 095" "04 123 4567"; do
	put_card "{\"full_name\":\"Ann Phone\",\"phones\":[{\"type\":\"cell\",\"value\":\"$bad\"}]}"
	is "$STATUS $(jqb .error.code)" "400 invalid_phone" "API: '$bad' (the old table took it) is refused"
done
is "$(sql "SELECT revision FROM cards WHERE user_id=$(uid_of ann@example.com)")" "$before" "and no revision was written"
web_signin ann@example.com /card || bail "cannot sign in"
rev=$(printf '%s' "$BODY" | grep -o 'name="revision" value="[0-9]*"' | head -1 | grep -o '[0-9]*')
form POST /card "csrf=$(csrf_of)" "revision=$rev" "full_name=Ann Phone" "phones.0.type=cell" "phones.0.value=12345678901"
is "$STATUS" 400 "the card form: an invalid number is 400"
like "$BODY" 'phones\[0\]\.value' "saying where"
like "$BODY" 'name="phones.0.value"[^>]*value="12345678901"' "keeping what was typed"
is "$(sql "SELECT revision FROM cards WHERE user_id=$(uid_of ann@example.com)")" "$before" "nothing saved"
JAR=$VARDIR/jar.stranger
TOKEN=""
req GET "/c/$A_TOKEN/subscribe"
c=$(csrf_of)
n=$(sql "SELECT COUNT(*) FROM subscribers")
form POST "/c/$A_TOKEN/subscribe" "csrf=$c" "full_name=Sam" "phone=+86 138 0013 800"
is "$STATUS" 400 "the subscribe form: a 10-digit Chinese mobile is 400"
is "$(sql "SELECT COUNT(*) FROM subscribers")" "$n" "and no subscriber is made"
JAR=""

# --- numbers the old table refused, and member matching by phone ----------------------
TOKEN=$BOB
E=$(folder_save '{"full_name":"Ann by landline","phones":[{"type":"work","value":"0086 (0)755-1234 5678"}]}')
api GET "/api/v1/folder/$E"
is "$(jqb '.entry.card.phones[0].value')" "+8675512345678" "0086 (0)755 ... is the same number"
E2=$(folder_save '{"full_name":"Ann by mobile","phones":[{"type":"cell","value":"0138-0013-9999"}]}')
api GET "/api/v1/folder/$E2"
is "$(jqb .entry.owner_is_member)" true "a card with Ann's verified mobile typed with a trunk 0 is matched to Ann"
E3=$(folder_save '{"full_name":"Hanoi","phones":[{"type":"cell","value":"+84 90 123 45 67"}]}')
api GET "/api/v1/folder/$E3"
is "$(jqb '.entry.card.phones[0].value')" "+84901234567" "a Vietnamese mobile (the table knew no VN rules, +84 was only length-checked)"
E4=$(folder_save '{"full_name":"Buenos Aires","phones":[{"type":"cell","value":"+54 9 11 2345-6789"}]}')
req GET "/folder/$E4"
shows "folder entry" +5491123456789 "+54 9 11 2345-6789"

done_testing
