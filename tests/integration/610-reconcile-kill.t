#!/usr/bin/env bash
# 610-reconcile-kill.t: a run killed with SIGKILL (in the entries phase, then in the savers phase) and run again ends with exactly the tables of an uninterrupted run on a copy of the same data.
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

done_testing
