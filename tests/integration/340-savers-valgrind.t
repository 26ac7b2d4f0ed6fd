#!/usr/bin/env bash
# 340-savers-valgrind.t: the savers program's FastCGI loop is valgrind-clean:
# the list, the search, letters, the inbox, subscriptions by link and by code,
# unsubscribing and the error paths, many times on one worker: no invalid
# access, no leak.
. "$(dirname "$0")/../lib.sh"
command -v valgrind >/dev/null || { echo "1..0 # SKIP valgrind is not installed"; exit 0; }
stack_up

signup_verified alice@example.com "Alice Owner"
ALICE=$TOKEN
api GET /api/v1/card
T=$(jqb .share.url)
T=${T##*/}
signup_verified dan@example.com "Dan Saver"
DAN=$TOKEN
api POST /api/v1/folder/save-shared "{\"token\":\"$T\"}"

stack svc stop savers
LIVECARD_CONF=$VARDIR/livecard.hdf valgrind --quiet --trace-children=yes --trace-children-skip-by-arg=livecard-sandbox --child-silent-after-fork=no \
	--leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
	--log-file="$VARDIR/vg-savers.%p.log" \
	"$BUILD/cgi-bin/savers" --socket "$VARDIR/run/savers.sock" --workers 1 >>"$VARDIR/log/savers.log" 2>&1 &
VG_PID=$!
TOKEN=""
for i in $(seq 1 100); do
	req GET /inbox
	[ "$STATUS" = 303 ] && break
	sleep 0.3
done
is "$STATUS" 303 "savers runs under valgrind"
A_ID=$(sql "SELECT id FROM users WHERE email = 'alice@example.com'")
sql "INSERT INTO notifications (user_id, kind, payload) VALUES ($A_ID, 'card.update', '{\"entry_id\": 1, \"url\": \"/updates\", \"text\": \"x\", \"owner\": \"Bob\", \"fields\": [\"title\", \"phones\"], \"auto\": false}')"

TOKEN=$ALICE
api GET '/api/v1/notifications?limit=50'
like "$(jqb -r '.notifications[] | select(.kind == "card.update") | .text')" '^Bob updated their card: Title, Phone numbers\. Review the update\.$' "an update letter's text is drawn from its payload (under valgrind)"
for i in 1 2; do
	api GET /api/v1/savers
	api GET '/api/v1/savers?limit=1&cursor=20240101000000-1-5'
	api GET '/api/v1/savers?cursor=bad'
	api POST /api/v1/savers/search
	api GET '/api/v1/notifications?unread=1&since_id=0'
	api GET '/api/v1/notifications?limit=1&cursor=999'
	api POST /api/v1/notifications/1/read
	api POST /api/v1/notifications/999999/read
	api POST /api/v1/notifications/read-all
	api GET /api/v1/notifications?since_id=x
done
for i in 1; do
	TOKEN=""
	sub="sub$i@example.org"
	api POST "/api/v1/c/$T/subscribe" "{\"full_name\":\"Sub $i\",\"email\":\"$sub\",\"phone\":\"+861380013900$i\"}"
	api POST "/api/v1/c/$T/subscribe" '{"full_name":"X"}'
	api POST "/api/v1/c/$T/subscribe" '{"full_name":"X","email":"bad","bogus":[1,{"a":null}]}'
	api POST "/api/v1/c/nonexistent-token/subscribe" '{"full_name":"X","email":"x@example.org"}'
	api POST "/api/v1/c/$T/subscribe/verify" "{\"phone\":\"+861380013900$i\",\"code\":\"000000\"}"
	mail_wait "$sub" 1
	link=$(mail_link "$sub" /s/confirm)
	api POST /api/v1/subscriptions/confirm "{\"token\":\"${link##*token=}\"}"
	api POST /api/v1/subscriptions/confirm '{"token":"no-such-token-no-such-token"}'
	ut=$(sql "SELECT unsubscribe_token FROM subscribers WHERE email='$sub'")
	JAR=$VARDIR/jar.$i
	req GET "/c/$T/subscribe"
	c=$(csrf_of)
	form POST "/c/$T/subscribe" "csrf=$c" "full_name=Form $i" "phone=+861380013910$i"
	form POST "/c/$T/subscribe/verify" "csrf=$c" "phone=+861380013910$i" "code=000000"
	form POST "/c/$T/subscribe" "csrf=$c" "full_name=Nobody"
	req GET "/s/confirm?token=${link##*token=}"
	req GET "/s/unsubscribe/$ut"
	form POST "/s/unsubscribe/$ut" "csrf=$c" "never=1"
	req GET /s/unsubscribe/no-such-token
	JAR=""
	TOKEN=$ALICE
	api GET /api/v1/savers
done
is "$STATUS" 200 "requests of every kind under valgrind"
is "$(jqb '.savers | length')" 1 "and the list still answers (D, the subscribers having left)"

# the pages, signed in by cookie
TOKEN=""
JAR=$VARDIR/jar.alice
req GET /signin
form POST /signin "email=alice@example.com" "password=password-alice@example.com" "csrf=$(csrf_of)"
req GET /savers
req GET '/savers?limit=1'
req GET /inbox
c=$(csrf_of)
form POST /savers/search "csrf=$c"
form POST /inbox/read-all "csrf=$c"
is "$STATUS" 303 "pages under valgrind"

kill -TERM "$VG_PID"
wait "$VG_PID" 2>/dev/null
sleep 1
logs=$(cat "$VARDIR"/vg-savers.*.log 2>/dev/null)
diag "$(printf '%s' "$logs" | head -40)"
unlike "$logs" 'Invalid (read|write)|uninitialised|Conditional jump' "no invalid memory access"
unlike "$logs" 'definitely lost: [1-9]|indirectly lost: [1-9]' "no leak"
ls "$VARDIR"/vg-savers.*.log >/dev/null 2>&1
ok $? "valgrind wrote its reports"
stack svc start savers
done_testing
