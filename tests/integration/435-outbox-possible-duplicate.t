#!/usr/bin/env bash
# 435-outbox-possible-duplicate.t: issue 25: an SMTP server that keeps a message and drops the connection before its 250: the worker records "possibly delivered", tries once more at once with the same Message-ID, marks the row sent as a possible duplicate and counts it in `make status`.
. "$(dirname "$0")/../lib.sh"
stack_up

SMTP_PORT=$((PORT + 1))
CATCHER=""
trap '[ -n "$CATCHER" ] && kill "$CATCHER" 2>/dev/null; stack_down' EXIT

# catcher DROPS: replace the stack's mail catcher by tests/tools/mail-catcher.py
# on the same port and Maildir, dropping the connection after the end of DATA
# of its first DROPS messages (stored, never answered)
catcher() {
	[ -n "$CATCHER" ] && kill "$CATCHER" 2>/dev/null && wait "$CATCHER" 2>/dev/null
	CATCHER=""
	stack svc stop mail
	/usr/bin/python3 "$TOP/tests/tools/mail-catcher.py" --drop-after-data "$1" "127.0.0.1:$SMTP_PORT" \
		"$VARDIR/mail" 2>>"$VARDIR/catcher.log" &
	CATCHER=$!
	local i
	for i in $(seq 1 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$SMTP_PORT") 2>/dev/null && return 0
		sleep 0.1
	done
	bail "mail-catcher.py did not start"
}

# signup EMAIL: an account whose verification mail goes to EMAIL
signup() {
	api POST /api/v1/accounts "{\"email\":\"$1\",\"password\":\"password $1\",\"full_name\":\"Someone\"}"
	[ "$STATUS" = 201 ] || diag "signup $1: $STATUS $BODY"
}

# msgids EMAIL: the Message-IDs of the mails caught for EMAIL, one a line
msgids() {
	grep -l -i -s "^To: $1\$" "$MAILDIR"/* | xargs -r grep -h -i -m1 '^Message-ID:' | sed 's/^[^:]*: *//' | tr -d '\r'
}

# outbox_row EMAIL: id, status, attempts, possibly_delivered, possibly_delivered_at set
outbox_row() {
	sql "SELECT id, status, attempts, possibly_delivered, possibly_delivered_at IS NOT NULL
		FROM outbox WHERE recipient = '$1'"
}

# settled EMAIL: wait (30 s at most) until EMAIL's message is sent or failed
settled() {
	local i
	for i in $(seq 1 300); do
		case $(sql "SELECT status FROM outbox WHERE recipient = '$1'") in sent | failed) return 0 ;; esac
		sleep 0.1
	done
	return 1
}


# --- a plain delivery: no possible duplicate ------------------------------------------
catcher 0
signup alice@example.com
settled alice@example.com
is "$(outbox_row alice@example.com | cut -f2-)" "sent	1	0	0" "an ordinary delivery: sent at the first attempt, not possibly delivered"
like "$(stack status)" "outbox: 0 queued, 0 sending, 1 sent, 0 failed; 0 possible duplicates" "make status counts the outbox, no possible duplicate"

# --- dropped once after the end of DATA ------------------------------------------------
catcher 1
signup bob@example.com
settled bob@example.com
ok $? "bob's message is settled"
id=$(outbox_row bob@example.com | cut -f1)
is "$(outbox_row bob@example.com | cut -f2-)" "sent	1	1	1" \
	"the row ends sent, within its first attempt (one immediate retry), marked possibly delivered once"
mail_wait bob@example.com 2 10
is "$(mail_count bob@example.com)" 2 "the catcher holds two copies: the one it kept before dropping, and the retry"
ids=$(msgids bob@example.com | sort -u)
like "$ids" "^<outbox-$id@[^>]+>\$" "both copies carry the same Message-ID, the row's (<outbox-$id@...>)"
dates=$(grep -l -i "^To: bob@example.com\$" "$MAILDIR"/* | xargs grep -h -m1 '^Date:' | sort -u | wc -l)
is "$dates" 1 "and the same Date: the retry sends the same message"
is "$(grep -c 'dropped the connection before the 250' "$VARDIR/catcher.log")" 1 "the catcher dropped the connection once"
log=$VARDIR/log/outbox.log
like "$(grep "email message $id:" "$log")" "connection dropped after the end of DATA, before the reply: possibly delivered \\(1 time\\); trying once more now with the same Message-ID" \
	"the worker's log says the message was possibly delivered and is retried at once"
like "$(grep "sent email message $id:" "$log")" "possible duplicate" "and counts the send as a possible duplicate"
like "$(stack status)" "outbox: 0 queued, 0 sending, 2 sent, 0 failed; 1 possible duplicate \\(" "make status counts one possible duplicate"
like "$(sql "SELECT last_error FROM outbox WHERE id = $id")" "^NULL$|^$" "a sent row keeps no error"

# --- dropped twice: the immediate retry drops too, the next attempt succeeds -------------------
catcher 2
signup carol@example.com
settled carol@example.com
ok $? "carol's message is settled"
is "$(outbox_row carol@example.com | cut -f2-)" "sent	2	2	1" \
	"after two drops (the attempt and its immediate retry) it goes back to the queue and the next attempt sends it"
mail_wait carol@example.com 3 10
is "$(mail_count carol@example.com)" 3 "three copies, all with one Message-ID"
is "$(msgids carol@example.com | sort -u | wc -l)" 1 "one distinct Message-ID"
like "$(stack status)" "2 possible duplicates" "make status: two possible duplicates"

# --- a server that is down: nothing was handed over, so nothing is possibly delivered --------------
kill "$CATCHER"
wait "$CATCHER" 2>/dev/null
CATCHER=""
signup dave@example.com
for i in $(seq 1 100); do
	[ "$(sql "SELECT attempts FROM outbox WHERE recipient = 'dave@example.com'")" -ge 1 ] &&
		[ "$(sql "SELECT last_error IS NOT NULL FROM outbox WHERE recipient = 'dave@example.com'")" = 1 ] && break
	sleep 0.1
done
like "$(sql "SELECT status, possibly_delivered, last_error FROM outbox WHERE recipient = 'dave@example.com'")" \
	"^(queued|sending)	0	smtp: " "a refused connection is an ordinary failure, not a possible delivery"
catcher 0
settled dave@example.com
is "$(outbox_row dave@example.com | cut -f2,4)" "sent	0" "sent once the server is back, not a possible duplicate"
sleep 1
is "$(mail_count dave@example.com)" 1 "exactly one copy"
like "$(stack status)" "outbox: 0 queued, 0 sending, 4 sent, 0 failed; 2 possible duplicates" "make status: 4 sent, 2 possible duplicates"

done_testing
