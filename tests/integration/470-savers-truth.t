#!/usr/bin/env bash
# 470-savers-truth.t: issue 18, the owner's savers list tells the truth and
# non-members are never dropped silently. A's list shows whether each saver
# gets A's updates (linked), could (a matched copy, not linked) or is told by
# e-mail or SMS (subscribed); a person subscribed by e-mail and by phone is one
# saver with one letter to A, and the home page counts people. A removes saver
# D: D's copy stays as it was but receives nothing more (no pending update, no
# letter, no mail), is not offered for linking again, D leaves A's list and the
# nightly job does not put D back. A subscriber over the daily limit gets the
# later changes in one message when the window opens ("2 changes since ..."),
# none lost, counted in the mail catcher; confirmation mails do not use up the
# update quota. Bad requests (another owner's saver, no CSRF) change nothing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/499-updates-lib.sh"
# one update message per address per 30-second "day", so that the held
# message of this test goes out within the test
EXTRA_CONF=$'Updates.CoalesceSeconds = 0\nSavers.MaxPerRecipientPerDay = 1\nSavers.RecipientWindowSeconds = 30'
export EXTRA_CONF
stack_up

code_of() { sms_to "$1" | tail -1 | grep -o '^[^ ]*: [0-9]\{6\}' | grep -o '[0-9]\{6\}$'; }
# list_a JQ: A's savers list through the API, filtered by jq
list_a() {
	local keep=$TOKEN
	TOKEN=$TA
	api GET /api/v1/savers
	TOKEN=$keep
	jqb -c "$1"
}
# held_mails TO: the coalesced messages that reached an address
held_mails() {
	grep -l -i -s "^To: $1\$" "$MAILDIR"/* 2>/dev/null | xargs -r grep -l -s -E 'changes to their card since' | wc -l
}

# --- A, and three kinds of savers ---------------------------------------------------------
signup_verified alice@example.com "Alice Owner" || bail "no member A"
TA=$TOKEN
A_ID=$(uid_of alice@example.com)
put_card '{"full_name":"Alice Owner","title":"Designer","emails":[{"type":"work","value":"alice@example.com"}]}'
is "$STATUS" 200 "A saves her card"
TOK_A=$(share_token)

signup_verified dan@example.com "Dan Linked" || bail "no member D"
TD=$TOKEN
D_ID=$(uid_of dan@example.com)
api POST /api/v1/folder/save-shared "{\"token\":\"$TOK_A\"}"
is "$STATUS" 201 "D saves A's public link"
ED=$(jqb .entry.id)
is "$(jqb .entry.linked)" true "D's copy is linked"

signup_verified frank@example.com "Frank Typed" || bail "no member F"
TF=$TOKEN
F_ID=$(uid_of frank@example.com)
EF=$(folder_save '{"full_name":"Alice O.","emails":[{"type":"work","value":"alice@example.com"}]}')
api GET "/api/v1/folder/$EF"
is "$(jqb -c '[.entry.owner_is_member, .entry.linked]')" '[true,false]' "F typed in A's card: matched, not linked"

# Sam subscribes by e-mail and by phone in one go, and confirms both
TOKEN=""
letters_before=$(letters alice@example.com card.subscribed)
api POST "/c/$TOK_A/subscribe" '{"full_name":"Sam Reader","email":"sam@example.org","phone":"+8613800139100"}'
is "$STATUS $(jqb -c .confirm_by)" '202 ["email","sms"]' "Sam subscribes with an e-mail address and a phone number"
mail_wait sam@example.org 1
link=$(mail_link sam@example.org /s/confirm)
api POST /api/v1/subscriptions/confirm "{\"token\":\"${link##*token=}\"}"
is "$STATUS" 200 "Sam confirms the address"
sms_wait "+8613800139100" 1
api POST "/c/$TOK_A/subscribe/verify" "{\"phone\":\"+8613800139100\",\"code\":\"$(code_of "+8613800139100")\"}"
is "$STATUS" 200 "and the number"
is "$(sql "SELECT COUNT(*), COUNT(DISTINCT person_id) FROM subscribers WHERE full_name = 'Sam Reader' AND status = 'confirmed'" | tr '\t' ' ')" \
	"2 1" "two subscriptions, one person"
outbox_idle 20
is "$(( $(letters alice@example.com card.subscribed) - letters_before ))" 1 "A gets one letter about Sam, not two"
is "$(grep -l -s '^To: alice@example.com' "$MAILDIR"/* | xargs -r grep -l -s '^Subject: Sam Reader' | wc -l)" 1 \
	"and one mail"

# Hal subscribes by e-mail only (the daily limit's test below)
api POST "/c/$TOK_A/subscribe" '{"full_name":"Hal Held","email":"hal@example.org"}'
mail_wait hal@example.org 1
link=$(mail_link hal@example.org /s/confirm)
api POST /api/v1/subscriptions/confirm "{\"token\":\"${link##*token=}\"}"
is "$STATUS" 200 "Hal subscribes and confirms (the confirmation mail is his first message today)"
HAL=$(sql "SELECT id FROM subscribers WHERE email = 'hal@example.org'")
SAM=$(sql "SELECT MIN(id) FROM subscribers WHERE full_name = 'Sam Reader'")

# --- what A's list says ------------------------------------------------------------------------
is "$(list_a '.total')" 4 "four people on A's list: D, F, Sam and Hal"
is "$(list_a '[.savers[] | "\(.kind):\(.full_name):\(.state)"] | sort')" \
	'["member:Dan Linked:linked","member:Frank Typed:could","subscriber:Hal Held:subscribed","subscriber:Sam Reader:subscribed"]' \
	"D gets the updates (linked), F could (matched, not linked), Sam and Hal are told by mail or SMS"
is "$(list_a '.savers[] | select(.full_name == "Sam Reader") | [.emails, .phones]')" \
	'[["sam@example.org"],["+8613800139100"]]' "Sam is one saver with both addresses"
is "$(list_a "[.savers[] | select(.kind == \"member\") | .id] | sort")" "$(jq -cn "[$D_ID, $F_ID] | sort")" \
	"member savers carry their id (for removing)"
web_signin alice@example.com /savers || bail "A cannot sign in"
is "$STATUS" 200 "A's savers page"
like "$BODY" 'data-state="linked"' "the page shows a linked saver"
like "$BODY" 'data-state="could"' "a saver who could get the updates"
like "$BODY" 'data-state="subscribed"' "and subscribers"
is "$(printf '%s' "$BODY" | grep -c 'class="saver saver-')" 4 "four tiles"
req GET /
like "$BODY" 'id="savers-count">4<' "the home page counts four people, not five channels"

# --- bad requests change nothing -----------------------------------------------------------------
snap() { sql "SELECT (SELECT COUNT(*) FROM savers), (SELECT COUNT(*) FROM savers_removed), (SELECT COUNT(*) FROM subscribers WHERE status = 'confirmed'), (SELECT COUNT(*) FROM folder_entries WHERE source_card_id IS NOT NULL)" | tr '\t' ' '; }
before=$(snap)
JAR="" CSRF=""
TOKEN=$TF
api DELETE "/api/v1/savers/members/$D_ID"
is "$STATUS $(jqb -r .error.code)" "404 not_found" "F cannot remove A's saver D (not on F's list): 404"
api DELETE "/api/v1/savers/subscribers/$SAM"
is "$STATUS" 404 "nor A's subscriber Sam"
TOKEN=$TA
api DELETE "/api/v1/savers/members/$A_ID"
is "$STATUS" 404 "A is not on her own list"
api DELETE "/api/v1/savers/members/999999"
is "$STATUS" 404 "an unknown saver: 404"
api DELETE "/api/v1/savers/subscribers/$((SAM + 1))"
is "$STATUS" 404 "Sam's second subscription is not a line of the list"
TOKEN=""
JAR=$VARDIR/jar.alice@example.com
form POST "/savers/members/$D_ID/remove"
is "$STATUS" 403 "the browser form without its CSRF token: 403"
form POST "/savers/members/$D_ID/remove" "csrf=not-the-token"
is "$STATUS" 403 "with a wrong token: 403"
is "$(snap)" "$before" "nothing changed"

# --- A removes D ------------------------------------------------------------------------------------
copy_before=$(sql "SELECT data FROM folder_entries WHERE id = $ED")
req GET /savers
form POST "/savers/members/$D_ID/remove" "csrf=$(csrf_of)"
is "$STATUS" 303 "A removes D with the page's form"
like "$(header Location)" '/savers\?removed=1$' "back to the list"
req GET /savers?removed=1
like "$BODY" 'id="savers-removed"' "which says so"
unlike "$BODY" 'Dan Linked' "D is no longer on it"
is "$(list_a '[.savers[].full_name] | sort')" '["Frank Typed","Hal Held","Sam Reader"]' "nor in the API"
is "$(list_a .total)" 3 "three people left"
is "$(sql "SELECT source_card_id IS NULL, dismissed_owner_id FROM folder_entries WHERE id = $ED" | tr '\t' ' ')" "1 $A_ID" \
	"D's copy is unlinked and not offered for A's card again"
is "$(sql "SELECT data FROM folder_entries WHERE id = $ED")" "$copy_before" "D's copy is unchanged"
TOKEN=$TD
api GET "/api/v1/folder/$ED"
is "$(jqb -c '[.entry.linked, .entry.link_offer, .entry.card.title]')" '[false,false,"Designer"]' \
	"D still holds the card as it was, unlinked, without an offer"

# --- A changes her card three times: D hears nothing, Hal gets one message and then one for the rest --
d_letters=$(letters dan@example.com card.update)
d_mails=$(mail_count dan@example.com)
hal_mails=$(mail_count hal@example.org)
TOKEN=$TA
for t in "Art Director" "Creative Director" "Partner"; do
	edit_card ".title = \"$t\""
	is "$STATUS" 200 "A changes her title to $t"
	fanout_idle 30
done
outbox_idle 30
TOKEN=$TD
api GET /api/v1/updates
is "$(jqb '.updates | length')" 0 "D has no pending update"
is "$(letters dan@example.com card.update)" "$d_letters" "no letter about it"
is "$(mail_count dan@example.com)" "$d_mails" "no mail"
api GET "/api/v1/folder/$ED"
is "$(jqb -r .entry.card.title)" Designer "D's copy keeps its title"

is "$(( $(update_mails hal@example.org) ))" 1 "Hal gets the first change (the confirmation mail did not use up his one message)"
is "$(sql "SELECT held_changes, held_since IS NOT NULL, held_until IS NOT NULL FROM subscribers WHERE id = $HAL" | tr '\t' ' ')" \
	"2 1 1" "the two later changes are held back, not dropped"
is "$(list_a '.savers[] | select(.full_name == "Hal Held") | .held')" 2 "A's list shows Hal's two held changes"
like "$(list_a '.savers[] | select(.full_name == "Hal Held") | .held_since')" '^20[0-9-]+T' "since when"
TOKEN=""
req GET /savers
like "$BODY" "id=\"saver-held-subscriber-$HAL\"" "and so does the page"

# --- the nightly job does not put D back ---------------------------------------------------------------
LIVECARD_CONF=$VARDIR/livecard.hdf "$BUILD/batch/livecard-reconcile" --no-progress >"$VARDIR/rc1.out" 2>&1
is "$?" 0 "the nightly job runs"
is "$(sql "SELECT COUNT(*) FROM savers WHERE owner_id = $A_ID AND saver_id = $D_ID")" 0 "D is not A's saver again"
is "$(sql "SELECT COUNT(*) FROM savers WHERE owner_id = $A_ID AND saver_id = $F_ID")" 1 "F still is"
LIVECARD_CONF=$VARDIR/livecard.hdf "$BUILD/batch/livecard-reconcile" --no-progress >"$VARDIR/rc2.out" 2>&1
like "$(cat "$VARDIR/rc2.out")" 'savers added +0' "a second run adds nobody either"
is "$(list_a '[.savers[].full_name] | sort')" '["Frank Typed","Hal Held","Sam Reader"]' "A's list is as A left it"

# D cannot get the updates back by himself
TOKEN=$TD
api POST "/api/v1/updates/$ED/link"
is "$STATUS $(jqb -r .error.code)" "409 not_offered" "D cannot link the copy to A's card"
n_before=$(sql "SELECT COUNT(*) FROM folder_entries WHERE holder_id = $D_ID")
api POST /api/v1/folder/save-shared "{\"token\":\"$TOK_A\"}"
is "$STATUS $(jqb .entry.id) $(jqb .entry.linked) $(jqb .entry.link_offer)" "200 $ED false false" \
	"saving A's link again answers D's copy, not linked, not offered"
api DELETE "/api/v1/folder/$ED"
api POST /api/v1/folder/save-shared "{\"token\":\"$TOK_A\"}"
is "$STATUS $(jqb .entry.linked)" "201 false" "after deleting it, the public link gives D a copy that is not linked"
is "$(sql "SELECT COUNT(*) FROM savers WHERE owner_id = $A_ID AND saver_id = $D_ID")" 0 "and D is not A's saver"

# --- the held message goes out when Hal's window opens: one, saying how many ----------------------------
for i in $(seq 1 600); do
	[ "$(held_mails hal@example.org)" -ge 1 ] && break
	sleep 0.1
done
is "$(held_mails hal@example.org)" 1 "one message for the held changes once the window opens"
like "$(mail_last hal@example.org)" 'Alice Owner made 2 changes to their card since 20[0-9-]+ [0-9:]+ UTC' "saying how many, and since when"
like "$(mail_last hal@example.org)" "$B/c/$TOK_A" "with the link to the current card"
like "$(mail_last hal@example.org)" "$B/s/unsubscribe/" "and the unsubscribe link"
is "$(sql "SELECT held_changes, held_since IS NULL, held_until IS NULL FROM subscribers WHERE id = $HAL" | tr '\t' ' ')" \
	"0 1 1" "nothing is held any more"
sleep 2
is "$(( $(mail_count hal@example.org) - hal_mails ))" 2 "Hal got two messages for three changes: none lost, none twice"
is "$(list_a '.savers[] | select(.full_name == "Hal Held") | .held')" 0 "A's list shows nothing held"

# --- A removes the subscriber Sam (both addresses) ---------------------------------------------------------
TOKEN=$TA
api DELETE "/api/v1/savers/subscribers/$SAM"
is "$STATUS" 204 "A removes Sam through the API"
is "$(sql "SELECT GROUP_CONCAT(DISTINCT status) FROM subscribers WHERE full_name = 'Sam Reader'")" unsubscribed \
	"both of Sam's subscriptions end"
is "$(sql "SELECT COUNT(*) FROM do_not_contact WHERE ckey IN ('e:sam@example.org', 't:+8613800139100')")" 0 \
	"Sam is not put on the do-not-contact list"
is "$(list_a '[.savers[].full_name] | sort')" '["Frank Typed","Hal Held"]' "Sam leaves A's list"
api DELETE "/api/v1/savers/subscribers/$SAM"
is "$STATUS" 404 "removing him again: 404"
sam_mails=$(mail_count sam@example.org)
sam_sms=$(sms_to "+8613800139100" | grep -c .)
edit_card '.title = "Founder"'
fanout_idle 30
outbox_idle 30
sleep 1
is "$(mail_count sam@example.org) $(sms_to "+8613800139100" | grep -c .)" "$sam_mails $sam_sms" "Sam hears nothing of the next change"

# A removes F, the saver who could have linked: F's copy is not offered for A's card any more
api DELETE "/api/v1/savers/members/$F_ID"
is "$STATUS" 204 "A removes F"
TOKEN=$TF
api GET "/api/v1/folder/$EF"
is "$(jqb -c '[.entry.linked, .entry.link_offer, .entry.card.full_name]')" '[false,false,"Alice O."]' \
	"F's copy stays as it was, without an offer"
is "$(list_a .total)" 1 "one person left on A's list"

done_testing
