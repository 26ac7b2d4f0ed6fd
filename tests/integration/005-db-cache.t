#!/usr/bin/env bash
# 005-db-cache.t: lib/db.c's statement cache is keyed by the SQL text, not the caller's pointer (tests/unit/t_db.c against the stack's MariaDB).
. "$(dirname "$0")/../lib.sh"
T=$BUILD/tests/unit/db.t
[ -x "$T" ] || make -s -C "$TOP" BUILD="$BUILD" "$T" >/dev/null || bail "cannot build $T"
stack_up

out=$(LIVECARD_CONF=$VARDIR/livecard.hdf ASAN_OPTIONS=detect_leaks=0 "$T" 2>&1)
st=$?
printf '%s\n' "$out" | sed 's/^/# /'
is "$st" 0 "t_db passes against the stack's database"
like "$out" "ok [0-9]+ - a different text in the same buffer is prepared anew" "the same-buffer case ran"
is "$(printf '%s\n' "$out" | grep -c '^not ok')" 0 "no test point of t_db failed"
done_testing
