#!/usr/bin/env bash
# 050-cgi.t: every program also answers one request as plain CGI, started
# from the shell the way mod_cgi starts it.
. "$(dirname "$0")/../lib.sh"
stack_up
export LIVECARD_CONF=$VARDIR/livecard.hdf

# cgi PROGRAM METHOD PATH [BODY [CONTENT_TYPE]]: the program's raw output
cgi() {
	local prog=$1 method=$2 path=$3 body=${4:-} ctype=${5:-application/json}
	printf '%s' "$body" | env -i LIVECARD_CONF="$LIVECARD_CONF" GATEWAY_INTERFACE=CGI/1.1 \
		REQUEST_METHOD="$method" SCRIPT_NAME="" PATH_INFO="$path" REQUEST_URI="$path" \
		DOCUMENT_URI="$path" QUERY_STRING="" CONTENT_TYPE="$ctype" CONTENT_LENGTH="${#body}" \
		REMOTE_ADDR=127.0.0.1 SERVER_NAME=localhost SERVER_PORT="$PORT" SERVER_PROTOCOL=HTTP/1.1 \
		"$BUILD/cgi-bin/$prog"
}

n=0
for prog in $(cd "$BUILD/cgi-bin" && ls | grep -v '\.o$'); do
	out=$(cgi "$prog" GET /api/v1/no-such-thing </dev/null)
	like "$out" $'^Status: 404 Not Found\r\n' "$prog answers a CGI request (404 for an unknown path)"
	like "$out" '"code":"not_found"' "$prog: with the JSON error body"
	n=$((n + 1))
done
ok $([ "$n" -ge 1 ]; echo $?) "at least one program was tried ($n)"

out=$(cgi account POST /api/v1/accounts '{"email":"ivan@example.com","password":"ivan password","full_name":"Ivan"}')
like "$out" $'^Status: 201 Created\r\n' "account: sign-up as plain CGI"
is "$(sql "SELECT full_name FROM users WHERE email='ivan@example.com'")" "Ivan" "the account exists"
mail_wait ivan@example.com 1
ok $? "and its verification mail is delivered"
out=$(cgi account GET /signup)
like "$out" $'Content-Type: text/html; charset=utf-8\r\n' "account: an HTML page as plain CGI"
like "$out" '<form method="post" action="/signup">' "the sign-up form"
out=$(cgi account POST /api/v1/accounts '{"email":' )
like "$out" $'^Status: 400 Bad Request\r\n' "bad input as CGI: 400"

done_testing
