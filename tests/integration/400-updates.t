#!/usr/bin/env bash
# 400-updates.t: step D1 for a member D holding a linked copy of A's card. A edits
# the title: D has exactly one pending update naming only the title, a letter and a
# mail; accept updates the copy and keeps D's notes, tags and the phone D added;
# decline keeps the copy and is not asked again (not even by later revisions); a
# field A stops sharing is neither
# pushed nor wiped; another member's entry answers 404; bad input writes nothing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/499-updates-lib.sh"
EXTRA_CONF=$'Updates.CoalesceSeconds = 0'
export EXTRA_CONF
stack_up

# --- A's card, and D's linked copy with D's own additions ----------------------
signup_verified alice@example.com "Alice Zhang" || bail "no member A"
TA=$TOKEN
put_card '{"full_name":"Alice Zhang","title":"Manager","organization":"Acme","phones":[{"type":"work","value":"+8613800138000"}],"note":"Ask for Alice"}'
is "$STATUS" 200 "A saves her card"
tok=$(share_token)
signup_verified dan@example.com "Dan Li" || bail "no member D"
TD=$TOKEN
api POST /api/v1/folder/save-shared "{\"token\":\"$tok\"}"
is "$STATUS" 201 "D saves A's card from its public link"
E=$(jqb .entry.id)
is "$(jqb .entry.linked)" true "the copy is linked"
card=$(jqb -c '.entry.card | .phones += [{"type":"cell","value":"+8613911112222"}]')
api PUT "/api/v1/folder/$E" "{\"card\":$card,\"notes\":\"met at the fair\",\"tags\":[\"fair\"]}"
is "$STATUS" 200 "D adds notes, a tag and a phone of their own"
fanout_idle 20
ok $? "A's first save was fanned out (nobody held it yet)"
api GET /api/v1/updates
is "$STATUS" 200 "GET /api/v1/updates"
is "$(jqb '.updates | length')" 0 "nothing pending before A changes anything"

# --- A edits the title ---------------------------------------------------------
TOKEN=$TA
edit_card '.title = "Director"'
is "$STATUS" 200 "A changes her title"
fanout_idle 20
ok $? "the fan-out ran"
TOKEN=$TD
api GET /api/v1/updates
is "$(jqb '.updates | length')" 1 "D has one pending update"
is "$(jqb '.updates[0].entry_id')" "$E" "for the linked entry"
is "$(jqb -c '[.updates[0].changes[].field]')" '["title"]' "naming only the title"
is "$(jqb '.updates[0].changes[0].old')" "Manager" "old: D's copy's value"
is "$(jqb '.updates[0].changes[0].new')" "Director" "new: A's current value"
is "$(jqb '.updates[0].owner.full_name')" "Alice Zhang" "whose card it is"
is "$(letters dan@example.com card.update)" 1 "one in-site letter"
api GET /api/v1/notifications
if [ "$STATUS" = 200 ]; then
	like "$(jqb '[.notifications[] | select(.kind == "card.update") | .text] | join("|")')" \
		'^Alice Zhang updated their card: Title\. ' "the letter says who changed what (savers' letters API)"
else
	ok 0 "# SKIP the letters API answers $STATUS"
fi
mail_wait dan@example.com 2 20
ok $? "a mail reached D"
is "$(update_mails dan@example.com)" 1 "exactly one update mail"
m=$(mail_last dan@example.com)
like "$m" 'Subject: Alice Zhang updated their card' "its subject"
like "$m" "$B/updates" "with the link to the updates page"
api GET "/api/v1/folder/$E"
is "$(jqb .entry.card.title)" "Manager" "the copy is unchanged until D accepts"
is "$(jqb .entry.update_pending)" true "the folder shows the update as pending"
TOKEN=$TA
api GET /api/v1/updates
is "$(jqb '.updates | length')" 0 "A has nothing pending herself"

# --- another member cannot touch D's entry -------------------------------------
api POST "/api/v1/updates/$E/accept"
is "$STATUS" 404 "A accepting D's update: 404"
api POST "/api/v1/updates/$E/decline"
is "$STATUS" 404 "A declining it: 404"
api PUT "/api/v1/folder/$E/policy" '{"auto_update":true}'
is "$STATUS" 404 "A setting its policy: 404"
TOKEN=$TD
api GET "/api/v1/folder/$E"
is "$(jqb .entry.card.title)/$(jqb .entry.auto_update)" "Manager/false" "nothing was written"

# --- bad input -----------------------------------------------------------------
api PUT "/api/v1/folder/$E/policy" '{"auto_update":"yes"}'
is "$STATUS" 400 "policy with a string: 400"
is "$(jqb .error.field)" auto_update "naming the field"
api PUT "/api/v1/folder/$E/policy" '{"auto":true}'
is "$STATUS" 400 "policy with an unknown member: 400"
api PUT "/api/v1/folder/$E/policy" '{}'
is "$STATUS" 400 "policy without auto_update: 400"
api POST /api/v1/folder/sync '{"apply":1}'
is "$STATUS" 400 "sync with a number for apply: 400"
api POST /api/v1/updates/0/accept
is "$STATUS" 404 "entry 0: 404"
api POST /api/v1/updates/999999/accept
is "$STATUS" 404 "no such entry: 404"
api POST /api/v1/folder '{"card":{"full_name":"Paper Card","title":"Typed in"}}'
P=$(jqb .entry.id)
api POST "/api/v1/updates/$P/accept"
is "$STATUS" 409 "an entry typed in has no updates: 409"
is "$(jqb .error.code)" not_linked "code not_linked"
api GET "/api/v1/folder/$E"
is "$(jqb .entry.card.title)/$(jqb .entry.synced_revision)" "Manager/1" "still nothing written"

# --- accept --------------------------------------------------------------------
seq_before=$(sql "SELECT COUNT(*) FROM folder_changes WHERE entry_id = $E")
api POST "/api/v1/updates/$E/accept"
is "$STATUS" 200 "D accepts"
is "$(jqb -c .applied)" '["title"]' "the title was applied"
is "$(jqb .entry.card.title)" "Director" "the copy has the new title"
is "$(jqb .entry.notes)" "met at the fair" "D's notes are unchanged"
is "$(jqb -c .entry.tags)" '["fair"]' "D's tags are unchanged"
is "$(jqb -c '[.entry.card.phones[].value]')" '["+8613800138000","+8613911112222"]' "the phones are as they were"
is "$(jqb .entry.card.note)" "Ask for Alice" "the other fields too"
is "$(jqb .entry.synced_revision)" "$(jqb .entry.latest_revision)" "the copy holds the latest revision"
is "$(jqb .entry.update_pending)" false "no longer pending in the folder"
is "$(sql "SELECT COUNT(*) FROM folder_changes WHERE entry_id = $E")" $((seq_before + 1)) \
	"the folder's change log has the change (CardDAV clients see it)"
api GET /api/v1/updates
is "$(jqb '.updates | length')" 0 "nothing pending after accepting"
api POST "/api/v1/updates/$E/accept"
is "$STATUS/$(jqb -c .applied)" '200/[]' "accepting again changes nothing"

# --- a list field: A's new list, plus what D added -------------------------------
TOKEN=$TA
edit_card '.phones = [{"type":"work","value":"+8613800139999"}]'
fanout_idle 20
TOKEN=$TD
api GET /api/v1/updates
is "$(jqb -c '[.updates[0].changes[].field]')" '["phones"]' "A's new phone number is pending"
is "$(jqb -c '[.updates[0].changes[0].new[].value]')" '["+8613800139999","+8613911112222"]' \
	"new: A's numbers, then the one D added"
api POST "/api/v1/updates/$E/accept"
is "$(jqb -c '[.entry.card.phones[].value]')" '["+8613800139999","+8613911112222"]' "applied so"

# --- decline ---------------------------------------------------------------------
TOKEN=$TA
edit_card '.organization = "Acme Group"'
fanout_idle 20
TOKEN=$TD
api GET /api/v1/updates
is "$(jqb -c '[.updates[0].changes[].field]')" '["organization"]' "a new update: the organization"
latest=$(jqb '.updates[0].to_revision')
api POST "/api/v1/updates/$E/decline"
is "$STATUS" 200 "D declines"
is "$(jqb .declined_revision)" "$latest" "declined_revision is the latest revision"
is "$(jqb .entry.card.organization)" "Acme" "the copy is unchanged"
is "$(jqb .entry.update_pending)" false "and not pending in the folder"
api GET /api/v1/updates
is "$(jqb '.updates | length')" 0 "not asked again"
api POST /api/v1/folder/sync '{"apply":false}'
is "$(jqb '.behind | length')" 0 "a sync does not bring it back"
api GET '/api/v1/updates?declined=1'
is "$(jqb '.updates | length'):$(jqb '.updates[0].declined')" "1:true" "listed only when asking for declined ones"
letters_before=$(letters dan@example.com card.update)

# --- a field A stops sharing is not pushed, and not wiped --------------------------
TOKEN=$TA
api PUT /api/v1/card/share '{"visible_fields":["full_name","name","organization","department","title","emails","addresses","urls","note","front_image","back_image"]}'
is "$STATUS" 200 "A stops sharing her phone numbers"
edit_card '.phones = [{"type":"work","value":"+8613800130000"}]'
fanout_idle 20
TOKEN=$TD
api GET /api/v1/updates
is "$(jqb '.updates | length')" 0 "the new number is not pushed"
is "$(letters dan@example.com card.update)" "$letters_before" "and nobody is told"
api GET "/api/v1/folder/$E"
is "$(jqb -c '[.entry.card.phones[].value]')" '["+8613800139999","+8613911112222"]' "the copy keeps the numbers it had"
is "$(jqb .entry.card.organization)" "Acme" "and the declined organization"
TOKEN=$TA
edit_card '.title = "CEO" | .phones = [{"type":"work","value":"+8613800131111"}]'
fanout_idle 20
TOKEN=$TD
api GET /api/v1/updates
is "$(jqb -c '[.updates[0].changes[].field]')" '["title"]' \
	"a later revision asks about what changed after the declined one: not the organization, never the phones"
unlike "$BODY" '8613800131111' "the unshared number appears nowhere"

# --- one letter per burst (issue 21): five saves, each fanned out, leave one unread letter --
TOKEN=$TD
api POST /api/v1/notifications/read-all
first_id=$(sql "SELECT IFNULL(MAX(id), 0) FROM notifications")
TOKEN=$TA
for t in 1 2 3 4 5; do
	edit_card ".title = \"Title $t\""
	fanout_idle 20
done
unread() { sql "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = 'dan@example.com' AND n.kind = 'card.update' AND n.read_at IS NULL AND n.id > $first_id"; }
is "$(unread)" 1 "five saves fanned out one by one: one unread letter for D, not five"
is "$(sql "SELECT JSON_VALUE(payload, '\$.entry_id') FROM notifications WHERE id > $first_id AND kind = 'card.update'")" "$E" "about A's card"
TOKEN=$TD
api GET '/api/v1/notifications?unread=1'
like "$(jqb -r '[.notifications[] | select(.kind == "card.update")][0].text')" '^Alice Zhang updated their card: Title\.' \
	"the one letter tells the latest change"
api GET /api/v1/updates
is "$(jqb '.updates[0].changes[0].new')" "Title 5" "and the updates page holds the latest value"

done_testing
