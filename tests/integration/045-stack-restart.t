#!/usr/bin/env bash
# 045-stack-restart.t: conf/stack starts again after every process of a stack
# was killed with SIGKILL (stale pid files, sockets and orphaned nginx workers
# need no hand work), and refuses in one line, starting nothing, when a port
# it needs is taken.
. "$(dirname "$0")/../lib.sh"
if [ "$LIVECARD_MODE" != nginx ]; then
	echo "1..0 # SKIP the stack's own restart is tested once, behind nginx"
	exit 0
fi
stack_up

signup_verified ivan@example.com "Ivan"
api GET /api/v1/me
is "$STATUS" 200 "a member is signed in on the running stack"

# --- every process of the stack killed with SIGKILL ---------------------------
pids=$(cat "$VARDIR"/run/*.pid 2>/dev/null | sort -u)
# the supervisors' workers and nginx's workers too, as an OOM killer or a
# power cut would leave them: only the masters named in the pid files
kill -KILL $pids 2>/dev/null
sleep 1
ls "$VARDIR"/run/*.pid >/dev/null 2>&1
ok $? "the pid files are left behind"
port_free "$PORT"
is "$?" 1 "nginx's workers still hold the port after their master was killed"

out=$(stack start 2>&1)
st=$?
is "$st" 0 "conf/stack start works again without removing anything by hand"
like "$out" "left behind by an earlier stack" "it says it ended the leftover processes"
api GET /api/v1/me
is "$STATUS" 200 "the member is still signed in: nothing was lost"
is "$(jqb .user.email)" "ivan@example.com" "with the right answer"
for f in "$VARDIR"/run/*.pid; do
	pid=$(cat "$f")
	kill -0 "$pid" 2>/dev/null || { ok 1 "$(basename "$f") names a live process"; continue; }
done
ok 0 "every pid file names a live process"

# --- a stale pid file whose number is now another program's -------------------
sleep 600 &
other=$!
stack svc stop sms
echo "$other" >"$VARDIR/run/sms.pid"
stack svc start sms >/dev/null 2>&1
kill -0 "$other" 2>/dev/null
ok $? "a pid file naming someone else's process is not taken for the service"
port_free $((PORT + 2))
is "$?" 1 "the SMS catcher runs again"
stack stop >/dev/null 2>&1
kill -0 "$other" 2>/dev/null
ok $? "stop never signals a process that is not the stack's"
kill "$other" 2>/dev/null

# --- a port that is taken --------------------------------------------------------
/usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1); time.sleep(60)' "$PORT" &
squatter=$!
for i in $(seq 1 50); do port_free "$PORT" || break; sleep 0.1; done
out=$(stack start 2>&1)
st=$?
[ "$st" -ne 0 ]
ok $? "start with the port taken exits non-zero"
is "$(printf '%s\n' "$out" | grep -c .)" 1 "with one line"
like "$out" "port $PORT is already in use" "that names the port"
[ -e "$VARDIR/run/db.pid" ]
is "$?" 1 "and nothing was started"
kill "$squatter" 2>/dev/null
wait "$squatter" 2>/dev/null

# make run says the same
squat2=$(free_port 0)
/usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1); time.sleep(60)' "$squat2" &
squatter=$!
for i in $(seq 1 50); do port_free "$squat2" || break; sleep 0.1; done
out=$(env -u MAKEFLAGS -u MAKELEVEL make -s -C "$TOP" run BUILD="$BUILD" PORT="$squat2" VARDIR="$VARDIR/run2" 2>&1)
st=$?
[ "$st" -ne 0 ]
ok $? "make run with the port taken exits non-zero"
like "$out" "stack: port $squat2 is already in use" "and says why in one line"
kill "$squatter" 2>/dev/null
wait "$squatter" 2>/dev/null

done_testing
