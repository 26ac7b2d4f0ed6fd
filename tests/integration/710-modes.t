#!/usr/bin/env bash
# 710-modes.t: the member flow (tests/integration/799-flow-lib.sh: register,
# verify, sign in, card, public page, save, savers, update, accept) through
# each way of serving livecard: under the default mode it starts, in turn, a
# stack behind Apache + mod_fcgid, Apache + mod_proxy_fcgi and Apache + CGI
# (nginx runs every other test); under `make test-matrix` (LIVECARD_MODE set)
# the mode of the run. Also: the programs see the request as the client sent
# it (method, query, body, headers), and each mode is what it says it is.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/799-flow-lib.sh"
command -v apache2 >/dev/null || { echo "1..0 # SKIP apache2 is not installed (make deps)"; exit 0; }

modes="apache-fcgid apache-proxy apache-cgi"
[ "$LIVECARD_MODE" = nginx ] || modes=$LIVECARD_MODE
EXTRA_CONF='Updates.CoalesceSeconds = 1'
export EXTRA_CONF

for mode in $modes; do
	LIVECARD_MODE=$mode
	stack_up
	diag "--- $mode on $B"
	is "$(stack status | head -1)" "mode: $mode" "$mode: the stack runs in this mode"
	case $mode in
	apache-*)
		like "$(curl -s -o /dev/null -D - "$B/signin" | tr -d '\r' | grep -i '^Server:')" 'Apache' "$mode: Apache answers"
		;;
	esac
	case $mode in
	apache-fcgid)
		ok $([ ! -e "$VARDIR/run/account.sock" ]; echo $?) "$mode: no socket of the stack's own"
		req GET /signin
		sleep 0.3
		pgrep -f "^$VARDIR/inst/htdocs/cgi-bin/account" >/dev/null
		ok $? "$mode: mod_fcgid started the installed program"
		;;
	apache-proxy)
		ok $([ -S "$VARDIR/run/account.sock" ]; echo $?) "$mode: the programs listen on their sockets"
		;;
	apache-cgi)
		ok $([ ! -e "$VARDIR/run/account.sock" ]; echo $?) "$mode: no socket, one process per request"
		;;
	esac

	flow_run "${mode#apache-}"

	# the request reaches the program as sent
	api POST '/api/v1/accounts?x=1' '{"email":"q@example.com","password":"short","full_name":"Q"}'
	is "$STATUS/$(jqb .error.field)" "400/password" "$mode: a JSON body is read whole (field named in the error)"
	req HEAD /signin --head
	is "$STATUS" 200 "$mode: HEAD"
	req DELETE /api/v1/tokens/current
	is "$STATUS" 401 "$mode: DELETE without credentials: 401"
	req GET /api/v1/me -H 'Authorization: Bearer not-a-token'
	is "$STATUS/$(jqb .error.code)" "401/invalid_token" "$mode: the Authorization header arrives"
	req GET '/signin?next=/settings%3Fa%3D1'
	like "$BODY" 'name="next" value="/settings\?a=1"' "$mode: the query string arrives"

	if [ "$mode" = "${modes%% *}" ]; then
		# which variable the program routes on (lib/http.c), as plain CGI
		cgi_status() {
			env -i LIVECARD_CONF="$VARDIR/livecard.hdf" GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET \
				QUERY_STRING= REMOTE_ADDR=127.0.0.1 SERVER_NAME=localhost SERVER_PORT="$PORT" \
				SERVER_PROTOCOL=HTTP/1.1 "$@" "$BUILD/cgi-bin/account" </dev/null | head -1 | tr -d '\r'
		}
		is "$(cgi_status REQUEST_URI='/api/v1/m%65?a=%2F')" "Status: 401 Unauthorized" \
			"routing on REQUEST_URI alone: percent-decoded, up to '?' (/api/v1/me)"
		is "$(cgi_status REQUEST_URI='/api/v1/me%00')" "Status: 404 Not Found" "but a %00 is not decoded"
		is "$(cgi_status SCRIPT_URL=/api/v1/me REQUEST_URI=/cgi-bin/account)" "Status: 401 Unauthorized" \
			"SCRIPT_URL (the path before mod_rewrite) comes before REQUEST_URI"
		is "$(cgi_status REDIRECT_DOCUMENT_URI=/api/v1/me SCRIPT_URL=/x REQUEST_URI=/cgi-bin/account)" \
			"Status: 401 Unauthorized" "REDIRECT_DOCUMENT_URI (after a .htaccess redirect) before both"
		is "$(cgi_status DOCUMENT_URI=/api/v1/nothing REDIRECT_DOCUMENT_URI=/api/v1/me)" "Status: 404 Not Found" \
			"DOCUMENT_URI first, as nginx sets it"
	fi
	stack_down
done

done_testing
