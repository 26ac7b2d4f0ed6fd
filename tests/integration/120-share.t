#!/usr/bin/env bash
# 120-share.t: the public card page /c/{token}: only the fields the owner shares,
# the front image, a QR code of its own URL, vCard 4.0/3.0 downloads that parse
# in python3-vobject, no sign-in needed; rotating the link makes the old one 404.
. "$(dirname "$0")/../lib.sh"
stack_up

signup_verified alice@example.com "Alice" || bail "cannot make a member"
ALICE=$TOKEN
CARD='{"full_name":"王小明 Xiaoming Wang","name":{"family":"王","given":"小明","additional":"","prefix":"Dr.","suffix":""},"organization":"北京某某科技股份有限公司","department":"研发中心","title":"首席技术官 CTO","emails":[{"type":"work","value":"xm.wang@example.cn"},{"type":"home","value":"xiaoming@home.example"}],"phones":[{"type":"cell","value":"+86 139 1234 5678"}],"addresses":[{"type":"work","street":"北京市海淀区中关村大街1号海龙大厦十八层1801室（东侧电梯上楼后右转第三个门）","locality":"北京","region":"北京市","postal_code":"100080","country":"中国"}],"urls":[{"type":"work","value":"https://example.cn/xm"}],"note":"<script>alert(1)</script> private note"}'
req PUT /api/v1/card -H 'Content-Type: application/json' -H 'If-Match: "0"' --data-binary "$CARD"
is "$STATUS" 200 "Alice fills in her card"
jqb .card >"$VARDIR/full.json"
png 120 80 >"$VARDIR/front.png"
req PUT /api/v1/card/images/front -H 'Content-Type: image/png' --data-binary "@$VARDIR/front.png"
FRONT=$(jqb .images.front.hash)
req PUT /api/v1/card/images/back -H 'Content-Type: image/png' --data-binary "@$VARDIR/front.png"
is "$STATUS" 200 "and gives it a front and a back image"

api PUT /api/v1/card/share '{"visible_fields":["title","emails","front_image"]}'
is "$STATUS" 200 "PUT /api/v1/card/share"
is "$(jqb -c .share.visible_fields)" '["full_name","title","emails","front_image"]' "full_name is always shared"
URL=$(jqb .share.url)
P=${URL#"$B"}
like "$P" '^/c/[A-Za-z0-9_-]{22,43}$' "the link holds a token of at least 128 bits"
is "$(sql "SELECT visible_fields FROM cards")" "full_name,title,emails,front_image" "stored"
api PUT /api/v1/card/share '{"visible_fields":["title","password"]}'
is "$STATUS" 400 "an unknown field name is 400"
is "$(jqb .error.field)" visible_fields "naming visible_fields"
api PUT /api/v1/card/share '{"visible_fields":"title"}'
is "$STATUS" 400 "a string instead of a list is 400"
is "$(sql "SELECT visible_fields FROM cards")" "full_name,title,emails,front_image" "nothing changed"

# --- the page, without signing in ----------------------------------------------
TOKEN=""
req GET "$P"
is "$STATUS" 200 "GET /c/{token} without signing in"
like "$(header Content-Type)" '^text/html' "an HTML page"
like "$BODY" 'name="viewport" content="width=device-width' "made for phones too"
like "$BODY" '王小明 Xiaoming Wang' "shows the full name"
like "$BODY" '首席技术官 CTO' "the shared title"
like "$BODY" 'mailto:xm.wang@example.cn' "the shared e-mail addresses"
unlike "$BODY" '8613912345678|139 1234' "not the hidden phone"
unlike "$BODY" '北京某某科技|研发中心' "nor the hidden organization"
unlike "$BODY" '中关村|100080' "nor the hidden address"
unlike "$BODY" 'private note|alert' "nor the hidden note"
unlike "$BODY" 'example.cn/xm' "nor the hidden URL"
unlike "$BODY" '/images/back' "nor the hidden back image"
like "$BODY" "src=\"$P/images/front\\?thumb=1&amp;v=$FRONT\"" "the front image"
like "$BODY" "src=\"$P/qr.svg\"" "the QR code"
like "$BODY" "href=\"$P.vcf\"" "a vCard download"
like "$BODY" "href=\"$P.vcf\\?version=3.0\"" "and one in vCard 3.0"
like "$BODY" "href=\"/signin\\?next=$P\"" "a visitor is offered to sign in to save it"
like "$BODY" "<form method=\"post\" action=\"$P/subscribe\">" "or to subscribe to changes without an account"
like "$BODY" '<div class="card-face bcard">' "the card is drawn as a business card"
like "$BODY" 'href="/signup"' "and a way to sign up"
unlike "$BODY" '<script>alert' "no script from the card in the page"
is "$(header X-Robots-Tag)" "noindex, nofollow" "kept out of search engines"

req GET "$P/qr.svg"
is "$STATUS" 200 "GET /c/{token}/qr.svg without signing in"
is "$(header Content-Type)" image/svg+xml "an SVG"
like "$BODY" '^<svg' "starting with <svg"
like "$BODY" "<title>[^<]*$URL</title>" "encoding the page's own URL"

req GET "$P/images/front" 2>/dev/null
is "$STATUS" 200 "the shared front image without signing in"
is "$(header ETag)" "\"$FRONT\"" "with its ETag"
is "$(header X-Content-Type-Options)" nosniff "and nosniff"
req GET "$P/images/front?thumb=1" 2>/dev/null
is "$STATUS" 200 "and its thumbnail"
req GET "$P/images/back"
is "$STATUS" 404 "the back image is not shared: 404"

# --- the vCards -----------------------------------------------------------------
jq '.name = {"family":"","given":"","additional":"","prefix":"","suffix":""}
    | .organization = "" | .department = "" | .phones = [] | .addresses = [] | .urls = [] | .note = ""' \
	"$VARDIR/full.json" >"$VARDIR/shared.json"
req GET "$P.vcf"
is "$STATUS" 200 "GET /c/{token}.vcf without signing in"
like "$(header Content-Type)" '^text/vcard' "text/vcard"
like "$(header Content-Disposition)" '^attachment' "as a download"
like "$BODY" $'VERSION:4.0' "vCard 4.0 by default"
like "$BODY" 'PHOTO' "with the shared front image"
cp "$VARDIR/body" "$VARDIR/public4.vcf"
is "$(vcard_check "$VARDIR/public4.vcf" "$VARDIR/shared.json")" ok "it parses in python3-vobject with the shared values only"
req GET "$P.vcf?version=3.0"
like "$BODY" $'VERSION:3.0' "?version=3.0 gives vCard 3.0"
cp "$VARDIR/body" "$VARDIR/public3.vcf"
is "$(vcard_check "$VARDIR/public3.vcf" "$VARDIR/shared.json")" ok "which parses too"
req GET "$P.vcf?version=5"
is "$STATUS" 400 "an unknown version is 400"

TOKEN=$ALICE
api PUT /api/v1/card/share '{"visible_fields":["name","organization","department","title","emails","phones","addresses","urls","note","front_image","back_image"]}'
is "$STATUS" 200 "Alice shares everything"
TOKEN=""
req GET "$P.vcf"
cp "$VARDIR/body" "$VARDIR/all4.vcf"
is "$(vcard_check "$VARDIR/all4.vcf" "$VARDIR/full.json")" ok "the full vCard 4.0 (Chinese, long address) parses with every value"
req GET "$P.vcf?version=3.0"
cp "$VARDIR/body" "$VARDIR/all3.vcf"
is "$(vcard_check "$VARDIR/all3.vcf" "$VARDIR/full.json")" ok "and so does 3.0"
req GET "$P"
like "$BODY" '中关村大街1号' "the page shows the address now"
like "$BODY" '&lt;script&gt;alert\(1\)&lt;/script&gt; private note' "and the note, escaped"
req GET "$P/images/back" 2>/dev/null
is "$STATUS" 200 "and the back image"

# --- signed in: the save button, and the owner's view ----------------------------
signup_verified bob@example.com "Bob" || bail "cannot make a second member"
BOB=$TOKEN
TOKEN=""
JAR=$VARDIR/jar.bob
req GET /signin
c=$(csrf_of)
form POST /signin "email=bob@example.com" "password=password-bob@example.com" "csrf=$c"
req GET "$P"
is "$STATUS" 200 "a signed-in member opens Alice's page"
like "$BODY" '<form method="post" action="/folder/save-shared">' "and is offered to save it to his folder"
like "$BODY" "name=\"token\" value=\"${P#/c/}\"" "the form names the card by its token"
like "$BODY" 'name="csrf" value="[A-Za-z0-9_-]{20,}"' "with his CSRF token"
bc=$(csrf_of)
form POST /folder/save-shared "csrf=$bc" "token=${P#/c/}"
is "$STATUS" 303 "Bob saves it"
BOB_ENTRY=$(sql "SELECT e.id FROM folder_entries e JOIN users u ON u.id = e.holder_id WHERE u.email = 'bob@example.com'")
req GET "$P"
like "$BODY" 'This card is in your card folder' "the page then says he keeps it"
like "$BODY" "href=\"/folder/$BOB_ENTRY\"" "and links to his copy"
unlike "$BODY" 'save-shared' "instead of a second save button"
JAR=$VARDIR/jar.alice
req GET /signin
c=$(csrf_of)
form POST /signin "email=alice@example.com" "password=password-alice@example.com" "csrf=$c"
req GET "$P"
like "$BODY" 'your own card' "Alice sees it is her own card"
unlike "$BODY" 'save-shared' "and no save button"

# --- the sharing page (forms) -----------------------------------------------------
req GET /card/share
is "$STATUS" 200 "GET /card/share"
like "$BODY" 'type="checkbox" name="visible" value="phones" checked' "one checkbox per field"
like "$BODY" "$URL" "the public link"
s=$(csrf_of)
form POST /card/share "csrf=$s" visible=title visible=phones visible=back_image
is "$STATUS" 303 "saving the checkboxes"
is "$(sql "SELECT visible_fields FROM cards c JOIN users u ON u.id = c.user_id WHERE u.email = 'alice@example.com'")" \
	"full_name,title,phones,back_image" "stores exactly the ticked fields and the name"
JAR=""
req GET "$P"
like "$BODY" '8613912345678' "the page now shows the phone"
unlike "$BODY" 'xm.wang@example.cn' "and no longer the e-mail addresses"
unlike "$BODY" '/images/front' "nor the front image"
req GET "$P/images/front"
is "$STATUS" 404 "whose URL now answers 404"

# --- the faces a worker keeps (Limits.CardFaceMemo): every view after a change
# shows it, whichever worker answers (each drew the card before the change)
views() { # views PATTERN WANT(like|unlike) DESCRIPTION: four views of the page
	local n=0
	for _ in 1 2 3 4; do
		req GET "$P"
		if [ "$2" = like ]; then printf '%s' "$BODY" | grep -q -- "$1" && n=$((n + 1))
		else printf '%s' "$BODY" | grep -q -- "$1" || n=$((n + 1)); fi
	done
	is "$n" 4 "$3 (4 of 4 views)"
}
views 'Chief Memo Officer' unlike "before the edit the page lacks the new title"
TOKEN=$ALICE
api GET /api/v1/card
etag=$(header ETag)
card=$(jqb -c '.card | .title = "Chief Memo Officer"')
req PUT /api/v1/card -H 'Content-Type: application/json' -H "If-Match: $etag" --data-binary "$card"
is "$STATUS" 200 "Alice changes her title"
TOKEN=""
views 'Chief Memo Officer' like "every view shows the new title at once"
TOKEN=$ALICE
api PUT /api/v1/card/share '{"visible_fields":["phones","back_image"]}'
is "$STATUS" 200 "Alice stops sharing her title"
TOKEN=""
views 'Chief Memo Officer' unlike "every view hides it at once"
TOKEN=$ALICE
api PUT /api/v1/card/share '{"visible_fields":["title","phones","back_image"]}'
TOKEN=""
views 'Chief Memo Officer' like "and shows it again when shared again"

# --- rotating the link -------------------------------------------------------------
TOKEN=$ALICE
api POST /api/v1/card/share/rotate
is "$STATUS" 200 "POST /api/v1/card/share/rotate"
URL2=$(jqb .share.url)
P2=${URL2#"$B"}
like "$P2" '^/c/[A-Za-z0-9_-]{22,43}$' "a new link"
ok $([ "$P2" != "$P" ]; echo $?) "different from the old one"
TOKEN=""
for suffix in "" .vcf /qr.svg /images/back; do
	req GET "$P$suffix"
	is "$STATUS" 404 "the old link$suffix answers 404"
done
unlike "$BODY" '王小明' "revealing nothing"
req GET "$P2"
is "$STATUS" 200 "the new link works"
like "$BODY" '王小明' "showing the card"
req GET "$P2/images/back" 2>/dev/null
is "$STATUS" 200 "with its images"
req GET "$P2/qr.svg"
like "$BODY" "<title>[^<]*$URL2</title>" "and a QR code of the new URL"
JAR=$VARDIR/jar.alice
form POST /card/share/rotate "csrf=$s"
is "$STATUS" 303 "rotating with the form asks first"
like "$(header Location)" "/card/share\\?rotate=confirm" "(the confirmation on the share page)"
req GET "$P2"
is "$STATUS" 200 "and changes nothing"
JAR=$VARDIR/jar.alice
form POST /card/share/rotate "csrf=$s" confirm=1
is "$STATUS" 303 "rotating with the form"
JAR=""
req GET "$P2"
is "$STATUS" 404 "the previous link is gone too"
like "$BODY" "<h1>This card link is no longer in use</h1>" "on a page that says so"
like "$BODY" "Ask them for the new one" "and what to do"
unlike "$BODY" "Something went wrong" "not an error"
req GET /c/AAAAAAAAAAAAAAAAAAAAAA
is "$STATUS" 404 "an unknown token is 404"
req GET /c/bad.token.here
is "$STATUS" 404 "so is a malformed one"
TOKEN=$BOB
api GET /api/v1/card
unlike "$(jqb .share.url)" "${P2#/c/}|${P#/c/}" "Bob's card has its own link"
is "$(sql "SELECT COUNT(DISTINCT share_token) FROM cards")" 2 "every card has its own token"

done_testing
