#!/usr/bin/env bash
# reconcile.sh: benchmark of the nightly job (make bench-reconcile): seeds a private MariaDB with livecardctl seed (flags and savers as the web path keeps them, 0.5% drift), times the nightly full pass, the no-change re-run, a --since run after 1% of the cards changed and the full pass after a restore against the bare matching join, and writes bench/reconcile.md.
#
# Settings (environment):
#   SIZES        "small" (100,000 users / 2,000,000 saved cards); "large" is
#                1,000,000 / 20,000,000; BENCH_LARGE=1 adds "large"; "report"
#                only rewrites the report from each size's last results
#   POOL         InnoDB buffer pool (default 4G; 14G for large: the large
#                database is about 21 GB, so the pool holds its indexes and
#                part of folder_entries; more would crowd a shared 24 GB host)
#   CHUNK        the job's --chunk (default: its own, 10000)
#   DRIFT        spoiled saved cards per 1000 in the seed (default 5: 0.5%)
#   RESTORE=0    skip the full pass after a restore (flags and savers wiped)
#   KEEP=1       keep the database directories (bench/work/reconcile-SIZE)
#   REUSE=1      use a kept, seeded database as it is (no re-seeding; the
#                nightly row then starts from whatever state it was left in)
#   IO_CAPACITY  the server's innodb_io_capacity (default 4000, for an SSD;
#                MariaDB's own default of 200 suits a spinning disk and lets
#                gigabytes of dirty pages pile up at the large size)
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
SIZES=${SIZES:-small}
[ "${BENCH_LARGE:-0}" = 1 ] && SIZES="$SIZES large"
WORK=$TOP/bench/work
REPORT=$TOP/bench/reconcile.md
CHUNK_ARG=()
[ -n "${CHUNK:-}" ] && CHUNK_ARG=(--chunk "$CHUNK")
mkdir -p "$WORK"
# one benchmark at a time in this tree (make bench runs this one too)
exec 9>"$WORK/reconcile.lock"
if ! flock -n 9; then
	printf 'bench-reconcile: another make bench-reconcile is running in this tree; waiting for it\n' >&2
	flock 9
fi

say() { printf 'bench-reconcile: %s\n' "$*" >&2; }

size_of() {
	case $1 in
	small) echo "100000 2000000" ;;
	large) echo "1000000 20000000" ;;
	*) echo "unknown size $1" >&2; exit 2 ;;
	esac
}

DIR="" SOCK="" PIDF=""
db_stop() {
	if [ -n "$PIDF" ] && [ -f "$PIDF" ]; then
		kill "$(cat "$PIDF")" 2>/dev/null || true
		for _ in $(seq 1 600); do [ -f "$PIDF" ] || break; sleep 0.1; done
	fi
	PIDF=""
}
trap db_stop EXIT

# db_start SIZE: a fresh private MariaDB for one size
db_start() {
	local pool=$2 rootopt=()
	DIR=$WORK/reconcile-$1
	SOCK=$DIR/mysqld.sock
	PIDF=$DIR/mysqld.pid
	[ "$(id -u)" = 0 ] && rootopt=(--user=root)
	if [ "${REUSE:-0}" = 1 ] && [ -d "$DIR/db/livecard" ]; then
		REUSED=1
	else
		REUSED=0
		rm -rf "$DIR"
	fi
	mkdir -p "$DIR/tmp"
	if [ "$REUSED" = 1 ]; then
		:
	elif [ -d "$BUILD/test-db-template/mysql" ]; then
		cp -a "$BUILD/test-db-template" "$DIR/db"
	else
		mariadb-install-db --no-defaults --datadir="$DIR/db" --auth-root-authentication-method=normal \
			--skip-test-db --skip-name-resolve --force "${rootopt[@]}" >"$DIR/install.log" 2>&1
	fi
	mariadbd --no-defaults --datadir="$DIR/db" --socket="$SOCK" --pid-file="$PIDF" --tmpdir="$DIR/tmp" \
		--skip-networking --log-error="$DIR/mariadb.log" --skip-log-bin \
		--innodb-buffer-pool-size="$pool" --innodb-log-file-size=1G --innodb-flush-log-at-trx-commit=2 \
		--innodb-io-capacity="${IO_CAPACITY:-4000}" --innodb-io-capacity-max="$((2 * ${IO_CAPACITY:-4000}))" \
		--character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci "${rootopt[@]}" >/dev/null 2>&1 &
	for _ in $(seq 1 300); do
		mariadb-admin --no-defaults --socket="$SOCK" -uroot ping >/dev/null 2>&1 && break
		sleep 0.1
	done
	[ "$REUSED" = 1 ] || q "CREATE DATABASE livecard CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci" ""
	cat >"$DIR/livecard.hdf" <<EOF
#include "$TOP/conf/livecard.hdf"
Paths.SQL = $TOP/sql
DB.Socket = $SOCK
DB.User = root
EOF
	export LIVECARD_CONF=$DIR/livecard.hdf
}

q() { mariadb --no-defaults --default-character-set=utf8mb4 --socket="$SOCK" -uroot -N -B ${2-livecard} -e "$1"; }

now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.4f\", $1 }"; }

# settle: before a timed run, let the server write out the pages the
# previous step left dirty (at most 120 s), so that a run does not pay for
# the writes of the change the benchmark made before it; its own writes
# stay in its time
settle() {
	local dirty pct
	pct=$(q "SELECT @@GLOBAL.innodb_max_dirty_pages_pct")
	q "SET GLOBAL innodb_max_dirty_pages_pct = 0"
	for _ in $(seq 1 1200); do
		dirty=$(q "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'" | cut -f2)
		[ "$dirty" -lt 1000 ] && break
		sleep 0.1
	done
	q "SET GLOBAL innodb_max_dirty_pages_pct = $pct"
}

# bare: seconds of the read-only join matching every saved card to its member (best of 2)
bare() {
	local best="" t0 t
	settle
	for _ in 1 2; do
		t0=$(now)
		q "SELECT COUNT(*) FROM card_keys ck JOIN contact_keys k ON k.ckey = ck.ckey
		   JOIN folder_entries e ON e.id = ck.entry_id" >/dev/null
		t=$(calc "$(now) - $t0")
		if [ -z "$best" ] || [ "$(calc "$t < $best")" = 1.0000 ]; then best=$t; fi
	done
	printf '%.2f' "$best"
}

# job NAME ARGS...: run the job, keep its summary; prints "secs scanned cards/s rss changed"
job() {
	local name=$1
	shift
	settle
	"$BUILD/batch/livecard-reconcile" --quiet "${CHUNK_ARG[@]}" "$@" >"$DIR/$name.out" 2>"$DIR/$name.err" ||
		{ cat "$DIR/$name.err" >&2; exit 1; }
	local out secs scanned rate rss changed
	out=$(cat "$DIR/$name.out")
	secs=$(printf '%s\n' "$out" | sed -n 's/.* in \([0-9.]*\) s.*/\1/p' | head -1)
	scanned=$(printf '%s\n' "$out" | sed -n 's/^  rows scanned *\([0-9]*\)$/\1/p')
	rate=$(printf '%.0f' "$(calc "$entries / $secs")")
	rss=$(printf '%s\n' "$out" | sed -n 's/^  peak memory *\([0-9]*\) KiB$/\1/p')
	changed=$(printf '%s\n' "$out" | awk '/^  (keys|owners|flags|savers)/ {n += $NF} END {print n + 0}')
	echo "$secs $scanned $rate $rss $changed"
}

write_report() {
	{
		echo "# livecard-reconcile benchmark"
		echo
		echo "Written by \`make bench-reconcile\` (bench/reconcile.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'),"
		echo "$(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, MariaDB $(mariadbd --version | awk '{print $3}'),"
		echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
		echo
		echo "Each size is a fresh private MariaDB filled by \`livecardctl seed --maintained --drift"
		echo "${DRIFT:-5}\`: member flags and savers lists as the web path keeps them, then ${DRIFT:-5} in"
		echo "1000 saved cards spoiled (owner lost, wrong owner, a flag flipped) and one savers row"
		echo "in 1000 lost, one extra per 1000 members. Rows, in the order they ran:"
		echo
		echo "- **nightly full pass**: the main row: a full pass over that database (it repairs the drift);"
		echo "- **no-change re-run**: the same again, nothing left to change;"
		echo "- **--since** after 1% of the saved cards changed (a new e-mail each, half of them a"
		echo "  member's), twice: behind the web path's back, so that the run must write each of"
		echo "  them, then a full pass that must find nothing; and through the web path, which"
		echo "  keeps owners, flags and savers as it goes (an untimed full pass stands in for it),"
		echo "  so that the run checks those cards and finds them right — the usual case;"
		echo "- **full pass after a restore**: every owner, flag and savers row wiped first (as"
		echo "  after restoring a backup without them), so the pass writes them all."
		echo
		echo "The bare join is the read-only \`SELECT COUNT(*) FROM card_keys JOIN contact_keys"
		echo "JOIN folder_entries\` that matches every saved card to its member, timed in the"
		echo "same run on the same data (best of two, before the nightly pass and after the re-run;"
		echo "the ratios use their mean). cards/s is saved cards in the database per second of"
		echo "the run. Peak memory is the job's own maximum resident set (its scratch tables live"
		echo "in the server: see the notes). Before each timed run the server writes out the pages"
		echo "the previous step left dirty (\`innodb_max_dirty_pages_pct = 0\` until fewer than 1,000"
		echo "are left), so a run pays for its own writes, not for the change made before it; the"
		echo "server runs with \`innodb_io_capacity = ${IO_CAPACITY:-4000}\` (an SSD; MariaDB's default of"
		echo "200 is for a spinning disk)."
		echo
		echo "| size | users / saved cards | run | seconds | rows scanned | cards/s | peak MiB | rows changed | vs bare join |"
		echo "|---|---|---|---|---|---|---|---|---|"
		local sz
		for sz in small large; do
			if [ -f "$WORK/reconcile-$sz.rows" ]; then
				sed -n -e '/^<!--/{s/^<!-- \(.*\) -->$/| '"$sz"' | measured \1 | | | | | | | |/p;d;}' -e '/^|/p' \
					"$WORK/reconcile-$sz.rows"
			fi
		done
		echo
		echo "Targets (2 cores): full pass at 1M users ≤ 120 s and ≤ 6× the bare join; no-change"
		echo "re-run ≤ 2× the bare join; the 1% --since run ≤ 5% of the full pass; growth linear."
		if [ -f "$TOP/bench/reconcile-notes.md" ]; then echo; cat "$TOP/bench/reconcile-notes.md"; fi
	} >"$REPORT"
}

for size in $SIZES; do
	[ "$size" = report ] && continue
	ROWS=()
	read -r users cards <<<"$(size_of "$size")"
	pool=${POOL:-4G}
	[ "$size" = large ] && pool=${POOL:-14G}
	say "$size: $users users, $cards saved cards (buffer pool $pool)"
	db_start "$size" "$pool"
	if [ "$REUSED" = 1 ]; then
		# the kept database's own seeding time, when its log is there
		seed_s=$(sed -n 's/^seeded in \([0-9]*\).* s;.*/\1/p' "$DIR/seed.log" 2>/dev/null | head -1)
		seed_s=${seed_s:-"(reused)"}
	else
		"$BUILD/batch/livecardctl" migrate >"$DIR/migrate.log"
		t0=$(now)
		"$BUILD/batch/livecardctl" seed --users "$users" --cards "$cards" --maintained --drift "${DRIFT:-5}" \
			>"$DIR/seed.log" 2>&1 || { cat "$DIR/seed.log" >&2; exit 1; }
		seed_s=$(printf '%.0f' "$(calc "$(now) - $t0")")
	fi
	entries=$(q "SELECT COUNT(*) FROM folder_entries")
	matched=$(q "SELECT COUNT(DISTINCT ck.entry_id) FROM card_keys ck JOIN contact_keys k ON k.ckey = ck.ckey")
	say "$size: seeded in $seed_s s ($entries entries, $matched of a member)"

	bare1=$(bare)
	say "$size: bare join $bare1 s; nightly full pass ..."
	read -r f_s f_rows f_rate f_rss f_chg <<<"$(job full)"
	say "$size: nightly full pass $f_s s ($f_chg rows changed); no-change re-run ..."
	read -r n_s n_rows n_rate n_rss n_chg <<<"$(job rerun)"
	bare2=$(bare)
	say "$size: bare join again $bare2 s"

	# change1 MOD: 1% of the saved cards (id % 100 = MOD) get a new e-mail,
	# half of them a member's (a different one each run, so that a reused
	# database changes too); prints how many cards changed
	salt=$RANDOM
	change1() {
		local m
		m=$(q "SELECT DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-%d %H:%i:%s')")
		sleep 1
		q "UPDATE folder_entries SET updated_at = UTC_TIMESTAMP() WHERE id % 100 = $1;
		   DELETE ck FROM card_keys ck JOIN folder_entries e ON e.id = ck.entry_id
		     WHERE e.id % 100 = $1 AND ck.ckey LIKE 'e:%';
		   INSERT INTO card_keys (entry_id, ckey, holder_id)
		     SELECT e.id, IF(e.id % 200 = $1, CONCAT('e:', u.email), CONCAT('e:changed', e.id, '-$salt@example.org')),
		       e.holder_id
		     FROM folder_entries e JOIN users u ON u.id = 1 + (e.id + $salt) % $users WHERE e.id % 100 = $1"
		echo "$m"
	}

	# 1% changed behind the web path's back: the --since run writes them all
	mark=$(change1 7)
	changed=$(q "SELECT COUNT(*) FROM folder_entries WHERE updated_at >= '$mark'")
	say "$size: $changed cards changed behind the web path's back; --since run ..."
	read -r s_s s_rows s_rate s_rss s_chg <<<"$(job since --since "$mark")"
	read -r a_s a_rows a_rate a_rss a_chg <<<"$(job after)"
	say "$size: --since $s_s s; full pass after it changed $a_chg rows"

	# 1% changed through the web path, the usual case: owners, flags and
	# savers follow at once (an untimed full pass stands in for the web
	# modules here), and the --since run checks those cards again
	mark=$(change1 37)
	say "$size: 1% changed again, kept by a full pass (untimed) ..."
	read -r _ _ _ _ k_chg <<<"$(job keep)"
	read -r w_s w_rows w_rate w_rss w_chg <<<"$(job since-kept --since "$mark")"
	say "$size: --since over cards the web path kept: $w_s s ($w_chg rows changed)"

	# a restore without the derived data: every owner, flag and savers row
	# gone (wiped in bounded transactions by owner id; not timed)
	if [ "${RESTORE:-1}" = 1 ]; then
		say "$size: wiping flags and savers ..."
		maxu=$(q "SELECT MAX(id) FROM users")
		for ((lo = 0; lo <= maxu; lo += 20000)); do
			q "UPDATE folder_entries FORCE INDEX (folder_entries_owner) SET owner_user_id = NULL,
			   owner_is_member = 0, owner_saved_my_card = 0 WHERE owner_user_id BETWEEN $lo AND $((lo + 19999));
			   DELETE FROM savers WHERE owner_id BETWEEN $lo AND $((lo + 19999))"
		done
		q "UPDATE folder_entries SET owner_is_member = 0, owner_saved_my_card = 0
		   WHERE owner_user_id IS NULL AND (owner_is_member <> 0 OR owner_saved_my_card <> 0)"
		say "$size: full pass after a restore ..."
		read -r r_s r_rows r_rate r_rss r_chg <<<"$(job restore)"
		say "$size: full pass after a restore $r_s s ($r_chg rows changed)"
	fi

	bare_avg=$(calc "($bare1 + $bare2) / 2")
	ratio() { printf '%.1f' "$(calc "$1 / $2")"; }
	nightly="nightly full pass (${DRIFT:-5}‰ drift)"
	[ "$REUSED" = 1 ] && nightly="full pass over the reused database (no fresh drift)"
	ROWS+=("| $size | $users / $entries | $nightly | $f_s | $f_rows | $f_rate | $((f_rss / 1024)) | $f_chg | $(ratio "$f_s" "$bare_avg")× |")
	ROWS+=("| $size | | no-change re-run | $n_s | $n_rows | $n_rate | $((n_rss / 1024)) | $n_chg | $(ratio "$n_s" "$bare_avg")× |")
	ROWS+=("| $size | | --since after $changed cards (1%) changed behind the web path's back (it writes them) | $s_s | $s_rows | $s_rate | $((s_rss / 1024)) | $s_chg | $(printf '%.1f' "$(calc "100 * $s_s / $f_s")")% of the nightly full pass$([ "${RESTORE:-1}" != 1 ] || printf ', %.1f%% of the restore pass' "$(calc "100 * $s_s / $r_s")") |")
	ROWS+=("| $size | | full pass after the --since run | $a_s | $a_rows | $a_rate | $((a_rss / 1024)) | $a_chg | $(ratio "$a_s" "$bare_avg")× ($a_chg changes: --since missed $([ "$a_chg" = 0 ] && echo nothing || echo something)) |")
	ROWS+=("| $size | | --since after $changed cards (1%) changed through the web path (it checks them) | $w_s | $w_rows | $w_rate | $((w_rss / 1024)) | $w_chg | $(printf '%.1f' "$(calc "100 * $w_s / $f_s")")% of the nightly full pass |")
	[ "${RESTORE:-1}" != 1 ] ||
		ROWS+=("| $size | | full pass after a restore (all flags, owners, savers wiped) | $r_s | $r_rows | $r_rate | $((r_rss / 1024)) | $r_chg | $(ratio "$r_s" "$bare_avg")× |")
	ROWS+=("| $size | | bare join (before / after) | $bare1 / $bare2 | $matched matched cards | | | | |")
	ROWS+=("| $size | | seeding (livecardctl seed) | $seed_s | | | | | |")
	# kept per size, so that a report made with one size keeps the other's last results
	{ echo "<!-- $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg) -->"
	  printf '%s\n' "${ROWS[@]}"; } >"$WORK/reconcile-$size.rows"
	db_stop
	[ "${KEEP:-0}" = 1 ] || rm -rf "$DIR"
	write_report
done

# SIZES=report: only rebuild the report from the last results of each size
[ "$SIZES" = report ] && write_report
say "wrote $REPORT"
cat "$REPORT"
