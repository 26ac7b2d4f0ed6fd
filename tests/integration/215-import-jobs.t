#!/usr/bin/env bash
# 215-import-jobs.t: a large vCard file of the import form becomes a background
# job (issue 21): 303 to its page, a wait page with the count and a <progress>
# while livecard-outbox saves it in chunks, then the result and the cards; the
# owner only; bad files still refused with no job; the worker killed mid-job
# (SIGKILL) and started again finishes it with each card exactly once; the
# API's ?async=1 and GET /api/v1/folder/import/{id}.
. "$(dirname "$0")/../lib.sh"
EXTRA_CONF=$'Import.ChunkCards = 100\nImport.ChunkPauseMillis = 200\nImport.LeaseSeconds = 3'
export EXTRA_CONF
stack_up

signup_verified big@example.com "Big Importer"
BIG_ID=$(uid_of big@example.com)
signup_verified other@example.com "Someone Else"
OTHER=$TOKEN

# gen FILE N PREFIX: N good cards (unique e-mails), then 10 that repeat the
# first ten e-mails (skipped as duplicates) and 5 without a name, e-mail or
# phone (refused): N + 15 cards in the file.
gen() {
	awk -v n="$2" -v p="$3" 'BEGIN {
		for (i = 1; i <= n; i++)
			printf "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:%s Person %d\r\nORG:Firm %d\r\nEMAIL:%s%d@example.org\r\nEND:VCARD\r\n", p, i, i % 97, p, i
		for (i = 1; i <= 10; i++)
			printf "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:%s Again %d\r\nEMAIL:%s%d@example.org\r\nEND:VCARD\r\n", p, i, p, i
		for (i = 1; i <= 5; i++)
			printf "BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:nobody %d\r\nEND:VCARD\r\n", i
	}' >"$1"
}
gen "$VARDIR/big.vcf" 3000 big
entries() { sql "SELECT COUNT(*) FROM folder_entries WHERE holder_id = $BIG_ID"; }
jobs() { sql "SELECT COUNT(*) FROM import_jobs"; }

web_signin big@example.com /folder/import || bail "web sign-in failed"
CSRF_P=$(csrf_of)

# --- bad input: a clear 4xx and no job ----------------------------------------
printf 'this is not a vCard\n' >"$VARDIR/junk.vcf"
req POST /folder/import -F "csrf=$CSRF_P" -F "file=@$VARDIR/junk.vcf;type=text/vcard"
is "$STATUS" 400 "a file that is no vCard: 400"
like "$BODY" 'The file holds no vCard' "the page says why"
head -c $((33554432 + 10)) /dev/zero | tr '\0' 'x' >"$VARDIR/huge.vcf"
req POST /folder/import -F "csrf=$CSRF_P" -F "file=@$VARDIR/huge.vcf;type=text/vcard"
is "$STATUS" 413 "a file over Limits.ImportBytes: 413"
is "$(jobs) $(entries)" "0 0" "no job and no card after either"

# --- a small file is still imported at once -----------------------------------
gen "$VARDIR/small.vcf" 20 small
req POST /folder/import -F "csrf=$CSRF_P" -F "file=@$VARDIR/small.vcf;type=text/vcard"
is "$STATUS" 200 "35 cards (Import.AsyncCards 200): imported within the request"
like "$BODY" 'id="result-imported">20<' "the result at once: 20 new cards"
is "$(jobs)" 0 "no job for it"

# --- the large file: 303 to the job's page ------------------------------------
req POST /folder/import -F "csrf=$CSRF_P" -F "on_duplicate=skip" -F "file=@$VARDIR/big.vcf;type=text/vcard"
JOB=$(sql "SELECT MAX(id) FROM import_jobs")
is "$STATUS $(header Location)" "303 /folder/import/$JOB" "3,015 cards: 303 to the job's page"
is "$(sql "SELECT user_id, total, policy FROM import_jobs WHERE id = $JOB" | tr '\t' ' ')" "$BIG_ID 3015 skip" \
	"the job: its owner, the file's 3,015 cards, the policy"
ok $(( $(sql "SELECT COUNT(*) FROM import_job_data WHERE job_id = $JOB") >= 1 ? 0 : 1 )) \
	"the file's bytes are in the database (import_job_data), not on one node's disk"

# the wait page with a count below the total, seen at least once
seen=""
for _ in $(seq 1 200); do
	req GET "/folder/import/$JOB"
	if [[ $BODY =~ Importing:\ ([0-9,]+)\ of\ 3,015\ cards ]] && [ "${BASH_REMATCH[1]}" != 0 ] &&
		[ "${BASH_REMATCH[1]}" != 3,015 ]; then
		seen=${BASH_REMATCH[1]}
		break
	fi
	sleep 0.1
done
ok $([ -n "$seen" ]; echo $?) "the wait page said \"Importing: $seen of 3,015 cards\""
like "$BODY" '<progress id="job-bar" max="3015" value="[0-9]+"' "with a <progress> element fed by the counts"
like "$BODY" '<noscript><meta http-equiv="refresh" content="2"></noscript>' "refreshing itself every 2 s without scripts"
is "$(header Cache-Control)" "no-store" "and never cached"
api GET "/api/v1/folder/import/$JOB"
is "$STATUS $(jqb .status) $(jqb .total)" "200 running 3015" "its JSON route (the page's script polls it) says running"

# another member: 404 on the page and the JSON
SAVE_JAR=$JAR; JAR=""; TOKEN=$OTHER
api GET "/api/v1/folder/import/$JOB"
is "$STATUS" 404 "another member's token: 404 on the JSON"
web_signin other@example.com /folder || bail "sign-in failed"
req GET "/folder/import/$JOB"
is "$STATUS" 404 "another member's session: 404 on the page"
JAR=$SAVE_JAR; TOKEN=""

# --- kill the worker mid-job, start it again ----------------------------------
for _ in $(seq 1 200); do
	d=$(sql "SELECT done FROM import_jobs WHERE id = $JOB")
	[ "$d" -ge 500 ] && break
	sleep 0.1
done
kill -KILL "$(cat "$VARDIR/run/outbox.pid")"
sleep 0.5
d1=$(sql "SELECT done FROM import_jobs WHERE id = $JOB")
n1=$(entries)
ok $(( d1 > 0 && d1 < 3015 ? 0 : 1 )) "the worker killed (SIGKILL) with $d1 of 3,015 cards handled"
is "$n1" "$((20 + d1))" "every committed chunk's cards are in the folder, nothing of the chunk it was in ($n1 entries)"
sleep 1
is "$(sql "SELECT done FROM import_jobs WHERE id = $JOB")" "$d1" "nothing moves while no worker runs"
rm -f "$VARDIR/run/outbox.pid"
stack svc start outbox
for _ in $(seq 1 300); do
	[ "$(sql "SELECT status FROM import_jobs WHERE id = $JOB")" = done ] && break
	sleep 0.2
done
is "$(sql "SELECT status, done, imported, skipped, failed FROM import_jobs WHERE id = $JOB" | tr '\t' ' ')" \
	"done 3015 3000 10 5" "started again, the worker took the job over after its lease and finished it: 3,000 new, 10 skipped, 5 refused"
is "$(entries)" 3020 "3,000 new cards in the folder (and the 20 of before)"
is "$(sql "SELECT COUNT(*), COUNT(DISTINCT ckey) FROM card_keys WHERE holder_id = $BIG_ID AND ckey LIKE 'e:big%'" | tr '\t' ' ')" \
	"3000 3000" "each card exactly once"
is "$(sql "SELECT COUNT(*) FROM import_job_data WHERE job_id = $JOB")" 0 "the file's bytes are deleted when the job ends"
like "$(cat "$VARDIR/log/outbox.log")" "import job $JOB \\(user $BIG_ID\\): 3015 cards: 3000 new" "the worker logs the end"

# --- the result page -----------------------------------------------------------
req GET "/folder/import/$JOB"
is "$STATUS" 200 "the job's page, done"
like "$BODY" 'id="result-imported">3000<' "shows the result: 3000 new cards"
like "$BODY" 'id="result-skipped">10<' "10 duplicates skipped"
like "$BODY" 'Card no. 3011: the card has no name' "the refused cards with their numbers"
like "$BODY" 'href="/folder/[0-9]+">big Person 1<' "links to the imported cards"
unlike "$BODY" 'http-equiv="refresh"' "and no longer refreshes itself"
api GET "/api/v1/folder/import/$JOB"
is "$(jqb -c '[.status, .done, .imported, .skipped, .failed, (.errors | length), (.duplicates | length)]')" \
	'["done",3015,3000,10,5,5,10]' "the JSON: done, with the counts and lists"

# --- the API: synchronous as before; ?async=1 answers 202 with the job --------
gen "$VARDIR/api.vcf" 300 api
JAR=""; TOKEN=""; CSRF=""
api POST /api/v1/tokens '{"email":"big@example.com","password":"password-big@example.com"}'
TOKEN=$(jqb .token)
req POST /api/v1/folder/import -H 'Content-Type: text/vcard' --data-binary @"$VARDIR/api.vcf"
is "$STATUS $(jqb .imported)" "200 300" "POST /api/v1/folder/import is synchronous as before (300 new)"
gen "$VARDIR/api2.vcf" 300 apitwo
req POST '/api/v1/folder/import?async=1' -H 'Content-Type: text/vcard' --data-binary @"$VARDIR/api2.vcf"
J2=$(jqb .id)
is "$STATUS $(header Location) $(jqb .status) $(jqb .url)" \
	"202 /api/v1/folder/import/$J2 queued /folder/import/$J2" "?async=1: 202, Location of the job's JSON, its page"
for _ in $(seq 1 300); do
	api GET "/api/v1/folder/import/$J2"
	[ "$(jqb .status)" = done ] && break
	sleep 0.2
done
is "$(jqb -c '[.status, .imported, .skipped, .failed]')" '["done",300,10,5]' "the job finishes: 300 new, 10 skipped, 5 refused"
req POST '/api/v1/folder/import?async=1' -H 'Content-Type: text/vcard' --data-binary 'nothing here'
is "$STATUS $(jqb .error.code)" "400 invalid_vcard" "?async=1 with no vCard: 400, no job"
is "$(jobs)" 2 "two jobs in all"

stack_down
done_testing
