#!/usr/bin/env bash
# roundtrips.sh: MariaDB round trips per request of one page on a held bench stack (BENCH_HOLD=1 make bench), counted in the server's general log.
#
#   bench/roundtrips.sh ENVFILE PATH [N] [curl options...]
#
# Makes one probe request, then turns MariaDB's general log on (into the
# mysql.general_log table), watches one idle second to learn the background
# connections (the outbox and OCR workers' pollers), makes N (20) requests
# through nginx and turns the log off. Every command the other connections
# sent (Execute, Query, Prepare, ...; not Connect/Quit) is one round trip of
# the page's program: printed per request, then the statements themselves
# with their counts. Only this stack's programs talk to its MariaDB.
set -eu
ENVFILE=$1 URLPATH=$2 N=${3:-20}
shift 2
[ $# -gt 0 ] && shift
. "$ENVFILE"
sql() { mariadb --no-defaults --socket="$VARDIR/run/mysqld.sock" -uroot -N -B mysql -e "$1"; }
code=$(curl -s -o /dev/null -w '%{http_code}' "$@" "$B$URLPATH")
case $code in 2*) ;; *) echo "roundtrips: $URLPATH answered $code" >&2; exit 1 ;; esac
sql "SET GLOBAL log_output = 'TABLE'; SET GLOBAL general_log = 0; TRUNCATE general_log; SET GLOBAL general_log = 1"
sleep 1
sql "SELECT 'roundtrips-mark'" >/dev/null
for _ in $(seq 1 "$N"); do curl -s -o /dev/null "$@" "$B$URLPATH"; done
sql "SET GLOBAL general_log = 0"
# the page's commands: after the mark, not from a connection seen before it
# (pollers) nor from these control connections
sql "CREATE TEMPORARY TABLE g AS SELECT event_time, thread_id, command_type, CONVERT(argument USING utf8mb4) AS arg FROM general_log;
     SET @mark = (SELECT MIN(event_time) FROM g WHERE arg LIKE '%roundtrips-mark%' AND arg NOT LIKE '%general_log%');
     CREATE TEMPORARY TABLE bg AS SELECT DISTINCT thread_id FROM g WHERE event_time < @mark OR arg LIKE '%general_log%' OR arg LIKE '%roundtrips-mark%';
     CREATE TEMPORARY TABLE p AS SELECT command_type, arg FROM g WHERE event_time >= @mark
       AND command_type NOT IN ('Connect', 'Quit') AND thread_id NOT IN (SELECT thread_id FROM bg);
     SELECT CONCAT('$URLPATH: ', ROUND(COUNT(*) / $N, 2), ' round trips per request ($N requests)') FROM p;
     SELECT CONCAT('  ', ROUND(COUNT(*) / $N, 2), ' x ', command_type, ' ', LEFT(REGEXP_REPLACE(arg, '[[:space:]]+', ' '), 110))
       FROM p GROUP BY command_type, REGEXP_REPLACE(arg, '''[^'']*''', '?') ORDER BY COUNT(*) DESC LIMIT 12"
