#!/usr/bin/env bash
# 300-savers-notify.t: step C1, the message on save. D saves A's card from its
# public link, or types in a card carrying A's verified e-mail: A gets an
# in-site letter, an e-mail, an SMS and a signed webhook at once, each once
# (even when the mail server is down for a while), and D is on A's list as a
# member with D's contact details; nobody else's details reach A.
#
# WIRING: the saving itself is module 102's. These checks assume that
# POST /api/v1/folder/save-shared and POST /api/v1/folder call
# savers_on_entry(db, arena, entry_id, 1) after inserting the entry; until the
# lead wires that in, the checks marked [wiring] fail. The subscriber part at
# the end drives the same notification code through module 103 alone.
. "$(dirname "$0")/../lib.sh"
EXTRA_CONF="Webhook.AllowPrivate = 1"	# the test receiver listens on 127.0.0.1
export EXTRA_CONF
stack_up

# --- helpers -----------------------------------------------------------------------
# subject_count TO REGEX: mails to TO whose Subject matches
subject_count() {
	local n
	n=$(grep -l -i -s "^To: $1\$" "$MAILDIR"/* 2>/dev/null | xargs -r grep -l -E "^Subject: .*$2" | wc -l)
	echo "$n"
}
subject_wait() { # subject_wait TO REGEX [N] [SECONDS]
	local i
	for i in $(seq 1 $((${4:-20} * 10))); do
		[ "$(subject_count "$1" "$2")" -ge "${3:-1}" ] && return 0
		sleep 0.1
	done
	return 1
}
sms_grep_wait() { # sms_grep_wait NUMBER REGEX: until a text to NUMBER matches
	local i
	for i in $(seq 1 200); do
		sms_to "$1" | grep -q -E "$2" && return 0
		sleep 0.1
	done
	return 1
}

# --- a webhook receiver that checks the signature ------------------------------------
hook_catcher

# --- A: a card, a confirmed phone, every channel on -------------------------------------
signup_verified alice@example.com "Alice Owner"
ALICE=$TOKEN
A_ID=$(sql "SELECT id FROM users WHERE email='alice@example.com'")
put_card '{"full_name":"Alice Owner","emails":[{"type":"work","value":"alice@example.com"}]}'
is "$STATUS" 200 "A saves her card"
api GET /api/v1/card
A_LINK=$(jqb .share.url)
A_TOKEN=${A_LINK##*/}
verify_phone "+8613800138001"
ok $? "A confirms her phone number with the SMS code"
api PUT /api/v1/me/channels "{\"email\":true,\"sms\":true,\"webhook_url\":\"http://127.0.0.1:$HOOK_PORT/hook\"}"
is "$STATUS" 200 "A turns on e-mail, SMS and a webhook (private addresses allowed in this test)"
printf '%s' "$(jqb .webhook_secret)" >"$VARDIR/hook.secret"
like "$(cat "$VARDIR/hook.secret")" '^[A-Za-z0-9_-]{43}$' "and gets the webhook's signing secret"

# --- D: a member with a card of his own --------------------------------------------------
signup_verified dan@example.com "Dan Account"
DAN=$TOKEN
D_ID=$(sql "SELECT id FROM users WHERE email='dan@example.com'")
put_card '{"full_name":"Dan Saver","organization":"Saver Ltd","title":"Buyer","emails":[{"type":"work","value":"dan@example.com"}],"phones":[{"type":"cell","value":"+86 139 0000 2222"}],"note":"Dan private note"}'
api PUT /api/v1/card/share '{"visible_fields":["full_name","organization","title","emails","phones"]}'
is "$STATUS" 200 "D shares his name, organisation, title, e-mail and phone (not his note)"

signup_verified frank@example.com "Frank Bystander"
FRANK=$TOKEN
put_card '{"full_name":"Frank Bystander","emails":[{"type":"work","value":"frank@example.com"}]}'

# --- D saves A's card from its public link --------------------------------------------------
TOKEN=$DAN
api POST /api/v1/folder/save-shared "{\"token\":\"$A_TOKEN\"}"
is "$STATUS" 201 "D saves A's card from its public link"
is "$(sql "SELECT how FROM savers WHERE owner_id=$A_ID AND saver_id=$D_ID")" saved "[wiring] the savers row: how=saved"

TOKEN=$ALICE
api GET '/api/v1/notifications?unread=1'
is "$STATUS" 200 "A reads her letters"
is "$(jqb '.notifications | length')" 1 "[wiring] one unread letter"
is "$(jqb '.notifications[0].kind')" card.saved "[wiring] of kind card.saved"
is "$(jqb '.notifications[0].text')" "Dan Saver saved your card." "[wiring] saying who saved her card"
is "$(jqb -c '.notifications[0].payload.saver | [.full_name, .organization, .title, .emails, .phones, .is_member]')" \
	'["Dan Saver","Saver Ltd","Buyer",["dan@example.com"],["+8613900002222"],true]' \
	"[wiring] with D's shared contact details and the member flag"
unlike "$BODY" "private note" "never a field D does not share"
is "$(jqb .unread)" 1 "[wiring] the unread count"

subject_wait alice@example.com "Dan Saver saved your card"
ok $? "[wiring] the mail catcher got A's e-mail"
mail=$(grep -l -E "^Subject: Dan Saver saved your card" "$MAILDIR"/* 2>/dev/null | head -1)
like "$(cat "$mail" 2>/dev/null)" "dan@example.com" "[wiring] the mail carries D's e-mail address"
like "$(cat "$mail" 2>/dev/null)" "\\+86 139 0000 2222" "[wiring] and D's phone, grouped"
like "$(cat "$mail" 2>/dev/null)" "$B/savers" "[wiring] and a link to the savers list"

sms_grep_wait "+8613800138001" "Dan Saver saved your card"
ok $? "[wiring] VARDIR/sms has the SMS to A's confirmed phone, naming D"

hook_wait 1
ok $? "[wiring] the test receiver got the webhook"
h=$(cat "$HOOKDIR/0000.json" 2>/dev/null)
is "$(printf '%s' "$h" | jq -r .valid)" true "[wiring] its X-Livecard-Signature is HMAC-SHA256 of the body with A's secret"
like "$(printf '%s' "$h" | jq -r .signature)" '^sha256=[0-9a-f]{64}$' "[wiring] in the form sha256=<hex>"
is "$(printf '%s' "$h" | jq -r '.body.event + " " + .body.how + " " + .body.saver.full_name')" "card.saved saved Dan Saver" \
	"[wiring] body: event card.saved with the saver"
like "$(printf '%s' "$h" | jq -r .body.at)" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$' "[wiring] and when"

api GET /api/v1/savers
is "$STATUS" 200 "A reads her savers list"
is "$(jqb -c '[.savers[] | [.kind, .full_name, .is_member, .how]]')" '[["member","Dan Saver",true,"saved"]]' \
	"[wiring] D is on it as a member saver who saved the card"
is "$(jqb -c '.savers[0].emails')" '["dan@example.com"]' "[wiring] with his contact details"
like "$(jqb '.savers[0].since')" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T' "[wiring] and since when"
like "$(jqb '.savers[0].card_url')" "^$B/c/" "[wiring] and a link to his public card"
is "$(jqb .total)" 1 "[wiring] total 1"

# --- each message exactly once ------------------------------------------------------------------
TOKEN=$DAN
api POST /api/v1/folder/save-shared "{\"token\":\"$A_TOKEN\"}"
is "$STATUS" 200 "D saves the same card again: the same entry"
sleep 2
is "$(subject_count alice@example.com "Dan Saver saved your card")" 1 "[wiring] still one e-mail"
is "$(hooks)" 1 "[wiring] still one webhook"
is "$(sms_to "+8613800138001" | grep -c "Dan Saver")" 1 "[wiring] still one SMS"
is "$(sql "SELECT COUNT(*) FROM notifications WHERE user_id=$A_ID")" 1 "[wiring] still one letter"
is "$(sql "SELECT GROUP_CONCAT(channel ORDER BY channel) FROM outbox WHERE dedupe_key LIKE 'saved:$A_ID:$D_ID:%' AND status='sent'")" \
	"email,sms,webhook" "[wiring] the three channel messages were sent, once each"

# --- E types A's card in by hand, with A's verified address in another case ----------------------
signup_verified erin@example.com "Erin Typist"
ERIN=$TOKEN
E_ID=$(sql "SELECT id FROM users WHERE email='erin@example.com'")
api POST /api/v1/folder '{"card":{"full_name":"Alice from the conference","emails":[{"type":"work","value":"ALICE@Example.com"}]}}'
is "$STATUS" 201 "E types A's card into her folder"
is "$(jqb .entry.owner_is_member)" true "matched to a member"
TOKEN=$ALICE
subject_wait alice@example.com "Erin Typist saved your card"
ok $? "[wiring] A is told by e-mail"
api GET '/api/v1/notifications?unread=1'
is "$(jqb '.notifications[0].text')" "Erin Typist saved your card." "[wiring] and by a letter, the newest first"
api GET /api/v1/savers
is "$(jqb -c '[.savers[].full_name]')" '["Erin Typist","Dan Saver"]' "[wiring] E is listed too (no card: her account's name)"
is "$(jqb -c '.savers[0].emails')" '["erin@example.com"]' "[wiring] with her verified account address"

# a card with an address A never confirmed tells A nothing
TOKEN=$ERIN
api POST /api/v1/folder '{"card":{"full_name":"Alice private","emails":[{"type":"home","value":"alice.home@example.com"}]}}'
is "$(jqb .entry.owner_is_member)" false "a card with an unconfirmed address is no member's"

# --- nobody else's details reach A ------------------------------------------------------------------
TOKEN=$ALICE
api GET /api/v1/savers
unlike "$BODY" "Frank|frank@" "Frank saved nothing of A's: not on her list"
api GET /api/v1/notifications
unlike "$BODY" "Frank|frank@" "nor in her letters"
is "$(grep -l -i -s "^To: alice@example.com" "$MAILDIR"/* | xargs -r grep -l -i frank | wc -l)" 0 "nor in her mails"
letter=$(jqb '.notifications[0].id')
TOKEN=$FRANK
api GET /api/v1/savers
is "$STATUS $(jqb '.savers | length') $(jqb .total)" "200 0 0" "Frank's own list is empty: A's savers are hers alone"
api GET /api/v1/notifications
is "$(jqb '.notifications | length')" 0 "Frank has no letters"
api POST "/api/v1/notifications/$letter/read"
is "$STATUS" 404 "A's letter answers 404 to Frank"
TOKEN=$DAN
api GET /api/v1/savers
is "$(jqb '.savers | length')" 0 "D's list is empty: A did not save his card"
TOKEN=""
api GET /api/v1/savers
is "$STATUS" 401 "the list needs a sign-in"

# --- the mail server down during a save: the message arrives once, later -----------------------------
signup_verified greg@example.com "Greg Late"
GREG=$TOKEN
G_ID=$(sql "SELECT id FROM users WHERE email='greg@example.com'")
stack svc stop mail >/dev/null 2>&1
api POST /api/v1/folder/save-shared "{\"token\":\"$A_TOKEN\"}"
is "$STATUS" 201 "G saves A's card while the mail catcher is down"
sleep 3
is "$(sql "SELECT status, attempts > 0, last_error IS NOT NULL FROM outbox WHERE dedupe_key='saved:$A_ID:$G_ID:email'")" \
	"queued	1	1" "[wiring] the e-mail waits in the outbox, tried and failed, for another try"
hook_wait 2
ok $? "[wiring] the webhook did not wait for the mail server"
stack svc start mail >/dev/null 2>&1
subject_wait alice@example.com "Greg Late saved your card" 1 30
ok $? "[wiring] once the mail server is back the e-mail arrives"
sleep 2
is "$(subject_count alice@example.com "Greg Late saved your card")" 1 "[wiring] exactly once"
is "$(sql "SELECT status FROM outbox WHERE dedupe_key='saved:$A_ID:$G_ID:email'")" sent "[wiring] and is marked sent"

# --- the same channels when a non-member subscribes (module 103 alone) ---------------------------------
TOKEN=""
api POST "/c/$A_TOKEN/subscribe" '{"full_name":"Hana Reader","email":"hana@example.org"}'
is "$STATUS" 202 "a non-member subscribes to A's card"
mail_wait hana@example.org 1
link=$(mail_link hana@example.org /s/confirm)
api POST /api/v1/subscriptions/confirm "{\"token\":\"${link##*token=}\"}"
is "$STATUS" 200 "and confirms by the mailed link"
TOKEN=$ALICE
api GET '/api/v1/notifications?unread=1'
is "$(jqb '[.notifications[] | select(.kind == "card.subscribed")] | .[0].text')" \
	"Hana Reader subscribed to updates of your card." "A gets a letter"
subject_wait alice@example.com "Hana Reader subscribed to updates of your card"
ok $? "an e-mail"
sms_grep_wait "+8613800138001" "Hana Reader subscribed"
ok $? "an SMS"
for i in $(seq 1 100); do grep -qs card.subscribed "$HOOKDIR"/*.json && break; sleep 0.1; done
h=$(grep -ls card.subscribed "$HOOKDIR"/*.json | head -1)
is "$(jq -r '[.valid, .body.event, .body.saver.full_name, .body.saver.is_member] | map(tostring) | join(" ")' "$h" 2>/dev/null)" \
	"true card.subscribed Hana Reader false" "and a signed webhook naming the non-member"

done_testing
