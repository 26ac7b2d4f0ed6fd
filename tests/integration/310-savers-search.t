#!/usr/bin/env bash
# 310-savers-search.t: step C2. A bulk import sends no message; A's search of
# all members' folders (by A's verified addresses, and copies linked to A's
# card) then lists the importer, with how=search and since when; the search is
# rate-limited (429, Retry-After); the list drops a saver who deleted the copy,
# pages with an opaque cursor, and is a page too (form search, no JavaScript).
#
# WIRING: the checks marked [wiring] need the lead's calls: savers_home_counts
# on the home page, and savers_on_verified from member_key_verified.
. "$(dirname "$0")/../lib.sh"
stack_up

signup_verified alice@example.com "Alice Owner"
ALICE=$TOKEN
A_ID=$(uid_of alice@example.com)
put_card '{"full_name":"Alice Owner","emails":[{"type":"work","value":"alice@example.com"}]}'
api GET /api/v1/card
A_TOKEN=$(jqb .share.url)
A_TOKEN=${A_TOKEN##*/}

# --- D imports 100 cards, A's among them: no message ------------------------------------
signup_verified dan@example.com "Dan Importer"
DAN=$TOKEN
D_ID=$(uid_of dan@example.com)
{
	for i in $(seq 1 99); do
		printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Contact %03d\r\nEMAIL:contact%03d@example.net\r\nTEL:+86139%08d\r\nEND:VCARD\r\n' "$i" "$i" "$i"
	done
	printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Alice (met at a fair)\r\nEMAIL;TYPE=work:Alice@Example.com\r\nEND:VCARD\r\n'
} >"$VARDIR/hundred.vcf"
req POST /api/v1/folder/import -H 'Content-Type: text/vcard' --data-binary @"$VARDIR/hundred.vcf"
is "$STATUS $(jqb .imported)" "200 100" "D imports 100 cards, A's among them"
sleep 1.5
is "$(sql "SELECT COUNT(*) FROM notifications WHERE user_id=$A_ID")" 0 "the import writes A no letter"
is "$(sql "SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE 'saved:%' OR subject LIKE '%saved your card%'")" 0 \
	"and queues no message at all"
is "$(sql "SELECT COUNT(*) FROM savers")" 0 "nor a savers row"

TOKEN=$ALICE
api GET /api/v1/savers
is "$(jqb .total) $(jqb '.savers | length')" "0 0" "A's list is empty before she searches"

# --- the search finds D --------------------------------------------------------------------
api POST /api/v1/savers/search
is "$STATUS" 200 "A searches all members' folders"
is "$(jqb .found) $(jqb .total)" "1 1" "one new find"
api GET /api/v1/savers
is "$(jqb -c '[.savers[] | [.kind, .full_name, .is_member, .how]]')" '[["member","Dan Importer",true,"search"]]' \
	"D is on the list, found by search"
is "$(jqb '.savers[0].since')" \
	"$(sql "SELECT DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ') FROM folder_entries WHERE holder_id=$D_ID AND full_name='Alice (met at a fair)'")" \
	"since: when D saved the card"
is "$(sql "SELECT COUNT(*) FROM notifications WHERE user_id=$A_ID")" 0 "the search tells nobody anything"

api POST /api/v1/savers/search
is "$STATUS" 429 "searching again at once: 429"
like "$(header Retry-After)" '^[0-9]+$' "with Retry-After"
is "$(jqb .error.code)" search_too_soon "code search_too_soon"
sql "UPDATE send_quota SET window_start = UTC_TIMESTAMP() - INTERVAL 1 HOUR WHERE qkey='search:$A_ID'"
api POST /api/v1/savers/search
is "$STATUS $(jqb .found) $(jqb .total)" "200 0 1" "after the interval: nothing new, nothing doubled"

# --- a linked copy carrying no e-mail is found through the card it is linked to ----------------
api PUT /api/v1/card/share '{"visible_fields":["full_name"]}'
signup_verified kim@example.com "Kim Linked"
KIM=$TOKEN
K_ID=$(uid_of kim@example.com)
api POST /api/v1/folder/save-shared "{\"token\":\"$A_TOKEN\"}"
is "$STATUS" 201 "K saves A's card (name only) from its link"
is "$(sql "SELECT COUNT(*) FROM card_keys k JOIN folder_entries f ON f.id = k.entry_id WHERE f.holder_id=$K_ID")" 0 \
	"the copy carries no e-mail or phone"
sql "DELETE FROM savers WHERE saver_id=$K_ID"	# as if nobody had been told
sql "UPDATE send_quota SET window_start = UTC_TIMESTAMP() - INTERVAL 1 HOUR WHERE qkey='search:$A_ID'"
TOKEN=$ALICE
api POST /api/v1/savers/search
is "$(jqb .found) $(jqb .total)" "1 2" "the search finds K by the link"
is "$(sql "SELECT how FROM savers WHERE owner_id=$A_ID AND saver_id=$K_ID")" search "how=search"

# --- paging ---------------------------------------------------------------------------------
signup_verified mia@example.com "Mia Third"
M_ID=$(uid_of mia@example.com)
api POST /api/v1/folder '{"card":{"full_name":"Alice","emails":[{"type":"work","value":"alice@example.com"}]}}'
sql "INSERT IGNORE INTO savers (owner_id, saver_id, how, since) VALUES ($A_ID, $M_ID, 'reconcile', UTC_TIMESTAMP() + INTERVAL 1 MINUTE)"
TOKEN=$ALICE
seen=""
cursor=""
pages=0
while :; do
	api GET "/api/v1/savers?limit=1${cursor:+&cursor=$cursor}"
	[ "$STATUS" = 200 ] || break
	pages=$((pages + 1))
	seen="$seen$(jqb '.savers[0].full_name');"
	cursor=$(jqb '.next_cursor // empty')
	[ -n "$cursor" ] && [ $pages -lt 10 ] || break
done
is "$pages" 3 "three savers, one a page: three pages"
is "$seen" "Mia Third;Kim Linked;Dan Importer;" "newest first, none twice, none left out"
api GET "/api/v1/savers?limit=2"
like "$(jqb .next_cursor)" '^[0-9]{14}-[01]-[0-9]+$' "an opaque cursor"
api GET "/api/v1/savers?cursor=not-a-cursor"
is "$STATUS $(jqb .error.code) $(jqb .error.field)" "400 invalid_cursor cursor" "a forged cursor: 400"
api GET "/api/v1/savers?limit=0"
is "$STATUS" 400 "limit 0: 400"

# --- a saver who deleted the copy leaves the list ---------------------------------------------
TOKEN=$DAN
entry=$(sql "SELECT id FROM folder_entries WHERE holder_id=$D_ID AND full_name='Alice (met at a fair)'")
api DELETE "/api/v1/folder/$entry"
is "$STATUS" 204 "D deletes his copy of A's card"
TOKEN=$ALICE
api GET /api/v1/savers
is "$(jqb -c '[.savers[].full_name]') $(jqb .total)" '["Mia Third","Kim Linked"] 2' "D is no longer listed"

# --- the page, without JavaScript -------------------------------------------------------------
web_signin alice@example.com
ok $? "A signs in with the browser"
req GET /savers
is "$STATUS" 200 "the savers page"
like "$BODY" "Mia Third" "lists the savers"
like "$BODY" '<span id="savers-total">2</span>' "with the total"
like "$BODY" 'not a member|member' "and the member flags"
like "$BODY" 'action="/savers/search"' "offers the search as a form"
sql "UPDATE send_quota SET window_start = UTC_TIMESTAMP() - INTERVAL 1 HOUR WHERE qkey='search:$A_ID'"
form POST /savers/search
is "$STATUS" 403 "the search form without the CSRF token: 403"
form POST /savers/search "csrf=$WCSRF"
is "$STATUS" 303 "with it: 303"
like "$(header Location)" '^/savers\?found=[0-9]+$' "back to the list with the count of finds"
req GET "/savers?found=0"
like "$BODY" 'id="savers-found-none"' "a search that found nobody says so (found=0 is shown, not taken for false)"
req GET "/savers?found=3"
like "$BODY" '<strong id="savers-found">3</strong>' "a search that found people gives their number"
req GET "/savers?found=abc"
is "$STATUS" 400 "found must be a number"
form POST /savers/search "csrf=$WCSRF"
is "$STATUS" 429 "at once again: 429"
like "$BODY" "You searched a moment ago" "the page says why"
req GET "/savers?limit=1"
like "$BODY" 'rel="next" href="/savers\?cursor=' "the page links the next page"
req GET /
like "$BODY" '<span class="count" id="savers-count">2</span> <span class="count-label">people saved your card' "[wiring] the home page counts the savers"

# --- A confirms a phone: members holding a card with it are savers at once -----------------------
JAR=""
CSRF=""
signup_verified nora@example.com "Nora Phonebook"
api POST /api/v1/folder '{"card":{"full_name":"Alice mobile","phones":[{"type":"cell","value":"+86 138 0013 8055"}]}}'
TOKEN=$ALICE
api POST /api/v1/me/phone '{"phone":"+8613800138055"}'
is "$STATUS" 202 "A adds her phone number"
for i in $(seq 1 100); do ls "$SMSDIR"/*.json >/dev/null 2>&1 && break; sleep 0.1; done
code=$(jq -r 'select(.to == "+8613800138055") | .text' "$SMSDIR"/*.json | tail -1 | grep -o '^[0-9]\{6\}')
api POST /api/v1/me/phone/verify "{\"code\":\"$code\"}"
is "$STATUS" 200 "and confirms it"
is "$(sql "SELECT how FROM savers WHERE owner_id=$A_ID AND saver_id=$(uid_of nora@example.com)")" search \
	"[wiring] N, who holds a card with that number, is on A's list at once"

done_testing
