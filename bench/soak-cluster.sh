#!/usr/bin/env bash
# soak-cluster.sh: `make soak-cluster`: the soak mix's throughput (bench/soak.lua, no faults) on one stack, then on the Galera cluster (both web nodes at once), back to back on this machine, with the load average; appends one table row per target to bench/soak-cluster.md.
#
# SOAK_TARGET=single|cluster runs one of them (the make target runs both, a
# fresh stack or cluster each). Settings: SOAK_SECONDS (30), SOAK_CONNS (64:
# on the cluster half of them at each web node), SOAK_WRITERS (8).
# Requests are counted by wrk; "non-2xx" are answers other than 2xx (a
# certification conflict retried into a 200 counts as a 200).
if [ -z "${SOAK_TARGET:-}" ]; then
	st=0
	for t in single cluster; do
		SOAK_TARGET=$t "$0" || st=1
	done
	exit $st
fi
LIVECARD_MODE=nginx
if [ "$SOAK_TARGET" = cluster ]; then
	. "$(dirname "$0")/../tests/cluster/lib.sh"
else
	. "$(dirname "$0")/../tests/lib.sh"
fi
SAY_AS=soak-cluster
. "$TOP/bench/common.sh"
SECS=${SOAK_SECONDS:-30}
CONNS=${SOAK_CONNS:-64}
NWRITERS=${SOAK_WRITERS:-8}
OUT=${SOAK_CLUSTER_REPORT:-$BENCH_DIR/soak-cluster.md}
command -v wrk >/dev/null || die "wrk is missing (apt-get install wrk; it is in DEB_TEST)"

if [ "$SOAK_TARGET" = cluster ]; then
	cluster_up
	on 1
else
	stack_up
fi
say "$SOAK_TARGET up; seeding"
SOAK_WRITERS=$NWRITERS soak_seed

# wrk_at URL CONNS OUT: the mix against one front
wrk_at() {
	SOAK_READER=$READER SOAK_COOKIE=$COOKIE SOAK_PUBLIC=$PUBLIC SOAK_WRITERS=$WRITER_TOKENS \
		SOAK_CARD_FILE=$BENCH_DIR/card.json SOAK_RUN=$$-$RANDOM \
		wrk -t"$4" -c"$2" -d"$SECS"s --timeout 10s -s "$BENCH_DIR/soak.lua" "$1" >"$3" 2>&1
}
field() { sed -n 's/^SOAK total.* '"$2"'=\([^ ]*\).*/\1/p' "$1"; }
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
say "$SECS s of the soak mix at $CONNS connections ($SOAK_TARGET)"
if [ "$SOAK_TARGET" = cluster ]; then
	half=$((CONNS / 2))
	wrk_at "http://127.0.0.1:$((BASE + 20))/" "$half" "$CLUSTER_DIR/wrk.1" 1 &
	w1=$!
	wrk_at "http://127.0.0.1:$((BASE + 30))/" "$half" "$CLUSTER_DIR/wrk.2" 1 &
	w2=$!
	wait "$w1" "$w2"
	outs=("$CLUSTER_DIR/wrk.1" "$CLUSTER_DIR/wrk.2")
else
	wrk_at "$B/" "$CONNS" "$VARDIR/wrk.1" 2
	outs=("$VARDIR/wrk.1")
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
req=0 dur=0 bad="" p50="" p99=""
for f in "${outs[@]}"; do
	grep -q '^SOAK total' "$f" || { sed 's/^/# /' "$f"; bail "wrk did not finish"; }
	req=$((req + $(field "$f" requests)))
	d=$(field "$f" duration_us)
	[ "$d" -gt "$dur" ] && dur=$d
	bad="$bad$(field "$f" codes) "
	p50="$p50$(ms "$(field "$f" p50_us)")/"
	p99="$p99$(ms "$(field "$f" p99_us)")/"
done
rps=$(awk -v r="$req" -v d="$dur" 'BEGIN { printf "%.0f", r / (d / 1e6) }')
ok "$([ "$req" -gt 0 ]; echo $?)" "$SOAK_TARGET: $req requests in $SECS s, $rps/s, p50 ${p50%/} ms, p99 ${p99%/} ms, non-2xx: ${bad% }"
diag "load average (1, 5, 15 min) before: $load_before, after: $load_after"
[ -s "$OUT" ] || {
	echo "# The soak mix on one stack and on the cluster (make soak-cluster)"
	echo
	echo "bench/soak-cluster.sh: bench/soak.lua's mix without faults, $CONNS connections (on the cluster half at each web node), one target after the other on the same machine."
	echo
	echo "| when (UTC) | target | CPUs | seconds | requests | requests/s | p50 ms | p99 ms | non-2xx | load average before → after |"
	echo "|---|---|---|---|---|---|---|---|---|---|"
} >"$OUT"
echo "| $(date -u '+%Y-%m-%d %H:%M') | $SOAK_TARGET | $(nproc) | $SECS | $req | $rps | ${p50%/} | ${p99%/} | ${bad% } | $load_before → $load_after |" >>"$OUT"
diag "appended to $OUT"
done_testing
