#!/usr/bin/env bash
# 047-idle-workers.t: a worker that grew (libphonenumber started by a card write) gives its memory back once idle: it ends and a fresh one serves; a worker that did not grow stays.
. "$(dirname "$0")/../lib.sh"
EXTRA_CONF='Limits.WorkerIdleSeconds = 2
Limits.WorkerRSSKiB = 10240' stack_up

rss_of() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null; }
workers_of() { pgrep -P "$(cat "$VARDIR/run/$1.pid")" | sort; }

signup_verified ann@example.com "Ann" || bail "no account"
card='{"full_name":"Ann Idle","emails":[{"type":"work","value":"ann@example.com"}],"phones":[{"type":"cell","value":"+86 139 1234 5678"},{"type":"work","value":"+49 30 1234567"}]}'

# every mycard worker writes a card with phone numbers (normalising and the
# stored display forms start libphonenumber: several MB of tables); the
# requests come faster than the idle period, so no worker ends meanwhile
before=$(workers_of mycard)
is "$(printf '%s\n' "$before" | wc -l)" 2 "two mycard workers"
for i in 1 2 3 4 5 6 7 8; do
	put_card "$card" &
	put_card "$card"
	wait
done
is "$STATUS" 200 "the card writes succeed"
during=$(workers_of mycard)
is "$during" "$before" "no worker ended while requests kept coming"
grown=0
for p in $before; do
	r=$(rss_of "$p")
	diag "mycard worker $p: VmRSS $r kB after the writes"
	[ -n "$r" ] && [ "$r" -gt 10240 ] && grown=$((grown + 1))
done
[ "$grown" -ge 1 ]
ok $? "a card write grows a worker beyond Limits.WorkerRSSKiB: the case this policy is for ($grown of 2)"

# the share program only reads: its workers do not grow and stay
sh_before=$(workers_of share)
api GET /api/v1/card/share
share_path=$(jqb .share.url | sed 's#^https\{0,1\}://[^/]*##')
like "$share_path" '^/c/' "the card's public path ($share_path)"
TOKEN_SAVE=$TOKEN TOKEN=""
for i in 1 2 3 4; do req GET "$share_path"; done
is "$STATUS" 200 "the public page is served"
TOKEN=$TOKEN_SAVE

sleep 4.5
after=$(workers_of mycard)
is "$(printf '%s\n' "$after" | wc -l)" 2 "still two mycard workers after the idle period"
gone=0
for p in $before; do
	r=$(rss_of "$p")
	[ -z "$r" ] && gone=$((gone + 1))
done
[ "$gone" -ge "$grown" ]
ok $? "every grown worker ended ($gone ended, $grown had grown)"
for p in $after; do
	r=$(rss_of "$p")
	[ -n "$r" ] && [ "$r" -le 10240 ]
	ok $? "mycard worker $p after the idle period: VmRSS $r kB <= 10240"
done
ended=$(grep -c 'ending for a fresh worker' "$VARDIR/log/mycard.log")
is "$ended" "$gone" "each ending worker says why in mycard.log"
unlike "$(cat "$VARDIR/log/mycard.log")" 'ended \(status' "the supervisor replaced it quietly, not as a crash"
api GET /api/v1/card
is "$STATUS" 200 "the fresh worker answers"
is "$(jqb .card.full_name)" "Ann Idle" "with the card"
put_card "$card"
is "$STATUS" 200 "and writes again"
is "$(workers_of share)" "$sh_before" "share workers that did not grow are the same processes"

done_testing
