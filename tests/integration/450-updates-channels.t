#!/usr/bin/env bash
# 450-updates-channels.t: a member holding a linked copy is told on every channel
# they chose, once each: the letter, an e-mail to their verified address, an SMS to
# their verified phone and a signed webhook; in their language; and nothing to an
# address on the do-not-contact list.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/499-updates-lib.sh"
EXTRA_CONF=$'Updates.CoalesceSeconds = 0\nWebhook.AllowPrivate = 1'	# the test receiver is on 127.0.0.1
export EXTRA_CONF
stack_up

# --- a webhook receiver that checks the signature -----------------------------------
hook_catcher

signup_verified alice@example.com "Alice Zhang" || bail "no member A"
TA=$TOKEN
put_card '{"full_name":"Alice Zhang","title":"Manager","organization":"Acme"}'
tok=$(share_token)

# --- D: every channel on, a confirmed phone, Chinese ------------------------------------
signup_verified dan@example.com "Dan Li" || bail "no member D"
TD=$TOKEN
api POST /api/v1/me/phone '{"phone":"+8613900002222"}'
is "$STATUS" 202 "D adds a phone number"
sms_wait +8613900002222 1
code=$(sms_to +8613900002222 | tail -1 | grep -o '[0-9]\{6\}' | head -1)
api POST /api/v1/me/phone/verify "{\"code\":\"$code\"}"
is "$STATUS" 200 "and confirms it"
api PUT /api/v1/me/channels "{\"email\":true,\"sms\":true,\"webhook_url\":\"http://127.0.0.1:$HOOK_PORT/hook\"}"
is "$STATUS" 200 "D turns on e-mail, SMS and a webhook"
printf '%s' "$(jqb .webhook_secret)" >"$VARDIR/hook.secret"
api PUT /api/v1/me '{"locale":"zh-CN"}'
api POST /api/v1/folder/save-shared "{\"token\":\"$tok\"}"
E=$(jqb .entry.id)
is "$STATUS" 201 "D saves A's card"
# --- F: e-mail on, but the address asked never to be contacted ---------------------------
signup_verified fay@example.com "Fay Wu" || bail "no member F"
api POST /api/v1/folder/save-shared "{\"token\":\"$tok\"}"
sql "INSERT INTO do_not_contact (ckey) VALUES ('e:fay@example.com')"
fanout_idle 20
outbox_idle 20
sms_before=$(sms_to +8613900002222 | grep -c .)
hooks_before=$(hooks)

TOKEN=$TA
edit_card '.title = "Director"'
fanout_idle 20
ok $? "A changes her title; the fan-out ran"
outbox_idle 30
ok $? "every message was delivered"
is "$(letters dan@example.com card.update)" 1 "D: one letter"
like "$(sql "SELECT JSON_VALUE(payload, '$.text') FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = 'dan@example.com' AND kind = 'card.update'")" \
	'^Alice Zhang 更新了名片：职务。请查看这次更新。$' "in Chinese"
is "$(update_mails dan@example.com)" 1 "D: one e-mail"
like "$(mail_last dan@example.com)" 'Subject: =\?UTF-8\?B\?' "with a Chinese subject"
like "$(mail_last dan@example.com)" "更新了名片" "and body"
is "$(($(sms_to +8613900002222 | grep -c .) - sms_before))" 1 "D: one SMS to the confirmed phone"
like "$(sms_to +8613900002222 | tail -1)" "^livecard: Alice Zhang 更新了名片。查看： ?$B/updates\$" "with the link to the updates page"
is "$(($(hooks) - hooks_before))" 1 "D: one webhook"
h=$(cat "$HOOKDIR/$(printf '%04d' "$hooks_before").json")
is "$(printf '%s' "$h" | jq -r '[.valid, .body.event, .body.entry_id, (.body.fields | join(",")), .body.owner, .body.applied] | join(" ")')" \
	"true card.update_available $E title Alice Zhang false" "signed, naming the event, the entry and the fields"
is "$(letters fay@example.com card.update)" 1 "F: the letter"
is "$(update_mails fay@example.com)" 0 "F: no e-mail to an address on the do-not-contact list"
is "$(sql "SELECT COUNT(*) FROM outbox WHERE recipient = 'fay@example.com' AND dedupe_key LIKE 'upd:%'")" 0 "not even queued"

# --- automatic update: the webhook says it was applied --------------------------------------
TOKEN=$TD
api PUT "/api/v1/folder/$E/policy" '{"auto_update":true}'
hooks_before=$(hooks)
TOKEN=$TA
edit_card '.organization = "Acme Group"'
fanout_idle 20
outbox_idle 30
h=$(cat "$HOOKDIR/$(printf '%04d' "$hooks_before").json")
is "$(printf '%s' "$h" | jq -r '[.valid, .body.event, .body.applied] | join(" ")')" "true card.updated true" \
	"after an automatic update the webhook says card.updated"
like "$(mail_last dan@example.com)" "$B/folder" "and the mail links to the folder"

done_testing
