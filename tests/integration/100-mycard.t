#!/usr/bin/env bash
# 100-mycard.t: a member's own card over the API and the pages: every edit is a
# revision, a stale or missing If-Match writes nothing, a diff names exactly the
# changed fields, bad input is refused, the own vCard parses, and no member can
# read another member's card.
. "$(dirname "$0")/../lib.sh"
stack_up

# put_card_if IF_MATCH JSON: PUT /api/v1/card (no If-Match header when empty).
put_card_if() {
	if [ -n "$1" ]; then
		req PUT /api/v1/card -H 'Content-Type: application/json' -H "If-Match: $1" --data-binary "$2"
	else
		req PUT /api/v1/card -H 'Content-Type: application/json' --data-binary "$2"
	fi
}

signup_verified alice@example.com "Alice 张" || bail "cannot make a member"
ALICE=$TOKEN

# --- a new member's card ------------------------------------------------------
api GET /api/v1/card
is "$STATUS" 200 "GET /api/v1/card for a new member"
is "$(jqb .revision)" 0 "revision 0 before the first save"
is "$(jqb .card.full_name)" "Alice 张" "the card starts with the account's name"
is "$(header ETag)" '"0"' "ETag is the revision"
like "$(jqb .share.url)" "^$B/c/[A-Za-z0-9_-]{22,43}$" "a public link token of at least 128 bits"
is "$(jqb -c .images)" '{"front":null,"back":null}' "no images yet"
is "$(sql "SELECT COUNT(*) FROM cards")" 1 "one cards row"

# --- edit → new revision ------------------------------------------------------
put_card_if '"0"' '{"full_name":"Alice Zhang","organization":"ACME","emails":[{"type":"work","value":" Alice@Example.COM "}],"phones":[{"type":"cell","value":"138 0013 8000"}]}'
is "$STATUS" 200 "PUT with If-Match \"0\" saves"
is "$(jqb .revision)" 1 "the save is revision 1"
is "$(header ETag)" '"1"' "with its ETag"
is "$(jqb '.card.emails[0].value')" "alice@example.com" "the e-mail address is normalised"
is "$(jqb '.card.phones[0].value')" "+8613800138000" "the phone is in E.164 with the default country (CN)"
is "$(jqb -c .changed_fields)" '["full_name","organization","emails","phones"]' "the answer names what changed"
is "$(sql "SELECT revision FROM cards")" 1 "cards.revision is 1"
is "$(sql "SELECT changed_fields FROM card_revisions WHERE revision = 1")" \
	"full_name,organization,emails,phones" "card_revisions.changed_fields is kept"

put_card_if '"1"' '{"card":{"full_name":"Alice Zhang","organization":"ACME","title":"CTO","emails":[{"type":"work","value":"alice@example.com"}],"phones":[{"type":"cell","value":"+8613800138000"}]}}'
is "$STATUS" 200 "the body may be {\"card\":{...}} as well"
is "$(jqb .revision)" 2 "revision 2"
is "$(jqb -c .changed_fields)" '["title"]' "only the title changed"
put_card_if '*' "$(jqb -c .card)"
is "$STATUS" 200 "If-Match: * saves over any revision"
is "$(jqb .revision)" 2 "a save that changes nothing makes no revision"
is "$(jqb -c .changed_fields)" '[]' "and says nothing changed"

# --- stale, missing or malformed If-Match: 412, nothing written ---------------
before=$(sql "SELECT revision, data, updated_at FROM cards")
nrev=$(sql "SELECT COUNT(*) FROM card_revisions")
put_card_if '"1"' '{"full_name":"Mallory"}'
is "$STATUS" 412 "a stale If-Match is 412"
is "$(jqb .error.code)" stale_revision "code stale_revision"
is "$(header ETag)" '"2"' "the 412 carries the current revision"
put_card_if '' '{"full_name":"Mallory"}'
is "$STATUS" 412 "no If-Match is 412 as well"
is "$(jqb .error.code)" if_match_required "code if_match_required"
put_card_if 'W/"x"' '{"full_name":"Mallory"}'
is "$STATUS" 412 "a malformed If-Match is 412"
is "$(sql "SELECT revision, data, updated_at FROM cards")" "$before" "the card is unchanged"
is "$(sql "SELECT COUNT(*) FROM card_revisions")" "$nrev" "no revision row was written"

# --- bad input: 400, nothing written -------------------------------------------
put_card_if '"2"' '{"full_name":"Alice","emails":[{"type":"work","value":"not an address"}]}'
is "$STATUS" 400 "an invalid e-mail address is 400"
is "$(jqb .error.field)" "emails[0].value" "naming the item"
put_card_if '"2"' '{"full_name":"Alice","urls":[{"type":"work","value":"javascript:alert(1)"}]}'
is "$STATUS" 400 "a javascript: URL is 400"
is "$(jqb .error.code)" invalid_url "code invalid_url"
put_card_if '"2"' "{\"full_name\":\"$(printf 'x%.0s' {1..201})\"}"
is "$STATUS" 400 "a 201-byte name is 400"
is "$(jqb .error.code)" too_long "code too_long"
put_card_if '"2"' '{"organization":"No Name Ltd."}'
is "$STATUS" 400 "full_name is required"
is "$(jqb .error.field)" full_name "naming full_name"
put_card_if '"2"' '{"full_name":"Alice","nickname":"Al"}'
is "$STATUS" 400 "an unknown member is 400"
is "$(jqb .error.field)" nickname "naming it"
put_card_if '"2"' '{"card":{"full_name":"Alice"},"title":"x"}'
is "$STATUS" 400 "a wrapped card with members beside it is 400"
put_card_if '"2"' '{"full_name":"Alice","phones":[{"type":"cell","value":"call me"}]}'
is "$STATUS" 400 "a phone that is no number is 400"
is "$(sql "SELECT revision, data, updated_at FROM cards")" "$before" "none of these wrote anything"
is "$(sql "SELECT COUNT(*) FROM card_revisions")" "$nrev" "and made no revision"

# --- Chinese text, long addresses, and the own vCard -----------------------------
CARD3='{"full_name":"张伟","name":{"family":"张","given":"伟","additional":"","prefix":"","suffix":""},"organization":"上海某某国际贸易有限公司","department":"华东区销售部","title":"CTO","emails":[{"type":"work","value":"alice@example.com"}],"phones":[{"type":"work","value":"021-6123 4567"}],"addresses":[{"type":"work","street":"中国（上海）自由贸易试验区张江高科技园区碧波路690号3号楼501室，靠近地铁二号线张江高科站4号出口; Building 3, Room 501, 690 Bibo Road","locality":"上海市","region":"上海","postal_code":"201203","country":"中国"}],"urls":[{"type":"work","value":"https://example.cn/团队/张伟?a=1&b=2"}],"note":"专注于跨境电子商务、供应链金融和国际物流解决方案；欢迎随时联系。Semicolons; commas, and a backslash \\\\ too.\nSecond line."}'
put_card_if '"2"' "$CARD3"
is "$STATUS" 200 "a card in Chinese with a long address saves"
is "$(jqb .revision)" 3 "revision 3"
is "$(jqb -c .changed_fields)" '["full_name","name","organization","department","phones","addresses","urls","note"]' \
	"naming exactly the fields that changed"
jqb .card >"$VARDIR/card3.json"
for v in 4.0 3.0; do
	q=""
	[ "$v" = 3.0 ] && q="?version=3.0"
	req GET "/api/v1/card.vcf$q"
	is "$STATUS" 200 "GET /api/v1/card.vcf$q"
	like "$(header Content-Type)" '^text/vcard' "served as text/vcard"
	like "$BODY" $'VERSION:'"$v" "vCard $v"
	cp "$VARDIR/body" "$VARDIR/own-$v.vcf"
	is "$(vcard_check "$VARDIR/own-$v.vcf" "$VARDIR/card3.json")" ok \
		"vCard $v parses in python3-vobject with the same values, lines ≤ 75 octets"
done
req GET "/api/v1/card.vcf?version=2.1"
is "$STATUS" 400 "vCard 2.1 is not written"

# --- the history and the differences -------------------------------------------
api GET /api/v1/card/revisions
is "$STATUS" 200 "GET /api/v1/card/revisions"
is "$(jqb -c '[.revisions[].revision]')" '[3,2,1,0]' "newest first, revision 0 included"
is "$(jqb .next_cursor)" null "one page"
is "$(jqb -c '.revisions[1].changed_fields')" '["title"]' "each with the fields it changed"
api GET "/api/v1/card/revisions?limit=3"
is "$(jqb -c '[.revisions[].revision]')" '[3,2,1]' "limit=3"
cursor=$(jqb .next_cursor)
is "$cursor" 1 "next_cursor"
api GET "/api/v1/card/revisions?limit=3&cursor=$cursor"
is "$(jqb -c '[.revisions[].revision]')" '[0]' "the next page"
is "$(jqb .next_cursor)" null "and the last"

api GET /api/v1/card/revisions/3
is "$STATUS" 200 "GET /api/v1/card/revisions/3"
is "$(jqb .compare)" 2 "compared with revision 2 by default"
is "$(jqb -c '[.changes[].field]')" '["full_name","name","organization","department","phones","addresses","urls","note"]' \
	"the diff names exactly the changed fields"
is "$(jqb '.changes[] | select(.field == "phones") | .old[0].value')" "+8613800138000" "with the old value"
is "$(jqb '.changes[] | select(.field == "phones") | .new[0].value')" "+862161234567" "and the new one"
is "$(jqb '.changes[] | select(.field == "organization") | .old')" "ACME" "old organization"
api GET "/api/v1/card/revisions/2?compare=1"
is "$(jqb -c '[.changes[].field]')" '["title"]' "2 against 1: only the title"
is "$(jqb '.changes[0].old + "→" + .changes[0].new')" "→CTO" "from empty to CTO"
api GET "/api/v1/card/revisions/3?compare=1"
is "$(jqb -c '[.changes[].field]')" '["full_name","name","organization","department","title","phones","addresses","urls","note"]' \
	"?compare=1 diffs against revision 1"
api GET /api/v1/card/revisions/1
is "$(jqb .card.organization)" ACME "a revision holds the whole card as it was"
api GET /api/v1/card/revisions/0
is "$(jqb .card.full_name)" "Alice 张" "revision 0 is the card as created"
is "$(jqb -c '[.compare, .changes]')" '[null,[]]' "with nothing to compare"
api GET /api/v1/card/revisions/4
is "$STATUS" 404 "a revision that does not exist is 404"
api GET "/api/v1/card/revisions/3?compare=9"
is "$STATUS" 404 "so is comparing with one"

# --- the pages (no JavaScript: plain forms) ----------------------------------------
TOKEN=""
req GET /card
is "$STATUS" 303 "the card page needs a sign-in"
is "$(header Location)" "/signin?next=/card" "and sends there"
web_signin alice@example.com
ok $? "signed in with the browser form"
CSRF=$WCSRF	# req sends it as X-CSRF-Token, as the pages' script does
req GET /card
is "$STATUS" 200 "GET /card"
like "$BODY" 'name="revision" value="3"' "the editor carries the revision it edits"
like "$BODY" 'name="full_name"[^>]*value="张伟"' "and every field: full name"
like "$BODY" 'name="addresses.0.street"[^>]*value="中国（上海）' "addresses"
like "$BODY" 'name="emails.1.value"[^>]*value=""' "an empty row to add an e-mail address"
like "$BODY" 'name="name.family"[^>]*value="张"' "name parts"
like "$BODY" '<textarea id="note" name="note"[^>]*>专注于' "the note"
# preview: the section between id="card-preview" and the end of its panel
preview() { printf '%s' "$BODY" | sed -n '/id="card-preview"/,/<\/section>/p'; }
like "$BODY" '<section class="panel editor-preview" aria-labelledby="preview-title">' "a preview next to the form"
like "$(preview)" '<div class="card-face bcard">' "the preview draws the card as a business card"
like "$(preview)" '张伟' "the saved card, without JavaScript"
like "$BODY" '<form method="post" action="/card" class="card-editor" id="card-form">' "the form card.js watches"
like "$BODY" '<script src="/static/card.js" defer></script>' "card.js redraws the preview as one types"
unlike "$BODY" '/static/card\.css' "one stylesheet only"
req GET /static/card.js
is "$STATUS" 200 "card.js is served"
like "$BODY" 'card-preview' "and draws into #card-preview"
req GET /card

form POST /card "csrf=$CSRF" revision=3 "full_name=张伟" "name.family=张" "name.given=伟" \
	"organization=上海某某国际贸易有限公司" "department=华东区销售部" "title=CEO" \
	"emails.0.type=work" "emails.0.value=alice@example.com" "emails.1.type=home" "emails.1.value=Wei@Home.example" \
	"emails.2.type=work" "emails.2.value=" "phones.0.type=work" "phones.0.value=021-6123 4567" \
	"addresses.0.type=work" "addresses.0.street=碧波路690号" "addresses.0.locality=上海市" \
	"addresses.1.type=home" "addresses.1.street=" "urls.0.type=work" "urls.0.value=https://example.cn/" \
	"note=Hello, <b>world</b>"
is "$STATUS" 303 "the editor form saves"
is "$(header Location)" "/card?saved=1" "and goes back to the card"
TOKEN=$ALICE
JAR_SAVE=$JAR
JAR=""
api GET /api/v1/card
is "$(jqb .revision)" 4 "as revision 4"
is "$(jqb -c '[.card.emails[].value]')" '["alice@example.com","wei@home.example"]' "a row was added; blank rows are ignored"
is "$(jqb .card.title)" CEO "the title changed"
is "$(jqb -c '[.card.addresses[].street]')" '["碧波路690号"]' "the address was replaced"
is "$(jqb -c .card.urls)" '[{"type":"work","value":"https://example.cn/"}]' "the URL"
is "$(jqb .card.note)" "Hello, <b>world</b>" "the note is kept as text"
TOKEN=""
JAR=$JAR_SAVE
req GET /card
unlike "$BODY" '<b>world</b>' "and shown escaped"
like "$BODY" '&lt;b&gt;world' "as &lt;b&gt;"

before=$(sql "SELECT revision, data FROM cards")
form POST /card "csrf=$CSRF" revision=3 "full_name=Someone Else"
is "$STATUS" 412 "saving over an older revision is 412"
like "$BODY" 'changed elsewhere' "with a clear message"
like "$BODY" 'name="full_name"[^>]*value="Someone Else"' "the typed values stay in the form"
like "$BODY" 'name="revision" value="4"' "now editing the current revision"
unlike "$(preview)" 'Someone Else' "the preview shows the stored card, not the refused values"
form POST /card "csrf=$CSRF" revision=4 "full_name=张伟" "emails.0.type=work" "emails.0.value=bad@"
is "$STATUS" 400 "an invalid address in the form is 400"
like "$BODY" 'valid e-mail address' "saying why"
like "$BODY" 'emails\[0\]\.value' "and where"
like "$BODY" 'name="emails.0.value"[^>]*value="bad@"' "keeping what was typed"
CSRF_SAVE=$CSRF
CSRF=""
form POST /card revision=4 "full_name=No CSRF"
CSRF=$CSRF_SAVE
is "$STATUS" 403 "a form without the CSRF token is refused"
is "$(sql "SELECT revision, data FROM cards")" "$before" "none of these wrote anything"

req GET /card/history
is "$STATUS" 200 "GET /card/history"
for n in 4 3 2 1 0; do
	like "$BODY" "href=\"/card/history/$n\"" "it lists revision $n"
done
req GET /card/history/4
is "$STATUS" 200 "GET /card/history/4"
is "$(printf '%s' "$BODY" | grep -o 'data-field="[a-z_]*"' | cut -d'"' -f2 | tr '\n' ' ')" \
	"title emails addresses urls note " "its diff rows are exactly the changed fields"
like "$BODY" 'CTO' "with the old value"
like "$BODY" 'CEO' "and the new"
req GET "/card/history/2?compare=1"
is "$(printf '%s' "$BODY" | grep -o 'data-field="[a-z_]*"' | cut -d'"' -f2 | tr '\n' ' ')" "title " \
	"comparing 2 with 1 on the page"
req GET /card/history/9
is "$STATUS" 404 "a missing revision page is 404"

# --- another member never reads this card through the API ----------------------------
JAR=""
CSRF=""
signup_verified bob@example.com "Bob" || bail "cannot make a second member"
BOB=$TOKEN
api GET /api/v1/card
is "$(jqb .card.full_name)" Bob "Bob's GET /api/v1/card is his own card"
unlike "$BODY" '张|alice|ACME' "holding nothing of Alice's"
api GET /api/v1/card/revisions
is "$(jqb -c '[.revisions[].revision]')" '[0]' "his own history"
api GET /api/v1/card/revisions/3
is "$STATUS" 404 "Alice's revision numbers are 404 for him"
api GET /api/v1/card/revisions/0
is "$(jqb .card.full_name)" Bob "revision 0 is his"
req GET /api/v1/card.vcf
unlike "$BODY" '张|alice' "his vCard is his"
api GET /api/v1/card/images/front
is "$STATUS" 404 "he has no image, and cannot name Alice's"
put_card_if '"0"' '{"full_name":"Bob Builder"}'
is "$STATUS" 200 "Bob saves his card"
is "$(sql "SELECT revision FROM cards c JOIN users u ON u.id = c.user_id WHERE u.email = 'alice@example.com'")" 4 \
	"Alice's card is untouched"
TOKEN=$ALICE
api GET /api/v1/card
is "$(jqb .card.full_name)" "张伟" "and still reads as hers"

# --- the card is read with the credential (one statement, AUTH_USER_CARD) ---------
# a member without a card row yet, signed in by the web session: the read
# finds no card with the session and creates it; by session and by token the
# answer is the same, and it is the member's own
signup_verified carol@example.com "Carol Web" || bail "cannot make a third member"
CAROL=$TOKEN
is "$(sql "SELECT COUNT(*) FROM cards c JOIN users u ON u.id = c.user_id WHERE u.email = 'carol@example.com'")" 0 \
	"Carol has no card row yet"
web_signin carol@example.com || bail "Carol cannot sign in on the web"
req GET /api/v1/card
is "$STATUS" 200 "GET /api/v1/card by session cookie, before the card exists"
is "$(jqb .card.full_name)" "Carol Web" "the new card carries her name"
by_session=$BODY
req GET /api/v1/card
is "$BODY" "$by_session" "read again by session (the card now in the same statement): the same answer"
JAR="" TOKEN=$CAROL
api GET /api/v1/card
is "$BODY" "$by_session" "and by bearer token the same answer"
is "$(header ETag)" '"0"' "with its ETag"
JAR=$VARDIR/jar.bob.none TOKEN=""
api GET /api/v1/card
is "$STATUS" 401 "without a credential: 401, no card"
TOKEN=$ALICE
api GET /api/v1/card
is "$(jqb .card.full_name)" "张伟" "Alice's token still reads Alice's card"

done_testing
