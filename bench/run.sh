#!/usr/bin/env bash
# run.sh: `make bench`: a private stack, seeded, each case driven by wrk next to static-file and FastCGI baselines through the same nginx; writes bench/report.md.
#
# Settings (environment): BENCH_SECONDS (6 per case and connection count),
# BENCH_CONNS ("1 32 128"; 1 shows the time one request takes), BENCH_THREADS (2), BENCH_WARMUP (1 s),
# BENCH_ENTRIES (500 folder entries), BENCH_WRITERS (8 members writing
# their cards), BENCH_SEED_USERS/BENCH_SEED_CARDS (background data through
# `livecardctl seed` when it exists), BENCH_REPORT (bench/report.md),
# BENCH_EXTRA ("fanout reconcile": the other bench targets to run when the
# GNUmakefile has them; empty for none), BENCH_CASES (the cases to run),
# BENCH_HOLD (1: keep the seeded stack up for profiling, see README.md), BENCH_PERF (1: perf profile of the
# public page and folder page cases into VARDIR, kept with BENCH_KEEP=1).
# the baselines and the fault injection are wired through nginx and its sockets
LIVECARD_MODE=nginx
. "$(dirname "$0")/../tests/lib.sh"
SAY_AS=bench
. "$TOP/bench/common.sh"
SECS=${BENCH_SECONDS:-6}
CONNS=${BENCH_CONNS:-1 32 128}
THREADS=${BENCH_THREADS:-2}
WARMUP=${BENCH_WARMUP:-1}
ENTRIES=${BENCH_ENTRIES:-500}
WRITERS=${BENCH_WRITERS:-8}
SEED_USERS=${BENCH_SEED_USERS:-2000}
SEED_CARDS=${BENCH_SEED_CARDS:-20000}
REPORT=${BENCH_REPORT:-$BENCH_DIR/report.md}
EXTRA=${BENCH_EXTRA-fanout reconcile}
HELLO=$BUILD/bench/hello
ONEQUERY=$BUILD/bench/onequery
HZ=$(getconf CLK_TCK)
MAKE=${MAKE:-make}
WORKERS=${WORKERS:-2}

command -v wrk >/dev/null || die "wrk is missing (apt-get install wrk; it is in DEB_TEST)"
[ -x "$HELLO" ] || die "$HELLO is missing: run 'make bench'"
[ -x "$ONEQUERY" ] || die "$ONEQUERY is missing: run 'make bench'"

# --- the stack, with the baselines added to its nginx ------------------------

# bench_cleanup: stop the baseline programs, then the stack.
bench_cleanup() {
	local p
	for p in hello hello-raw onequery; do
		[ -f "$VARDIR/run/$p.pid" ] || continue
		kill -TERM "$(cat "$VARDIR/run/$p.pid")" 2>/dev/null || true
		rm -f "$VARDIR/run/$p.pid"
	done
	if [ "${BENCH_KEEP:-0}" = 1 ] && [ "$STACK_UP" = 1 ]; then
		stack stop >/dev/null 2>&1 || true
		STACK_UP=0
		say "kept $VARDIR"
	fi
	stack_down
}

# wait_sock PATH: up to 10 s for a unix socket to appear.
wait_sock() {
	local i
	for i in $(seq 1 100); do
		[ -S "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# baselines_up STATIC_SOURCE: a static copy of the public page (same bytes),
# the two hello programs and the bare one-query page, behind locations
# appended to this run's generated nginx file only (conf/nginx/ is not touched).
baselines_up() {
	local src=$1 run=$VARDIR/run
	mkdir -p "$VARDIR/bench"
	cp "$src" "$VARDIR/bench/static.html"
	LIVECARD_CONF=$VARDIR/livecard.hdf "$HELLO" --socket "$run/hello.sock" --workers "$WORKERS" \
		>>"$VARDIR/log/hello.log" 2>&1 &
	echo $! >"$run/hello.pid"
	"$HELLO" --raw --socket "$run/hello-raw.sock" --workers "$WORKERS" >>"$VARDIR/log/hello-raw.log" 2>&1 &
	echo $! >"$run/hello-raw.pid"
	LIVECARD_CONF=$VARDIR/livecard.hdf "$ONEQUERY" --socket "$run/onequery.sock" --workers "$WORKERS" \
		>>"$VARDIR/log/onequery.log" 2>&1 &
	echo $! >"$run/onequery.pid"
	wait_sock "$run/hello.sock" && wait_sock "$run/hello-raw.sock" && wait_sock "$run/onequery.sock" ||
		die "the FastCGI baselines did not start"
	stack svc stop nginx
	cat >>"$VARDIR/livecard-nginx.conf" <<EOF
# added by bench/run.sh for this run only: the baselines
location = /bench/static.html {
    root $VARDIR;
}
location = /bench/hello {
    include fastcgi_params;
    fastcgi_param DOCUMENT_URI \$uri;
    fastcgi_pass unix:$run/hello.sock;
}
location = /bench/hello-raw {
    include fastcgi_params;
    fastcgi_param DOCUMENT_URI \$uri;
    fastcgi_pass unix:$run/hello-raw.sock;
}
location ^~ /bench/onequery/ {
    include fastcgi_params;
    fastcgi_param DOCUMENT_URI \$uri;
    fastcgi_pass unix:$run/onequery.sock;
}
EOF
	stack svc start nginx >/dev/null || die "nginx did not restart with the bench locations"
}

# --- seeding -------------------------------------------------------------------

SEEDED="no background data (livecardctl has no seed command yet)"
seed_background() {
	if "$BUILD/batch/livecardctl" 2>&1 | grep -q '^ *seed'; then
		say "livecardctl seed --users $SEED_USERS --cards $SEED_CARDS"
		local t0=$SECONDS
		if LIVECARD_CONF=$VARDIR/livecard.hdf "$BUILD/batch/livecardctl" seed \
			--users "$SEED_USERS" --cards "$SEED_CARDS" >"$VARDIR/log/seed.log" 2>&1; then
			SEEDED="\`livecardctl seed --users $SEED_USERS --cards $SEED_CARDS\` ($((SECONDS - t0)) s) as background data"
		else
			SEEDED="\`livecardctl seed\` failed (\`$(tail -1 "$VARDIR/log/seed.log")\`): no background data"
		fi
	fi
}

MAIN_TOKEN="" PUBLIC_PATH="" SESSION="" WRITER_TOKENS="" IMPORTED=0
seed() {
	seed_background
	signup_verified bench@example.com "Bench Member" || die "cannot make the bench member"
	MAIN_TOKEN=$TOKEN
	put_card 0
	if [ "$STATUS" = 200 ]; then PUBLIC_PATH=$(public_path); else
		say "PUT /api/v1/card: HTTP $STATUS (mycard not there yet?)"
	fi
	IMPORTED=$(import_folder "$ENTRIES")
	SESSION=$(session_cookie bench@example.com password-bench@example.com)
	[ -n "$SESSION" ] || say "no session cookie from the sign-in form"
	WRITER_TOKENS=$(make_writers "$WRITERS")
}

# --- running the cases ---------------------------------------------------------

RESULTS=""	# set by stack_up's VARDIR: $VARDIR/results.tsv

# case_env NAME: the request of a case, as the environment of bench/wrk.lua;
# sets C_PATH, C_DESC and exports BENCH_*. Returns 1 when the case cannot run.
case_env() {
	BENCH_METHOD=GET BENCH_HEADERS="" BENCH_BODY_FILE="" BENCH_TOKENS=""
	case $1 in
	static) C_PATH=/bench/static.html C_DESC="static file, size of the public page (nginx alone)" ;;
	hello) C_PATH=/bench/hello C_DESC="FastCGI baseline: one-route program on lib's request loop" ;;
	hello-raw) C_PATH=/bench/hello-raw C_DESC="bare libfcgi hello (FCGX_Accept_r loop only)" ;;
	onequery) C_PATH=/bench/onequery/${PUBLIC_PATH##*/} C_DESC="bare one-query page (bench/onequery.c): libfcgi, one prepared SELECT by the share token, a ClearSilver render of 5 fields"
		[ -n "$PUBLIC_PATH" ] || return 1 ;;
	public) C_PATH=$PUBLIC_PATH C_DESC="public card page /c/{token}"
		[ -n "$PUBLIC_PATH" ] || return 1 ;;
	card-get) C_PATH=/api/v1/card C_DESC="GET /api/v1/card, bearer token"
		BENCH_HEADERS="Authorization: Bearer $MAIN_TOKEN" ;;
	folder-page) C_PATH="/folder?limit=500" C_DESC="folder page, $IMPORTED entries, session cookie"
		BENCH_HEADERS="Cookie: lc_session=$SESSION"
		[ -n "$SESSION" ] || return 1 ;;
	folder-page-50) C_PATH="/folder" C_DESC="folder page as first shown (its default page size), session cookie"
		BENCH_HEADERS="Cookie: lc_session=$SESSION"
		[ -n "$SESSION" ] || return 1 ;;
	folder-search) C_PATH="/api/v1/folder?q=zhang" C_DESC="folder search GET /api/v1/folder?q=zhang, bearer token"
		BENCH_HEADERS="Authorization: Bearer $MAIN_TOKEN" ;;
	card-put) C_PATH=/api/v1/card C_DESC="PUT /api/v1/card with If-Match: *, $WRITERS members, each write a new revision"
		BENCH_METHOD=PUT BENCH_HEADERS=$'Content-Type: application/json\nIf-Match: *'
		BENCH_BODY_FILE=$BENCH_DIR/card.json BENCH_TOKENS=$WRITER_TOKENS ;;
	*) return 1 ;;
	esac
	export BENCH_METHOD BENCH_HEADERS BENCH_BODY_FILE BENCH_TOKENS
}

# probe: one request of the case with curl; prints "STATUS SECONDS".
probe() {
	local args=(-s -o "$VARDIR/probe.body" -w '%{http_code} %{time_total}' -X "$BENCH_METHOD") line
	while IFS= read -r line; do
		[ -n "$line" ] && args+=(-H "$line")
	done <<<"$BENCH_HEADERS"
	if [ -n "$BENCH_TOKENS" ]; then
		args+=(-H "Authorization: Bearer $(printf '%s' "$BENCH_TOKENS" | awk '{print $1}')")
	fi
	if [ -n "$BENCH_BODY_FILE" ]; then
		sed 's/@N@/probe/' "$BENCH_BODY_FILE" >"$VARDIR/probe.req"
		args+=(--data-binary @"$VARDIR/probe.req")
	fi
	curl "${args[@]}" "$B$C_PATH"
}

# drain: after a run, the seconds one request of the case takes (the work
# left queued behind: requests whose clients wrk dropped at the end are
# still served), then wait until two in a row answer within 0.25 s (at most
# 60 s), so that each run measures its own load only.
drain() {
	local first="" t quick=0 i
	for i in $(seq 1 240); do
		t=$(probe)
		t=${t#* }
		[ -n "$first" ] || first=$t
		if awk -v t="$t" 'BEGIN { exit !(t < 0.25) }'; then
			quick=$((quick + 1))
			[ "$quick" -ge 2 ] && break
		else
			quick=0
		fi
	done
	printf '%s' "$first"
}

# case_prog NAME: the FastCGI program a case exercises ("" for none).
case_prog() {
	case $1 in
	hello | hello-raw | onequery) echo "$1" ;;
	public) echo share ;;
	card-get | card-put) echo mycard ;;
	folder-*) echo folder ;;
	*) echo "" ;;
	esac
}

# cpu_ticks NAME: CPU time (user + system, clock ticks) used so far by the
# workers of program NAME (the children of its pid file's process), or by
# that process itself when it has none (mariadbd: "db").
cpu_ticks() {
	local sup pids p s=0
	sup=$(cat "$VARDIR/run/$1.pid" 2>/dev/null) || { echo 0; return; }
	pids=$(pgrep -P "$sup")
	[ -n "$pids" ] || pids=$sup
	for p in $pids; do
		s=$((s + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
	done
	echo "$s"
}

# wrk_run CONNS SECONDS: run wrk with the exported case; prints the BENCH line.
wrk_run() {
	local t=$THREADS
	[ "$1" -lt "$t" ] && t=$1
	wrk -t"$t" -c"$1" -d"$2"s --timeout 5s -s "$BENCH_DIR/wrk.lua" "$B$C_PATH" 2>&1 |
		grep '^BENCH ' || echo "BENCH failed=1"
}

# field LINE KEY: the value of key=value in a BENCH line.
field() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

# perf_case NAME CONNS: BENCH_PERF=1 records the case's FastCGI workers.
perf_case() {
	local prog=$1 c=$2 sup pids
	sup=$(cat "$VARDIR/run/$prog.pid" 2>/dev/null) || return 0
	pids=$(pgrep -P "$sup" | paste -sd, -)
	[ -n "$pids" ] || return 0
	perf record -q -g -o "$VARDIR/perf-$NAME-$c.data" -p "$pids" -- sleep "$SECS" >/dev/null 2>&1 &
	PERF_PID=$!
}

# run_case NAME [LABEL]: warm up, then SECS at each connection count; one
# results row per count (or a "skipped" row).
run_case() {
	local name=$1 label=${2:-$1} c line status
	NAME=$name
	if ! case_env "$name"; then
		printf '%s\t-\tskipped\tendpoint not available yet\t%s\n' "$label" "${C_DESC:-}" >>"$RESULTS"
		say "$label: skipped (endpoint not available yet)"
		return
	fi
	status=$(probe)
	status=${status%% *}
	if [ "${status:0:1}" != 2 ]; then
		printf '%s\t-\tskipped\tprobe answered HTTP %s\t%s\n' "$label" "$status" "$C_DESC" >>"$RESULTS"
		say "$label: skipped (probe answered $status: $(head -c 200 "$VARDIR/probe.body"))"
		return
	fi
	wrk_run 8 "$WARMUP" >/dev/null
	drain >/dev/null
	for c in $CONNS; do
		PERF_PID=""
		if [ "${BENCH_PERF:-0}" = 1 ] && [ "$c" = 32 ]; then
			case $name in
			public) perf_case share "$c" ;;
			folder-page | folder-page-50 | folder-search) perf_case folder "$c" ;;
			card-get | card-put) perf_case mycard "$c" ;;
			esac
		fi
		local prog p0 d0 n0 p1 d1 n1 req
		prog=$(case_prog "$name")
		p0=$(cpu_ticks "${prog:-none}") d0=$(cpu_ticks db) n0=$(cpu_ticks nginx)
		line=$(wrk_run "$c" "$SECS")
		p1=$(cpu_ticks "${prog:-none}") d1=$(cpu_ticks db) n1=$(cpu_ticks nginx)
		req=$(field "$line" requests)
		if [ -n "$req" ] && [ "$req" -gt 0 ]; then
			line="$line $(awk -v r="$req" -v hz="$HZ" -v p=$((p1 - p0)) -v d=$((d1 - d0)) -v n=$((n1 - n0)) \
				'BEGIN { printf "cpu_prog_us=%.0f cpu_db_us=%.0f cpu_nginx_us=%.0f", p * 1e6 / hz / r, d * 1e6 / hz / r, n * 1e6 / hz / r }')"
		fi
		[ -n "$PERF_PID" ] && wait "$PERF_PID"
		line="$line after_s=$(drain)"
		printf '%s\t%s\tok\t%s\t%s\n' "$label" "$c" "$line" "$C_DESC" >>"$RESULTS"
		say "$label c=$c: $(field "$line" requests) requests, p50 $(field "$line" p50_us) us, p99 $(field "$line" p99_us) us, non-2xx $(field "$line" non2xx)"
	done
}

# --- resident memory ------------------------------------------------------------

# rss_table: one row per worker of each FastCGI program of the stack.
rss_table() {
	local p sup w rss hwm pss priv
	for p in $(cd "$BUILD/cgi-bin" && ls | grep -v '\.o$') hello hello-raw onequery; do
		sup=$(cat "$VARDIR/run/$p.pid" 2>/dev/null) || continue
		for w in $(pgrep -P "$sup"); do
			rss=$(awk '/^VmRSS/ {print $2}' "/proc/$w/status")
			hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$w/status")
			pss=$(awk '/^Pss:/ {print $2}' "/proc/$w/smaps_rollup" 2>/dev/null)
			priv=$(awk '/^Private_(Clean|Dirty):/ {s += $2} END {print s}' "/proc/$w/smaps_rollup" 2>/dev/null)
			printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$p" "$w" "$rss" "$hwm" "${pss:-0}" "${priv:-0}"
		done
	done
}

# --- the other benchmarks ---------------------------------------------------------

# extra_benches: `make bench-NAME` for each NAME of BENCH_EXTRA whose target
# exists, output kept for the report.
extra_benches() {
	local n
	for n in $EXTRA; do
		if ! (cd "$TOP" && $MAKE -n "bench-$n" >/dev/null 2>&1); then
			printf 'missing\n' >"$VARDIR/extra-$n.status"
			continue
		fi
		say "make bench-$n"
		if (cd "$TOP" && $MAKE --no-print-directory "bench-$n") >"$VARDIR/extra-$n.out" 2>&1; then
			echo ok >"$VARDIR/extra-$n.status"
		else
			echo "failed ($?)" >"$VARDIR/extra-$n.status"
		fi
	done
}

# --- the report -----------------------------------------------------------------


# report: bench/report.md from results.tsv, rss.tsv and the extra outputs.
report() {
	local out=$REPORT.tmp
	# cpu_sum LINE: program + MariaDB + nginx CPU µs per request of a BENCH line
	cpu_sum() { awk -v a="$(field "$1" cpu_prog_us)" -v b="$(field "$1" cpu_db_us)" -v c="$(field "$1" cpu_nginx_us)" 'BEGIN { print a + b + c }'; }
	{
		echo "# livecard benchmarks"
		echo
		echo "Generated by \`make bench\` (bench/run.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'):"
		echo "$(nproc) CPUs ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(free -m | awk '/^Mem:/ {print $2}') MB memory,"
		echo "Linux $(uname -r), $(nginx -v 2>&1 | sed 's/.*: //'), MariaDB $(mariadbd --version 2>/dev/null | sed 's/.*Ver \([^ ]*\).*/\1/'), wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}')."
		echo
		echo "Everything runs on this one machine: wrk (${THREADS} threads), nginx (2 workers), $WORKERS FastCGI"
		echo "workers per program and MariaDB share the CPUs, so absolute numbers move from run"
		echo "to run and machine to machine; compare the ratios to the baselines measured in the"
		echo "same run through the same nginx. Each case ran ${SECS} s per connection count after a"
		echo "${WARMUP} s warm-up; latency percentiles are wrk's. Load average before the run: $LOAD_BEFORE,"
		echo "at its end: $LOAD_AFTER (anything above what the run itself adds is other work on the machine)."
		echo "The CPU columns are the user + system time the case's FastCGI workers, mariadbd and"
		echo "the nginx workers used during the run, per request served (from /proc/PID/stat): they"
		echo "depend far less than req/s and latency on what else the machine is doing."
		echo "Seeded through the API: one member with a full card (bench/card.json) and"
		echo "$IMPORTED folder entries imported from a generated vCard file (bench/gen-vcards.py),"
		echo "$WRITERS more members for the writes; $SEEDED."
		echo
		echo "## Results"
		echo
		echo "Ratios: **vs bare hello** is req/s against the bare libfcgi hello (hello-raw) and"
		echo "**vs one-query** against the bare one-query page (onequery), both of this run at the"
		echo "same connection count (the mean where a baseline was measured twice); **CPU vs public**"
		echo "is the case's whole CPU per request (program + MariaDB + nginx) against the public card page's."
		echo
		echo "| case | conns | req/s | p50 ms | p99 ms | max ms | non-2xx | socket errors | vs bare hello | vs one-query | CPU µs/request: program, MariaDB, nginx | CPU vs public | next request after the run, ms |"
		echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|"
	} >"$out"
	# the baselines' rates per connection count (the mean when measured twice),
	# and the public page's CPU per request
	declare -A raw oneq pubcpu
	local label c state line desc req dur rps cpu
	while IFS=$'\t' read -r label c state line desc; do
		[ "$state" = ok ] || continue
		req=$(field "$line" requests) dur=$(field "$line" duration_us)
		[ -n "$req" ] || continue
		rps=$(awk -v r="$req" -v d="$dur" 'BEGIN { printf "%.1f", r / (d / 1e6) }')
		case $label in
		hello-raw | "hello-raw (again)") raw[$c]=$(awk -v a="${raw[$c]:-}" -v b="$rps" 'BEGIN { print (a == "") ? b : (a + b) / 2 }') ;;
		onequery | "onequery (again)") oneq[$c]=$(awk -v a="${oneq[$c]:-}" -v b="$rps" 'BEGIN { print (a == "") ? b : (a + b) / 2 }') ;;
		public) pubcpu[$c]=$(cpu_sum "$line") ;;
		esac
	done <"$RESULTS"
	local errs_total=0 err_cases=""
	declare -A rps_of p99_of cpu_of
	while IFS=$'\t' read -r label c state line desc; do
		if [ "$state" != ok ]; then
			printf '| %s | - | skipped: %s | | | | | | | | | | |\n' "$label" "$line" >>"$out"
			continue
		fi
		if [ "$(field "$line" failed)" = 1 ]; then
			printf '| %s | %s | wrk failed | | | | | | | | | | |\n' "$label" "$c" >>"$out"
			errs_total=$((errs_total + 1))
			continue
		fi
		req=$(field "$line" requests) dur=$(field "$line" duration_us)
		rps=$(awk -v r="$req" -v d="$dur" 'BEGIN { printf "%.0f", r / (d / 1e6) }')
		local non2xx sock rratio oratio cratio codes
		non2xx=$(field "$line" non2xx)
		sock=$(($(field "$line" connect) + $(field "$line" read) + $(field "$line" write) + $(field "$line" timeout)))
		codes=$(field "$line" codes)
		[ "$codes" != "-" ] && non2xx="$non2xx ($codes)"
		errs_total=$((errs_total + $(field "$line" non2xx) + sock))
		[ $(($(field "$line" non2xx) + sock)) -gt 0 ] && err_cases="$err_cases $label at $c: $(($(field "$line" non2xx) + sock)) ($codes);"
		rratio=$(awk -v r="$req" -v d="$dur" -v b="${raw[$c]:-0}" 'BEGIN { if (b > 0) printf "%.1f %%", 100 * r / (d / 1e6) / b; else print "-" }')
		oratio=$(awk -v r="$req" -v d="$dur" -v b="${oneq[$c]:-0}" 'BEGIN { if (b > 0) printf "%.0f %%", 100 * r / (d / 1e6) / b; else print "-" }')
		cpu=$(cpu_sum "$line")
		cratio=$(awk -v x="$cpu" -v b="${pubcpu[$c]:-0}" 'BEGIN { if (b > 0) printf "%.2f×", x / b; else print "-" }')
		printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$c" "$rps" \
			"$(ms "$(field "$line" p50_us)")" "$(ms "$(field "$line" p99_us)")" "$(ms "$(field "$line" max_us)")" \
			"$non2xx" "$sock" "$rratio" "$oratio" \
			"$(field "$line" cpu_prog_us), $(field "$line" cpu_db_us), $(field "$line" cpu_nginx_us)" "$cratio" \
			"$(awk -v s="$(field "$line" after_s)" 'BEGIN { if (s == "") print "-"; else printf "%.0f", s * 1000 }')" >>"$out"
		rps_of[$label/$c]=$rps p99_of[$label/$c]=$(ms "$(field "$line" p99_us)") cpu_of[$label/$c]=$cpu
	done <"$RESULTS"
	{
		echo
		echo "Cases:"
		echo
		awk -F'\t' '!seen[$1]++ { printf "- **%s**: %s\n", $1, $5 }' "$RESULTS"
		echo
		echo "## Targets (issue 19; 2-core machine, one run)"
		echo
		local c0 v b
		c0=32
		case " $CONNS " in *" 32 "*) ;; *) c0=$(set -- $CONNS; echo "$1") ;; esac
		# target TEXT VALUE OK: one line, met or MISSED
		target() {
			if [ -z "$2" ]; then echo "- $1: **not measured**"
			elif [ "$3" = 1 ]; then echo "- $1: $2 — **met**"
			else echo "- $1: $2 — **MISSED**"; fi
		}
		ratio_target() {	# LABEL BASE-ARRAY-VALUE PERCENT TEXT
			local r=${rps_of[$1/$c0]:-} base=$2
			if [ -z "$r" ] || [ -z "$base" ]; then target "$4" "" 0; return; fi
			v=$(awk -v r="$r" -v b="$base" 'BEGIN { printf "%.0f", 100 * r / b }')
			target "$4" "$v %" "$([ "$v" -ge "$3" ] && echo 1 || echo 0)"
		}
		ratio_target public "${oneq[$c0]:-}" 90 "public card page ≥ 90 % of the one-query page's req/s at $c0 connections"
		ratio_target card-get "${oneq[$c0]:-}" 90 "GET /api/v1/card ≥ 90 % of the one-query page's req/s at $c0 connections"
		local hr=${rps_of[hello/$c0]:-}
		[ -n "${rps_of["hello (again)/$c0"]:-}" ] && hr=$(( (hr + ${rps_of["hello (again)/$c0"]}) / 2 ))
		rps_of[hello/$c0]=$hr
		ratio_target hello "${raw[$c0]:-}" 80 "lib's one-route hello ≥ 80 % of the bare hello's req/s at $c0 connections"
		v=${p99_of[folder-page/$c0]:-}
		target "folder page with $IMPORTED entries, p99 ≤ 20 ms at $c0 connections" "${v:+$v ms}" \
			"$(awk -v x="${v:-1e9}" 'BEGIN { print (x <= 20) ? 1 : 0 }')"
		b=${cpu_of[public/$c0]:-}
		cpu_target() {	# LABEL TIMES TEXT
			local x=${cpu_of[$1/$c0]:-}
			if [ -z "$x" ] || [ -z "$b" ] || [ "$b" = 0 ]; then target "$3" "" 0; return; fi
			v=$(awk -v x="$x" -v b="$b" 'BEGIN { printf "%.2f", x / b }')
			target "$3" "${v}× ($x µs vs $b µs)" "$(awk -v v="$v" -v t="$2" 'BEGIN { print (v <= t) ? 1 : 0 }')"
		}
		cpu_target folder-page 3 "folder page with $IMPORTED entries, CPU per request ≤ 3× the public page's (at $c0 connections)"
		cpu_target folder-page-50 2 "folder page of 50 entries, CPU per request ≤ 2× the public page's"
		cpu_target folder-search 2 "folder search, CPU per request ≤ 2× the public page's"
		if [ "$errs_total" = 0 ]; then echo "- zero errors in every case: **met**"
		else echo "- zero errors in every case: $errs_total errors —$err_cases — **MISSED**"; fi
		local maxrss maxprog over
		read -r maxprog maxrss < <(sort -t$'\t' -k3,3n "$VARDIR/rss.tsv" | awk -F'\t' '$1 !~ /^(hello|onequery)/ {p = $1; r = $3} END {print p, r}')
		over=$(awk -F'\t' '$1 !~ /^(hello|onequery)/ && $3 > 10240 && !seen[$1]++ { printf "%s%s", (n++ ? ", " : ""), $1 }' "$VARDIR/rss.tsv")
		if [ -z "${maxrss:-}" ]; then echo "- ≤ 10 MB resident per FastCGI program: **not measured**"
		elif [ -z "$over" ]; then echo "- ≤ 10 MB resident (VmRSS) per FastCGI worker: largest $(mb "$maxrss") MB ($maxprog) — **met**"
		else echo "- ≤ 10 MB resident (VmRSS) per FastCGI worker: over it: $over; largest $(mb "$maxrss") MB ($maxprog) — **MISSED** (most of it shared libraries: see Pss and private below)"; fi
		echo
		echo "## Resident memory of each FastCGI worker after the run"
		echo
		echo "VmRSS counts every shared page the process maps (libc, libvips, libxml2, ...);"
		echo "Pss divides shared pages among the processes that share them; private is the"
		echo "worker's own memory. VmHWM is the peak. MB = 1024 kB."
		echo
		echo "| program | pid | VmRSS MB | VmHWM MB | Pss MB | private MB |"
		echo "|---|---:|---:|---:|---:|---:|"
		local p w rss hwm pss priv
		while IFS=$'\t' read -r p w rss hwm pss priv; do
			printf '| %s | %s | %s | %s | %s | %s |\n' "$p" "$w" "$(mb "$rss")" "$(mb "$hwm")" "$(mb "$pss")" "$(mb "$priv")"
		done <"$VARDIR/rss.tsv"
		echo
		if [ -s "$VARDIR/idle-ends.tsv" ]; then
			echo "Workers that grew and were replaced after an idle spell during the run"
			echo "(\`Limits.WorkerIdleSeconds\`, docs/architecture.md): what they held then."
			echo
			echo "| program | workers replaced | largest VmRSS MB when idle | largest peak (VmHWM) MB |"
			echo "|---|---:|---:|---:|"
			awk -F'\t' '{ n[$1]++; if ($2 > r[$1]) r[$1] = $2; if ($3 > h[$1]) h[$1] = $3 }
				END { for (p in n) printf "%s\t%d\t%.1f\t%.1f\n", p, n[p], r[p] / 1024, h[p] / 1024 }' \
				"$VARDIR/idle-ends.tsv" | sort | awk -F'\t' '{ printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }'
			echo
		fi
		echo "## Fan-out and reconcile benchmarks"
		echo
		local n st
		for n in $EXTRA; do
			st=$(cat "$VARDIR/extra-$n.status" 2>/dev/null || echo "not run")
			case $st in
			missing) echo "- \`make bench-$n\`: the target does not exist yet." ;;
			ok) echo "- \`make bench-$n\` (its smaller sizes), last lines of its output:"
				echo
				echo '```'
				tail -n 40 "$VARDIR/extra-$n.out"
				echo '```' ;;
			*) echo "- \`make bench-$n\`: $st, last lines of its output:"
				echo
				echo '```'
				tail -n 40 "$VARDIR/extra-$n.out"
				echo '```' ;;
			esac
			echo
		done
		local others
		others=$(sed -n 's/^\(bench-[A-Za-z0-9_-]*\):.*/\1/p' "$TOP/GNUmakefile" | while read -r t; do
			case " $EXTRA " in *" ${t#bench-} "*) ;; *) printf ' `make %s`' "$t" ;; esac
		done)
		if [ -n "$others" ]; then
			echo "Not run here (each writes its own report under bench/):$others."
			echo
		fi
		if [ -s "$BENCH_DIR/findings.md" ]; then
			echo "## Analysis"
			echo
			echo "Written by hand from profiles (bench/findings.md); the numbers above are this run's."
			echo
			cat "$BENCH_DIR/findings.md"
		fi
	} >>"$out"
	mv "$out" "$REPORT"
}

# --- main ---------------------------------------------------------------------

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
say "starting a private stack"
stack_up
trap bench_cleanup EXIT
RESULTS=$VARDIR/results.tsv
: >"$RESULTS"
say "stack on $B (VARDIR $VARDIR); seeding"
seed
if [ -n "$PUBLIC_PATH" ]; then
	curl -s -o "$VARDIR/public.html" "$B$PUBLIC_PATH"
else
	head -c 6000 /dev/urandom | base64 >"$VARDIR/public.html"
fi
baselines_up "$VARDIR/public.html"
say "seeded: $IMPORTED folder entries, public page ${PUBLIC_PATH:-none} ($(wc -c <"$VARDIR/public.html") bytes); running the cases"

# the HTML of the benchmarked pages, for comparing builds (tokens differ per run)
for n in public folder-page folder-page-50; do
	case_env "$n" && probe >/dev/null && cp "$VARDIR/probe.body" "$VARDIR/html-$n.html"
done
if [ "${BENCH_HOLD:-0}" = 1 ]; then
	# for profiling by hand: the seeded stack stays up until Ctrl-C / SIGTERM
	printf 'B=%q\nVARDIR=%q\nPUBLIC_PATH=%q\nMAIN_TOKEN=%q\nSESSION=%q\n' \
		"$B" "$VARDIR" "$PUBLIC_PATH" "$MAIN_TOKEN" "$SESSION" >"$VARDIR/bench.env"
	say "holding the stack: . $VARDIR/bench.env"
	trap 'exit 0' TERM INT
	while :; do sleep 1; done
fi

for n in ${BENCH_CASES:-static hello hello-raw onequery public card-get folder-page folder-page-50 folder-search card-put}; do
	run_case "$n"
done
# the baselines again: the machine's drift during the run
if [ -z "${BENCH_CASES:-}" ]; then
	run_case hello "hello (again)"
	run_case hello-raw "hello-raw (again)"
	run_case onequery "onequery (again)"
fi

rss_table >"$VARDIR/rss.tsv"
# workers that ended after growing and idling (Limits.WorkerIdleSeconds,
# lib/app.c): program, VmRSS and peak in kB, from the programs' logs
for f in "$VARDIR"/log/*.log; do
	sed -n 's/.* \([a-z-]*\)\[[0-9]*\] INFO: idle [0-9]* s with VmRSS \([0-9]*\) kB (peak \([0-9]*\) kB.*/\1\t\2\t\3/p' "$f"
done >"$VARDIR/idle-ends.tsv"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
# the other benchmarks start their own stacks: this one is stopped first
SAVED=$(mktemp -d)
cp "$RESULTS" "$VARDIR/rss.tsv" "$VARDIR/idle-ends.tsv" "$SAVED/"
trap - EXIT
bench_cleanup
VARDIR=$SAVED
RESULTS=$SAVED/results.tsv
extra_benches
report
rm -rf "$SAVED"
say "wrote $REPORT"
cat "$REPORT" | sed -n '/^## Results/,/^## Resident/p' >&2
