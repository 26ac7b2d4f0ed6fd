#!/usr/bin/env bash
# 430-updates-faults.t: the fan-out under faults. The worker is killed with SIGKILL
# in the middle of a fan-out to 1,500 savers and restarted: every saver is told
# exactly once (nothing twice, nothing missed). The mail catcher is down for a
# whole fan-out: every message is delivered once after it returns.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/499-updates-lib.sh"
# small chunks with a pause between them, so that the kill lands mid-way
EXTRA_CONF=$'Updates.CoalesceSeconds = 0\nUpdates.ChunkRows = 100\nUpdates.ChunkPauseMillis = 150\nUpdates.LeaseSeconds = 2'
export EXTRA_CONF
N=1500
stack_up

signup_verified alice@example.com "Alice Zhang" || bail "no member A"
TA=$TOKEN
put_card '{"full_name":"Alice Zhang","title":"Manager","organization":"Acme"}'
tok=$(share_token)
card_id=$(sql "SELECT id FROM cards WHERE share_token = '$tok'")
fanout_idle 20
# N members holding linked copies (the last 30 want mail), then a real one
sql "INSERT INTO users (email, email_verified_at, password_hash, full_name, locale, notify_email, created_at)
     SELECT CONCAT('s', seq, '@example.net'), UTC_TIMESTAMP(), 'x', CONCAT('Saver ', seq),
            IF(seq % 5 = 0, 'zh-CN', 'en'), seq > $N - 30, UTC_TIMESTAMP() FROM seq_1_to_$N"
sql "INSERT INTO folder_entries (holder_id, uid, data, full_name, search_text, notes, source_card_id,
            synced_revision, owner_user_id, owner_is_member, created_at, updated_at)
     SELECT u.id, CONCAT('urn:uuid:test-', u.id), c.data, 'Alice Zhang', 'alice zhang', '', c.id, c.revision,
            c.user_id, 1, UTC_TIMESTAMP(), UTC_TIMESTAMP()
     FROM users u JOIN cards c ON c.id = $card_id WHERE u.email LIKE 's%@example.net' ORDER BY u.id"
signup_verified dan@example.com "Dan Li" || bail "no member D"
api POST /api/v1/folder/save-shared "{\"token\":\"$tok\"}"
is "$STATUS" 201 "D saves A's card too"
total=$(sql "SELECT COUNT(*) FROM folder_entries WHERE source_card_id = $card_id")
is "$total" $((N + 1)) "$((N + 1)) linked copies"
max_id=$(sql "SELECT MAX(id) FROM folder_entries WHERE source_card_id = $card_id")
mailers=$(sql "SELECT email FROM users WHERE notify_email = 1 AND email LIKE 's%@example.net'")

# --- SIGKILL in the middle of the fan-out, then a restart ------------------------------------
TOKEN=$TA
edit_card '.title = "Director"'
is "$STATUS" 200 "A changes her title"
job=$(sql "SELECT MAX(id) FROM fanout_jobs")
cursor=0
for i in $(seq 1 200); do
	cursor=$(sql "SELECT cursor_id FROM fanout_jobs WHERE id = $job AND status = 'running'")
	[ -n "$cursor" ] && [ "$cursor" -gt 0 ] && break
	sleep 0.05
done
kill -KILL "$(cat "$VARDIR/run/outbox.pid")"
sleep 0.3
row=$(sql "SELECT status, cursor_id FROM fanout_jobs WHERE id = $job")
cursor=${row#*	}
diag "killed at cursor $cursor of $max_id"
is "${row%%	*}" running "the worker was killed while the job was running"
ok $(( cursor > 0 && cursor < max_id ? 0 : 1 )) "part of the copies were done"
done_before=$(sql "SELECT COUNT(*) FROM notifications WHERE dedupe_key LIKE 'upd:letter:%'")
ok $(( done_before > 0 && done_before < total ? 0 : 1 )) "some savers were told ($done_before), not all"
# the dead worker's pid file stays behind (its pid may linger as a zombie)
rm -f "$VARDIR/run/outbox.pid"
stack svc start outbox
fanout_idle 60
ok $? "a new worker took the job over and finished it"
is "$(sql "SELECT status, phase FROM fanout_jobs WHERE id = $job" | tr '\t' ' ')" "done done" "the job is done"
is "$(sql "SELECT COUNT(*), COUNT(DISTINCT user_id) FROM notifications WHERE kind = 'card.update'" | tr '\t' ' ')" \
	"$total $total" "every saver has exactly one letter"
is "$(sql "SELECT COUNT(*) FROM folder_entries e WHERE e.source_card_id = $card_id AND NOT EXISTS
	(SELECT 1 FROM notifications n WHERE n.user_id = e.holder_id AND n.kind = 'card.update')")" 0 "nobody was missed"
is "$(sql "SELECT letters FROM fanout_jobs WHERE id = $job")" "$total" "the job counted each letter once"
is "$(sql "SELECT COUNT(*), COUNT(DISTINCT recipient) FROM outbox WHERE dedupe_key LIKE 'upd:email:%'" | tr '\t' ' ')" \
	"31 31" "one mail queued per saver who wants mail"
outbox_idle 60
ok $? "delivered"
twice=0 missing=0
for m in $mailers; do
	c=$(update_mails "$m")
	[ "$c" -gt 1 ] && twice=$((twice + 1))
	[ "$c" -lt 1 ] && missing=$((missing + 1))
done
is "$twice/$missing" "0/0" "each of them got exactly one mail"
is "$(update_mails dan@example.com)" 1 "D too"

# --- the mail catcher down for a whole fan-out -------------------------------------------------
stack svc stop mail
edit_card '.organization = "Acme Group"'
fanout_idle 60
ok $? "the fan-out finished with the mail server down"
rev=$(sql "SELECT MAX(to_revision) FROM fanout_jobs")
sleep 2
is "$(sql "SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE 'upd:email:%:$rev' AND status IN ('queued', 'sending')")" 31 \
	"31 mails wait in the outbox"
ok $(( $(sql "SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE 'upd:email:%:$rev' AND last_error IS NOT NULL") > 0 ? 0 : 1 )) \
	"with their last error"
is "$(update_mails dan@example.com)" 1 "none arrived"
stack svc start mail
outbox_idle 60
ok $? "all delivered once the mail server is back"
twice=0 missing=0
for m in $mailers dan@example.com; do
	c=$(update_mails "$m")
	[ "$c" -gt 2 ] && twice=$((twice + 1))
	[ "$c" -lt 2 ] && missing=$((missing + 1))
done
is "$twice/$missing" "0/0" "every saver who wants mail got the second one exactly once"
is "$(sql "SELECT COUNT(*), COUNT(DISTINCT user_id) FROM notifications WHERE kind = 'card.update' AND dedupe_key LIKE 'upd:letter:%:$rev'" | tr '\t' ' ')" \
	"$total $total" "and a second letter each"
is "$(sql "SELECT COUNT(*) FROM notifications WHERE kind = 'card.update'")" "$total" \
	"which replaced the unread first one (one letter per burst)"

done_testing
