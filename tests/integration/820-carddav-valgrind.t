#!/usr/bin/env bash
# 820-carddav-valgrind.t: the carddav program's FastCGI loop under valgrind:
# every kind of DAV request (and the bad ones) on one worker, no invalid
# access, no leak (the multistatus buffers and libxml2 documents included).
. "$(dirname "$0")/../lib.sh"
command -v valgrind >/dev/null || { echo "1..0 # SKIP valgrind is not installed"; exit 0; }
stack_up
signup_verified vera@example.com "Vera"
api POST /api/v1/app-passwords '{"label":"vg"}'
DAVU="vera@example.com:$(jqb .password)"
VUID=$(sql "SELECT id FROM users WHERE email='vera@example.com'")
api POST /api/v1/folder '{"card":{"full_name":"Site Card","emails":[{"type":"work","value":"site@example.org"}]}}'
SITE=$(jqb .entry.id)
# 2,000 more cards: the Depth 1 listings and the first sync below pass
# DAV_STREAM_AT (256 KiB) and are streamed
/usr/bin/python3 - >"$VARDIR/many.vcf" <<'PY'
for i in range(1, 2001):
    print(f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:vg-many-{i:04d}\r\nFN:Many {i:04d}\r\nEMAIL:m{i}@example.org\r\nEND:VCARD\r", end="\n")
PY
req POST /api/v1/folder/import -H 'Content-Type: text/vcard' --data-binary @"$VARDIR/many.vcf"
is "$(jqb .imported)" 2000 "2,000 cards imported"
TOKEN=""
BOOK=/dav/$VUID/cards/
X='Content-Type: application/xml'

stack svc stop carddav
LIVECARD_CONF=$VARDIR/livecard.hdf valgrind --quiet --trace-children=yes --trace-children-skip-by-arg=livecard-sandbox --child-silent-after-fork=no \
	--leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
	--log-file="$VARDIR/vg-carddav.%p.log" \
	"$BUILD/cgi-bin/carddav" --socket "$VARDIR/run/carddav.sock" --workers 1 >>"$VARDIR/log/carddav.log" 2>&1 &
VG_PID=$!
for _ in $(seq 1 100); do
	req OPTIONS /dav/
	[ "$STATUS" = 200 ] && break
	sleep 0.3
done
is "$STATUS" 200 "carddav answers under valgrind"

VC=$'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:vg-1\r\nFN:Valgrind Card\r\nEMAIL:vg@example.org\r\nTEL:+86 138 0000 1111\r\nCATEGORIES:a,b\r\nX-KEEP:yes\r\nEND:VCARD\r\n'
SC='<D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level><D:limit><D:nresults>1</D:nresults></D:limit><D:prop><D:getetag/><C:address-data xmlns:C="urn:ietf:params:xml:ns:carddav"/></D:prop></D:sync-collection>'
codes=""
r() { req "$@" -u "$DAVU"; codes="$codes $STATUS"; }
r PROPFIND / -H "$X" -H 'Depth: 0' --data '<propfind xmlns="DAV:"><prop><current-user-principal/></prop></propfind>'
r PROPFIND "/dav/$VUID/" -H 'Depth: 1'
r PROPFIND "$BOOK" -H 'Depth: 1' -H "$X" --data '<propfind xmlns="DAV:"><allprop/></propfind>'
r PROPFIND "$BOOK" -H 'Depth: 1' -H "$X" --data '<propfind xmlns="DAV:"><propname/></propfind>'
r PUT "${BOOK}vg-1.vcf" -H 'Content-Type: text/vcard' -H 'If-None-Match: *' --data-binary "$VC"
r PUT "${BOOK}vg-1.vcf" -H 'Content-Type: text/vcard' -H 'If-Match: *' --data-binary "$VC"
r GET "${BOOK}vg-1.vcf"
r GET "${BOOK}_$SITE.vcf" -H 'Accept: text/vcard; version=4.0'
r REPORT "$BOOK" -H "$X" --data "<C:addressbook-multiget xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:carddav\"><D:prop><D:getetag/><C:address-data/></D:prop><D:href>${BOOK}vg-1.vcf</D:href><D:href>${BOOK}_$SITE.vcf</D:href><D:href>${BOOK}none.vcf</D:href></C:addressbook-multiget>"
r REPORT "$BOOK" -H "$X" --data '<C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/></D:prop><C:filter test="allof"><C:prop-filter name="EMAIL"><C:text-match match-type="ends-with">example.org</C:text-match><C:param-filter name="TYPE"><C:is-not-defined/></C:param-filter></C:prop-filter></C:filter><C:limit><C:nresults>1</C:nresults></C:limit></C:addressbook-query>'
r REPORT "$BOOK" -H "$X" --data "$SC"
TOK=$(printf '%s' "$BODY" | xmllint --xpath "string(//*[local-name()='sync-token'])" - 2>/dev/null)
r REPORT "$BOOK" -H "$X" --data "${SC/<D:limit><D:nresults>1<\/D:nresults><\/D:limit>/}"
is "$(header Content-Length)/$(printf '%s' "$BODY" | xmllint --xpath "count(//*[local-name()='address-data'])" - 2>/dev/null)" "/2002" \
	"a first sync of every card with its vCard, streamed (no Content-Length)"
TOK=$(printf '%s' "$BODY" | xmllint --xpath "string(//*[local-name()='sync-token'])" - 2>/dev/null)
r REPORT "$BOOK" -H "$X" --data "${SC/<D:sync-token\/>/<D:sync-token>$TOK</D:sync-token>}"
r REPORT "$BOOK" -H "$X" --data '<D:sync-collection xmlns:D="DAV:"><D:sync-token>urn:livecard:sync:999999999</D:sync-token></D:sync-collection>'
r PROPPATCH "$BOOK" -H "$X" --data '<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>x</D:displayname></D:prop></D:set></D:propertyupdate>'
r DELETE "${BOOK}vg-1.vcf"
r PROPFIND "$BOOK" -H "$X" --data '<propfind xmlns="DAV:"><prop>'
r PROPFIND "$BOOK" -H "$X" --data '<!DOCTYPE a [<!ENTITY b "c">]><propfind xmlns="DAV:"><prop>&b;</prop></propfind>'
r REPORT "$BOOK" -H "$X" --data '<D:unknown xmlns:D="DAV:"/>'
r PUT "${BOOK}bad.vcf" -H 'Content-Type: text/vcard' --data-binary 'not a card'
req PROPFIND "$BOOK" -u "vera@example.com:wrong"
codes="$codes $STATUS"
is "$codes" " 207 207 207 207 201 204 200 200 207 207 207 207 207 403 207 204 400 400 403 403 401" \
	"every request answered as expected"

kill -TERM "$VG_PID"
wait "$VG_PID" 2>/dev/null
logs=$(cat "$VARDIR"/vg-carddav.*.log 2>/dev/null)
is "$(printf '%s' "$logs" | grep -c 'Invalid\|uninitialised\|definitely lost\|indirectly lost')" 0 "valgrind: no invalid access and no leak"
[ -n "$logs" ] && printf '%s\n' "$logs" | head -40 | sed 's/^/# /'
stack svc start carddav >/dev/null 2>&1

done_testing
