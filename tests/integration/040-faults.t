#!/usr/bin/env bash
# 040-faults.t: a mail server that is down delays mail and loses none; a
# MariaDB restart needs no app restart; a killed worker is replaced.
. "$(dirname "$0")/../lib.sh"
stack_up

# --- the mail catcher down during sign-up ------------------------------------
stack svc stop mail
api POST /api/v1/accounts '{"email":"frank@example.com","password":"frank password","full_name":"Frank"}'
is "$STATUS" 201 "sign-up succeeds while the mail server is down"
sleep 3
is "$(mail_count frank@example.com)" 0 "no mail could arrive yet"
row=$(sql "SELECT status, attempts >= 1, last_error IS NOT NULL FROM outbox WHERE recipient='frank@example.com'")
like "$row" '^(queued|sending)	1	1$' "the message waits in the outbox with its last error"
stack svc start mail
mail_wait frank@example.com 1 30
ok $? "the mail arrives once the server is back"
sleep 3
is "$(mail_count frank@example.com)" 1 "exactly once"
is "$(sql "SELECT status FROM outbox WHERE recipient='frank@example.com'")" sent "marked sent"

# --- MariaDB restarted under the running programs ------------------------------
signup_verified grace@example.com "Grace"
api GET /api/v1/me
is "$STATUS" 200 "signed in"
stack svc stop db
api GET /api/v1/me
is "$STATUS" 503 "with the database down: 503, not a hang or a crash"
is "$(jqb .error.code)" "unavailable" "a JSON error body"
like "$(header Retry-After)" '^[0-9]+$' "with Retry-After"
stack svc start db
api GET /api/v1/me
is "$STATUS" 200 "after the restart the next request succeeds"
is "$(jqb .user.email)" "grace@example.com" "with the right answer"
api POST /api/v1/accounts '{"email":"heidi@example.com","password":"heidi password","full_name":"Heidi"}'
is "$STATUS" 201 "writes work again"
mail_wait heidi@example.com 1 30
ok $? "and the outbox worker delivers again without a restart"

# --- a worker killed mid-life is replaced ------------------------------------------
sup=$(cat "$VARDIR/run/account.pid")
victim=$(pgrep -P "$sup" | head -1)
kill -KILL "$victim"
sleep 0.5
ok=0
for i in 1 2 3 4 5 6; do
	api GET /api/v1/me
	[ "$STATUS" = 200 ] && ok=$((ok + 1))
done
is "$ok" 6 "requests keep succeeding after a worker is killed"
is "$(pgrep -P "$sup" | wc -l)" 2 "the supervisor started a new worker"

done_testing
