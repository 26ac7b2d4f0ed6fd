#!/usr/bin/env bash
# 420-updates-subscribers.t: step D2: a non-member subscriber gets exactly one
# e-mail per coalesced change, with a working link to the owner's current card
# and a working unsubscribe link; an SMS subscriber gets one SMS in their language;
# an address on the do-not-contact list gets nothing; an unsubscribed one nothing
# more; a change to a field the owner does not share is sent to nobody.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/499-updates-lib.sh"
EXTRA_CONF=$'Updates.CoalesceSeconds = 2'
export EXTRA_CONF
stack_up

signup_verified alice@example.com "Alice Zhang" || bail "no member A"
TA=$TOKEN
put_card '{"full_name":"Alice Zhang","title":"Manager","organization":"Acme","note":"private note"}'
tok=$(share_token)
api PUT /api/v1/card/share '{"visible_fields":["full_name","organization","title","emails","phones"]}'
is "$STATUS" 200 "A shares some fields (not the note)"
card_id=$(sql "SELECT id FROM cards WHERE share_token = '$tok'")
owner=$(uid_of alice@example.com)

# --- subscribers -----------------------------------------------------------------------
# (times have whole seconds: a subscription confirmed in the second of a revision
# counts as made before it, so wait for the next second)
sleep 1.1
# sue subscribes on A's public page and confirms by the mailed link (module 103)
TOKEN=""
api POST "/c/$tok/subscribe" '{"full_name":"Sue Subscriber","email":"sue@example.net"}'
if [ "$STATUS" = 202 ] && mail_wait sue@example.net 1 20; then
	link=$(mail_link sue@example.net /s/confirm)
	api POST /api/v1/subscriptions/confirm "{\"token\":\"${link##*token=}\"}"
	is "$STATUS" 200 "an e-mail subscriber confirmed through the savers module"
else
	diag "the savers module's subscribe answered $STATUS: the subscriber is made with SQL"
	sql "INSERT INTO subscribers (card_id, owner_id, full_name, email, status, unsubscribe_token, locale, confirmed_at) VALUES ($card_id, $owner, 'Sue Subscriber', 'sue@example.net', 'confirmed', 'unsub-sue-0123456789abcdefghij', 'en', UTC_TIMESTAMP())"
	ok 0 "an e-mail subscriber made with SQL"
fi
is "$(sql "SELECT status FROM subscribers WHERE email = 'sue@example.net'")" confirmed "sue is confirmed"
sue_mails=$(mail_count sue@example.net)
# an SMS subscriber reading Chinese, a confirmed one on the do-not-contact list,
# and one still pending (made directly)
sql "INSERT INTO subscribers (card_id, owner_id, full_name, phone, status, unsubscribe_token, locale, confirmed_at) VALUES ($card_id, $owner, '王小明', '+8613700001111', 'confirmed', 'unsub-sms-0123456789abcdefghij', 'zh-CN', UTC_TIMESTAMP())"
sql "INSERT INTO subscribers (card_id, owner_id, full_name, email, status, unsubscribe_token, locale, confirmed_at) VALUES ($card_id, $owner, 'Never Me', 'never@example.net', 'confirmed', 'unsub-dnc-0123456789abcdefghij', 'en', UTC_TIMESTAMP())"
sql "INSERT INTO do_not_contact (ckey) VALUES ('e:never@example.net')"
sql "INSERT INTO subscribers (card_id, owner_id, full_name, email, status, unsubscribe_token, locale) VALUES ($card_id, $owner, 'Pending Pat', 'pat@example.net', 'pending', 'unsub-pat-0123456789abcdefghij', 'en')"
fanout_idle 20
outbox_idle 20
is "$(update_mails sue@example.net)" 0 "nobody is told of a change made before they subscribed"
sms_before=$(ls "$SMSDIR" | wc -l)

# --- two quick edits: one message each --------------------------------------------------
TOKEN=$TA
edit_card '.title = "Director"'
edit_card '.organization = "Acme Group"'
fanout_idle 20
ok $? "the fan-out ran"
outbox_idle 20
ok $? "and everything was delivered"
is "$(update_mails sue@example.net)" 1 "the subscriber got exactly one e-mail for the two edits"
is "$(mail_count sue@example.net)" $((sue_mails + 1)) "and no other mail"
m=$(mail_last sue@example.net)
like "$m" 'Subject: Alice Zhang has a new version of their card' "its subject"
like "$m" 'Hello Sue Subscriber' "addressed to the subscriber by name"
like "$m" 'Changed: Organization, Title' "naming what changed"
card_link=$(printf '%s' "$m" | grep -o "http://[^ ]*/c/[A-Za-z0-9_-]*" | head -1 | tr -d '\r')
is "$card_link" "$B/c/$tok" "the link is A's public page"
unsub=$(printf '%s' "$m" | grep -o "http://[^ ]*/s/unsubscribe/[A-Za-z0-9_-]*" | head -1 | tr -d '\r')
like "$unsub" "^$B/s/unsubscribe/" "with an unsubscribe link"
is "${unsub##*/}" "$(sql "SELECT unsubscribe_token FROM subscribers WHERE email = 'sue@example.net'")" \
	"the subscriber's own"
TOKEN=""
req GET "${card_link#"$B"}"
is "$STATUS" 200 "the card link works"
like "$BODY" 'Acme Group' "and shows the current card"
unlike "$BODY" 'private note' "(only what A shares)"
req GET "${unsub#"$B"}"
is "$STATUS" 200 "the unsubscribe link works"
is "$(update_mails never@example.net)" 0 "nothing to the do-not-contact address"
is "$(update_mails pat@example.net)" 0 "nothing to a pending subscription"
is "$(sql "SELECT COUNT(*) FROM outbox WHERE recipient IN ('never@example.net', 'pat@example.net')")" 0 \
	"not even queued"
is "$(($(ls "$SMSDIR" | wc -l) - sms_before))" 1 "one SMS"
sms=$(cat "$(ls -t "$SMSDIR"/*.json | head -1)")
is "$(printf '%s' "$sms" | jq -r .to)" "+8613700001111" "to the SMS subscriber"
like "$(printf '%s' "$sms" | jq -r .text)" "^livecard: Alice Zhang 更新了名片。查看或退订： ?$B/u/unsub-sm\$" \
	"in Chinese, with one short link (issue 21: one message)"
req GET "/u/unsub-sm"
is "$STATUS" 200 "the short link opens the subscription's page"
like "$BODY" "href=\"/c/$tok\"" "with the card link"
like "$BODY" 'action="/s/unsubscribe/unsub-sms-0123456789abcdefghij"' "and the unsubscribe form"

# --- unsubscribed: nothing more -------------------------------------------------------------
api POST /api/v1/subscriptions/unsubscribe "{\"token\":\"${unsub##*/}\"}"
if [ "$STATUS" != 200 ]; then
	diag "unsubscribe answered $STATUS; done with SQL"
	sql "UPDATE subscribers SET status = 'unsubscribed' WHERE email = 'sue@example.net'"
fi
is "$(sql "SELECT status FROM subscribers WHERE email = 'sue@example.net'")" unsubscribed "sue unsubscribed"
TOKEN=$TA
edit_card '.title = "CEO"'
fanout_idle 20
outbox_idle 20
is "$(update_mails sue@example.net)" 1 "no mail after unsubscribing"
is "$(($(ls "$SMSDIR" | wc -l) - sms_before))" 2 "the SMS subscriber got the next change"

# --- a field A does not share: nobody is told -----------------------------------------------
sms_now=$(ls "$SMSDIR" | wc -l)
out_now=$(sql "SELECT COUNT(*) FROM outbox")
edit_card '.note = "another private note"'
fanout_idle 20
is "$(sql "SELECT fields FROM fanout_jobs ORDER BY id DESC LIMIT 1")" "" "the job found no shared field changed"
is "$(sql "SELECT COUNT(*) FROM outbox")" "$out_now" "no message queued"
is "$(ls "$SMSDIR" | wc -l)" "$sms_now" "no SMS"

done_testing
