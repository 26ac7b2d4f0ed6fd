#!/usr/bin/env bash
# fanout.sh: benchmark of the update fan-out (make bench-fanout): one member's card held by 100,000 savers; times the card save requests and the fan-out until every letter and mail is queued, against the bare INSERT ... SELECT of the same rows in the same run; writes bench/fanout.md.
#
# Settings (environment):
#   FANOUT_SAVERS  savers of the one card (100000)
#   FANOUT_CHUNK   Updates.ChunkRows (5000, the default)
#   FANOUT_SAVES   timed save requests while the worker is stopped (20)
#   FANOUT_AUTO    copies on automatic update in the last run (2000; 0: skip)
#   FANOUT_POOL    InnoDB buffer pool of the private MariaDB (1G)
#   FANOUT_REPORT  where the report goes (bench/fanout.md)
. "$(dirname "$0")/../tests/lib.sh"
. "$TOP/tests/integration/499-updates-lib.sh"

say() { printf 'bench-fanout: %s\n' "$*" >&2; }
die() { printf 'bench-fanout: %s\n' "$*" >&2; exit 1; }

SAVERS=${FANOUT_SAVERS:-100000}
CHUNK=${FANOUT_CHUNK:-5000}
SAVES=${FANOUT_SAVES:-20}
AUTO=${FANOUT_AUTO:-2000}
REPORT=${FANOUT_REPORT:-$TOP/bench/fanout.md}
MARIADB_OPTS="--innodb-buffer-pool-size=${FANOUT_POOL:-1G} --innodb-log-file-size=${FANOUT_REDO:-1G}"
EXTRA_CONF=$'Updates.CoalesceSeconds = 0\n'"Updates.ChunkRows = $CHUNK"
export MARIADB_OPTS EXTRA_CONF

now() { date +%s.%N; }
# ms_since T0: milliseconds since T0 (a `now` value), one decimal.
ms_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", (b - a) * 1000 }'; }
# timed_sql SQL: run it, print its wall time in ms (the client's start included).
timed_sql() {
	local t0
	t0=$(now)
	sql "$1" >/dev/null || die "SQL failed: $1"
	ms_since "$t0"
}
# stats: "median max" of the numbers on stdin.
stats() { sort -n | awk '{ v[NR] = $1 } END { printf "%.1f %.1f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[NR] }'; }

# save_ms TITLE: one PUT /api/v1/card with a new title; prints its time in ms.
save_ms() {
	local body
	body=$(jq -c --arg t "$1" '.title = $t' "$VARDIR/card.json")
	curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -X PUT -H "Authorization: Bearer $TA" \
		-H 'Content-Type: application/json' -H 'If-Match: *' --data-binary "$body" "$B/api/v1/card" |
		awk '$1 != 200 { exit 1 } { printf "%.1f\n", $2 * 1000 }' || die "a save failed"
}

# job_wait ID: wait until fan-out job ID is done; prints the wall time in ms
# from the call (or from T0 when given).
job_wait() {
	local id=$1 t0=${2:-$(now)} i
	for i in $(seq 1 12000); do
		[ "$(sql "SELECT status FROM fanout_jobs WHERE id = $id")" = done ] && { ms_since "$t0"; return 0; }
		sleep 0.02
	done
	die "job $id did not finish"
}

stack_up
say "stack on $B (VARDIR $VARDIR)"
signup_verified owner@example.com "Owner Zhang" || die "cannot make the owner"
TA=$TOKEN
put_card '{"full_name":"Owner Zhang","title":"Manager","organization":"Example Ltd.","department":"Sales","emails":[{"type":"work","value":"owner@example.com"}],"phones":[{"type":"cell","value":"+8613800138000"}],"addresses":[{"type":"work","street":"1 Century Ave","locality":"Shanghai","region":"","postal_code":"200120","country":"CN"}],"urls":[{"type":"work","value":"https://example.com"}],"note":"Ask for Zhang"}'
[ "$STATUS" = 200 ] || die "PUT /api/v1/card: $STATUS"
printf '%s' "$BODY" | jq -c .card >"$VARDIR/card.json"
tok=$(share_token)
card_id=$(sql "SELECT id FROM cards WHERE share_token = '$tok'")
fanout_idle 30 || die "the first save was not fanned out"

# --- the savers: members with a verified address who want mail -----------------------
say "seeding $SAVERS savers"
t0=$(now)
sql "INSERT INTO users (email, email_verified_at, password_hash, full_name, locale, notify_email, created_at)
     SELECT CONCAT('saver', seq, '@example.net'), UTC_TIMESTAMP(), 'x', CONCAT('Saver ', seq),
            IF(seq % 5 = 0, 'zh-CN', 'en'), 1, UTC_TIMESTAMP() FROM seq_1_to_$SAVERS" || die "seeding users"
sql "INSERT INTO folder_entries (holder_id, uid, data, full_name, search_text, notes, source_card_id,
            synced_revision, owner_user_id, owner_is_member, created_at, updated_at)
     SELECT u.id, CONCAT('urn:uuid:bench-', u.id), c.data, 'Owner Zhang', 'owner zhang', '', c.id, c.revision,
            c.user_id, 1, UTC_TIMESTAMP(), UTC_TIMESTAMP()
     FROM users u JOIN cards c ON c.id = $card_id WHERE u.email LIKE 'saver%@example.net' ORDER BY u.id" ||
	die "seeding entries"
sql "ANALYZE TABLE users, folder_entries, notifications, outbox" >/dev/null
seed_ms=$(ms_since "$t0")
holders=$(sql "SELECT COUNT(*) FROM folder_entries WHERE source_card_id = $card_id")
say "$holders linked copies in $(awk -v m="$seed_ms" 'BEGIN { printf "%.1f", m / 1000 }') s"
# the fan-out is measured without SMTP: delivery attempts fail at once and back off
stack svc stop mail

# --- 1: save requests (the worker stopped: nothing else runs) --------------------------
say "$SAVES timed saves"
stack svc stop outbox
for i in $(seq 1 "$SAVES"); do save_ms "Manager $i"; done >"$VARDIR/saves.txt"
read -r save_p50 save_max < <(stats <"$VARDIR/saves.txt")
jobs_waiting=$(sql "SELECT COUNT(*) FROM fanout_jobs WHERE status = 'waiting'")
job1=$(sql "SELECT id FROM fanout_jobs WHERE status = 'waiting'")

# --- 2: the fan-out of those saves (one coalesced job) -------------------------------------
say "fan-out 1 (the coalesced saves)"
rm -f "$VARDIR/run/outbox.pid"
t0=$(now)
stack svc start outbox
fan1_ms=$(job_wait "$job1" "$t0")
read -r letters1 messages1 < <(sql "SELECT letters, messages FROM fanout_jobs WHERE id = $job1")

# --- 3: end to end: one save with the worker running, until everything is queued ----------
say "fan-out 2 (one save, end to end)"
last=$(sql "SELECT COALESCE(MAX(id), 0) FROM fanout_jobs")
t0=$(now)
e2e_save_ms=$(save_ms "Director")
job2=$(sql "SELECT MAX(id) FROM fanout_jobs")
[ "$job2" -gt "$last" ] || die "no job for the save"
e2e_ms=$(job_wait "$job2" "$t0")
read -r letters2 messages2 started2 finished2 < <(sql "SELECT letters, messages, REPLACE(started_at, ' ', 'T'), REPLACE(finished_at, ' ', 'T') FROM fanout_jobs WHERE id = $job2")
rows2=$((letters2 + messages2))

# --- 4: the bare INSERT ... SELECT of the same rows, same run ---------------------------------
say "baseline: bare INSERT ... SELECT"
sql "CREATE TABLE bench_notifications LIKE notifications; CREATE TABLE bench_outbox LIKE outbox"
payload=$(sql "SELECT payload FROM notifications WHERE dedupe_key LIKE 'upd:letter:%:$(sql "SELECT to_revision FROM fanout_jobs WHERE id = $job2")' LIMIT 1")
printf '%s' "$(sql "SELECT body FROM outbox WHERE dedupe_key LIKE 'upd:email:%' LIMIT 1")" >"$VARDIR/body.txt"
esc() { sed "s/\\\\/\\\\\\\\/g; s/'/\\\\'/g"; }
p_sql=$(printf '%s' "$payload" | esc)
b_sql=$(esc <"$VARDIR/body.txt")
base_letters_ms=$(timed_sql "INSERT INTO bench_notifications (user_id, kind, payload, dedupe_key, created_at)
	SELECT e.holder_id, 'card.update', JSON_SET('$p_sql', '$.entry_id', e.id), CONCAT('b:', e.id), UTC_TIMESTAMP()
	FROM folder_entries e WHERE e.source_card_id = $card_id")
base_mail_ms=$(timed_sql "INSERT INTO bench_outbox (channel, recipient, subject, body, dedupe_key, status, next_attempt_at, created_at)
	SELECT 'email', u.email, 'Owner Zhang updated their card', REPLACE('$b_sql', 'Saver', u.full_name), CONCAT('b:', e.id),
	       'queued', UTC_TIMESTAMP(), UTC_TIMESTAMP()
	FROM folder_entries e JOIN users u ON u.id = e.holder_id WHERE e.source_card_id = $card_id AND u.notify_email = 1")
base_rows=$(sql "SELECT (SELECT COUNT(*) FROM bench_notifications) + (SELECT COUNT(*) FROM bench_outbox)")
base_ms=$(awk -v a="$base_letters_ms" -v b="$base_mail_ms" 'BEGIN { printf "%.1f", a + b }')
sql "DROP TABLE bench_notifications, bench_outbox"

# --- 5: with copies on automatic update ---------------------------------------------------------
auto_line=""
if [ "$AUTO" -gt 0 ]; then
	say "fan-out 3 ($AUTO copies on automatic update)"
	sql "UPDATE folder_entries SET auto_update = 1 WHERE source_card_id = $card_id ORDER BY id LIMIT $AUTO"
	sql "INSERT IGNORE INTO folders (holder_id) SELECT holder_id FROM folder_entries WHERE source_card_id = $card_id AND auto_update = 1"
	last=$(sql "SELECT COALESCE(MAX(id), 0) FROM fanout_jobs")
	t0=$(now)
	auto_save_ms=$(save_ms "Managing Director")
	job3=$(sql "SELECT MAX(id) FROM fanout_jobs")
	auto_ms=$(job_wait "$job3" "$t0")
	applied3=$(sql "SELECT applied FROM fanout_jobs WHERE id = $job3")
	auto_line="| 3. one save, $applied3 of the copies on automatic update (the rest asked), until every copy is updated and everything queued | $auto_save_ms | $auto_ms | $(sql "SELECT letters + messages FROM fanout_jobs WHERE id = $job3") rows + $applied3 copies |"
fi

# --- the report ---------------------------------------------------------------------------------
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t) ? "met" : "**missed**" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'; }
{
	echo "# Update fan-out benchmark"
	echo
	echo "Generated by \`make bench-fanout\` (bench/fanout.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'):"
	echo "$(nproc) CPUs ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(free -m | awk '/^Mem:/ {print $2}') MB memory,"
	echo "MariaDB $(mariadbd --version 2>/dev/null | sed 's/.*Ver \([^ ]*\).*/\1/') (private instance, buffer pool ${FANOUT_POOL:-1G}, durable commits),"
	echo "nginx, 2 FastCGI workers per program and the outbox worker, all on this machine"
	echo "(load average $(cut -d' ' -f1-3 /proc/loadavg) at the end of the run: other work shares the CPUs)."
	echo
	echo "One member's card is held by **$holders** savers: members with a verified e-mail"
	echo "address who want mail (one in five reads Chinese), each with a linked copy"
	echo "(seeded with INSERT ... SELECT in $(awk -v m="$seed_ms" 'BEGIN { printf "%.1f", m / 1000 }') s)."
	echo "So every change queues $((holders * 2)) rows: a letter and a mail per saver."
	echo "Updates.ChunkRows = $CHUNK; the mail catcher is stopped, so delivery attempts"
	echo "fail at once and back off instead of competing with the fan-out."
	echo
	echo "## Results"
	echo
	echo "| what | save request ms | until all queued ms | rows |"
	echo "|---|---:|---:|---:|"
	echo "| 1. $SAVES saves of the card, the worker stopped (median / max) | $save_p50 / $save_max | - | - |"
	echo "| 2. the fan-out of those $SAVES saves: one coalesced job ($jobs_waiting waiting), from the worker's start | - | $fan1_ms | $((letters1 + messages1)) |"
	echo "| 2'. one save with the worker running, until every letter and mail is queued | $e2e_save_ms | $e2e_ms | $rows2 |"
	[ -n "$auto_line" ] && echo "$auto_line"
	echo "| baseline: bare INSERT ... SELECT of the same letters ($base_letters_ms ms) and mails ($base_mail_ms ms), one statement each | - | $base_ms | $base_rows |"
	echo
	echo "- Save request ≤ 50 ms: $(verdict "$save_max" 50) (max $save_max ms; the request writes"
	echo "  the revision and one fan-out row, whatever the number of savers)."
	echo "- Everything queued ≤ 5 s: $(verdict "$e2e_ms" 5000) ($e2e_ms ms from the save to the last row"
	echo "  queued, the worker's poll interval and the job's claim included)."
	echo "- The fan-out costs $(ratio "$e2e_ms" "$base_ms") × the bare INSERT ... SELECT of the same rows"
	echo "  (job 2 ran from $started2 to $finished2 UTC)."
	echo
	cat <<'EOF'
## How the fan-out works, and why it is this fast

- The save request (lib/owncard.c → `updates_card_changed`) adds one
  `fanout_jobs` row, or moves the `to_revision` of the card's job that is
  still waiting (one `INSERT ... ON DUPLICATE KEY UPDATE` on the unique
  `waiting_card` column). Its cost does not depend on the number of savers.
- The outbox worker claims the due job and works through it in chunks of
  `Updates.ChunkRows` linked copies (`folder_entries.id` ranges through the
  `(source_card_id, id)` index). Per chunk, in one transaction: one
  `INSERT IGNORE ... SELECT` for the letters, one each for e-mail, SMS and
  webhooks (joined with `users` for the channels, `do_not_contact` excluded),
  and the job's cursor. The texts are rendered once per locale and bound as
  parameters; per-row values (the saver's name, the unsubscribe link) are
  put in by `REPLACE()` in SQL.
- The difference to the bare statement is the chunking (a commit per
  chunk), the unique dedupe keys (`notifications.dedupe_key`,
  `outbox.dedupe_key`) that make a re-run harmless, the per-row channel
  choices and the template rendering. It buys: bounded transactions (a chunk
  locks a few thousand rows for a few milliseconds, not 100,000 for seconds),
  a resumable job (a killed worker's successor starts at the cursor), and
  mail delivery that goes on between fan-out steps (the worker spends at most
  two seconds on fan-out before each delivery batch).
- Reading the numbers: the fan-out takes about as long as the bare
  statements that insert the same rows, because the rows are the work (two
  per saver: a letter and a mail, each with its unique dedupe key and the
  tables' other indexes). Where the bare statements alone take more than
  5 s, no design that queues the same rows meets that target; the levers are
  faster storage and CPUs, fewer rows (a saver who turned mail off costs one
  row), or several workers on slices of one job (not done: a job runs on one
  connection at a time; jobs of different cards do run in parallel when more
  than one outbox worker runs).
- Copies on automatic update are applied one by one through
  `folder_entry_update` (the folder's change log for CardDAV, matching keys
  and member flags follow), so they cost far more per saver than a letter;
  the last row of the table shows the rate.
EOF
} >"$REPORT.tmp"
mv "$REPORT.tmp" "$REPORT"
say "wrote $REPORT"
cat "$REPORT"
done_testing >/dev/null
