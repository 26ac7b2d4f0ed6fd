# lib.sh: the cluster tests' helpers: a private Galera cluster (conf/cluster) per test file, requests on either web node, mail of both.
# shellcheck shell=bash
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

# cluster_up: three database nodes and two web nodes in a fresh CLUSTER_DIR,
# on the first free block of 40 ports from 30000 (below 31000); stopped and
# removed when the test exits. Then requests go to web node 1 (on 2).
cluster_up() {
	local base p free
	for base in $(seq 30000 40 30960); do
		free=1
		for p in $(seq "$base" $((base + 39))); do port_free "$p" || { free=0; break; }; done
		[ "$free" = 1 ] && break
	done
	[ "$free" = 1 ] || bail "no free block of 40 ports below 31000"
	CLUSTER_DIR=$(mktemp -d "${TMPDIR:-/tmp}/livecard-cluster.XXXXXX")
	BASE=$base
	export CLUSTER_DIR BASE
	VARDIR=$CLUSTER_DIR/web1
	trap cluster_down EXIT
	STACK_UP=1
	if ! cluster start >"$CLUSTER_DIR.start.log" 2>&1; then
		sed 's/^/# /' "$CLUSTER_DIR.start.log" >&2
		bail "the cluster did not start (ports $BASE-$((BASE + 39)))"
	fi
	sed 's/^/# /' "$CLUSTER_DIR.start.log"
	on 1
	MAILDIR=$CLUSTER_DIR/web1/mail/new
	SMSDIR=$CLUSTER_DIR/web1/sms
}

cluster() { BASE=$BASE CLUSTER_DIR=$CLUSTER_DIR BUILD=$BUILD "$TOP/conf/cluster" "$@"; }

cluster_down() {
	local status=$? f
	[ "$STACK_UP" = 1 ] || return
	STACK_UP=0
	if [ "$T_FAILED" -gt 0 ] || [ "$status" -ne 0 ]; then
		for f in "$CLUSTER_DIR"/web*/log/*.log "$CLUSTER_DIR"/db*/mariadb.log; do
			[ -s "$f" ] && [ ! -L "$f" ] || continue
			echo "# --- $f (last lines)"
			tail -n 8 "$f" | sed 's/^/# /'
		done 2>&1 | tee /dev/stderr
	fi
	cluster stop >/dev/null 2>&1 || true
	[ -n "${KEEP_CLUSTER:-}" ] || rm -rf "$CLUSTER_DIR" "$CLUSTER_DIR.start.log"
}

# on W: the next requests go to web node W (1 or 2)
on() { B="http://127.0.0.1:$((BASE + 20 + 10 * ($1 - 1)))"; }

# sql QUERY: SQL on database node 1 (sql_on N QUERY: on node N)
sql() { sql_on 1 "$1"; }
sql_on() { cluster sql "$1" "USE livecard; $2"; }

# the two web nodes' outbox workers deliver into their own catchers: a
# message is looked for in both
mail_files() { grep -l -i -s "^To: $1\$" "$CLUSTER_DIR"/web1/mail/new/* "$CLUSTER_DIR"/web2/mail/new/* 2>/dev/null; }
mail_count() { mail_files "$1" | wc -l; }
mail_last() {
	local f
	f=$(mail_files "$1" | xargs -r ls -t | head -1)
	[ -n "$f" ] && cat "$f"
}

# now_ms: the time in milliseconds
now_ms() { date +%s%3N; }

# load_client W TOKEN: until the file $LOAD_END exists, write TOKEN's card
# (PUT /api/v1/card) and read it back on web node W, again and again; each
# answer a line "MS STATUS PUT|GET" (a failed one followed by a 0.2 s pause)
load_client() {
	local w=$1 tok=$2 n=0 url code
	url="http://127.0.0.1:$((BASE + 20 + 10 * (w - 1)))/api/v1/card"
	while [ ! -e "$LOAD_END" ]; do
		n=$((n + 1))
		code=$(curl -s -o /dev/null -m 20 -w '%{http_code}' -X PUT -H "Authorization: Bearer $tok" \
			-H 'Content-Type: application/json' -H 'If-Match: *' \
			--data-binary "{\"full_name\":\"Load $w\",\"title\":\"T$n\"}" "$url")
		echo "$(now_ms) $code PUT"
		code=$(curl -s -o /dev/null -m 20 -w '%{http_code}' -H "Authorization: Bearer $tok" "$url")
		echo "$(now_ms) $code GET"
		[ "$code" = 200 ] || sleep 0.2
	done
}
