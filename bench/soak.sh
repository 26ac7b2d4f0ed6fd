#!/usr/bin/env bash
# soak.sh: `make soak`: mixed reads and writes at 64 connections while MariaDB restarts and the mail catcher stops; checks revisions and mail afterwards (TAP, bench/soak-report.md).
#
# Timeline (of SOAK_SECONDS, 60): MariaDB stopped at 25 % and started again
# SOAK_DB_DOWN (5) seconds later; the mail catcher stopped at 55 % and
# started at 75 %. A probe asks GET /api/v1/card ten times a second all
# along, for the seconds until requests succeed again. Afterwards: every
# cards row has its card_revisions row with equal data and images and no
# gap; the outbox drains to 'sent'; the mail is accounted for by Message-ID
# (bench/soak-mail.py): each outbox row's ID in the Maildir, none without
# its row, copies of one ID only where the catcher died between keeping a
# message and its 250 (an SMTP protocol duplicate, reported with its
# outage); every account the load created has its mail, and a sign-up that
# committed but was answered 503 is reported.
#
# Settings (environment): SOAK_SECONDS (60), SOAK_CONNS (64), SOAK_DB_DOWN
# (5), SOAK_DB_KILL (1: kill -9 MariaDB instead of a clean stop),
# SOAK_WRITERS (8), SOAK_REPORT (bench/soak-report.md), SOAK_RUNS (1: that
# many runs in a row, each on a fresh stack; the report opens with a table
# of the runs — checks passed, protocol duplicates and their outages — and
# goes on with the last run's report; the exit status is the worst run's).
if [ "${SOAK_RUNS:-1}" -gt 1 ] && [ -z "${SOAK_RUN_NO:-}" ]; then
	runs_dir=$(mktemp -d "${TMPDIR:-/tmp}/livecard-soak-runs.XXXXXX")
	final=${SOAK_REPORT:-$(cd "$(dirname "$0")" && pwd)/soak-report.md}
	worst=0
	for n in $(seq 1 "$SOAK_RUNS"); do
		echo "# === soak run $n of $SOAK_RUNS"
		SOAK_RUN_NO=$n SOAK_REPORT=$runs_dir/run$n.md SOAK_SUMMARY=$runs_dir/summary "$0"
		st=$?
		[ "$st" -gt "$worst" ] && worst=$st
		[ -f "$runs_dir/run$n.md" ] || echo "| $n | did not finish (exit $st) | | | | |" >>"$runs_dir/summary"
	done
	{
		echo "# livecard load-and-fault runs (make soak SOAK_RUNS=$SOAK_RUNS)"
		echo
		echo "$SOAK_RUNS runs in a row, each on a fresh stack, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs; the last run's full report follows the table."
		echo "A protocol duplicate is an extra copy of one Message-ID caught while the mail catcher was being killed"
		echo "(it kept the message and died before its 250 reached the worker), which the worker counted as possibly delivered."
		echo
		echo "| run | checks passed | requests/s | e-mails (distinct Message-IDs in the Maildir) | protocol duplicates, with their SMTP outage | sign-ups committed but answered 503 (in the MariaDB outage) |"
		echo "|---|---|---|---|---|---|"
		cat "$runs_dir/summary"
		echo
		sed '1s/^# /## Run '"$SOAK_RUNS"': /' "$runs_dir/run$SOAK_RUNS.md"
	} >"$final"
	echo "# wrote $final"
	rm -rf "$runs_dir"
	exit "$worst"
fi
# the baselines and the fault injection are wired through nginx and its sockets
LIVECARD_MODE=nginx
. "$(dirname "$0")/../tests/lib.sh"
SAY_AS=soak
. "$TOP/bench/common.sh"
SECS=${SOAK_SECONDS:-60}
CONNS=${SOAK_CONNS:-64}
DB_DOWN=${SOAK_DB_DOWN:-5}
NWRITERS=${SOAK_WRITERS:-8}
REPORT=${SOAK_REPORT:-$BENCH_DIR/soak-report.md}

command -v wrk >/dev/null || die "wrk is missing (apt-get install wrk; it is in DEB_TEST)"

now() { date +%s.%N; }

# event NAME: note when something happened (epoch seconds, fractional).
event() { echo "$1 $(now)" >>"$VARDIR/events"; }
event_t() { awk -v n="$1" '$1 == n { print $2 }' "$VARDIR/events"; }

# probe_loop: GET /api/v1/card ten times a second until soak.stop exists.
probe_loop() {
	local t s
	while [ ! -e "$VARDIR/soak.stop" ]; do
		t=$(now)
		s=$(curl -s -o /dev/null -m 5 -w '%{http_code}' -H "Authorization: Bearer $READER" "$B/api/v1/card")
		echo "$t $s" >>"$VARDIR/probe.log"
		sleep 0.1
	done
}

# faults: the schedule, relative to the start of the load.
faults() {
	local t0=$1
	sleep_until() { local d; d=$(awk -v a="$t0" -v o="$1" -v n="$(now)" 'BEGIN { d = a + o - n; print (d > 0) ? d : 0 }'); sleep "$d"; }
	sleep_until "$(awk -v s="$SECS" 'BEGIN { print s * 0.25 }')"
	event db_stop
	if [ "${SOAK_DB_KILL:-0}" = 1 ]; then
		kill -KILL "$(cat "$VARDIR/run/db.pid")" 2>/dev/null
		sleep 0.5
		rm -f "$VARDIR/run/db.pid"
	else
		stack svc stop db >/dev/null 2>&1
	fi
	event db_stopped
	sleep "$DB_DOWN"
	event db_start
	stack svc start db >"$VARDIR/db-start.log" 2>&1 || echo "db did not start" >>"$VARDIR/db-start.log"
	event db_started
	sleep_until "$(awk -v s="$SECS" 'BEGIN { print s * 0.55 }')"
	event mail_stop
	stack svc stop mail >/dev/null 2>&1
	event mail_stopped
	sleep_until "$(awk -v s="$SECS" 'BEGIN { print s * 0.75 }')"
	event mail_start
	stack svc start mail >/dev/null 2>&1
	event mail_started
}

# bad_between FROM TO: non-2xx answers in the whole seconds FROM..TO of the
# wrk timeline (TO empty: to the end).
sum_between() {
	awk -v a="$1" -v b="${2:-9999999999}" -v k="$3" '
		/^SOAK second=/ { split($2, s, "="); split($3, o, "="); split($4, x, "=")
			if (s[2] >= a && s[2] <= b) n += (k == "ok") ? o[2] : x[2] }
		END { print n + 0 }' "$VARDIR/wrk.out"
}

# --- seed ----------------------------------------------------------------------
say "starting a private stack"
stack_up
say "stack on $B (VARDIR $VARDIR); seeding"
SOAK_WRITERS=$NWRITERS soak_seed
diag "seeded: public page ${PUBLIC:-none}, $IMPORTED folder entries, $NWRITERS writers"

# --- load and faults --------------------------------------------------------------
say "$SECS s at $CONNS connections; MariaDB and the mail catcher restart on the way"
: >"$VARDIR/events"
probe_loop &
PROBE=$!
T0=$(now)
event load_start
SOAK_READER=$READER SOAK_COOKIE=$COOKIE SOAK_PUBLIC=$PUBLIC SOAK_WRITERS=$WRITER_TOKENS \
	SOAK_CARD_FILE=$BENCH_DIR/card.json SOAK_RUN=$$ \
	wrk -t2 -c"$CONNS" -d"$SECS"s --timeout 10s -s "$BENCH_DIR/soak.lua" "$B/" >"$VARDIR/wrk.out" 2>&1 &
WRK=$!
faults "$T0"
wait "$WRK"
event load_end
# a few more seconds of probing show the state after the load
sleep 2
touch "$VARDIR/soak.stop"
wait "$PROBE"

# --- what the clients saw ------------------------------------------------------------
TOTAL=$(grep '^SOAK total' "$VARDIR/wrk.out")
[ -n "$TOTAL" ] || { sed 's/^/# /' "$VARDIR/wrk.out"; bail "wrk did not finish"; }
field() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
sec() { awk -v t="$1" 'BEGIN { printf "%d", t }'; }
DB_STOP=$(event_t db_stop) DB_STARTED=$(event_t db_started)
MAIL_STOP=$(event_t mail_stop) MAIL_STARTED=$(event_t mail_started)
BEFORE_BAD=$(sum_between 0 $(($(sec "$DB_STOP") - 1)) bad)
DURING_BAD=$(sum_between "$(sec "$DB_STOP")" "$(sec "$DB_STARTED")" bad)
DURING_OK=$(sum_between "$(sec "$DB_STOP")" "$(sec "$DB_STARTED")" ok)
AFTER_BAD=$(sum_between $(($(sec "$DB_STARTED") + 1)) "" bad)
AFTER_OK=$(sum_between $(($(sec "$DB_STARTED") + 1)) "" ok)
MAIL_BAD=$(sum_between "$(sec "$MAIL_STOP")" "$(sec "$MAIL_STARTED")" bad)
SOCKERR=$(($(field "$TOTAL" connect) + $(field "$TOTAL" read) + $(field "$TOTAL" write) + $(field "$TOTAL" timeout)))
# the probe: first failure after the stop, first success after MariaDB is back
FIRST_FAIL=$(awk -v a="$DB_STOP" '$1 >= a && $2 !~ /^2/ { print $1; exit }' "$VARDIR/probe.log")
FIRST_OK=$(awk -v a="$DB_STARTED" '$1 >= a && $2 ~ /^2/ { print $1; exit }' "$VARDIR/probe.log")
PROBE_AFTER_BAD=$(awk -v a="${FIRST_OK:-9999999999}" '$1 > a && $2 !~ /^2/' "$VARDIR/probe.log" | wc -l)
RECOVERY=$(awk -v a="$DB_STARTED" -v b="${FIRST_OK:-}" 'BEGIN { if (b == "") print "never"; else printf "%.1f", b - a }')
OUTAGE=$(awk -v a="${FIRST_FAIL:-}" -v b="${FIRST_OK:-}" 'BEGIN { if (a == "" || b == "") print "-"; else printf "%.1f", b - a }')
DBGAP=$(awk -v a="$DB_STOP" -v b="$DB_STARTED" 'BEGIN { printf "%.1f", b - a }')
PROBE_CODES=$(awk -v a="$DB_STOP" -v b="${FIRST_OK:-9999999999}" '$1 >= a && $1 < b { c[$2]++ } END { for (k in c) printf "%s%s:%d", (n++ ? "," : ""), k, c[k] }' "$VARDIR/probe.log")

ok "$([ "$(field "$TOTAL" requests)" -gt 0 ]; echo $?)" "the load ran: $(field "$TOTAL" requests) requests, p50 $(field "$TOTAL" p50_us) us, p99 $(field "$TOTAL" p99_us) us"
is "$BEFORE_BAD" 0 "no errors before the fault"
diag "MariaDB down from +$(awk -v a="$DB_STOP" -v t="$T0" 'BEGIN { printf "%.1f", a - t }') s for $DBGAP s (stop to answering again); $DURING_BAD errors and $DURING_OK successes in those seconds (answers: ${PROBE_CODES:-none})"
like "$RECOVERY" '^[0-9.]+$' "requests succeed again after MariaDB is back: after $RECOVERY s (probe unavailable for $OUTAGE s)"
ok "$(awk -v r="$RECOVERY" 'BEGIN { exit !(r + 0 <= 5) }'; echo $?)" "within 5 s ($RECOVERY s)"
is "$AFTER_BAD" 0 "no errors after the second MariaDB came back ($AFTER_OK successes)"
if [ "$AFTER_BAD" != 0 ]; then
	# what the programs said about them (their logs go with the stack)
	since=$(date -u -d "@$(($(sec "$DB_STARTED") + 1))" +%FT%TZ)
	grep -h -E ' -> 5[0-9][0-9]|WARN: db: |ERROR: ' "$VARDIR"/log/*.log 2>/dev/null |
		awk -v s="$since" '$1 >= s' | grep -v 'connect failed' | head -20 | sed 's/^/# after the restart: /'
fi
is "$PROBE_AFTER_BAD" 0 "the probe never failed again after its first success"
is "$MAIL_BAD" 0 "no request errors while the mail catcher was down (mail is queued)"
is "$SOCKERR" 0 "no socket errors or timeouts (codes of the non-2xx answers: $(field "$TOTAL" codes))"

# --- what was written ----------------------------------------------------------------
# every cards row's revision has its card_revisions row, equal; revisions
# contiguous up to the card's, none newer
HALF=$(sql "SELECT COUNT(*) FROM cards c LEFT JOIN card_revisions r ON r.card_id = c.id AND r.revision = c.revision
	WHERE r.card_id IS NULL OR NOT JSON_EQUALS(r.data, c.data)
	OR NOT (r.front_image <=> c.front_image) OR NOT (r.back_image <=> c.back_image)")
GAPS=$(sql "SELECT COUNT(*) FROM cards c JOIN (SELECT card_id, COUNT(*) n, MIN(revision) lo, MAX(revision) hi
	FROM card_revisions GROUP BY card_id) r ON r.card_id = c.id WHERE r.hi <> c.revision OR r.n <> r.hi - r.lo + 1")
REVS=$(sql "SELECT COALESCE(SUM(revision), 0) FROM cards")
is "$HALF" 0 "no half-written revision: every card equals its newest card_revisions row ($REVS revisions)"
is "$GAPS" 0 "no gaps and nothing newer than the card in card_revisions"

# the outbox drains
for i in $(seq 1 240); do
	left=$(sql "SELECT COUNT(*) FROM outbox WHERE status IN ('queued', 'sending')")
	[ "$left" = 0 ] && break
	sleep 0.5
done
DRAIN=$(awk -v t="$(event_t load_end)" -v n="$(now)" 'BEGIN { printf "%.0f", n - t }')
is "$left" 0 "the outbox drained (${DRAIN} s after the load)"
is "$(sql "SELECT COUNT(*) FROM outbox WHERE status <> 'sent'")" 0 "every queued message was sent$(sql "SELECT COALESCE(CONCAT(' (last errors: ', GROUP_CONCAT(DISTINCT LEFT(last_error, 80)), ')'), '') FROM outbox WHERE status <> 'sent'")"

# the mail, by Message-ID (bench/soak-mail.py): every outbox row's ID is in
# the Maildir, no ID without its row; copies of one ID only where the catcher
# was killed between keeping a message and its 250 (and the worker counted
# it as possibly delivered); every account the load created has its mail
sql "SELECT id, recipient, status, possibly_delivered FROM outbox WHERE channel = 'email'" >"$VARDIR/outbox.tsv"
sql "SELECT email FROM users WHERE email LIKE 'soak-$$-%'" >"$VARDIR/accounts"
/usr/bin/python3 "$BENCH_DIR/soak-mail.py" --maildir "$VARDIR/mail" --outbox "$VARDIR/outbox.tsv" \
	--events "$VARDIR/events" --t0 "$T0" --details "$VARDIR/mail-details" \
	--accounts "$VARDIR/accounts" --access-log "$VARDIR/log/nginx-access.log" >"$VARDIR/mail-counts" ||
	bail "soak-mail.py failed"
declare -A M
while read -r k v; do M[$k]=$v; done <"$VARDIR/mail-counts"
sed 's/^/# /' "$VARDIR/mail-details"
OUTBOX=${M[rows]}
MAILS=${M[maildir]}
RETRIED=$(sql "SELECT COUNT(*) FROM outbox WHERE attempts > 1")
POSSIBLE=$(sql "SELECT COUNT(*) FROM outbox WHERE channel = 'email' AND status = 'sent' AND possibly_delivered > 0")
is "${M[lost]}" 0 "every outbox e-mail's Message-ID is in the Maildir ($OUTBOX e-mails, $RETRIED needed more than one attempt)"
is "${M[stray]}" 0 "every Message-ID in the Maildir is an outbox row's, to that row's recipient (${M[distinct]} distinct IDs in $MAILS messages)"
is "${M[unexplained]}" 0 "copies of one Message-ID only in an SMTP outage (${M[extra_copies]} extra copies of ${M[copied_ids]} IDs: protocol duplicates)"
is "${M[unrecorded]}" 0 "the worker counted each copy as a possible duplicate ($POSSIBLE sent after a possible delivery)"

# sign-ups: the accounts created, not the answers seen
SIGNUPS=$(field "$TOTAL" signups)
is "${M[accounts_without_mail]}" 0 "every account the load created has its verification mail in the Maildir (${M[accounts]} accounts)"
is "${M[answered_201_no_account]}" 0 "every sign-up answered 201 created its account (${M[answered_201]} answered 201)"
is "${M[committed_503_outside]}" 0 "a sign-up committed but answered otherwise only in the MariaDB outage (${M[committed_503]} such: the COMMIT's acknowledgement lost; ${M[committed_unanswered]} committed as wrk stopped reading)"

# the programs survived
DEAD=$(stack status | sed -n 's/: stopped$//p' | tr '\n' ' ')
is "$DEAD" "" "every process of the stack is still running"

# --- the report --------------------------------------------------------------------------
{
	echo "# livecard load-and-fault run (make soak)"
	echo
	echo "Generated by \`make soak\` (bench/soak.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs."
	echo "wrk: $SECS s, 2 threads, $CONNS connections, bench/soak.lua's mix (per 100 requests: 30 GET"
	echo "/api/v1/card, 20 public page, 15 folder search, 5 folder page, 29 PUT /api/v1/card by"
	echo "$NWRITERS members, 1 sign-up that queues a mail). MariaDB was $([ "${SOAK_DB_KILL:-0}" = 1 ] && echo "killed (-9)" || echo "stopped") at +$(awk -v a="$DB_STOP" -v t="$T0" 'BEGIN { printf "%.0f", a - t }') s"
	echo "and started $DB_DOWN s later; the mail catcher was stopped from +$(awk -v a="$MAIL_STOP" -v t="$T0" 'BEGIN { printf "%.0f", a - t }') s to +$(awk -v a="$MAIL_STARTED" -v t="$T0" 'BEGIN { printf "%.0f", a - t }') s."
	echo
	echo "| | |"
	echo "|---|---|"
	echo "| requests | $(field "$TOTAL" requests) ($(awk -v r="$(field "$TOTAL" requests)" -v d="$(field "$TOTAL" duration_us)" 'BEGIN { printf "%.0f", r / (d / 1e6) }')/s), p50 $(ms "$(field "$TOTAL" p50_us)") ms, p99 $(ms "$(field "$TOTAL" p99_us)") ms |"
	echo "| errors before the fault | $BEFORE_BAD |"
	echo "| MariaDB stop → answering again | $DBGAP s |"
	echo "| errors / successes in those seconds | $DURING_BAD / $DURING_OK (probe saw: ${PROBE_CODES:-nothing}) |"
	echo "| seconds until requests succeed again | $RECOVERY s after MariaDB answered (probe unavailable for $OUTAGE s) |"
	echo "| errors after the restart | $AFTER_BAD (of $((AFTER_BAD + AFTER_OK))) |"
	echo "| errors while the mail catcher was down | $MAIL_BAD |"
	echo "| socket errors / timeouts | $SOCKERR |"
	echo "| non-2xx answers by status | $(field "$TOTAL" codes) |"
	echo "| half-written revisions / gaps | $HALF / $GAPS (of $REVS revisions) |"
	echo "| outbox | $OUTBOX e-mails, $(sql "SELECT COUNT(*) FROM outbox WHERE status = 'sent'") sent, $RETRIED retried, drained $DRAIN s after the load |"
	echo "| Maildir | $MAILS messages, ${M[distinct]} distinct Message-IDs; lost ${M[lost]}, without an outbox row ${M[stray]} |"
	echo "| protocol duplicates (extra copies of one Message-ID) | ${M[extra_copies]}$([ "${M[extra_copies]}" -gt 0 ] && echo " (below, each with its SMTP outage)") |"
	echo "| worker's possible duplicates / possible deliveries recorded | $POSSIBLE / ${M[recorded]} |"
	echo "| sign-ups | ${M[accounts]} accounts created, each with its mail; $SIGNUPS answered 201 as wrk saw them (${M[answered_201]} in nginx's log); ${M[committed_503]} committed but answered 503 in the MariaDB outage; ${M[committed_unanswered]} committed as wrk stopped |"
	echo "| processes not running afterwards | ${DEAD:-none} |"
	echo "| checks | $((T_N - T_FAILED)) of $T_N passed |"
	echo
	if [ -s "$VARDIR/mail-details" ]; then
		echo "Mail and sign-up findings (bench/soak-mail.py; times from the start of the load):"
		echo
		sed 's/^/- /' "$VARDIR/mail-details"
		echo
	fi
	echo "Requests per second (2xx / other), as wrk saw them:"
	echo
	echo '```'
	awk -v t0="$T0" -v ds="$DB_STOP" -v du="$DB_STARTED" -v ms="$MAIL_STOP" -v mu="$MAIL_STARTED" '
		/^SOAK second=/ { split($2, s, "="); split($3, o, "="); split($4, x, "=")
			note = ""
			if (s[2] == int(ds)) note = "  <- MariaDB stopped"
			if (s[2] == int(du)) note = note "  <- MariaDB back"
			if (s[2] == int(ms)) note = note "  <- mail catcher stopped"
			if (s[2] == int(mu)) note = note "  <- mail catcher back"
			printf "+%3d s %6d %5d%s\n", s[2] - int(t0), o[2], x[2], note }' "$VARDIR/wrk.out"
	echo '```'
} >"$REPORT.tmp"
mv "$REPORT.tmp" "$REPORT"
if [ -n "${SOAK_SUMMARY:-}" ]; then
	dups=${M[extra_copies]}
	if [ "$dups" -gt 0 ]; then
		dups="$dups: $(grep '^copies: ' "$VARDIR/mail-details" | sed 's/^copies: \([^ ]*\) .*in the SMTP outage \([^ ]* s\)\.\.\([^ ]* s\).*/\1 in the outage \2..\3/' | awk 'NR > 1 { printf "; " } { printf "%s", $0 }')"
	fi
	echo "| ${SOAK_RUN_NO:-1} | $((T_N - T_FAILED)) of $T_N | $(awk -v r="$(field "$TOTAL" requests)" -v d="$(field "$TOTAL" duration_us)" 'BEGIN { printf "%.0f", r / (d / 1e6) }') | $OUTBOX ($MAILS messages, ${M[distinct]} distinct IDs) | $dups | ${M[committed_503]} |" >>"$SOAK_SUMMARY"
fi
diag "wrote $REPORT"
done_testing
