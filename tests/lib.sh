# lib.sh: TAP output, a private stack per test file, and HTTP/mail/SQL helpers
# for the integration tests (bash + curl + jq against the real stack).
# shellcheck shell=bash

set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
export BUILD

# --- TAP ---------------------------------------------------------------------
T_N=0
T_FAILED=0

ok() { # ok COND_STATUS DESCRIPTION: pass when the status is 0
	local status=$1
	shift
	T_N=$((T_N + 1))
	if [ "$status" -eq 0 ]; then
		echo "ok $T_N - $*"
	else
		T_FAILED=$((T_FAILED + 1))
		echo "not ok $T_N - $*"
		local i
		for i in "${!FUNCNAME[@]}"; do
			[ "${FUNCNAME[$i]}" = main ] && echo "#   at line ${BASH_LINENO[$((i - 1))]}"
		done
	fi
}

is() { # is GOT WANT DESCRIPTION
	local got=$1 want=$2
	shift 2
	if [ "$got" = "$want" ]; then ok 0 "$*"; else
		ok 1 "$*"
		echo "#          got: '$got'"
		echo "#     expected: '$want'"
	fi
}

like() { # like GOT REGEX DESCRIPTION
	local got=$1 re=$2
	shift 2
	if [[ $got =~ $re ]]; then ok 0 "$*"; else
		ok 1 "$*"
		echo "#   '${got:0:300}' does not match /$re/"
	fi
}

unlike() { # unlike GOT REGEX DESCRIPTION
	local got=$1 re=$2
	shift 2
	if [[ $got =~ $re ]]; then
		ok 1 "$*"
		echo "#   '${got:0:300}' matches /$re/"
	else ok 0 "$*"; fi
}

diag() { echo "# $*"; }

done_testing() {
	echo "1..$T_N"
	[ "$T_FAILED" -eq 0 ]
}

bail() {
	echo "Bail out! $*"
	exit 255
}

# --- the stack ---------------------------------------------------------------

# db_template: an initialised MariaDB datadir shared by every test file of a
# run (mariadb-install-db once, copied per stack).
db_template() {
	local dir=$BUILD/test-db-template
	(
		flock 9
		if [ ! -d "$dir/mysql" ]; then
			rm -rf "$dir.tmp"
			local rootopt=()
			[ "$(id -u)" = 0 ] && rootopt=(--user=root)
			mariadb-install-db --no-defaults --datadir="$dir.tmp" \
				--auth-root-authentication-method=normal --skip-test-db \
				"${rootopt[@]}" >"$BUILD/test-db-template.log" 2>&1 || exit 1
			mv "$dir.tmp" "$dir"
		fi
	) 9>"$BUILD/test-db-template.lock" || bail "cannot initialise the MariaDB template"
	echo "$dir"
}

port_free() {
	! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# pick_port: three consecutive free ports (nginx, SMTP, SMS), derived from
# the test's name so parallel test files do not collide.
pick_port() {
	local base p
	base=$((20000 + ($(printf '%s' "$0" | cksum | cut -d' ' -f1) % 900) * 10))
	for p in $(seq "$base" 10 $((base + 2000))); do
		if port_free "$p" && port_free $((p + 1)) && port_free $((p + 2)) && port_free $((p + 3)); then
			echo "$p"
			return
		fi
	done
	bail "no free port"
}

# free_port [N]: a free port in 32000-33999, clear of the stacks' ports,
# derived from the test's name (N: the Nth such port of the test, from 0).
free_port() {
	local n=${1:-0} p
	for p in $(seq $((32000 + ($(printf '%s' "$0" | cksum | cut -d' ' -f1) % 400) * 5 + n)) 7 33999); do
		if port_free "$p"; then
			echo "$p"
			return
		fi
	done
	bail "no free port"
}

STACK_UP=0
# LIVECARD_MODE: the stack's front web server (nginx, apache-fcgid,
# apache-proxy, apache-cgi: see conf/stack); the same tests run in each.
LIVECARD_MODE=${LIVECARD_MODE:-nginx}
export LIVECARD_MODE
stack() { PORT=$PORT VARDIR=$VARDIR BUILD=$BUILD MODE=$LIVECARD_MODE "$TOP/conf/stack" "$@"; }

# stack_runs_programs: whether the stack itself runs the programs on their
# sockets (supervisor pid files, `stack svc stop|start PROGRAM`): true for
# nginx and apache-proxy; under apache-fcgid and apache-cgi Apache starts them.
stack_runs_programs() {
	case $LIVECARD_MODE in apache-fcgid | apache-cgi) return 1 ;; *) return 0 ;; esac
}

# Test files that kill, restart or replace the stack's own program processes,
# skipped where Apache starts the programs (until they guard those parts with
# stack_runs_programs themselves).
LIVECARD_OWN_PROCESS_TESTS="040-faults 060-valgrind 340-savers-valgrind 820-carddav-valgrind"

# stack_up: start a private stack for this test file; EXTRA_CONF may add
# settings. Stopped (and its VARDIR removed) when the test exits.
stack_up() {
	local me
	me=$(basename "$0" .t)
	if ! stack_runs_programs && [[ " $LIVECARD_OWN_PROCESS_TESTS " == *" $me "* ]]; then
		echo "1..0 # SKIP $me works on the stack's own program processes; under $LIVECARD_MODE Apache runs them"
		exit 0
	fi
	PORT=$(pick_port)
	VARDIR=$(mktemp -d "${TMPDIR:-/tmp}/livecard-test.XXXXXX")
	B="http://127.0.0.1:$PORT"
	HOOK_PORT=$((PORT + 3))
	export PORT VARDIR B HOOK_PORT
	DB_TEMPLATE=$(db_template)
	export DB_TEMPLATE
	trap stack_down EXIT
	STACK_UP=1
	if ! stack start >"$VARDIR.start.log" 2>&1; then
		sed 's/^/# /' "$VARDIR.start.log"
		bail "the stack did not start"
	fi
	MAILDIR=$VARDIR/mail/new
	SMSDIR=$VARDIR/sms
}

stack_down() {
	local status=$?
	[ "$STACK_UP" = 1 ] || return
	STACK_UP=0
	if [ "$T_FAILED" -gt 0 ] || [ "$status" -ne 0 ]; then
		for f in "$VARDIR"/log/*.log; do
			[ -s "$f" ] && [ ! -L "$f" ] || continue
			echo "# --- $(basename "$f") (last lines)"
			tail -n 15 "$f" | sed 's/^/# /'
		done
	fi
	stack stop >/dev/null 2>&1 || true
	rm -rf "$VARDIR" "$VARDIR.start.log"
}

# --- HTTP ----------------------------------------------------------------------
# req METHOD PATH [curl args...]: sets STATUS, BODY (text) and HEADERS (text).
# Cookies persist per "jar" (JAR variable: a file path, empty for none).
JAR=""
TOKEN=""
CSRF=""
req() {
	local method=$1 path=$2
	shift 2
	local args=(-s -S -o "$VARDIR/body" -D "$VARDIR/headers" -w '%{http_code}' -X "$method")
	[ -n "$JAR" ] && args+=(-b "$JAR" -c "$JAR")
	[ -n "$TOKEN" ] && args+=(-H "Authorization: Bearer $TOKEN")
	[ -n "$CSRF" ] && args+=(-H "X-CSRF-Token: $CSRF")
	STATUS=$(curl "${args[@]}" "$@" "$B$path")
	BODY=$(cat "$VARDIR/body")
	HEADERS=$(tr -d '\r' <"$VARDIR/headers")
}

# api METHOD PATH [JSON]: a JSON request.
api() {
	local method=$1 path=$2
	if [ $# -ge 3 ]; then
		req "$method" "$path" -H 'Content-Type: application/json' --data-binary "$3"
	else
		req "$method" "$path"
	fi
}

# form METHOD PATH field=value...: a urlencoded browser form.
form() {
	local method=$1 path=$2
	shift 2
	local args=() kv
	for kv in "$@"; do args+=(--data-urlencode "$kv"); done
	req "$method" "$path" "${args[@]}"
}

jqb() { printf '%s' "$BODY" | jq -r "$@"; }
header() { printf '%s\n' "$HEADERS" | grep -i "^$1:" | head -1 | cut -d' ' -f2- ; }

# --- mail and SQL ---------------------------------------------------------------
# mail_count TO: messages caught for an address.
mail_count() {
	local n
	n=$(grep -l -i -s "^To: $1\$" "$MAILDIR"/* 2>/dev/null | wc -l)
	echo "$n"
}

# mail_wait TO [N] [SECONDS]: wait until at least N messages reached TO.
mail_wait() {
	local to=$1 n=${2:-1} secs=${3:-20} i
	for i in $(seq 1 $((secs * 10))); do
		[ "$(mail_count "$to")" -ge "$n" ] && return 0
		sleep 0.1
	done
	return 1
}

# mail_last TO: the newest message to an address.
mail_last() {
	local f
	f=$(grep -l -i -s "^To: $1\$" "$MAILDIR"/* 2>/dev/null | xargs -r ls -t | head -1)
	[ -n "$f" ] && cat "$f"
}

# mail_link TO PATH: the first link to PATH in the newest mail to TO.
mail_link() {
	mail_last "$1" | grep -o "http://[^ ]*$2[^ ]*" | head -1 | tr -d '\r'
}

# sql QUERY: run SQL on the stack's database, tab-separated output.
sql() {
	mariadb --no-defaults --socket="$VARDIR/run/mysqld.sock" -uroot -N -B livecard -e "$1"
}

# --- accounts -------------------------------------------------------------------
# signup_verified EMAIL NAME: a verified member; sets TOKEN to its bearer token.
signup_verified() {
	local email=$1 name=$2 link tok
	TOKEN=""
	api POST /api/v1/accounts "{\"email\":\"$email\",\"password\":\"password-$email\",\"full_name\":\"$name\"}"
	[ "$STATUS" = 201 ] || { diag "signup $email: $STATUS $BODY"; return 1; }
	mail_wait "$email" 1 || { diag "no verification mail for $email"; return 1; }
	link=$(mail_link "$email" /verify)
	tok=${link##*token=}
	api POST /api/v1/accounts/verify "{\"token\":\"$tok\"}"
	[ "$STATUS" = 200 ] || { diag "verify $email: $STATUS $BODY"; return 1; }
	api POST /api/v1/tokens "{\"email\":\"$email\",\"password\":\"password-$email\"}"
	[ "$STATUS" = 201 ] || { diag "token $email: $STATUS $BODY"; return 1; }
	TOKEN=$(jqb .token)
}
