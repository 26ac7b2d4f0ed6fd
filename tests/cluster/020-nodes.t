#!/usr/bin/env bash
# 020-nodes.t: the savers flow with its requests alternating between the two web nodes (save, letter, mail, list, search, removal); concurrent multipart card-image uploads of one card from both nodes (certification conflicts retried, the stored image a whole one of those sent); a web node killed with SIGKILL under load (the other node's clients see no error, the dead worker's claimed messages are sent once by the other worker, the node serves again after its restart).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../integration/499-updates-lib.sh"
# a short SMTP timeout: a killed worker's outbox claims expire after
# Outbox.TimeoutSeconds x 3 + 30 s (45 s; 90 s by default)
EXTRA_CONF=$'Updates.CoalesceSeconds = 0\nThrottle.MailsPerClient = 1000\nOutbox.TimeoutSeconds = 5\nImport.ChunkCards = 100'
export EXTRA_CONF
cluster_up
# subject_count TO SUBJECT: mails to TO with that subject, on both web nodes
subject_count() { mail_files "$1" | xargs -r grep -l -F "$2" | wc -l; }

# --- savers: each step on the other web node than the one before ---------------------
on 1
signup_verified alice@example.com "Alice Owner" || bail "no member A"
ALICE=$TOKEN
A_ID=$(uid_of alice@example.com)
on 2
put_card '{"full_name":"Alice Owner","emails":[{"type":"work","value":"alice@example.com"}]}'
is "$STATUS" 200 "A saves her card on web node 2"
on 1
api GET /api/v1/card
A_LINK=$(jqb .share.url)
A_TOKEN=${A_LINK##*/}
like "$A_TOKEN" '^[A-Za-z0-9_-]{20,}$' "web node 1 shows her share link"
on 2
signup_verified dan@example.com "Dan Account" || bail "no member D"
DAN=$TOKEN
D_ID=$(uid_of dan@example.com)
on 1
put_card '{"full_name":"Dan Saver","organization":"Saver Ltd","emails":[{"type":"work","value":"dan@example.com"}],"note":"Dan private note"}'
on 2
api PUT /api/v1/card/share '{"visible_fields":["full_name","organization","emails"]}'
is "$STATUS" 200 "D shares his name, organisation and e-mail (on node 2; his card saved on node 1)"

on 1
api POST /api/v1/folder/save-shared "{\"token\":\"$A_TOKEN\"}"
is "$STATUS" 201 "D saves A's card on web node 1"
is "$(sql_on 2 "SELECT how FROM savers WHERE owner_id=$A_ID AND saver_id=$D_ID")" saved "the savers row, read on database node 2"
TOKEN=$ALICE
on 2
api GET '/api/v1/notifications?unread=1'
is "$(jqb '.notifications | length')/$(jqb '.notifications[0].kind')" "1/card.saved" "A's letter, on web node 2 at once"
is "$(jqb '.notifications[0].text')" "Dan Saver saved your card." "saying who saved her card"
unlike "$BODY" "private note" "never a field D does not share"
for i in $(seq 1 200); do [ "$(subject_count alice@example.com "Dan Saver saved your card")" -ge 1 ] && break; sleep 0.1; done
is "$(subject_count alice@example.com "Dan Saver saved your card")" 1 "one e-mail, by one of the two workers"
on 1
api GET /api/v1/savers
is "$(jqb -c '[.savers[] | [.kind, .full_name, .is_member, .how]]')" '[["member","Dan Saver",true,"saved"]]' \
	"A's savers list on web node 1: D, a member who saved the card"
is "$(jqb -c '.savers[0].emails')" '["dan@example.com"]' "with his shared e-mail"

TOKEN=$DAN
on 2
api POST /api/v1/folder/save-shared "{\"token\":\"$A_TOKEN\"}"
is "$STATUS" 200 "D saves the same card again, on web node 2: the same entry"
outbox_idle 30
sleep 1
is "$(subject_count alice@example.com "Dan Saver saved your card")" 1 "still one e-mail"
is "$(sql_on 3 "SELECT COUNT(*) FROM notifications WHERE user_id=$A_ID")" 1 "still one letter (database node 3)"

on 1
signup_verified erin@example.com "Erin Typist" || bail "no member E"
on 2
api POST /api/v1/folder '{"card":{"full_name":"Alice from the conference","emails":[{"type":"work","value":"ALICE@Example.com"}]}}'
is "$STATUS/$(jqb .entry.owner_is_member)" "201/true" "E types A's card in on web node 2: matched to a member"
TOKEN=$ALICE
on 1
api GET /api/v1/savers
is "$(jqb -c '[.savers[].full_name]')" '["Erin Typist","Dan Saver"]' "web node 1 lists E too, the newest first"

# the search: an import tells nobody; A's search on the other node finds it
on 2
signup_verified fay@example.com "Fay Importer" || bail "no member F"
F_ID=$(uid_of fay@example.com)
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Alice (met at a fair)\r\nEMAIL;TYPE=work:Alice@Example.com\r\nEND:VCARD\r\n' >"$CLUSTER_DIR/one.vcf"
on 1
req POST /api/v1/folder/import -H 'Content-Type: text/vcard' --data-binary @"$CLUSTER_DIR/one.vcf"
is "$STATUS $(jqb .imported)" "200 1" "F imports A's card on web node 1"
is "$(sql_on 2 "SELECT COUNT(*) FROM savers WHERE saver_id=$F_ID")" 0 "no savers row for an import"
TOKEN=$ALICE
on 2
api POST /api/v1/savers/search
is "$STATUS $(jqb .found) $(jqb .total)" "200 1 3" "A's search on web node 2 finds F"
on 1
api POST /api/v1/savers/search
is "$STATUS $(jqb .error.code)" "429 search_too_soon" "searching again at once on the other node: 429 (the limit is the cluster's)"
api GET /api/v1/savers
is "$(jqb -c '[.savers[] | select(.full_name == "Fay Importer") | .how]')" '["search"]' "web node 1 lists F, found by search"

# a saver who deletes the copy leaves the list, seen on the other node
TOKEN=$DAN
on 2
entry=$(sql "SELECT id FROM folder_entries WHERE holder_id=$D_ID")
api DELETE "/api/v1/folder/$entry"
is "$STATUS" 204 "D deletes his copy on web node 2"
TOKEN=$ALICE
on 1
api GET /api/v1/savers
is "$(jqb -c '[.savers[].full_name]') $(jqb .total)" '["Fay Importer","Erin Typist"] 2' "web node 1 no longer lists D"
on 2
web_signin alice@example.com /savers
ok $? "A signs in with the browser on web node 2"
on 1
req GET /savers
is "$STATUS" 200 "and reads the savers page on web node 1 with that session"
like "$BODY" '<span id="savers-total">2</span>' "with the total"

# --- concurrent multipart uploads of one card's image from both web nodes -------------
# four images; each one's stored hash (of its re-encoded bytes, the same for
# the same file) is learnt first by an upload to the back without any race
req GET /card/images
s=$(csrf_of)
refs=""
for k in 1 2 3 4; do
	png 96 64 $((k * 50)) 80 $((250 - k * 40)) >"$CLUSTER_DIR/img$k.png"
	on $((k % 2 + 1))
	req POST /card/images/back -F "csrf=$s" -F "image=@$CLUSTER_DIR/img$k.png;type=image/png"
	[ "$STATUS" = 303 ] || diag "reference upload $k: $STATUS"
	refs="$refs $(sql "SELECT back_image FROM cards WHERE user_id=$A_ID")"
done
is "$(printf '%s\n' $refs | sort -u | grep -c '^[0-9a-f]\{64\}$')" 4 "four reference images, four hashes"
rev0=$(sql "SELECT revision FROM cards WHERE user_id=$A_ID")
retried0=$(cat "$CLUSTER_DIR"/web*/log/*.log | grep -c 'POST /card/images/front: conflict, running again' || true)
# on a quiet machine 48 uploads may pass without one overlapping commit:
# further rounds of 48 (at most 4 in all) until a conflict was run again
rm -f "$CLUSTER_DIR"/upload.*
rounds=0 retried=0
while [ "$rounds" -lt 4 ] && [ "$retried" -eq 0 ]; do
	rounds=$((rounds + 1))
	for k in 1 2 3 4; do
		(
			w=$((k % 2 + 1))
			for i in $(seq 1 12); do
				curl -s -o /dev/null -w '%{http_code}\n' -b "$JAR" -F "csrf=$s" \
					-F "image=@$CLUSTER_DIR/img$k.png;type=image/png" \
					"http://127.0.0.1:$((BASE + 20 + 10 * (w - 1)))/card/images/front"
			done >>"$CLUSTER_DIR/upload.$k"
		) &
	done
	wait
	retried=$(($(cat "$CLUSTER_DIR"/web*/log/*.log | grep -c 'POST /card/images/front: conflict, running again' || true) - retried0))
done
n=$((48 * rounds))
is "$(cat "$CLUSTER_DIR"/upload.* | sort | uniq -c | sed 's/^ *//' | tr '\n' ' ')" "$n 303 " "$n concurrent uploads of the front image in $rounds round(s), half on each web node: all saved (303)"
diag "certification conflicts of the uploads, retried: $retried"
ok $((!(retried > 0))) "conflicts happened and were run again ($retried)"
is "$(grep -h ' 503 ' "$CLUSTER_DIR"/web*/log/nginx-access.log | grep -c 'POST /card/images/front')" 0 "no 503 for them"
# (an upload of the image the card already shows changes nothing: no revision)
revs=$(($(sql "SELECT revision FROM cards WHERE user_id=$A_ID") - rev0))
ok $((!(revs >= 1 && revs <= n))) "each upload made one revision at most ($revs)"
bad=0
for h in $(sql "SELECT COALESCE(r.front_image, 'none') FROM card_revisions r JOIN cards c ON c.id = r.card_id WHERE c.user_id=$A_ID AND r.revision > $rev0"); do
	[[ " $refs " == *" $h "* ]] || { diag "revision front image $h is none of those sent"; bad=$((bad + 1)); }
done
is "$bad" 0 "every revision's front image is one of the four sent"
FRONT=$(sql "SELECT front_image FROM cards WHERE user_id=$A_ID")
like " $refs " " $FRONT " "the card's front image is one of them"
is "$(sql_on 3 "SELECT SHA2(data, 256) FROM images WHERE hash='$FRONT'")" "$FRONT" "stored whole on database node 3: its bytes' SHA-256 is its hash"
on 2
TOKEN=$ALICE
JAR_A=$JAR
JAR=""
curl -s -H "Authorization: Bearer $ALICE" -o "$CLUSTER_DIR/front.bin" "$B/api/v1/card/images/front"
is "$(sha256sum <"$CLUSTER_DIR/front.bin" | cut -d' ' -f1)" "$FRONT" "and served whole by web node 2"
is "$(sql "SELECT COUNT(*) FROM cards c LEFT JOIN card_revisions r ON r.card_id = c.id AND r.revision = c.revision
	WHERE c.user_id=$A_ID AND (r.card_id IS NULL OR NOT (r.front_image <=> c.front_image))")" 0 "the card is its last revision"

# --- a large import: one background job, two workers on two nodes ----------------------
# the file's bytes are stored in the database by web node 1; either node's
# outbox worker may claim the job and save it chunk by chunk: each card once,
# the job finished once
awk 'BEGIN { for (i = 1; i <= 1500; i++) printf "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cluster Import %d\r\nEMAIL:ci%d@example.org\r\nEND:VCARD\r\n", i, i }' >"$CLUSTER_DIR/ci.vcf"
TOKEN=$DAN
on 1
req POST '/api/v1/folder/import?async=1' -H 'Content-Type: text/vcard' --data-binary @"$CLUSTER_DIR/ci.vcf"
JOB=$(header Location)
JOB=${JOB##*/}
is "$STATUS" 202 "1,500 cards sent to web node 1 with ?async=1: 202, a background job"
on 2
for _ in $(seq 1 600); do
	api GET "/api/v1/folder/import/$JOB"
	[ "$(jqb .status)" = done ] && break
	sleep 0.2
done
is "$(jqb .status)/$(jqb .imported)" "done/1500" "web node 2 reads the job done: 1,500 imported"
is "$(sql_on 3 "SELECT COUNT(*), COUNT(DISTINCT full_name) FROM folder_entries WHERE holder_id=$D_ID AND full_name LIKE 'Cluster Import %'" | tr '\t' ' ')" "1500 1500" \
	"each card once in the folder (database node 3)"
is "$(sql "SELECT COUNT(*) FROM import_job_data WHERE job_id=$JOB")" 0 "the file's bytes deleted at the end"
is "$(cat "$CLUSTER_DIR"/web*/log/outbox.log | grep -c "import job $JOB (user")" 1 "the job finished once, by one of the two workers"

# --- a web node killed with SIGKILL under load -----------------------------------------
# web node 1's outbox worker is made to hold claims when it dies: both
# workers stopped, six sign-ups queue their mails, web node 1's mail catcher
# is paused (SIGSTOP: its SMTP conversation hangs), its worker started: it
# claims all six and waits on the first; then the node is killed
# the load's members (their sign-ups need a worker)
tokens=()
for i in 1 2 3; do
	on 2
	signup_verified "wl$i@example.com" "Web Load $i" || bail "no load member $i"
	tokens+=("$TOKEN")
done
outbox_idle 30 || diag "the outbox is still busy"
cluster web-svc 1 stop outbox >/dev/null
cluster web-svc 2 stop outbox >/dev/null
on 2
TOKEN=""
for i in 1 2 3 4 5 6; do
	api POST /api/v1/accounts "{\"email\":\"k$i@example.com\",\"password\":\"password-k$i\",\"full_name\":\"Killed $i\"}"
	[ "$STATUS" = 201 ] || diag "sign-up k$i: $STATUS"
done
is "$(sql "SELECT COUNT(*) FROM outbox WHERE status = 'queued' AND recipient LIKE 'k_@example.com'")" 6 "six mails queued, no worker running"

LOAD_END=$CLUSTER_DIR/load.end
rm -f "$LOAD_END"
# two clients on web node 2 (the survivor), one on web node 1
load_client 2 "${tokens[0]}" >"$CLUSTER_DIR/wload.2a" &
load_client 2 "${tokens[1]}" >"$CLUSTER_DIR/wload.2b" &
load_client 1 "${tokens[2]}" >"$CLUSTER_DIR/wload.1" &

MAILPID=$(cat "$CLUSTER_DIR/web1/run/mail.pid")
kill -STOP "$MAILPID"
cluster web-svc 1 start outbox >/dev/null
# (one UPDATE claims all six; the worker then hangs 5 s on each)
for i in $(seq 1 300); do
	[ "$(sql "SELECT COUNT(*) FROM outbox WHERE status = 'sending' AND claim IS NOT NULL")" -ge 1 ] && break
	sleep 0.1
done
claimed=$(sql "SELECT GROUP_CONCAT(id ORDER BY id) FROM outbox WHERE status = 'sending' AND claim IS NOT NULL")
t_kill=$(now_ms)
cluster kill-web 1 >"$CLUSTER_DIR/kill.log" 2>&1
ok $? "web node 1 killed with SIGKILL ($(cat "$CLUSTER_DIR/kill.log"))"
held=$(sql "SELECT COUNT(*) FROM outbox WHERE status = 'sending' AND claim IS NOT NULL")
diag "messages claimed by web node 1's worker: $claimed; still claimed at the kill: $held"
ok $((!(held > 0))) "the dead worker held claims ($held)"
code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "http://127.0.0.1:$((BASE + 20))/static/livecard.css")
is "$code" 000 "web node 1 answers nothing"
cluster web-svc 2 start outbox >/dev/null
# the claims expire (36 s), then web node 2's worker sends them
t_sent=""
for i in $(seq 1 1200); do
	if [ "$(sql "SELECT COUNT(*) FROM outbox WHERE recipient LIKE 'k_@example.com' AND status <> 'sent'")" = 0 ]; then
		t_sent=$(now_ms)
		break
	fi
	sleep 0.1
done
# the window by the database's own clock: each claimed message's sent_at
window=$(sql "SET time_zone = '+00:00'; SELECT TIMESTAMPDIFF(SECOND, FROM_UNIXTIME($t_kill / 1000), MAX(sent_at))
	FROM outbox WHERE FIND_IN_SET(id, '$claimed')")
ok "$([ -n "$t_sent" ]; echo $?)" "web node 2's worker sent the dead worker's messages $window s after the kill (sent_at; the claims ran $((5 * 3 + 30)) s)"
kill -CONT "$MAILPID"
# the node comes back: what is left of it stopped (its catchers), started again
cluster stop-web 1 >/dev/null 2>&1 || true
cluster start-web 1 >"$CLUSTER_DIR/web1.restart.log" 2>&1
ok $? "web node 1 started again"
t_back=$(now_ms)
on 1
TOKEN=$ALICE
api GET /api/v1/card
is "$STATUS" 200 "web node 1 serves again"
sleep 5
touch "$LOAD_END"
wait
cat "$CLUSTER_DIR"/wload.2? | sort -n >"$CLUSTER_DIR/wload.survivor"
n2=$(wc -l <"$CLUSTER_DIR/wload.survivor")
is "$(awk '$2 != 200' "$CLUSTER_DIR/wload.survivor" | wc -l)" 0 "the clients of web node 2 saw no error ($n2 requests)"
during=$(awk -v a="$t_kill" -v b="$t_back" '$1 > a && $1 < b && $2 == 200 && $3 == "PUT"' "$CLUSTER_DIR/wload.survivor" | wc -l)
ok $((!(during > 0))) "and went on writing while web node 1 was dead ($during writes)"
sort -n "$CLUSTER_DIR/wload.1" >"$CLUSTER_DIR/wload.killed"
errs1=$(awk '$2 != 200' "$CLUSTER_DIR/wload.killed")
if [ -n "$errs1" ]; then
	first=$(printf '%s\n' "$errs1" | head -1 | cut -d' ' -f1)
	last=$(printf '%s\n' "$errs1" | tail -1 | cut -d' ' -f1)
	diag "web node 1's client: errors from $((first - t_kill)) ms to $((last - t_kill)) ms after the kill; restarted at $((t_back - t_kill)) ms"
	ok $((!(first >= t_kill - 1000 && last <= t_back + 1000))) "web node 1's client failed only while its node was dead"
fi
is "$(awk -v t="$t_back" '$1 > t + 1000' "$CLUSTER_DIR/wload.killed" | awk '$2 != 200' | wc -l)" 0 "and not after its restart"
ok $((!($(awk -v t="$t_back" '$1 > t + 1000 && $2 == 200' "$CLUSTER_DIR/wload.killed" | wc -l) > 0))) "where it was served again"

# each message once: by recipient and by Message-ID over both nodes' catchers
outbox_idle 60
sleep 1
twice=0
for i in 1 2 3 4 5 6; do
	c=$(mail_count "k$i@example.com")
	[ "$c" = 1 ] || { diag "k$i@example.com: $c mails"; twice=$((twice + 1)); }
done
is "$twice" 0 "the six mails the dead worker had claimed, each delivered exactly once"
is "$(mail_files 'k[1-6]@example.com' | sed 's|/mail/new/.*||; s|.*/||' | sort -u | tr '\n' ' ')" "web2 " "all by web node 2's worker"
is "$(sql "SELECT MIN(attempts) >= 2 FROM outbox WHERE FIND_IN_SET(id, '$claimed')")" 1 "the claimed ones were taken again after their claim expired"
total=$(cat "$CLUSTER_DIR"/web*/mail/new/* | grep -ci '^Message-ID:')
uniq=$(cat "$CLUSTER_DIR"/web*/mail/new/* | grep -i '^Message-ID:' | sort -u | wc -l)
is "$total" "$uniq" "no Message-ID twice among all $total mails"
is "$(sql "SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND channel = 'email'")" "$total" "as many mails as sent e-mail messages"
diag "web node kill: the survivor's clients saw no error; the dead worker's claimed mails went out $window s after the kill (claims of $((5 * 3 + 30)) s); the node was restarted $(((t_back - t_kill) / 1000)) s after the kill"

done_testing
