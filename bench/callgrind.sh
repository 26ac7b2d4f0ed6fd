#!/usr/bin/env bash
# callgrind.sh: instructions per request of one page, counted by callgrind in a FastCGI worker of a held bench stack (BENCH_HOLD=1 make bench).
#
#   bench/callgrind.sh ENVFILE PROGRAM PATH [N] [curl options...]
#
# ENVFILE is the bench.env a held `make bench` writes (B, VARDIR, ...).
# PROGRAM's workers are replaced by one worker under callgrind on the same
# socket; after one probe and 20 warm-up requests N (200) more are made
# through nginx, and the instructions of the worker's accept loop (accept,
# request, cleanup; not its start-up) divided by all of them are printed
# (the first request's template parse and statement preparation are spread
# over the rest, a few thousand instructions each); the profile is kept
# as VARDIR/callgrind.PROGRAM.out.PID* (callgrind_annotate it). Then PROGRAM is
# started again as the stack does. Instruction counts hardly move with the
# machine's load, unlike times: compare builds with them.
set -eu
ENVFILE=$1 PROG=$2 URLPATH=$3 N=${4:-200}
shift 3
[ $# -gt 0 ] && shift
. "$ENVFILE"
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
PORT=${B##*:}
stack() { PORT=$PORT VARDIR=$VARDIR BUILD=$BUILD MODE=nginx "$TOP/conf/stack" "$@"; }
OUT=$VARDIR/callgrind.$PROG.out
SOCK=$VARDIR/run/$PROG.sock

stack svc stop "$PROG" >/dev/null
rm -f "$SOCK" "$OUT".*
LIVECARD_CONF=$VARDIR/livecard.hdf valgrind --tool=callgrind --callgrind-out-file="$OUT.%p" \
	"$BUILD/cgi-bin/$PROG" --socket "$SOCK" --workers 1 >>"$VARDIR/log/callgrind.log" 2>&1 &
VPID=$!
restore() {
	kill -TERM "$VPID" 2>/dev/null || true
	wait "$VPID" 2>/dev/null || true
	rm -f "$SOCK"
	stack svc start "$PROG" >/dev/null
}
trap restore EXIT
for _ in $(seq 1 300); do [ -S "$SOCK" ] && break; sleep 0.1; done
code=$(curl -s -o "$VARDIR/callgrind.body" -w '%{http_code}' "$@" "$B$URLPATH")
case $code in 2*) ;; *) echo "callgrind: $URLPATH answered $code" >&2; exit 1 ;; esac
for _ in $(seq 1 20); do curl -s -o /dev/null "$@" "$B$URLPATH"; done
WPID=$(pgrep -P "$VPID" | head -1)
for _ in $(seq 1 "$N"); do curl -s -o /dev/null "$@" "$B$URLPATH"; done
# the worker's profile is written when it ends
kill -TERM "$VPID"
wait "$VPID" 2>/dev/null || true
F=$OUT.$WPID
# the worker's accept loop (its start-up excluded) over all 1 + 20 + N requests
IR=$(callgrind_annotate --inclusive=yes "$F" 2>/dev/null | awk '/lib\/app.c:worker_loop / { gsub(",", "", $1); print $1; exit }')
T=$((N + 21))
echo "$PROG $URLPATH: $((IR / T)) instructions per request ($T requests; profile $F)"
