#!/usr/bin/env bash
# 090-fuzz-smoke.t: every fuzz harness (tests/fuzz/fuzz_*.c: request layer,
# JSON, DAV XML, CardDAV headers, images, vCards, and multipart once
# http_multipart_check exists) builds and runs its corpus, then fuzzes for
# FUZZ_SMOKE_SECONDS (default 8) without a crash, a leak or a timeout.
# The long runs are `make fuzz FUZZ_SECONDS=N` (docs/security.md).
. "$(dirname "$0")/../lib.sh"
command -v clang >/dev/null || { echo "1..0 # SKIP clang (libFuzzer) is not installed"; exit 0; }
secs=${FUZZ_SMOKE_SECONDS:-8}
cd "$TOP" || bail "no source tree"

out=$(make --no-print-directory -s BUILD="$BUILD" fuzz-build 2>&1)
ok $? "the fuzz harnesses build" || diag "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for f in "$BUILD"/fuzz/fuzz_*; do
	[ -x "$f" ] && [ -f "$f" ] || continue
	name=$(basename "$f")
	corpus=tests/fuzz/corpus/${name#fuzz_}
	mkdir -p "$work/$name"
	# the seed corpus alone: every seed runs clean
	"$f" -runs=0 -timeout=25 "$corpus" >"$work/$name.seeds" 2>&1
	ok $? "$name: its seed corpus runs clean" || tail -20 "$work/$name.seeds" | sed 's/^/# /'
	# then a few seconds of fuzzing, new inputs kept in a scratch corpus
	"$f" -max_total_time="$secs" -max_len=65536 -timeout=25 -rss_limit_mb=2048 \
		-artifact_prefix="$work/$name-" -print_final_stats=1 "$work/$name" "$corpus" \
		>"$work/$name.log" 2>&1
	st=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$name.log")
	ok $st "$name: ${secs}s of fuzzing, ${execs:-?} inputs, no crash" ||
		grep -E 'ERROR|runtime error|SUMMARY|#[0-9] ' "$work/$name.log" | head -20 | sed 's/^/# /'
done
done_testing
