#!/usr/bin/env bash
# 248-folder-cache.t: issue 19, the folder list page kept by each folder worker under the folder's view counter (lib/foldercache.c, sql/022_folder_view.sql): after every kind of change, made through its real path (the API, the web forms, CardDAV, another member's card, the savers list, an offer dismissed, the nightly job, an owner's account deleted), every answer of every worker shows it; a page served again is byte for byte the one served first; a change made behind the triggers' back is not seen (the page is kept).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/499-updates-lib.sh"
EXTRA_CONF=$'Updates.CoalesceSeconds = 0'
export EXTRA_CONF
stack_up

N=8	# answers per check: the folder program runs two workers, each serves some
PAGEDIR=$VARDIR/pages
# fetch [PATH]: N answers of PATH (/folder) to D's browser, kept in PAGEDIR
fetch() {
	local i
	rm -rf "$PAGEDIR"
	mkdir -p "$PAGEDIR"
	for i in $(seq 1 $N); do
		curl -s -b "$DJAR" -o "$PAGEDIR/$i" "$B${1:-/folder}"
	done
}
# every REGEX DESCRIPTION: every answer matches; none REGEX DESCRIPTION: no answer does
every() {
	local i bad=0
	for i in $(seq 1 $N); do grep -Eq -- "$1" "$PAGEDIR/$i" || bad=$((bad + 1)); done
	is "$bad" 0 "$2 (in every one of $N answers)"
}
none() {
	local i bad=0
	for i in $(seq 1 $N); do grep -Eq -- "$1" "$PAGEDIR/$i" && bad=$((bad + 1)); done
	is "$bad" 0 "$2 (in none of $N answers)"
}
# tile_every ENTRY REGEX DESCRIPTION / tile_none: the same within entry ENTRY's tile
tile_of() { sed -n "/id=\"entry-$1\"/,/<\/li>/p" "$2"; }
tile_every() {
	local i bad=0
	for i in $(seq 1 $N); do tile_of "$1" "$PAGEDIR/$i" | grep -Eq -- "$2" || bad=$((bad + 1)); done
	is "$bad" 0 "$3 (in every one of $N answers)"
}
tile_none() {
	local i bad=0
	for i in $(seq 1 $N); do tile_of "$1" "$PAGEDIR/$i" | grep -Eq -- "$2" && bad=$((bad + 1)); done
	is "$bad" 0 "$3 (in none of $N answers)"
}
same() {
	local i bad=0
	for i in $(seq 2 $N); do cmp -s "$PAGEDIR/1" "$PAGEDIR/$i" || bad=$((bad + 1)); done
	is "$bad" 0 "$1: every answer byte for byte the same (the first of each worker read the rows, the others were kept)"
}
view() { sql "SELECT COALESCE((SELECT view_seq FROM folder_views WHERE holder_id = $D_ID), 0)"; }
entry_of() { sql "SELECT id FROM folder_entries WHERE holder_id = $D_ID AND full_name = '$1'"; }

# --- members: A and B with cards, C without one yet, D the holder ----------------------------
signup_verified alice@example.com "Alice Zhang" || bail "no member A"
TA=$TOKEN
put_card '{"full_name":"Alice Zhang","title":"Manager","emails":[{"type":"work","value":"alice@example.com"}]}'
tok_a=$(share_token)
A_ID=$(uid_of alice@example.com)
signup_verified bob@example.com "Bob Wang" || bail "no member B"
TB=$TOKEN
put_card '{"full_name":"Bob Wang","title":"Engineer","emails":[{"type":"work","value":"bob@example.com"}]}'
signup_verified carol@example.com "Carol Chen" || bail "no member C"
TC=$TOKEN
C_ID=$(uid_of carol@example.com)
signup_verified dan@example.com "Dan Li" || bail "no member D"
TD=$TOKEN
D_ID=$(uid_of dan@example.com)
web_signin dan@example.com /folder || bail "D cannot sign in"
DJAR=$JAR
JAR=""
TOKEN=$TD
fanout_idle 20

api POST /api/v1/folder/save-shared "{\"token\":\"$tok_a\"}"
is "$STATUS" 201 "D saves A's card from her link (a linked copy)"
EA=$(entry_of "Alice Zhang")
EB=$(folder_save '{"full_name":"Bob W.","emails":[{"type":"work","value":"bob@example.com"}]}')
EC=$(folder_save '{"full_name":"Carol C.","emails":[{"type":"work","value":"carol@example.com"}]}')
EN=$(folder_save '{"full_name":"Nina Paper","title":"Buyer"}')
ok "$([ -n "$EA" ] && [ -n "$EB" ] && [ -n "$EC" ] && [ -n "$EN" ]; echo $?)" "D holds four cards"

fetch
every '<span id="folder-total">4</span>' "the page counts four cards"
tile_every "$EB" 'badge-offer' "B's card (B has a card) is offered for linking"
tile_every "$EC" 'badge-member' "C's copy is a member's card"
tile_none "$EC" 'badge-offer' "not offered: C has no card yet"
same "four cards"

# --- the page is kept: a change behind the triggers' back is not seen --------------------------
v=$(view)
sql "SET @livecard_no_view_bump = 1; UPDATE folder_entries SET full_name = 'Nina Hidden' WHERE id = $EN"
is "$(view)" "$v" "a change made with the triggers told to skip leaves the counter"
fetch
every 'Nina Paper' "the kept page still shows the old name: the rows were not read again"
none 'Nina Hidden' "nor the new one"
api GET "/api/v1/folder/$EN"
is "$(jqb -r .entry.card.full_name)" "Nina Paper" "(the entry's data was not changed, only the sort name)"
sql "SET @livecard_no_view_bump = 1; UPDATE folder_entries SET full_name = 'Nina Paper' WHERE id = $EN"

# --- D's own changes: the API, the web form, CardDAV, tags -------------------------------------
api PUT "/api/v1/folder/$EN" '{"card":{"full_name":"Nina Renamed","title":"Chief Buyer"},"tags":["fair"]}'
is "$STATUS" 200 "D renames a card, changes its title and tags it through the API"
fetch
every 'Nina Renamed' "the new name"
none 'Nina Paper' "the old one is gone"
tile_every "$EN" 'Chief Buyer' "the new title"
tile_every "$EN" 'href="/folder\?tag=fair">#fair' "the tag on the tile"
every '<option value="fair">fair \(1\)</option>' "the tag with its count"
same "after the API's change"

fetch "/folder?tag=fair"
every "entry-$EN\"" "the tag's page lists the card"
api PUT "/api/v1/folder/$EC" '{"tags":["fair"]}'
is "$STATUS" 200 "D tags a second card, changing nothing else (only entry_tags is written)"
fetch "/folder?tag=fair"
every "entry-$EC\"" "the tag's page lists it too"
fetch
every '<option value="fair">fair \(2\)</option>' "and the count is 2"
tile_every "$EC" '#fair' "its tile shows the tag"
api PUT "/api/v1/folder/$EC" '{"tags":[]}'
is "$STATUS" 200 "D takes the tag off again (entry_tags rows deleted, nothing added)"
fetch
tile_none "$EC" '#fair' "the tile shows no tag"
every '<option value="fair">fair \(1\)</option>' "the count is 1 again"
api PUT "/api/v1/folder/$EC" '{"tags":["fair"]}'

TOKEN="" JAR=$DJAR
req GET /folder/new
req POST /folder/new -F "csrf=$(csrf_of)" -F "full_name=Olga Form" -F "tags=fair"
TOKEN=$TD JAR=""
is "$STATUS" 303 "D adds a card with the web form"
fetch
every 'Olga Form' "the new card's tile"
every '<span id="folder-total">5</span>' "five cards"
every '<option value="fair">fair \(3\)</option>' "three tagged"

APPPW=$(api POST /api/v1/app-passwords '{"label":"phone"}'; jqb .password)
VC=$'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:dav-card-1\r\nFN:Pavel Dav\r\nN:Dav;Pavel;;;\r\nEND:VCARD\r\n'
TOKEN=""
req PUT "/dav/$D_ID/cards/dav-card-1.vcf" -u "dan@example.com:$APPPW" -H 'Content-Type: text/vcard' \
	-H 'If-None-Match: *' --data-binary "$VC"
TOKEN=$TD
is "$STATUS" 201 "D's phone puts a card through CardDAV"
fetch
every 'Pavel Dav' "the CardDAV card's tile"
every '<span id="folder-total">6</span>' "six cards"
TOKEN=""
req DELETE "/dav/$D_ID/cards/dav-card-1.vcf" -u "dan@example.com:$APPPW"
TOKEN=$TD
fetch
none 'Pavel Dav' "deleted through CardDAV: the tile is gone"
every '<span id="folder-total">5</span>' "five cards again"

api DELETE "/api/v1/folder/$EN"
fetch
none 'Nina Renamed' "a card deleted through the API is gone"
every '<option value="fair">fair \(2\)</option>' "and its tag counted no more"

# --- other members' changes ----------------------------------------------------------------------
tile_none "$EA" 'badge-update' "A's linked copy: nothing pending"
TOKEN=$TA
edit_card '.title = "Director"'
is "$STATUS" 200 "A changes her card"
fanout_idle 20
TOKEN=$TD
fetch
tile_every "$EA" 'badge-update' "D's linked copy of A's card shows the update pending"

TOKEN=$TC
put_card '{"full_name":"Carol Chen","title":"Designer","emails":[{"type":"work","value":"carol@example.com"}]}'
is "$STATUS" 200 "C makes her card"
fanout_idle 20
TOKEN=$TD
fetch
tile_every "$EC" 'badge-offer' "D's copy of C's card is now offered for linking"

TOKEN=$TC
api GET /api/v1/savers
api DELETE "/api/v1/savers/members/$D_ID"
is "$STATUS" 204 "C removes D from her savers list"
TOKEN=$TD
fetch
tile_none "$EC" 'badge-offer' "the offer for C's card is withdrawn"

# savers_removed alone (no path of the site deletes a row of it; an administrator may):
# a new copy of C's card, typed in after the removal, is not offered; taking the
# removal back offers it, recording it again withdraws the offer
EC2=$(folder_save '{"full_name":"Carol Again","emails":[{"type":"work","value":"carol@example.com"}]}')
fetch
tile_every "$EC2" 'badge-member' "a new copy of C's card is a member's card"
tile_none "$EC2" 'badge-offer' "not offered: C removed D"
sql "DELETE FROM savers_removed WHERE owner_id = $C_ID AND saver_id = $D_ID"
fetch
tile_every "$EC2" 'badge-offer' "the removal taken back (SQL): offered"
sql "INSERT INTO savers_removed (owner_id, saver_id, removed_at) VALUES ($C_ID, $D_ID, UTC_TIMESTAMP())"
fetch
tile_none "$EC2" 'badge-offer' "recorded again (SQL): withdrawn"

# a card deleted by hand (no path of the site deletes a card row; an
# administrator may): the offer of B's card goes with it; B writes her card
# again (a new row): the offer is back
B_ID=$(uid_of bob@example.com)
sql "DELETE FROM cards WHERE user_id = $B_ID"
fetch
tile_none "$EB" 'badge-offer' "B's card deleted (SQL): no offer for it"
TOKEN=$TB
put_card '{"full_name":"Bob Wang","title":"Engineer","emails":[{"type":"work","value":"bob@example.com"}]}'
is "$STATUS" 200 "B writes her card again"
fanout_idle 20
TOKEN=$TD
fetch
tile_every "$EB" 'badge-offer' "offered again"

api POST "/api/v1/updates/$EB/dismiss"
is "$STATUS" 200 "D dismisses the offer for B's card"
fetch
tile_none "$EB" 'badge-offer' "the dismissed offer is gone"

# --- the nightly job -----------------------------------------------------------------------------
sql "UPDATE folder_entries SET owner_user_id = NULL, owner_is_member = 0 WHERE id = $EB"
fetch
tile_every "$EB" 'badge-nonmember' "a lost member flag (drift) is shown"
LIVECARD_CONF=$VARDIR/livecard.hdf "$BUILD/batch/livecard-reconcile" --no-progress >"$VARDIR/rc.out" 2>&1
is "$?" 0 "the nightly job runs"
fetch
tile_every "$EB" 'badge-member' "the nightly job's repaired flag is shown"
v=$(view)
LIVECARD_CONF=$VARDIR/livecard.hdf "$BUILD/batch/livecard-reconcile" --no-progress >"$VARDIR/rc2.out" 2>&1
is "$(view)" "$v" "a second run, changing nothing, leaves the counter"

# --- an owner's account deleted ------------------------------------------------------------------
# a linked copy whose owner column drifted away (NULL): only the card links it to A
sql "UPDATE folder_entries SET owner_user_id = NULL, owner_is_member = 0 WHERE id = $EA"
fetch
tile_every "$EA" 'badge-linked' "A's copy is linked (its owner column lost)"
tile_every "$EA" 'badge-update' "with the update pending"
sql "DELETE FROM users WHERE id = $A_ID"
fetch
tile_none "$EA" 'badge-linked' "A's account deleted: the copy is linked no more"
tile_none "$EA" 'badge-update' "nothing pending"
tile_every "$EA" 'badge-nonmember' "and not a member's card"
EB_OWNER=$(sql "SELECT owner_user_id FROM folder_entries WHERE id = $EB")
is "$EB_OWNER" "$B_ID" "B's copy is matched to B"
sql "DELETE FROM users WHERE id = $B_ID"
fetch
tile_every "$EB" 'badge-nonmember' "B's account deleted: the copy matched to B is not a member's card"
same "after the deletion"

# --- a tag renamed by hand (no path of the site updates an entry_tags row) ---------------------
sql "UPDATE entry_tags SET tag = 'expo' WHERE holder_id = $D_ID AND tag = 'fair'"
fetch
every '<option value="expo">expo \(2\)</option>' "a tag renamed with SQL: the new name counted"
none 'value="fair"' "the old one gone"

# --- the 500-entry page and the other language ---------------------------------------------------
fetch "/folder?limit=500"
every 'Olga Form' "the 500-entry page"
same "the 500-entry page"
api PUT "/api/v1/folder/$EC" "$(jq -n --argjson c "$(sql "SELECT data FROM folder_entries WHERE id=$EC")" '{card:($c | .title = "Lead Designer")}')"
fetch "/folder?limit=500"
tile_every "$EC" 'Lead Designer' "a change shows on the 500-entry page too"

done_testing
