#!/usr/bin/env bash
# 465-declined-updates.t: issue 18, nothing declined is lost. A declined change
# stays listed ("updates you declined", API and page) after later revisions are
# applied, automatically or by hand, until the holder takes it or the owner
# changes that field again; turning automatic updates on after declining applies
# only what came after, and the letter and mail say exactly what was applied and
# what was kept; taking a declined change needs CSRF and the holder's own entry.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/499-updates-lib.sh"
EXTRA_CONF=$'Updates.CoalesceSeconds = 10'
export EXTRA_CONF
stack_up

signup_verified alice@example.com "Alice Zhang" || bail "no member A"
TA=$TOKEN
put_card '{"full_name":"Alice Zhang","title":"Manager","organization":"Acme","department":"Sales","phones":[{"type":"work","value":"+8613800138000"}]}'
tok=$(share_token)
signup_verified eve@example.com "Eve Wu" || bail "no member E"
TE=$TOKEN
signup_verified dan@example.com "Dan Li" || bail "no member D"
TD=$TOKEN
api POST /api/v1/folder/save-shared "{\"token\":\"$tok\"}"
is "$STATUS" 201 "D saves A's card from its link"
E=$(jqb .entry.id)
fanout_idle 20

# --- declined inside the coalescing window, then automatic updates -----------------
TOKEN=$TA
edit_card '.title = "Director"'
TOKEN=$TD
api GET /api/v1/updates
is "$(jqb -c '[.updates[0].changes[].field]')" '["title"]' "D sees the new title at once"
api POST "/api/v1/updates/$E/decline"
is "$STATUS" 200 "D declines it"
api PUT "/api/v1/folder/$E/policy" '{"auto_update":true}'
is "$STATUS" 200 "D turns on automatic updates for the card"
api GET "/api/v1/folder/$E"
is "$(jqb .entry.card.title)" "Manager" "turning them on does not apply what D declined"
TOKEN=$TA
edit_card '.phones = [{"type":"work","value":"+8613800139999"}]'
is "$STATUS" 200 "A changes her phone inside the same window (one fan-out job: title and phone)"
is "$(sql "SELECT fields IS NULL, to_revision - from_revision FROM fanout_jobs WHERE status = 'waiting'" | tr '\t' ' ')" "1 2" \
	"one waiting job covers both revisions"
fanout_idle 45
ok $? "the fan-out ran"
TOKEN=$TD
api GET "/api/v1/folder/$E"
is "$(jqb .entry.card.title)" "Manager" "the copy keeps the declined title"
is "$(jqb -c '[.entry.card.phones[].value]')" '["+8613800139999"]' "and took the new phone"
letter=$(sql "SELECT payload FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = 'dan@example.com' AND n.kind = 'card.updated' ORDER BY n.id DESC LIMIT 1")
is "$(printf '%s' "$letter" | jq -c .fields)" '["phones"]' "the letter names only what was applied"
is "$(printf '%s' "$letter" | jq -c .kept)" '["title"]' "and what was kept"
like "$(printf '%s' "$letter" | jq -r .text)" 'updated their card: Phone numbers\. Your copy was updated automatically\. Not changed, because you declined it: Title\.' \
	"its text says both"
unlike "$(printf '%s' "$letter" | jq -r .text)" 'card: [^.]*Title' "it does not claim the title was applied"
api GET /api/v1/notifications
like "$(jqb -r '[.notifications[] | select(.kind == "card.updated") | .text][0]')" \
	'Phone numbers\. Your copy was updated automatically\. Not changed, because you declined it: Title\.$' \
	"the letters API says the same"
is "$(letters dan@example.com card.updated)" 1 "one letter"
mail_wait dan@example.com 2 20
m=$(mail_last dan@example.com)
like "$m" 'Changed: Phone numbers' "the mail names what was applied"
like "$m" 'because you declined it before: Title' "and what was kept"
unlike "$m" 'Changed: [^\n]*Title' "never the title as changed"

# --- the declined change is still listed ----------------------------------------------
api GET '/api/v1/updates?declined=1'
is "$(jqb '[.updates[] | select(.declined)] | length')" 1 "one declined update listed"
is "$(jqb -c '[.updates[] | select(.declined) | .changes[].field]')" '["title"]' "the title"
is "$(jqb -r '.updates[] | select(.declined) | .changes[0].new')" "Director" "with A's value"
api GET /api/v1/updates
is "$(jqb '.updates | length')" 0 "nothing pending"

# --- a later revision applied automatically: the decline stays ------------------------
TOKEN=$TA
edit_card '.organization = "Acme Group"'
fanout_idle 45
TOKEN=$TD
api GET "/api/v1/folder/$E"
is "$(jqb .entry.card.organization):$(jqb .entry.card.title)" "Acme Group:Manager" "the organization applied, the title still kept"
letter=$(sql "SELECT payload FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = 'dan@example.com' AND n.kind = 'card.updated' ORDER BY n.id DESC LIMIT 1")
is "$(printf '%s' "$letter" | jq -c '[.fields, .kept]')" '[["organization"],[]]' "its letter: the organization, nothing kept"
api GET '/api/v1/updates?declined=1'
is "$(jqb -c '[.updates[] | select(.declined) | .changes[].field]')" '["title"]' "the declined title is still listed"

# --- the page, and taking the declined change ----------------------------------------------
TOKEN=""
web_signin dan@example.com /updates
ok $? "D signs in with the browser"
like "$BODY" 'Updates you declined' "the page shows the declined section"
like "$BODY" "id=\"declined-$E\"" "with A's card"
like "$BODY" "action=\"/updates/$E/accept-declined\"" "and a form to take it"
form POST "/updates/$E/accept-declined" "csrf=bad"
is "$STATUS" 403 "without the CSRF token: refused"
TOKEN=$TD
api GET "/api/v1/folder/$E"
is "$(jqb .entry.card.title)" "Manager" "and nothing changed"
TOKEN=$TE
api POST "/api/v1/updates/$E/accept-declined"
is "$STATUS" 404 "another member: 404"
TOKEN=""
form POST "/updates/$E/accept-declined" "csrf=$WCSRF"
is "$STATUS" 303 "D takes the declined title after all"
like "$(header Location)" 'done=accepted_declined' "and is told so"
TOKEN=$TD
api GET "/api/v1/folder/$E"
is "$(jqb .entry.card.title):$(jqb .entry.card.organization)" "Director:Acme Group" "the copy has the title now"
api GET '/api/v1/updates?declined=1'
is "$(jqb '.updates | length')" 0 "nothing declined or pending is left"
is "$(sql "SELECT declined_fields, declined_base IS NULL FROM folder_entries WHERE id = $E" | tr '\t' ' ')" "0 1" "the declined state is cleared"

# --- declined, accepted later by hand: the decline stays; superseded: it goes ----------
api PUT "/api/v1/folder/$E/policy" '{"auto_update":false}'
is "$STATUS" 200 "D asks again before updates"
# (pending updates are derived at once: this part waits for no fan-out)
TOKEN=$TA
edit_card '.department = "Exports"'
TOKEN=$TD
api POST "/api/v1/updates/$E/decline"
is "$STATUS" 200 "D declines the department"
TOKEN=$TA
edit_card '.urls = [{"type":"work","value":"https://acme.example/alice"}]'
TOKEN=$TD
api GET /api/v1/updates
is "$(jqb -c '[.updates[0].changes[].field]')" '["urls"]' "the next update asks only about the web address"
api POST "/api/v1/updates/$E/accept"
is "$STATUS" 200 "D accepts it"
is "$(jqb .entry.card.department)" "Sales" "the declined department is still D's"
api GET '/api/v1/updates?declined=1'
is "$(jqb -c '[.updates[] | select(.declined) | .changes[].field]')" '["department"]' \
	"the declined department is listed after a later update was accepted"
TOKEN=$TA
edit_card '.department = "Exports and Imports"'
TOKEN=$TD
api GET '/api/v1/updates?declined=1'
is "$(jqb '[.updates[] | select(.declined)] | length')" 0 "changed again: no longer a declined update"
is "$(jqb -r '.updates[0].changes[0].new')" "Exports and Imports" "but a pending one with the newest value"
api POST "/api/v1/updates/$E/accept"
is "$(jqb .entry.card.department)" "Exports and Imports" "taken"
is "$(sql "SELECT declined_fields FROM folder_entries WHERE id = $E")" 0 "nothing declined is left"

# --- Chinese: the letter names what was kept -------------------------------------------------
sql "UPDATE users SET locale = 'zh-CN' WHERE email = 'dan@example.com'"
TOKEN=$TA
edit_card '.title = "VP"'
fanout_idle 45
TOKEN=$TD
api POST "/api/v1/updates/$E/decline"
api PUT "/api/v1/folder/$E/policy" '{"auto_update":true}'
TOKEN=$TA
edit_card '.title = "VP" | .organization = "Acme Holdings"'
sleep 0.1
edit_card '.title = "VP" | .organization = "Acme Holdings" | .department = "Board"'
fanout_idle 45
letter=$(sql "SELECT payload FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = 'dan@example.com' AND n.kind = 'card.updated' ORDER BY n.id DESC LIMIT 1")
is "$(printf '%s' "$letter" | jq -c '[.fields, .kept]')" '[["organization","department"],[]]' \
	"a window after the declined revision: only its own fields, nothing to keep"
like "$(printf '%s' "$letter" | jq -r .text)" '^Alice Zhang 更新了名片：单位、部门。您保存的副本已自动更新。$' "in Chinese"
TOKEN=$TD
api GET "/api/v1/folder/$E"
is "$(jqb .entry.card.title)" "Director" "the declined VP title is not applied"

done_testing
