# common.sh: helpers shared by bench/run.sh and bench/soak.sh (sourced after tests/lib.sh).
# shellcheck shell=bash

BENCH_DIR=$TOP/bench

# Load runs sign up hundreds of accounts from one client address (127.0.0.1):
# sign-up's per-client mail quota (Throttle.MailsPerClient, docs/security.md)
# would answer most of them 429. The benchmarks measure the request path,
# not the quota, so their stacks lift it.
EXTRA_CONF="${EXTRA_CONF:+$EXTRA_CONF$'\n'}Throttle.MailsPerClient = 100000000"
export EXTRA_CONF

say() { printf '%s: %s\n' "${SAY_AS:-bench}" "$*" >&2; }
die() { printf '%s: %s\n' "${SAY_AS:-bench}" "$*" >&2; exit 1; }

# ms MICROSECONDS, mb KILOBYTES: for the reports.
ms() { awk -v u="$1" 'BEGIN { if (u == "") print "-"; else printf "%.2f", u / 1000 }'; }
mb() { awk -v k="$1" 'BEGIN { if (k == "") print "-"; else printf "%.1f", k / 1024 }'; }

# put_card N: replace the signed-in member's card with bench/card.json
# (its "@N@" replaced by N); STATUS as from req.
put_card() {
	sed "s/@N@/$1/" "$BENCH_DIR/card.json" >"$VARDIR/card-$1.json"
	req PUT /api/v1/card -H 'Content-Type: application/json' -H 'If-Match: *' \
		--data-binary @"$VARDIR/card-$1.json"
}

# public_path: the path of the signed-in member's public card page, or "".
public_path() {
	api GET /api/v1/card
	[ "$STATUS" = 200 ] && jqb '.share.url // empty' | sed 's|^https\?://[^/]*||'
}

# import_folder N: import N generated cards into the signed-in member's
# folder; prints how many were imported (0 when the import failed).
import_folder() {
	/usr/bin/python3 "$BENCH_DIR/gen-vcards.py" "$1" >"$VARDIR/folder.vcf"
	req POST "/api/v1/folder/import?on_duplicate=keep" -H 'Content-Type: text/vcard' \
		--data-binary @"$VARDIR/folder.vcf"
	if [ "$STATUS" = 200 ]; then jqb '.imported // 0'; else
		say "folder import: HTTP $STATUS"
		echo 0
	fi
}

# session_cookie EMAIL PASSWORD: sign in with the browser form; prints the
# session cookie's value.
session_cookie() {
	local saved=$TOKEN csrf
	TOKEN=""
	JAR=$VARDIR/jar.$$
	rm -f "$JAR"
	req GET /signin
	csrf=$(printf '%s' "$BODY" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
	form POST /signin "csrf=$csrf" "email=$1" "password=$2"
	awk '$6 == "lc_session" { print $7 }' "$JAR"
	JAR=""
	TOKEN=$saved
}

# make_writers N: N verified members with a full card each; prints their
# bearer tokens separated by spaces.
make_writers() {
	local i toks=""
	for i in $(seq 1 "$1"); do
		signup_verified "writer$i@example.com" "Writer $i" >&2 || die "cannot make writer $i"
		put_card "w$i" >/dev/null
		toks="$toks $TOKEN"
	done
	TOKEN=""
	echo "$toks"
}

# soak_seed: the members and data of the soak mix (bench/soak.lua): sets
# READER (the reader's token), PUBLIC (its public page), IMPORTED (folder
# entries), COOKIE (its session) and WRITER_TOKENS (SOAK_WRITERS, 8,
# writers); bails out when any is missing
soak_seed() {
	signup_verified reader@example.com "Soak Reader" || bail "cannot make the reader"
	READER=$TOKEN
	put_card 0
	PUBLIC=$(public_path)
	IMPORTED=$(import_folder 100)
	COOKIE=$(session_cookie reader@example.com password-reader@example.com)
	WRITER_TOKENS=$(make_writers "${SOAK_WRITERS:-8}")
	TOKEN=""
	[ -n "$PUBLIC" ] && [ "$IMPORTED" -gt 0 ] && [ -n "$COOKIE" ] || bail "the stack lacks the card, share or folder module"
}
