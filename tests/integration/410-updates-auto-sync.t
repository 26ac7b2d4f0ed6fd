#!/usr/bin/env bash
# 410-updates-auto-sync.t: three quick edits make one notification per saver
# (coalescing; the window is 8 s so that three edits fit it on a loaded machine); step D3: a sync reports exactly the linked entries that are
# behind and applies them; automatic updates, per entry (policy) and as the
# member's default: the copy changes without the holder's action, who gets a
# letter afterwards, and the folder's change log records it (CardDAV).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/499-updates-lib.sh"
EXTRA_CONF=$'Updates.CoalesceSeconds = 8'
export EXTRA_CONF
stack_up

signup_verified alice@example.com "Alice Zhang" || bail "no member A"
TA=$TOKEN
put_card '{"full_name":"Alice Zhang","title":"Manager","organization":"Acme","department":"Sales"}'
tokA=$(share_token)
signup_verified bob@example.com "Bob Wang" || bail "no member B"
TB=$TOKEN
put_card '{"full_name":"Bob Wang","title":"Engineer"}'
tokB=$(share_token)
declare -A T E
for d in d1 d2 d3; do
	signup_verified "$d@example.com" "Saver $d" || bail "no member $d"
	T[$d]=$TOKEN
	api POST /api/v1/folder/save-shared "{\"token\":\"$tokA\"}"
	E[$d]=$(jqb .entry.id)
done
TOKEN=${T[d2]}
api POST /api/v1/folder/save-shared "{\"token\":\"$tokB\"}"
EB=$(jqb .entry.id)
api POST /api/v1/folder '{"card":{"full_name":"Carol Typed","title":"Buyer"}}'
is "$STATUS" 201 "D2 also holds B's card and a card typed in"
fanout_idle 40
ok $? "the first saves were fanned out"
jobs_before=$(sql "SELECT COUNT(*) FROM fanout_jobs")

# --- three quick edits: one notification per saver ----------------------------------
TOKEN=$TA
for t in "Senior Manager" "Director" "Managing Director"; do
	edit_card ".title = \"$t\""
done
is "$STATUS" 200 "A edits her title three times within the window"
is "$(sql "SELECT COUNT(*) FROM fanout_jobs")" $((jobs_before + 1)) "one fan-out job for the three edits"
is "$(sql "SELECT status, from_revision, to_revision FROM fanout_jobs ORDER BY id DESC LIMIT 1" | tr '\t' ' ')" \
	"waiting 1 4" "waiting, from revision 1 to 4"
fanout_idle 40
ok $? "it ran after the window"
for d in d1 d2 d3; do
	is "$(letters "$d@example.com" card.update)" 1 "$d: one letter for the three edits"
done
outbox_idle 20
for d in d1 d2 d3; do
	is "$(update_mails "$d@example.com")" 1 "$d: one mail for the three edits"
done
TOKEN=${T[d1]}
api GET /api/v1/updates
is "$(jqb -c '[.updates[] | [.entry_id, .from_revision, .to_revision, ([.changes[].field] | join(","))]]')" \
	"[[${E[d1]},1,4,\"title\"]]" "D1's update: revisions 1 to 4, the title"
is "$(jqb '.updates[0].changes[0].new')" "Managing Director" "to the latest title"

# --- step D3: check and sync ----------------------------------------------------------
TOKEN=$TB
edit_card '.title = "Lead Engineer"'
fanout_idle 40
TOKEN=${T[d2]}
api POST /api/v1/folder/sync '{"apply":false}'
is "$STATUS" 200 "D2 asks which cards changed"
is "$(jqb -c '[.behind[].entry_id] | sort')" "$(printf '%s\n' "${E[d2]}" "$EB" | sort -n | jq -sc .)" \
	"exactly A's and B's linked entries are behind (not the typed-in one)"
is "$(jqb -c '[.behind[] | [.entry_id, ([.changes[].field] | join(","))]] | sort')" \
	"$(jq -nc --argjson a "${E[d2]}" --argjson b "$EB" '[[$a, "title"], [$b, "title"]] | sort')" "each with its changes"
is "$(jqb .applied)" false "nothing applied without apply"
api GET "/api/v1/folder/$EB"
is "$(jqb .entry.card.title)" "Engineer" "B's copy unchanged"
api POST /api/v1/folder/sync '{"apply":true}'
is "$STATUS/$(jqb '.behind | length')/$(jqb .updated)" "200/2/2" "sync with apply updates both"
api GET "/api/v1/folder/$EB"
is "$(jqb .entry.card.title)/$(jqb .entry.update_pending)" "Lead Engineer/false" "B's copy is current"
api GET "/api/v1/folder/${E[d2]}"
is "$(jqb .entry.card.title)/$(jqb .entry.update_pending)" "Managing Director/false" "A's copy is current"
api POST /api/v1/folder/sync '{}'
is "$STATUS/$(jqb '.behind | length')" "200/0" "a second check finds nothing behind"
req POST /api/v1/folder/sync
is "$STATUS/$(jqb '.behind | length')" "200/0" "a bodiless POST is a check too"
api GET /api/v1/updates
is "$(jqb '.updates | length')" 0 "and nothing is pending"

# --- automatic update per entry --------------------------------------------------------
TOKEN=${T[d3]}
api PUT "/api/v1/folder/${E[d3]}/policy" '{"auto_update":true}'
is "$STATUS" 200 "D3 chooses automatic updates for A's card"
is "$(jqb .entry.auto_update)" true "stored"
is "$(jqb .applied)/$(jqb .entry.card.title)" "true/Managing Director" "the pending update was applied at once"
is "$(sql "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = 'd3@example.com'
	AND n.kind = 'card.update' AND n.read_at IS NULL")" 0 "and the letter asking about it is read"
changes_before=$(sql "SELECT COUNT(*) FROM folder_changes WHERE entry_id = ${E[d3]}")
TOKEN=$TA
edit_card '.organization = "Acme Group"'
fanout_idle 40
ok $? "A changes her organization"
TOKEN=${T[d3]}
api GET "/api/v1/folder/${E[d3]}"
is "$(jqb .entry.card.organization)" "Acme Group" "D3's copy changed without D3's action"
is "$(jqb .entry.synced_revision)/$(jqb .entry.update_pending)" "5/false" "and holds revision 5"
is "$(sql "SELECT COUNT(*) FROM folder_changes WHERE entry_id = ${E[d3]}")" $((changes_before + 1)) \
	"the folder's change log has it (CardDAV)"
is "$(letters d3@example.com card.updated)" 1 "D3 is told afterwards by a letter"
like "$(sql "SELECT JSON_VALUE(payload, '$.text') FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = 'd3@example.com' AND kind = 'card.updated'")" \
	'^Alice Zhang updated their card: Organization\. Your copy was updated automatically\.$' "saying what changed"
api GET /api/v1/updates
is "$(jqb '.updates | length')" 0 "nothing pending for D3"
TOKEN=${T[d1]}
api GET "/api/v1/folder/${E[d1]}"
is "$(jqb .entry.card.organization)" "Acme" "D1 (asks first) still has the old organization"
is "$(letters d1@example.com card.update)" 1 "and one letter asking: the new one replaced the unread one (one letter per burst)"
like "$(sql "SELECT JSON_VALUE(payload, '$.text') FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = 'd1@example.com' AND kind = 'card.update'")" \
	'Organization' "naming the latest change"

# --- automatic update as the member's default --------------------------------------------
api PUT /api/v1/me '{"auto_update_default":true}'
is "$STATUS" 200 "D1 makes automatic updates the default"
api GET "/api/v1/folder/${E[d1]}"
is "$(jqb .entry.auto_update)" true "A's card follows the default"
TOKEN=$TA
edit_card '.department = "Export"'
fanout_idle 40
TOKEN=${T[d1]}
api GET "/api/v1/folder/${E[d1]}"
is "$(jqb .entry.card.department)" "Export" "D1's copy got the new department"
is "$(jqb .entry.card.organization)/$(jqb .entry.card.title)" "Acme Group/Managing Director" \
	"with the earlier changes it had not accepted"
is "$(letters d1@example.com card.updated)" 1 "D1 is told afterwards"
TOKEN=${T[d2]}
api GET "/api/v1/folder/${E[d2]}"
is "$(jqb .entry.card.department)" "Sales" "D2 (no default) still asks"
TOKEN=${T[d3]}
api PUT "/api/v1/folder/${E[d3]}/policy" '{"auto_update":false}'
is "$STATUS/$(jqb .entry.auto_update)/$(jqb .applied)" "200/false/false" "D3 goes back to being asked"

done_testing
