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
			[ "${FUNCNAME[$i]}" = main ] && fail_diag "not ok $T_N at line ${BASH_LINENO[$((i - 1))]}: $*"
		done
	fi
}

# fail_diag TEXT: a comment about a failure, on stderr too, so that a
# non-verbose prove (CI) shows it next to the failing file's name.
fail_diag() {
	echo "# $*"
	echo "# $(basename "$0"): $*" >&2
}

is() { # is GOT WANT DESCRIPTION
	local got=$1 want=$2
	shift 2
	if [ "$got" = "$want" ]; then ok 0 "$*"; else
		ok 1 "$*"
		fail_diag "         got: '$got'"
		fail_diag "    expected: '$want'"
	fi
}

like() { # like GOT REGEX DESCRIPTION
	local got=$1 re=$2
	shift 2
	if [[ $got =~ $re ]]; then ok 0 "$*"; else
		ok 1 "$*"
		fail_diag "  '${got:0:300}' does not match /$re/"
	fi
}

unlike() { # unlike GOT REGEX DESCRIPTION
	local got=$1 re=$2
	shift 2
	if [[ $got =~ $re ]]; then
		ok 1 "$*"
		fail_diag "  '${got:0:300}' matches /$re/"
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
			# (--skip-name-resolve --force: as conf/stack, no host name lookups)
			mariadb-install-db --no-defaults --datadir="$dir.tmp" \
				--auth-root-authentication-method=normal --skip-test-db --skip-name-resolve --force \
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

# free_port [N]: a free port in 31000-32759, clear of the stacks' ports
# (20000-30993) and below the kernel's ephemeral range (32768 up), where an
# outgoing connection could take the port between this check and the bind;
# derived from the test's name (N: the Nth such port of the test, from 0).
free_port() {
	local n=${1:-0} p
	for p in $(seq $((31000 + ($(printf '%s' "$0" | cksum | cut -d' ' -f1) % 300) * 5 + n)) 7 32759); do
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
LIVECARD_OWN_PROCESS_TESTS="040-faults 047-idle-workers 060-valgrind 340-savers-valgrind 820-carddav-valgrind"

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
		# on stderr, so that a non-verbose prove (CI) shows why (stack_down
		# adds the logs' last lines)
		sed 's/^/# /' "$VARDIR.start.log" >&2
		bail "the stack did not start (port $PORT, mode $LIVECARD_MODE)"
	fi
	MAILDIR=$VARDIR/mail/new
	SMSDIR=$VARDIR/sms
	HOOKDIR=$VARDIR/hooks
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
		done 2>&1 | tee /dev/stderr
	fi
	[ -n "$HOOK_PID" ] && kill "$HOOK_PID" 2>/dev/null
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
# folder_save JSON-CARD: save a card into the current TOKEN's folder (a
# duplicate is kept as a new entry); prints the entry id.
folder_save() {
	api POST '/api/v1/folder?on_duplicate=keep' "{\"card\":$1}"
	[ "$STATUS" = 201 ] || diag "folder_save: $STATUS $BODY"
	jqb .entry.id
}
# csrf_of: the value of the first hidden csrf field of a form in BODY.
csrf_of() { printf '%s' "$BODY" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//'; }
# meta_csrf: the session's CSRF token from the page's <meta name="csrf-token"> in BODY.
meta_csrf() { printf '%s' "$BODY" | grep -o 'name="csrf-token" content="[^"]*"' | head -1 | sed 's/.*content="//;s/"$//'; }
# xp XPATH: evaluate XPATH over the XML in BODY (xmllint, errors hidden).
xp() { printf '%s' "$BODY" | xmllint --xpath "$1" - 2>/dev/null; }

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

# sms_to NUMBER: the texts caught for a number, oldest first, one a line (newlines as spaces).
sms_to() {
	local f
	for f in "$SMSDIR"/*.json; do
		[ -e "$f" ] && jq -r --arg to "$1" 'select(.to == $to) | .text | gsub("\n"; " ")' "$f"
	done
	return 0
}

# sms_wait NUMBER [N]: wait (20 s at most) until at least N (1) texts reached NUMBER.
sms_wait() {
	local i
	for i in $(seq 1 200); do
		[ "$(sms_to "$1" | grep -c .)" -ge "${2:-1}" ] && return 0
		sleep 0.1
	done
	return 1
}

# hook_catcher: a webhook receiver on HOOK_PORT (stopped with the stack) keeping each POST as
# HOOKDIR/NNNN.json: path, signature, valid (HMAC-SHA256 with $VARDIR/hook.secret), content_type, body.
HOOK_PID=""
hook_catcher() {
	mkdir -p "$HOOKDIR"
	cat >"$VARDIR/hook.py" <<'PY'
import hashlib, hmac, json, os, sys
from http.server import BaseHTTPRequestHandler, HTTPServer
port, outdir, secret_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
class Hook(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        secret = open(secret_file).read().strip().encode()
        want = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
        got = self.headers.get("X-Livecard-Signature", "")
        rec = {"path": self.path, "signature": got, "valid": hmac.compare_digest(want, got),
               "content_type": self.headers.get("Content-Type"), "body": json.loads(body)}
        n = len([f for f in os.listdir(outdir) if f.endswith(".json")])
        tmp = os.path.join(outdir, ".tmp")
        with open(tmp, "w") as f:
            json.dump(rec, f)
        os.rename(tmp, os.path.join(outdir, "%04d.json" % n))
        self.send_response(204)
        self.end_headers()
    def log_message(self, *args):
        pass
HTTPServer(("127.0.0.1", port), Hook).serve_forever()
PY
	: >"$VARDIR/hook.secret"
	/usr/bin/python3 "$VARDIR/hook.py" "$HOOK_PORT" "$HOOKDIR" "$VARDIR/hook.secret" 2>"$VARDIR/hook.log" &
	HOOK_PID=$!
}

# hooks: how many webhooks hook_catcher has kept.
hooks() { ls "$HOOKDIR" 2>/dev/null | grep -c '\.json$'; }

# hook_wait N: wait (20 s at most) until hook_catcher has kept at least N webhooks.
hook_wait() {
	local i
	for i in $(seq 1 200); do
		[ "$(hooks)" -ge "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# sql QUERY: run SQL on the stack's database, tab-separated output.
sql() {
	mariadb --no-defaults --default-character-set=utf8mb4 --socket="$VARDIR/run/mysqld.sock" -uroot -N -B livecard -e "$1"
}

# uid_of EMAIL: the id of the user with that address.
uid_of() { sql "SELECT id FROM users WHERE email='$1'"; }

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

# web_signin EMAIL [PAGE]: sign in with the browser form (the password of
# signup_verified) into a fresh JAR, TOKEN and CSRF cleared; then GET PAGE
# (/settings) and set WCSRF to the session's CSRF token (CSRF=$WCSRF makes req
# send it as X-CSRF-Token, as the pages' script does).
web_signin() {
	TOKEN=""
	CSRF=""
	JAR=$VARDIR/jar.$1
	rm -f "$JAR"
	req GET /signin
	form POST /signin "email=$1" "password=password-$1" "csrf=$(csrf_of)"
	[ "$STATUS" = 303 ] || return 1
	req GET "${2:-/settings}"
	WCSRF=$(meta_csrf)
	[ -n "$WCSRF" ]
}

# verify_phone NUMBER [AS-TYPED]: as TOKEN, add a number (sent as AS-TYPED,
# default NUMBER) and confirm it with the SMS code sent to NUMBER (E.164).
verify_phone() {
	local n code
	n=$(sms_to "$1" | grep -c .)
	api POST /api/v1/me/phone "{\"phone\":\"${2:-$1}\"}"
	[ "$STATUS" = 202 ] || { diag "phone: $STATUS $BODY"; return 1; }
	sms_wait "$1" $((n + 1)) || return 1
	code=$(sms_to "$1" | tail -1 | grep -o '^[0-9]\{6\}')
	api POST /api/v1/me/phone/verify "{\"code\":\"$code\"}"
	[ "$STATUS" = 200 ]
}

# put_card JSON: replace the current TOKEN's card, whatever its revision (If-Match: *).
put_card() {
	req PUT /api/v1/card -H 'Content-Type: application/json' -H 'If-Match: *' --data-binary "$1"
}

# --- test data ------------------------------------------------------------------
# png W H [R G B] [alpha]: a real W x H PNG on stdout, all one colour R G B or else
# a gradient; RGBA (alpha 128) with "alpha".
png() {
	/usr/bin/python3 - "$@" <<'PY'
import struct, sys, zlib
a = sys.argv[1:]
alpha = a[-1:] == ['alpha']
if alpha:
    a = a[:-1]
w, h = int(a[0]), int(a[1])
A = (128,) if alpha else ()
if len(a) >= 5:
    px = bytes((int(a[2]), int(a[3]), int(a[4])) + A)
    raw, level = b''.join(b'\0' + px * w for _ in range(h)), -1
else:
    # the gradient's rows repeat after (h % 64 or 64) rows: large images stay quick to draw
    rows = [b'\0' + b''.join(bytes(((x * 7 + y * 3) % 256, (x ^ y) % 256, (y * 5) % 256) + A) for x in range(w))
            for y in range(h % 64 or 64)]
    raw, level = b''.join(rows[y % len(rows)] for y in range(h)), 9
def chunk(t, d):
    return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
sys.stdout.buffer.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 6 if alpha else 2, 0, 0, 0))
                       + chunk(b'IDAT', zlib.compress(raw, level)) + chunk(b'IEND', b''))
PY
}

# vcard_check VCF JSON: python3-vobject parses the vCard and finds the card's values; no line over 75 octets; prints ok or '# ' errors.
vcard_check() {
	/usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys, vobject
raw = open(sys.argv[1], 'rb').read()
card = json.load(open(sys.argv[2]))
errors = []
for i, line in enumerate(raw.split(b'\r\n')):
    if len(line) > 75:
        errors.append('line %d is %d octets long' % (i + 1, len(line)))
v = vobject.readOne(raw.decode('utf-8'))
def eq(what, got, want):
    if got != want:
        errors.append('%s: got %r, want %r' % (what, got, want))
def vals(name):
    return [c.value for c in v.contents.get(name, [])]
eq('FN', v.fn.value, card['full_name'])
n = v.n.value
eq('N', [n.family, n.given, n.additional, n.prefix, n.suffix],
   [card['name'][k] for k in ('family', 'given', 'additional', 'prefix', 'suffix')])
org = [o for o in vals('org') if any(o)]
eq('ORG', (org[0] + ['', ''])[:2] if org else ['', ''], [card['organization'], card['department']])
eq('TITLE', vals('title'), [card['title']] if card['title'] else [])
eq('EMAIL', vals('email'), [e['value'] for e in card['emails']])
eq('TEL', [t[4:] if t.startswith('tel:') else t for t in vals('tel')], [p['value'] for p in card['phones']])
eq('URL', vals('url'), [u['value'] for u in card['urls']])
eq('ADR', [[a.street, a.city, a.region, a.code, a.country] for a in vals('adr')],
   [[a[k] for k in ('street', 'locality', 'region', 'postal_code', 'country')] for a in card['addresses']])
eq('NOTE', vals('note'), [card['note']] if card['note'] else [])
print('\n'.join('# ' + e for e in errors) if errors else 'ok')
PY
}
