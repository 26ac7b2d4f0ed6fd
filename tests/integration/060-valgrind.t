#!/usr/bin/env bash
# 060-valgrind.t: the FastCGI loop of a program is valgrind-clean: many
# requests of every kind on one worker, no invalid access, no leak.
. "$(dirname "$0")/../lib.sh"
command -v valgrind >/dev/null || { echo "1..0 # SKIP valgrind is not installed"; exit 0; }
stack_up
signup_verified judy@example.com "Judy"
JUDY=$TOKEN
TOKEN=""

# run_under_valgrind PROGRAM: replace the running program by one worker under valgrind
run_under_valgrind() {
	local prog=$1
	stack svc stop "$prog"
	LIVECARD_CONF=$VARDIR/livecard.hdf valgrind --quiet --trace-children=yes --trace-children-skip-by-arg=livecard-sandbox --child-silent-after-fork=no \
		--leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
		--log-file="$VARDIR/vg-$prog.%p.log" \
		"$BUILD/cgi-bin/$prog" --socket "$VARDIR/run/$prog.sock" --workers 1 \
		>>"$VARDIR/log/$prog.log" 2>&1 &
	VG_PID=$!
	local i
	for i in $(seq 1 100); do
		req GET /api/v1/no-such-path
		[ "$STATUS" = 404 ] && return 0
		sleep 0.3
	done
	return 1
}

run_under_valgrind account
ok $? "account runs under valgrind"
JAR=$VARDIR/jar
for i in 1 2 3; do
	req GET /
	req GET /signup
	req GET /signin
	api POST /api/v1/tokens '{"email":"judy@example.com","password":"wrong password"}'
	api POST /api/v1/accounts '{"email":'
	api POST /api/v1/accounts '{"bogus":[1,2,{"x":null}]}'
	api PATCH /api/v1/me
	form POST /signup full_name=X
done
api POST /api/v1/accounts '{"email":"kim@example.com","password":"kim password 1","full_name":"Kim 金"}'
is "$STATUS" 201 "a sign-up under valgrind"
TOKEN=$JUDY
for i in 1 2 3; do
	api GET /api/v1/me
	api PUT /api/v1/me '{"full_name":"Judy J"}'
	api POST /api/v1/app-passwords '{"label":"tablet"}'
	api GET /api/v1/app-passwords
done
is "$STATUS" 200 "signed-in requests under valgrind"
TOKEN=""
api POST /api/v1/password-reset '{"email":"judy@example.com"}'
is "$STATUS" 202 "a reset request under valgrind"
kill -TERM "$VG_PID"
wait "$VG_PID" 2>/dev/null
sleep 1
logs=$(cat "$VARDIR"/vg-account.*.log 2>/dev/null)
diag "$(printf '%s' "$logs" | head -40)"
unlike "$logs" 'Invalid (read|write)|uninitialised|Conditional jump' "no invalid memory access"
unlike "$logs" 'definitely lost: [1-9]|indirectly lost: [1-9]' "no leak"
ls "$VARDIR"/vg-account.*.log >/dev/null 2>&1
ok $? "valgrind wrote its reports"
stack svc start account
done_testing
