#!/usr/bin/env bash
# 600-reconcile.t: the nightly job repairs corrupted flags, keys and savers lists (and only those rows), a second run changes nothing, --dry-run writes nothing, --since, the lock, and a verification during a run.
. "$(dirname "$0")/../lib.sh"
stack_up

export LIVECARD_CONF=$VARDIR/livecard.hdf
RC=$BUILD/batch/livecard-reconcile
OUT=$VARDIR/rc.out
ERR=$VARDIR/rc.err

# rc ARGS...: run the job; sets RC_STATUS, RC_OUT (stdout) and RC_ERR (stderr)
rc() {
	"$RC" "$@" >"$OUT" 2>"$ERR"
	RC_STATUS=$?
	RC_OUT=$(cat "$OUT")
	RC_ERR=$(cat "$ERR")
}
# count LABEL: a number from the last summary
count() { printf '%s\n' "$RC_OUT" | sed -n "s/^  $1 *\\([0-9]*\\)\$/\\1/p"; }
# state FILE: every value the job owns, one row per line
state() {
	sql "SELECT 'k', ckey, user_id FROM contact_keys ORDER BY ckey;
	     SELECT 'e', id, IFNULL(owner_user_id, '-'), owner_is_member, owner_saved_my_card FROM folder_entries ORDER BY id;
	     SELECT 's', owner_id, saver_id, how, since FROM savers ORDER BY owner_id, saver_id" >"$1"
}

# --- data: synthetic members and folders, plus a mutual pair -------------------
LIVECARD_CONF=$VARDIR/livecard.hdf "$BUILD/batch/livecardctl" seed --users 300 --cards 3000 >"$VARDIR/seed.out" 2>&1
ok $? "livecardctl seed fills the database"
like "$(cat "$VARDIR/seed.out")" "saved cards +[0-9]+ rows" "seed reports what it made"
is "$(sql "SELECT COUNT(*) >= 2900 FROM folder_entries")" 1 "about 3000 saved cards"
share=$(sql "SELECT ROUND(100 * COUNT(DISTINCT ck.entry_id) / (SELECT COUNT(*) FROM folder_entries))
	FROM card_keys ck JOIN contact_keys k ON k.ckey = ck.ckey")
ok $((!(share >= 20 && share <= 40))) "about 30% of the saved cards are members' ($share%)"
is "$(sql "SELECT COUNT(*) > 0 FROM user_phones WHERE verified_at IS NOT NULL")" 1 "some verified phones"
is "$(sql "SELECT COUNT(*) > 0 FROM users WHERE email_verified_at IS NULL")" 1 "some unverified members"

pre=$(sql "SELECT COUNT(*) FROM users WHERE id IN (1, 2) AND email_verified_at IS NULL")
sql "UPDATE users SET email_verified_at = '2024-05-01' WHERE id IN (1, 2) AND email_verified_at IS NULL"
E1MAIL=$(sql "SELECT email FROM users WHERE id = 1")
E2MAIL=$(sql "SELECT email FROM users WHERE id = 2")
for pair in "1 $E2MAIL" "2 $E1MAIL"; do
	set -- $pair
	sql "INSERT INTO folder_entries (holder_id, uid, data, full_name, search_text, notes, created_at, updated_at)
	     VALUES ($1, 'mutual-$1', JSON_OBJECT('full_name', 'Mutual', 'emails', JSON_ARRAY(JSON_OBJECT('type', 'work', 'value', '$2'))),
	     'Mutual', '$2', '', '2024-06-01', '2024-06-01')"
	sql "INSERT INTO card_keys (entry_id, ckey, holder_id) SELECT id, 'e:$2', holder_id FROM folder_entries WHERE uid = 'mutual-$1'"
done
MUT1=$(sql "SELECT id FROM folder_entries WHERE uid = 'mutual-1'")

# --- the first run computes everything ----------------------------------------
rc --no-progress
is "$RC_STATUS" 0 "the first full pass succeeds"
like "$RC_OUT" "full pass in [0-9.]+ s" "it prints a closing summary"
ok $((!($(count "flags set") > 900))) "it sets the member flags ($(count "flags set"))"
ok $((!($(count "savers added") > 500))) "it fills the savers lists ($(count "savers added"))"
is "$(count "keys added")" "$pre" "it indexes the addresses verified by hand (and nothing else)"
like "$RC_ERR" "entries: [0-9]+ rows in" "plain progress lines when stderr is not a terminal"
is "$(sql "SELECT status, rows_scanned, flags_set > 900 FROM batch_runs ORDER BY id DESC LIMIT 1")" \
	"done	$(count "rows scanned")	1" "the summary is stored in batch_runs"
ok $((!($(count "rows scanned") > 300))) "it counts the members and matched cards it looked at ($(count "rows scanned"))"

# the result, checked against the definitions rather than the job's own code
is "$(sql "SELECT COUNT(*) FROM folder_entries e LEFT JOIN cards c ON c.id = e.source_card_id
	WHERE NOT (e.owner_user_id <=> COALESCE(c.user_id, (SELECT MIN(k.user_id) FROM card_keys ck
	JOIN contact_keys k ON k.ckey = ck.ckey WHERE ck.entry_id = e.id)))
	OR e.owner_is_member <> (e.owner_user_id IS NOT NULL)")" 0 \
	"every owner is the linked card's owner or the lowest matching member"
is "$(sql "SELECT COUNT(*) FROM folder_entries e WHERE e.owner_saved_my_card <> (e.owner_user_id IS NOT NULL
	AND EXISTS (SELECT 1 FROM folder_entries g WHERE g.holder_id = e.owner_user_id AND g.owner_user_id = e.holder_id))")" 0 \
	"owner_saved_my_card says whether the owner holds the holder's card"
is "$(sql "SELECT owner_user_id, owner_is_member, owner_saved_my_card FROM folder_entries WHERE id = $MUT1")" "2	1	1" \
	"a mutual pair: member 2's card in 1's folder, and 2 saved 1's"
is "$(sql "SELECT COUNT(*) FROM (SELECT DISTINCT owner_user_id, holder_id FROM folder_entries
	WHERE owner_user_id IS NOT NULL AND owner_user_id <> holder_id) p")" "$(sql "SELECT COUNT(*) FROM savers")" \
	"one savers row per (owner, member holding the owner's card)"
is "$(sql "SELECT how, since FROM savers WHERE owner_id = 2 AND saver_id = 1")" "reconcile	2024-06-01 00:00:00" \
	"rows found by the job say so, since the card was saved"
is "$(sql "SELECT COUNT(*) FROM savers WHERE owner_id = saver_id")" 0 "nobody is their own saver"

# --- idempotent ------------------------------------------------------------------
state "$VARDIR/s0"
rc --no-progress
is "$RC_STATUS" 0 "the second run succeeds"
like "$RC_OUT" "nothing to change" "the second run changes nothing and says so"
state "$VARDIR/s0b"
cmp -s "$VARDIR/s0" "$VARDIR/s0b"
ok $? "the tables are exactly as before"

# --- corruption: each kind once ----------------------------------------------------
X=$(sql "INSERT INTO users (email, password_hash, full_name) VALUES ('nobody@example.com', 'x', 'Nobody'); SELECT LAST_INSERT_ID()")
C1=$(sql "SELECT id FROM folder_entries WHERE owner_is_member = 1 AND owner_saved_my_card = 0 AND source_card_id IS NULL ORDER BY id LIMIT 1")
C2=$(sql "SELECT id FROM folder_entries WHERE owner_is_member = 0 ORDER BY id LIMIT 1")
C4=$(sql "SELECT id FROM folder_entries WHERE owner_is_member = 1 AND owner_saved_my_card = 0 AND id <> $C1 ORDER BY id LIMIT 1")
KU=$(sql "SELECT k.user_id FROM contact_keys k JOIN folder_entries e ON e.owner_user_id = k.user_id
	WHERE k.ckey LIKE 'e:%' ORDER BY k.user_id LIMIT 1")
KV=$(sql "SELECT email FROM users WHERE email_verified_at IS NULL AND id <> $X ORDER BY id LIMIT 1")
read -r SO SS <<<"$(sql "SELECT a.id, b.id FROM users a JOIN users b ON b.id = a.id + 1 WHERE a.id > 10
	AND NOT EXISTS (SELECT 1 FROM folder_entries f WHERE f.owner_user_id = a.id AND f.holder_id = b.id)
	AND NOT EXISTS (SELECT 1 FROM savers s WHERE s.owner_id = a.id AND s.saver_id = b.id) ORDER BY a.id LIMIT 1")"
read -r BO BS <<<"$(sql "SELECT a.id, b.id FROM users a JOIN users b ON b.id = a.id + 2 WHERE a.id > 20
	AND NOT EXISTS (SELECT 1 FROM folder_entries f WHERE f.owner_user_id = a.id AND f.holder_id = b.id)
	AND NOT EXISTS (SELECT 1 FROM savers s WHERE s.owner_id = a.id AND s.saver_id = b.id) ORDER BY a.id LIMIT 1")"
sql "UPDATE folder_entries SET owner_user_id = NULL, owner_is_member = 0 WHERE id = $C1;
     UPDATE folder_entries SET owner_user_id = $X, owner_is_member = 1 WHERE id = $C2;
     UPDATE folder_entries SET owner_saved_my_card = 0 WHERE id = $MUT1;
     UPDATE folder_entries SET owner_saved_my_card = 1 WHERE id = $C4;
     DELETE FROM savers WHERE owner_id = 2 AND saver_id = 1;
     INSERT INTO savers (owner_id, saver_id, how, since) VALUES ($SO, $SS, 'saved', '2024-07-01');
     INSERT INTO savers (owner_id, saver_id, how, since) VALUES ($BO, $BS, 'subscribed', '2024-07-02');
     DELETE FROM contact_keys WHERE user_id = $KU AND ckey LIKE 'e:%';
     INSERT INTO contact_keys (ckey, user_id) SELECT CONCAT('e:', email), id FROM users WHERE email = '$KV'"
state "$VARDIR/s1"
is "$(diff "$VARDIR/s0" "$VARDIR/s1" | grep -c '^[<>]')" 13 "nine rows corrupted (13 lines differ)"

# --dry-run: counts, writes nothing
runs=$(sql "SELECT COUNT(*) FROM batch_runs")
cp_state=$(sql "SELECT phase, last_id, run_id FROM reconcile_state")
rc --dry-run --no-progress
is "$RC_STATUS" 0 "--dry-run succeeds"
like "$RC_OUT" "dry run of a full pass" "--dry-run says it is one"
like "$RC_OUT" "would change 8 rows" "--dry-run counts what a run would change"
is "$(count "flags set")/$(count "flags cleared")/$(count "savers added")/$(count "savers removed")" "2/2/1/1" \
	"--dry-run: flags set, cleared, savers added, removed"
state "$VARDIR/s1b"
cmp -s "$VARDIR/s1" "$VARDIR/s1b"
ok $? "--dry-run changed no table"
is "$(sql "SELECT COUNT(*) FROM batch_runs")" "$runs" "--dry-run records no run"
is "$(sql "SELECT phase, last_id, run_id FROM reconcile_state")" "$cp_state" "--dry-run leaves the checkpoint alone"

rc --no-progress
is "$RC_STATUS" 0 "the repairing run succeeds"
is "$(count "keys added")/$(count "keys removed")" "1/1" "the lost key is back, the unverified one gone"
is "$(count "flags set")/$(count "flags cleared")" "2/2" "two flags set, two cleared"
is "$(count "savers added")/$(count "savers removed")" "1/1" "one saver restored, one removed"
is "$(count "owners changed")" 0 "no owner moved"
state "$VARDIR/s2"
like "$(diff "$VARDIR/s0" "$VARDIR/s2" | grep '^[<>]')" "^> s	$BO	$BS	subscribed	[^
]*\$" "the tables are back to what they were before the corruption, the subscribed saver aside"
is "$(diff "$VARDIR/s1" "$VARDIR/s2" | grep -c '^[<>]')" 12 "only the corrupted rows changed"
is "$(sql "SELECT how FROM savers WHERE owner_id = $BO AND saver_id = $BS")" subscribed \
	"a saver who subscribed with a verified address is kept without a folder entry"
rc --no-progress
like "$RC_OUT" "nothing to change" "and the run after the repair changes nothing"

# --- --since --------------------------------------------------------------------
OLD=$(sql "SELECT e.id FROM folder_entries e JOIN users o ON o.id = e.owner_user_id WHERE e.owner_is_member = 1
	AND e.owner_saved_my_card = 0 AND e.source_card_id IS NULL AND o.updated_at < UTC_TIMESTAMP() - INTERVAL 1 DAY
	AND NOT EXISTS (SELECT 1 FROM card_keys ck JOIN contact_keys k ON k.ckey = ck.ckey WHERE ck.entry_id = e.id
	AND k.verified_at > UTC_TIMESTAMP() - INTERVAL 1 DAY) ORDER BY e.id DESC LIMIT 1")
sql "UPDATE folder_entries SET owner_is_member = 0, owner_user_id = NULL WHERE id = $OLD"
rc --since 1h --no-progress
is "$RC_STATUS" 0 "--since 1h succeeds"
like "$RC_OUT" "since pass" "it is a --since pass"
is "$(sql "SELECT owner_is_member FROM folder_entries WHERE id = $OLD")" 0 "an entry unchanged since then is not looked at"
sql "UPDATE folder_entries SET updated_at = UTC_TIMESTAMP() WHERE id = $OLD"
rc --since 1h --no-progress
is "$(count "flags set")" 1 "an entry changed since then is repaired"
is "$(sql "SELECT owner_is_member FROM folder_entries WHERE id = $OLD")" 1 "its flag is back"
ok $((!($(count "rows scanned") < 500))) "a --since pass looks at little ($(count "rows scanned") rows)"
# the savers list of a changed entry's owner: a lost row comes back, a row
# naming a member who holds none of the owner's cards goes
read -r SE SX SD <<<"$(sql "SELECT e.id, e.owner_user_id, e.holder_id FROM folder_entries e JOIN savers s
	ON s.owner_id = e.owner_user_id AND s.saver_id = e.holder_id WHERE e.holder_id <> e.owner_user_id
	AND s.how <> 'subscribed' ORDER BY e.id LIMIT 1")"
SZ=$(sql "SELECT u.id FROM users u WHERE u.id <> $SX AND NOT EXISTS (SELECT 1 FROM folder_entries f
	WHERE f.holder_id = u.id AND f.owner_user_id = $SX) AND NOT EXISTS (SELECT 1 FROM savers s
	WHERE s.owner_id = $SX AND s.saver_id = u.id) ORDER BY u.id LIMIT 1")
sql "DELETE FROM savers WHERE owner_id = $SX AND saver_id = $SD;
     INSERT INTO savers (owner_id, saver_id, how, since) VALUES ($SX, $SZ, 'saved', '2024-01-01');
     UPDATE folder_entries SET updated_at = UTC_TIMESTAMP() WHERE id = $SE"
rc --since 1h --no-progress
is "$(count "savers added")/$(count "savers removed")" 1/1 "--since checks the savers list of a changed entry's owner"
is "$(sql "SELECT COUNT(*) FROM savers WHERE owner_id = $SX AND saver_id = $SD")/$(sql "SELECT COUNT(*) FROM savers WHERE owner_id = $SX AND saver_id = $SZ")" \
	1/0 "the lost row is back and the stray one gone"
# a changed card that carries the verified keys of two members belongs to
# the lower member id, whichever key the server meets first
read -r ME MA <<<"$(sql "SELECT e.id, e.owner_user_id FROM folder_entries e WHERE e.source_card_id IS NULL
	AND e.owner_user_id > 1 AND e.holder_id <> e.owner_user_id AND (SELECT COUNT(*) FROM card_keys ck JOIN contact_keys k
	ON k.ckey = ck.ckey WHERE ck.entry_id = e.id) = 1 ORDER BY e.id LIMIT 1")"
read -r MB MK <<<"$(sql "SELECT k.user_id, k.ckey FROM contact_keys k WHERE k.user_id < $MA AND k.user_id <> (SELECT holder_id
	FROM folder_entries WHERE id = $ME) ORDER BY k.user_id LIMIT 1")"
sql "INSERT INTO card_keys (entry_id, ckey, holder_id) SELECT id, '$MK', holder_id FROM folder_entries WHERE id = $ME;
     UPDATE folder_entries SET updated_at = UTC_TIMESTAMP() WHERE id = $ME"
rc --since 1h --no-progress
is "$(count "owners changed")/$(sql "SELECT owner_user_id FROM folder_entries WHERE id = $ME")" "1/$MB" \
	"--since gives a card with two members' keys to the lower member id"
sql "DELETE FROM card_keys WHERE entry_id = $ME AND ckey = '$MK';
     UPDATE folder_entries SET updated_at = UTC_TIMESTAMP() WHERE id = $ME"
rc --since 1h --no-progress
is "$(sql "SELECT owner_user_id FROM folder_entries WHERE id = $ME")" "$MA" "and back to its member when that key goes"

# a large --since pass on two processes (--parallel-min 1: any size) ends
# with the same tables as on one, and a full pass after it finds nothing
# (what --since can see: the spoiled entries are touched, the savers rows
# lost are those of their owners)
spoil() {
	sql "DELETE s FROM savers s JOIN folder_entries e ON e.owner_user_id = s.owner_id AND e.holder_id = s.saver_id
	       WHERE e.id % 7 = 3 AND s.how <> 'subscribed';
	     UPDATE folder_entries SET owner_user_id = NULL, owner_is_member = 0, owner_saved_my_card = 0
	       WHERE owner_user_id IS NOT NULL AND id % 5 = 0;
	     UPDATE folder_entries SET owner_saved_my_card = 1 - owner_saved_my_card WHERE id % 7 = 3;
	     UPDATE folder_entries SET updated_at = UTC_TIMESTAMP() WHERE id % 5 = 0 OR id % 7 = 3"
}
spoil
rc --since 1h --no-progress --jobs 2 --parallel-min 1
is "$RC_STATUS" 0 "a --since pass on two processes succeeds"
like "$RC_ERR" "go to a second process" "and says that it split the work"
ok $(( $(count "owners changed") + $(count "flags set") + $(count "flags cleared") + $(count "savers added") > 0 ? 0 : 1 )) \
	"it repaired the spoiled rows ($(count "flags set") flags set, $(count "savers added") savers added)"
state "$VARDIR/p2"
# the same spoiling again, repaired on one process: the tables must end as
# the two processes left them (had the second lost work, they would not)
spoil
rc --since 1h --no-progress --jobs 1
is "$RC_STATUS" 0 "the same on one process succeeds"
unlike "$RC_ERR" "second process" "without a second process"
state "$VARDIR/p1"
is "$(diff "$VARDIR/p1" "$VARDIR/p2" | wc -l)" 0 "both end with the same tables"
rc --no-progress
like "$RC_OUT" "nothing to change" "and a full pass after them finds nothing to change"
rc --since last --no-progress
is "$RC_STATUS" 0 "--since last uses the stored watermark"
is "$(sql "SELECT mode, since_at IS NOT NULL FROM batch_runs ORDER BY id DESC LIMIT 1")" "since	1" "and records it"
rc --since yesterday
is "$RC_STATUS" 2 "a bad --since is a usage error"
like "$RC_ERR" "not a time" "with a clear message"
rc --chunk 0
is "$RC_STATUS" 2 "a bad --chunk is a usage error"

# --- the lock ------------------------------------------------------------------------
"$RC" --chunk 40 --sleep-ms 60 --no-progress >"$VARDIR/a.out" 2>"$VARDIR/a.err" &
A=$!
for _ in $(seq 1 100); do
	[ "$(sql "SELECT COUNT(*) FROM batch_locks WHERE name = 'reconcile'")" = 1 ] && break
	sleep 0.1
done
rc --no-progress
is "$RC_STATUS" 75 "a second run started meanwhile exits with status 75"
like "$RC_ERR" "another run holds the lock" "with a clear message"
"$RC" --wait 120 --no-progress >"$VARDIR/b.out" 2>"$VARDIR/b.err" &
PB=$!
wait $A
is "$?" 0 "the first run completes"
wait $PB
is "$?" 0 "a run started with --wait runs after it"
like "$(cat "$VARDIR/b.err")" "waiting up to 120 s" "and said it was waiting"
is "$(sql "SELECT COUNT(*) FROM batch_locks")" 0 "the lock is released"

sql "INSERT INTO batch_locks VALUES ('reconcile', 'elsewhere:42:x', UTC_TIMESTAMP(), UTC_TIMESTAMP())"
rc --no-progress
is "$RC_STATUS" 75 "a live lock of another host is respected"
sql "UPDATE batch_locks SET heartbeat_at = UTC_TIMESTAMP() - INTERVAL 11 MINUTE"
rc --no-progress
is "$RC_STATUS" 0 "a lock whose heartbeat stopped 11 minutes ago is taken over"
like "$RC_ERR" "took over the lock of elsewhere:42:x \\(stale" "and says so"
sleep 0 &
dead=$!
wait $dead
sql "INSERT INTO batch_locks VALUES ('reconcile', '$(hostname):$dead:x', UTC_TIMESTAMP(), UTC_TIMESTAMP())"
rc --no-progress
is "$RC_STATUS" 0 "a lock held by a process of this host that is gone is taken over at once"
like "$RC_ERR" "its process is gone" "and says so"

# --- a member verifies an address while the job runs ---------------------------------
# one by the web path, one behind its back (as a restore would): the second is
# only caught by the job's closing recheck
WMAIL=$(sql "SELECT JSON_VALUE(data, '\$.emails[0].value') FROM folder_entries WHERE owner_is_member = 0
	AND JSON_VALUE(data, '\$.emails[0].value') LIKE 'contact%' ORDER BY id LIMIT 1")
HMAIL=$(sql "SELECT JSON_VALUE(data, '\$.emails[0].value') FROM folder_entries WHERE owner_is_member = 0
	AND JSON_VALUE(data, '\$.emails[0].value') LIKE 'contact%' ORDER BY id DESC LIMIT 1")
api POST /api/v1/accounts "{\"email\":\"$WMAIL\",\"password\":\"password-$WMAIL\",\"full_name\":\"Web Verified\"}"
is "$STATUS" 201 "a new member signs up with an address on a saved card"
[ "$STATUS" = 201 ] || diag "$BODY"
mail_wait "$WMAIL" 1
link=$(mail_link "$WMAIL" /verify)
H=$(sql "INSERT INTO users (email, password_hash, full_name) VALUES ('$HMAIL', 'x', 'Hand Verified'); SELECT LAST_INSERT_ID()")
W=$(sql "SELECT id FROM users WHERE email = '$WMAIL'")
"$RC" --chunk 50 --sleep-ms 80 --no-progress >"$VARDIR/a.out" 2>"$VARDIR/a.err" &
A=$!
for _ in $(seq 1 200); do
	[ "$(sql "SELECT phase FROM reconcile_state")" = entries ] && break
	sleep 0.05
done
is "$(sql "SELECT phase FROM reconcile_state")" entries "the job is past the keys"
api POST /api/v1/accounts/verify "{\"token\":\"${link##*token=}\"}"
is "$STATUS" 200 "the address is verified through the site meanwhile"
sql "UPDATE users SET email_verified_at = UTC_TIMESTAMP() WHERE id = $H"
wait $A
is "$?" 0 "the job completes"
for who in "$W $WMAIL" "$H $HMAIL"; do
	set -- $who
	is "$(sql "SELECT COUNT(*), SUM(owner_user_id = $1 AND owner_is_member = 1) FROM folder_entries e
		JOIN card_keys ck ON ck.entry_id = e.id WHERE ck.ckey = 'e:$2'" | awk '{print ($1 > 0 && $1 == $2)}')" 1 \
		"every card with $2 now belongs to member $1"
	is "$(sql "SELECT COUNT(*) FROM (SELECT DISTINCT holder_id FROM card_keys WHERE ckey = 'e:$2') h
		LEFT JOIN savers s ON s.owner_id = $1 AND s.saver_id = h.holder_id WHERE s.owner_id IS NULL")" 0 \
		"and every holder of it is on member $1's savers list"
done
rc --no-progress
like "$RC_OUT" "nothing to change" "nothing was left for the next run"

# --- the web path and the job agree ----------------------------------------------------
# sign-ups, saves both ways, a save before the owner verifies, a phone, a
# deleted entry and a deleted account, all through the site (the account by
# SQL, as an administrator would: the site has no route for it); then a
# full pass must find nothing to change
card() { printf '{"full_name":"%s","emails":[{"type":"work","value":"%s"}]}' "$1" "$2"; }
signup_verified ag-pia@example.com "Pia"
PIA=$TOKEN
signup_verified ag-quin@example.com "Quin"
QUIN=$TOKEN
signup_verified ag-ravi@example.com "Ravi"
RAVI=$TOKEN
TOKEN=""
api POST /api/v1/accounts '{"email":"ag-sam@example.com","password":"password-ag-sam","full_name":"Sam"}'
is "$STATUS" 201 "Sam signs up and verifies later"
TOKEN=$PIA
P_Q=$(folder_save "$(card Quin ag-quin@example.com)")
P_S=$(folder_save "$(card Sam AG-SAM@example.com)")
folder_save "$(card Ravi ag-ravi@example.com)" >/dev/null
TOKEN=$QUIN
Q_P=$(folder_save "$(card Pia ag-pia@example.com)")
folder_save "$(card Ravi ag-ravi@example.com)" >/dev/null
TOKEN=$RAVI
R_P=$(folder_save "$(card Pia ag-pia@example.com)")
folder_save "$(card Sam ag-sam@example.com)" >/dev/null
folder_save "$(card Quin ag-quin@example.com)" >/dev/null
folder_save '{"full_name":"Nobody","emails":[{"type":"work","value":"ag-nobody@example.com"}]}' >/dev/null
TOKEN=""
mail_wait ag-sam@example.com 1
link=$(mail_link ag-sam@example.com /verify)
api POST /api/v1/accounts/verify "{\"token\":\"${link##*token=}\"}"
is "$STATUS" 200 "Sam verifies after his card was saved"
is "$(sql "SELECT owner_is_member, owner_saved_my_card FROM folder_entries WHERE id = $P_Q")" "1	1" \
	"the web path: Quin's card in Pia's folder, and Quin holds Pia's"
# a card carrying two members' addresses belongs to the lower member id,
# on the web path as in the job: only that member gets the saver
signup_verified ag-uma@example.com "Uma"
U_QS=$(folder_save '{"full_name":"Quin and Sam","emails":[{"type":"work","value":"ag-sam@example.com"},{"type":"home","value":"ag-quin@example.com"}]}')
is "$(sql "SELECT u.email FROM folder_entries f JOIN users u ON u.id = f.owner_user_id WHERE f.id = $U_QS")" \
	"ag-quin@example.com" "a card with Quin's and Sam's addresses is Quin's (the lower member id)"
is "$(sql "SELECT GROUP_CONCAT(o.email ORDER BY o.email) FROM savers s JOIN users o ON o.id = s.owner_id
	JOIN users v ON v.id = s.saver_id WHERE v.email = 'ag-uma@example.com'")" "ag-quin@example.com" \
	"Uma is on Quin's savers list only, not on Sam's"
TOKEN=$RAVI
api DELETE "/api/v1/folder/$R_P"
is "$STATUS" 204 "Ravi deletes his copy of Pia's card"
R=$(sql "SELECT id FROM users WHERE email = 'ag-ravi@example.com'")
sql "DELETE FROM users WHERE id = $R"
is "$(sql "SELECT COUNT(*) FROM folder_entries WHERE (owner_user_id IS NULL AND (owner_is_member <> 0
	OR owner_saved_my_card <> 0)) OR owner_user_id = $R")" 0 "deleting Ravi's account leaves no copy of his card a member's"
rc --no-progress
is "$RC_STATUS" 0 "a full pass right after"
like "$RC_OUT" "nothing to change" "finds nothing to change: the web path and the job agree"
[ "$RC_STATUS" = 0 ] && ! printf '%s' "$RC_OUT" | grep -q "nothing to change" && diag "$RC_OUT"
is "$(sql "SELECT COUNT(*) FROM savers s JOIN users u ON u.id = s.owner_id WHERE u.email = 'ag-pia@example.com'")" 1 \
	"Pia's savers: Quin (Ravi deleted his copy, then his account)"

# --- progress on a terminal ----------------------------------------------------------
rc --progress
like "$RC_ERR" "entries +\\[#+\\] 100%" "a progress bar (forced here; automatic on a terminal)"

done_testing
