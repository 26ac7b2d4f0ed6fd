#!/usr/bin/env bash
# 610-reconcile-kill.t: a run killed with SIGKILL (in the entries phase, then in the savers phase) and run again ends with exactly the tables of an uninterrupted run on a copy of the same data; `make status` tells each state of the job in one line (issue 21).
. "$(dirname "$0")/../lib.sh"
stack_up

export LIVECARD_CONF=$VARDIR/livecard.hdf
RC=$BUILD/batch/livecard-reconcile
sqlb() { mariadb --no-defaults --default-character-set=utf8mb4 --socket="$VARDIR/run/mysqld.sock" -uroot -N -B livecard_b -e "$1"; }
# tables_sum DB: a checksum of every value the job owns
tables_sum() {
	mariadb --no-defaults --default-character-set=utf8mb4 --socket="$VARDIR/run/mysqld.sock" -uroot -N -B "$1" -e "
		SELECT ckey, user_id FROM contact_keys ORDER BY ckey;
		SELECT id, IFNULL(owner_user_id, '-'), owner_is_member, owner_saved_my_card FROM folder_entries ORDER BY id;
		SELECT owner_id, saver_id, how, since FROM savers ORDER BY owner_id, saver_id" | md5sum | cut -d' ' -f1
}
# kill_when PHASE SLEEP_MS: start a slow run, SIGKILL it once it is halfway through PHASE
kill_when() {
	local phase=$1 max pid i st
	max=$(sql "SELECT MAX(id) FROM users")	# every phase of a full pass walks members by id
	"$RC" --chunk 15 --sleep-ms "$2" --no-progress >"$VARDIR/k.out" 2>"$VARDIR/k.err" &
	pid=$!
	for i in $(seq 1 600); do
		st=$(sql "SELECT phase, last_id FROM reconcile_state")
		if [ "${st%%	*}" = "$phase" ] && [ "${st##*	}" -gt $((max / 2)) ]; then break; fi
		sleep 0.02
	done
	kill -KILL "$pid"
	{ wait "$pid"; } 2>/dev/null
	KILL_STATUS=$?
}

# --- the data, as after a restore: no flags, no savers, keys partly lost ------
"$BUILD/batch/livecardctl" seed --users 400 --cards 4000 >"$VARDIR/seed.out" 2>&1
ok $? "seeded"
sql "DELETE FROM contact_keys WHERE user_id % 7 = 0;
     UPDATE folder_entries SET owner_saved_my_card = 1 WHERE id % 11 = 0;
     INSERT INTO savers (owner_id, saver_id, how, since) SELECT id, id + 1, 'saved', '2024-01-01' FROM users WHERE id % 13 = 0 AND id < 400"
sql "CREATE DATABASE livecard_b"
mariadb-dump --no-defaults --socket="$VARDIR/run/mysqld.sock" -uroot livecard |
	mariadb --no-defaults --default-character-set=utf8mb4 --socket="$VARDIR/run/mysqld.sock" -uroot livecard_b
ok $? "a copy of the database"
is "$(tables_sum livecard_b)" "$(tables_sum livecard)" "the copy holds the same values"

# --- the uninterrupted run on the copy -------------------------------------------
printf '#include "%s"\nDB.Name = livecard_b\n' "$VARDIR/livecard.hdf" >"$VARDIR/b.hdf"
LIVECARD_CONF=$VARDIR/b.hdf "$RC" --quiet >"$VARDIR/b.out" 2>&1
ok $? "an uninterrupted run on the copy"
is "$(sqlb "SELECT COUNT(*) FROM batch_runs WHERE status = 'done'")" 1 "it ran there"
is "$(sql "SELECT COUNT(*) FROM batch_runs")" 0 "and not here"
is "$(stack status | grep '^reconcile:')" "reconcile: never ran" "make status: the job never ran here"
want=$(tables_sum livecard_b)

# --- killed halfway through the entries, then halfway through the savers --------
kill_when entries 15
is "$KILL_STATUS" 137 "the first run was killed with SIGKILL"
read -r phase last <<<"$(sql "SELECT phase, last_id FROM reconcile_state")"
is "$phase" entries "its checkpoint is in the entries phase"
ok $((!(last > 0))) "after id $last"
is "$(sql "SELECT COUNT(*) FROM batch_locks")" 1 "it left its lock behind"
is "$(sql "SELECT status FROM batch_runs ORDER BY id DESC LIMIT 1")" running "and a run that never finished"
killed=$(sql "SELECT MAX(id) FROM batch_runs")
unlike "$(tables_sum livecard)" "^$want\$" "the tables are half done"
max=$(sql "SELECT MAX(id) FROM users")
like "$(stack status | grep '^reconcile:')" "^reconcile: last ran [0-9-]+ [0-9:]+ UTC and did not finish \\(full pass, run $killed: its process is gone or silent\\), stopped at phase entries \\(3 of 5\\) [0-9]+ %, member id $last of $max; the next run resumes there" \
	"make status after the kill: did not finish, and where the next run resumes"

kill_when savers 60
is "$KILL_STATUS" 137 "the second run was killed in the savers phase"
like "$(cat "$VARDIR/k.err")" "resuming the full pass of run $killed at entries after id $last" \
	"the second run resumed where the first stopped"
like "$(cat "$VARDIR/k.err")" "took over the lock of .* \\(its process is gone" "taking over the dead run's lock"
is "$(sql "SELECT phase FROM reconcile_state")" savers "its checkpoint is in the savers phase"

"$RC" --no-progress >"$VARDIR/c.out" 2>"$VARDIR/c.err"
ok $? "the third run completes the work"
like "$(cat "$VARDIR/c.err")" "resuming the full pass of run [0-9]+ at savers" "from the savers checkpoint"
is "$(tables_sum livecard)" "$want" "the tables equal those of the uninterrupted run"
is "$(sql "SELECT phase FROM reconcile_state")" done "the checkpoint says done"
is "$(sql "SELECT COUNT(*) FROM batch_locks")" 0 "the lock is released"
is "$(sql "SELECT GROUP_CONCAT(status ORDER BY id) FROM batch_runs")" "abandoned,abandoned,done" \
	"the killed runs are marked abandoned, the last one done"
is "$(sql "SELECT COUNT(*) FROM batch_runs WHERE resumed_run_id IS NOT NULL")" 2 "each resumed run names the run it finished"

"$RC" --no-progress >"$VARDIR/d.out" 2>"$VARDIR/d.err"
like "$(cat "$VARDIR/d.out")" "nothing to change" "a run right after changes nothing"
is "$(tables_sum livecard)" "$want" "and the tables stay equal"

# --- make status while a run goes on, then after it finished ---------------------
"$RC" --chunk 15 --sleep-ms 150 --no-progress >"$VARDIR/e.out" 2>"$VARDIR/e.err" &
pid=$!
for i in $(seq 1 600); do
	[ "$(sql "SELECT phase FROM reconcile_state")" = entries ] && break
	sleep 0.02
done
killed=$(sql "SELECT MAX(id) FROM batch_runs")
RC_LINE=$(stack status | grep '^reconcile:')
like "$RC_LINE" "^reconcile: running since [0-9-]+ [0-9:]+ UTC \\(full pass, run $killed, [0-9]+ s\\): phase (entries \\(3|savers \\(4|flags \\(5) of 5\\) [0-9]+ %, member id [0-9]+ of $max; so far [0-9]+ rows scanned" \
	"make status while it ran: running, its phase and how far"
wait "$pid"
ok $? "that run finished"
done_run=$(sql "SELECT MAX(id) FROM batch_runs")
like "$(stack status | grep '^reconcile:')" "^reconcile: last ran [0-9-]+ [0-9:]+ UTC, finished in [0-9.]+ s \\(full pass, run $done_run\\): [0-9]+ rows scanned, keys \\+[0-9]+ -[0-9]+, [0-9]+ owners changed, flags \\+[0-9]+ -[0-9]+, savers \\+[0-9]+ -[0-9]+\$" \
	"make status after it finished: when, how long, its counts"

done_testing
