#!/usr/bin/env bash
# 800-carddav.t: the CardDAV protocol over curl: discovery (/.well-known,
# the root URL, principal, home set, address book properties), sign-in by app
# password only, GET/PUT/DELETE with strong ETags and 412 for stale
# preconditions (nothing written), multiget, query, sync-collection with
# tombstones, limits and bad tokens, 404 for another member's book, and bad
# XML, entity bombs, unknown reports and huge bodies answered 4xx while the
# program keeps running.
. "$(dirname "$0")/../lib.sh"
stack_up

X='Content-Type: application/xml; charset=utf-8'
DAVU=""
# dav METHOD PATH [BODY [curl args...]]: a DAV request signed in as DAVU
dav() {
	local method=$1 path=$2 keep=$TOKEN
	shift 2
	local body=""
	if [ $# -ge 1 ]; then body=$1; shift; fi
	TOKEN=""
	if [ -n "$body" ]; then
		local ct=(-H "$X") a
		for a in "$@"; do [[ $a == Content-Type:* ]] && ct=(); done
		req "$method" "$path" -u "$DAVU" "${ct[@]}" --data-binary "$body" "$@"
	else
		req "$method" "$path" -u "$DAVU" "$@"
	fi
	TOKEN=$keep
}
count() { xp "count($1)"; }
etag_of() { header ETag; }

signup_verified dana@example.com "Dana Holder"
DANA=$TOKEN
DUID=$(sql "SELECT id FROM users WHERE email='dana@example.com'")
api POST /api/v1/app-passwords '{"label":"phone"}'
is "$STATUS" 201 "an app password for the phone"
APPPW=$(jqb .password)
APPID=$(jqb .id)
BOOK=/dav/$DUID/cards/

# --- discovery, sign-in ---------------------------------------------------------------
req OPTIONS /dav/
is "$STATUS" 200 "OPTIONS /dav/ without signing in"
like "$(header DAV)" 'addressbook' "DAV: header names addressbook"
like "$(header Allow)" 'REPORT' "Allow lists REPORT"
req GET /.well-known/carddav
is "$STATUS" 301 "/.well-known/carddav redirects (RFC 6764)"
is "$(header Location)" "/dav/" "to /dav/"
req PROPFIND /.well-known/carddav
is "$STATUS" 301 "PROPFIND of /.well-known/carddav too"

req PROPFIND /dav/ -H 'Depth: 0'
is "$STATUS" 401 "PROPFIND without credentials: 401"
like "$(header WWW-Authenticate)" '^Basic realm="livecard"' "with a Basic challenge"
DAVU="dana@example.com:password-dana@example.com"
dav PROPFIND /dav/ '' -H 'Depth: 0'
is "$STATUS" 401 "the account password is not accepted"
DAVU="someone@example.com:$APPPW"
dav PROPFIND /dav/ '' -H 'Depth: 0'
is "$STATUS" 401 "an app password with another e-mail address is not accepted"
DAVU="Dana@Example.com:$APPPW"
dav PROPFIND / '<propfind xmlns="DAV:"><prop><current-user-principal/></prop></propfind>' -H 'Depth: 0'
is "$STATUS" 207 "PROPFIND of the site's root with the app password: 207"
is "$(xp "string(//*[local-name()='current-user-principal']/*[local-name()='href'])")" "/dav/$DUID/" \
	"current-user-principal from the root URL"
is "$(xp "string(//*[local-name()='response']/*[local-name()='href'])")" "/" "the answer names /"
is "$(sql "SELECT last_used_at IS NOT NULL FROM app_passwords WHERE id=$APPID")" 1 "the app password's last use is kept"

dav PROPFIND "/dav/$DUID/" '<propfind xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><prop><C:addressbook-home-set/><displayname/><resourcetype/></prop></propfind>' -H 'Depth: 1'
is "$STATUS" 207 "PROPFIND of the principal, Depth 1"
is "$(xp "string(//*[local-name()='addressbook-home-set']/*[local-name()='href'])")" "/dav/$DUID/" "addressbook-home-set"
is "$(count "//*[local-name()='response'][*[local-name()='href']='$BOOK']//*[local-name()='resourcetype']/*[local-name()='addressbook']")" 1 \
	"the home holds one address book"
is "$(xp "string(//*[local-name()='response'][1]//*[local-name()='displayname'])")" "Dana Holder" "the principal's name"

dav PROPFIND "$BOOK" '<propfind xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav" xmlns:CS="http://calendarserver.org/ns/"><prop><displayname/><resourcetype/><C:supported-address-data/><supported-report-set/><CS:getctag/><sync-token/><current-user-privilege-set/><C:max-resource-size/></prop></propfind>' -H 'Depth: 0'
is "$STATUS" 207 "PROPFIND of the address book"
is "$(xp "string(//*[local-name()='displayname'])")" "Card folder" "displayname"
is "$(count "//*[local-name()='address-data-type'][@content-type='text/vcard'][@version='3.0' or @version='4.0']")" 2 \
	"supported-address-data: vCard 3.0 and 4.0"
is "$(count "//*[local-name()='supported-report']/*[local-name()='report']/*[local-name()='addressbook-multiget' or local-name()='addressbook-query' or local-name()='sync-collection']")" 3 \
	"supported-report-set: multiget, query, sync-collection"
is "$(xp "string(//*[local-name()='getctag'])")" 0 "getctag of an empty folder"
like "$(xp "string(//*[local-name()='sync-token'])")" '^urn:livecard:sync:0$' "sync-token"
is "$(count "//*[local-name()='current-user-privilege-set']//*[local-name()='write']")" 1 "the member may write"

# --- PUT, GET, ETags ------------------------------------------------------------------
VC1=$'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:phone-card-1\r\nFN:Wang Fang\r\nN:Wang;Fang;;;\r\nORG:Acme\r\nEMAIL;TYPE=WORK:fang@acme.example\r\nTEL;TYPE=CELL:138 0013 8000\r\nCATEGORIES:clients,tea\r\nEND:VCARD\r\n'
dav PUT "${BOOK}phone-card-1.vcf" "$VC1" -H 'Content-Type: text/vcard; charset=utf-8' -H 'If-None-Match: *'
is "$STATUS" 201 "PUT of a new card with If-None-Match: * creates it"
is "$(sql "SELECT full_name FROM folder_entries WHERE holder_id=$DUID AND uid='phone-card-1'")" "Wang Fang" "as a folder entry"
E1=$(sql "SELECT id FROM folder_entries WHERE holder_id=$DUID AND uid='phone-card-1'")
is "$(sql "SELECT GROUP_CONCAT(ckey ORDER BY ckey) FROM card_keys WHERE entry_id=$E1")" "e:fang@acme.example,t:+8613800138000" \
	"with its matching keys (the phone in E.164)"
is "$(sql "SELECT GROUP_CONCAT(tag ORDER BY tag) FROM entry_tags WHERE entry_id=$E1")" "clients,tea" "CATEGORIES are the entry's tags"
is "$(sql "SELECT COUNT(*) FROM folder_changes WHERE holder_id=$DUID AND entry_id=$E1")" 1 "and a change-log row"
dav PUT "${BOOK}phone-card-1.vcf" "$VC1" -H 'Content-Type: text/vcard' -H 'If-None-Match: *'
is "$STATUS" 412 "If-None-Match: * on an existing card: 412"

dav GET "${BOOK}phone-card-1.vcf"
is "$STATUS" 200 "GET the card"
ET1=$(etag_of)
is "$ET1" "\"$(sql "SELECT change_seq FROM folder_entries WHERE id=$E1")\"" "a strong ETag: the entry's change_seq"
like "$(header Content-Type)" '^text/vcard' "as text/vcard"
like "$BODY" $'VERSION:3.0\r\n' "vCard 3.0 by default"
like "$BODY" $'UID:phone-card-1\r\n' "with its UID"
like "$BODY" 'TEL;TYPE=CELL:138 0013 8000' "the client's bytes as sent (test 830)"
like "$BODY" 'CATEGORIES:clients,tea' "the tags as CATEGORIES"
dav GET "${BOOK}phone-card-1.vcf" '' -H 'Accept: text/vcard; version=4.0'
like "$BODY" $'VERSION:4.0\r\n' "vCard 4.0 on request"
like "$BODY" '\+8613800138000' "rendered from the folder: the phone normalised"
like "$BODY" 'CATEGORIES:clients,tea' "the tags as CATEGORIES"
is "$(etag_of)" "$ET1" "the same ETag for the same stored copy"
dav GET "${BOOK}phone-card-1.vcf" '' -H "If-None-Match: $ET1"
is "$STATUS" 304 "If-None-Match with the current ETag: 304"

# a member's e-mail on the card: the member flag is matched again on PUT
signup_verified li@example.com "Li Member"
LI=$TOKEN
TOKEN=$DANA
is "$(sql "SELECT owner_is_member FROM folder_entries WHERE id=$E1")" 0 "not a member's card yet"
VC2=${VC1/fang@acme.example/li@example.com}
VC2=${VC2/Wang Fang/Wang Fang (Li)}
dav PUT "${BOOK}phone-card-1.vcf" "$VC2" -H 'Content-Type: text/vcard' -H "If-Match: $ET1"
is "$STATUS" 204 "PUT with the current If-Match updates"
is "$(sql "SELECT full_name FROM folder_entries WHERE id=$E1")" "Wang Fang (Li)" "the holder's copy changed"
is "$(sql "SELECT owner_is_member FROM folder_entries WHERE id=$E1")" 1 "and the member flag was matched again"
dav GET "${BOOK}phone-card-1.vcf"
ET2=$(etag_of)
[ "$ET2" != "$ET1" ]
ok $? "the ETag changed with the stored copy ($ET1 -> $ET2)"

# a stale If-Match writes nothing
SEQ=$(sql "SELECT seq FROM folders WHERE holder_id=$DUID")
DATA=$(sql "SELECT data FROM folder_entries WHERE id=$E1")
dav PUT "${BOOK}phone-card-1.vcf" "${VC1/Wang Fang/Stale Write}" -H 'Content-Type: text/vcard' -H "If-Match: $ET1"
is "$STATUS" 412 "PUT with a stale If-Match: 412"
is "$(sql "SELECT data FROM folder_entries WHERE id=$E1")" "$DATA" "the stored copy is unchanged"
is "$(sql "SELECT seq FROM folders WHERE holder_id=$DUID")" "$SEQ" "no change was logged"
dav PUT "${BOOK}nobody.vcf" "$VC1" -H 'Content-Type: text/vcard' -H "If-Match: $ET2"
is "$STATUS" 412 "If-Match on a card that does not exist: 412"
is "$(sql "SELECT COUNT(*) FROM folder_entries WHERE uid='nobody'")" 0 "nothing created"
dav PUT "${BOOK}bad.vcf" 'this is not a vCard' -H 'Content-Type: text/vcard'
is "$STATUS" 403 "a body that is not a vCard: 403"
like "$BODY" 'valid-address-data' "CARDDAV:valid-address-data"
dav PUT "${BOOK}two.vcf" "$VC1$VC1" -H 'Content-Type: text/vcard'
is "$STATUS" 403 "two vCards in one resource: 403"
dav PUT "${BOOK}plain.vcf" "$VC1" -H 'Content-Type: text/plain'
is "$STATUS" 415 "a PUT that is not text/vcard: 415"
dav PUT "${BOOK}_12.vcf" "$VC1" -H 'Content-Type: text/vcard'
is "$STATUS" 403 "names of the form _<digits>.vcf are reserved"
is "$(sql "SELECT COUNT(*) FROM folder_entries WHERE holder_id=$DUID")" 1 "none of these wrote a card"

# --- cards saved on the site --------------------------------------------------------------
TOKEN=$DANA
api POST /api/v1/folder '{"card":{"full_name":"Zhao Lei","emails":[{"type":"work","value":"zhao@example.cn"}],"phones":[{"type":"cell","value":"+8613900000001"}]}}'
is "$STATUS" 201 "a card typed in on the site"
E2=$(jqb .entry.id)
dav PROPFIND "$BOOK" '<propfind xmlns="DAV:"><prop><getetag/><getcontenttype/><resourcetype/></prop></propfind>' -H 'Depth: 1'
is "$STATUS" 207 "Depth-1 PROPFIND lists the folder"
is "$(count "//*[local-name()='getetag'][string-length(.)>0]")" 2 "two cards with ETags"
is "$(count "//*[local-name()='href'][.='${BOOK}_$E2.vcf']")" 1 "a site card (urn:uuid: UID) is named _<id>.vcf"
is "$(count "//*[local-name()='href'][.='${BOOK}phone-card-1.vcf']")" 1 "a phone's card keeps its name"
dav GET "${BOOK}_$E2.vcf"
is "$STATUS" 200 "GET the site's card"
like "$BODY" 'UID:urn:uuid:' "its UID is the entry's"
like "$BODY" 'EMAIL;TYPE=INTERNET,WORK:zhao@example.cn' "with its e-mail"
dav PROPFIND "${BOOK}_$E2.vcf" '<propfind xmlns="DAV:"><prop><getetag/><getcontentlength/><getlastmodified/></prop></propfind>' -H 'Depth: 0'
is "$STATUS" 207 "PROPFIND of one card"
like "$(xp "string(//*[local-name()='getlastmodified'])")" 'GMT$' "getlastmodified"
[ "$(xp "string(//*[local-name()='getcontentlength'])")" -gt 50 ]
ok $? "getcontentlength"

# --- REPORT addressbook-multiget -----------------------------------------------------------
MG="<C:addressbook-multiget xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:carddav\"><D:prop><D:getetag/><C:address-data/></D:prop><D:href>${BOOK}phone-card-1.vcf</D:href><D:href>$B${BOOK}_$E2.vcf</D:href><D:href>${BOOK}missing.vcf</D:href><D:href>/dav/999/cards/x.vcf</D:href></C:addressbook-multiget>"
dav REPORT "$BOOK" "$MG" -H 'Depth: 0'
is "$STATUS" 207 "addressbook-multiget"
is "$(count "//*[local-name()='address-data']")" 2 "two cards with their vCards"
like "$(xp "string(//*[local-name()='response'][*[local-name()='href']='${BOOK}phone-card-1.vcf']//*[local-name()='address-data'])")" 'FN:Wang Fang \(Li\)' \
	"the vCard of the named card"
is "$(count "//*[local-name()='response'][*[local-name()='status'][contains(.,'404')]]")" 2 "the missing and the foreign href: 404"
is "$(xp "string(//*[local-name()='response'][*[local-name()='href']='${BOOK}phone-card-1.vcf']//*[local-name()='getetag'])")" "$ET2" \
	"the ETag in the multiget is the GET's"

# --- REPORT addressbook-query -------------------------------------------------------------
Q() { printf '<C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/></D:prop>%s</C:addressbook-query>' "$1"; }
dav REPORT "$BOOK" "$(Q '<C:filter><C:prop-filter name="FN"><C:text-match collation="i;unicode-casemap" match-type="contains">zhao</C:text-match></C:prop-filter></C:filter>')"
is "$STATUS" 207 "addressbook-query on FN"
is "$(count "//*[local-name()='href'][.='${BOOK}_$E2.vcf']") $(count "//*[local-name()='response']")" "1 1" "finds exactly Zhao Lei"
dav REPORT "$BOOK" "$(Q '<C:filter><C:prop-filter name="EMAIL"><C:text-match match-type="equals">LI@EXAMPLE.COM</C:text-match></C:prop-filter></C:filter>')"
is "$(count "//*[local-name()='href'][.='${BOOK}phone-card-1.vcf']") $(count "//*[local-name()='response']")" "1 1" "EMAIL equals, any case"
dav REPORT "$BOOK" "$(Q '<C:filter><C:prop-filter name="TEL"><C:text-match>0013 8000</C:text-match></C:prop-filter></C:filter>')"
is "$(count "//*[local-name()='href'][.='${BOOK}phone-card-1.vcf']") $(count "//*[local-name()='response']")" "1 1" "TEL by its digits"
dav REPORT "$BOOK" "$(Q '<C:filter test="anyof"><C:prop-filter name="FN"><C:text-match>nobody</C:text-match></C:prop-filter><C:prop-filter name="TEL"><C:text-match negate-condition="yes">139</C:text-match></C:prop-filter></C:filter>')"
is "$(count "//*[local-name()='href'][.='${BOOK}phone-card-1.vcf']") $(count "//*[local-name()='response']")" "1 1" "anyof with a negated match"
dav REPORT "$BOOK" "$(Q '<C:filter><C:prop-filter name="FN"><C:text-match>a</C:text-match></C:prop-filter></C:filter><C:limit><C:nresults>1</C:nresults></C:limit>')"
is "$(count "//*[local-name()='response'][.//*[local-name()='getetag']]")" 1 "CARDDAV:limit: one card"
is "$(count "//*[local-name()='response'][*[local-name()='status'][contains(.,'507')]]")" 1 "and a 507 saying there are more"
dav REPORT "$BOOK" "$(Q '<C:filter><C:prop-filter name="FN"><C:text-match collation="i;klingon">a</C:text-match></C:prop-filter></C:filter>')"
is "$STATUS" 403 "an unknown collation: 403"
like "$BODY" 'supported-collation' "CARDDAV:supported-collation"

# --- REPORT sync-collection -----------------------------------------------------------------
SC() { printf '<D:sync-collection xmlns:D="DAV:"><D:sync-token>%s</D:sync-token><D:sync-level>1</D:sync-level>%s<D:prop><D:getetag/></D:prop></D:sync-collection>' "$1" "${2:-}"; }
tok() { xp "string(/*[local-name()='multistatus']/*[local-name()='sync-token'])"; }
dav REPORT "$BOOK" "$(SC '')"
is "$STATUS" 207 "initial sync-collection"
is "$(count "//*[local-name()='response']")" 2 "every card"
T0=$(tok)
like "$T0" '^urn:livecard:sync:[0-9]+$' "and a token"
dav REPORT "$BOOK" "$(SC "$T0")"
is "$(count "//*[local-name()='response']") $(tok)" "0 $T0" "nothing changed: no responses, the same token"
TOKEN=$DANA
api PUT "/api/v1/folder/$E2" '{"card":{"full_name":"Zhao Lei","title":"CTO","emails":[{"type":"work","value":"zhao@example.cn"}]}}'
is "$STATUS" 200 "the card is changed on the site"
dav REPORT "$BOOK" "$(SC "$T0")"
is "$(count "//*[local-name()='response']")" 1 "the next sync names one card"
is "$(xp "string(//*[local-name()='response']/*[local-name()='href'])")" "${BOOK}_$E2.vcf" "the changed one"
is "$(xp "string(//*[local-name()='getetag'])")" "\"$(sql "SELECT change_seq FROM folder_entries WHERE id=$E2")\"" "with its new ETag"
T1=$(tok)
dav DELETE "${BOOK}_$E2.vcf" '' -H "If-Match: $ET1"
is "$STATUS" 412 "DELETE with a stale If-Match: 412"
is "$(sql "SELECT COUNT(*) FROM folder_entries WHERE id=$E2")" 1 "the card is still there"
dav GET "${BOOK}_$E2.vcf"
dav DELETE "${BOOK}_$E2.vcf" '' -H "If-Match: $(etag_of)"
is "$STATUS" 204 "DELETE with the current ETag"
is "$(sql "SELECT deleted FROM folder_changes WHERE holder_id=$DUID AND entry_id=$E2 ORDER BY seq DESC LIMIT 1")" 1 "a tombstone is logged"
dav GET "${BOOK}_$E2.vcf"
is "$STATUS" 404 "the card is gone"
dav REPORT "$BOOK" "$(SC "$T1")"
is "$(count "//*[local-name()='response']")" 1 "the sync after the deletion names one card"
like "$(xp "string(//*[local-name()='response']/*[local-name()='status'])")" '404' "as deleted (404)"

# several changes, taken in pages with DAV:limit
for i in 1 2 3; do
	dav PUT "${BOOK}page-$i.vcf" "${VC1/phone-card-1/page-$i}" -H 'Content-Type: text/vcard' -H 'If-None-Match: *'
done
dav REPORT "$BOOK" "$(SC "$T1" '<D:limit><D:nresults>2</D:nresults></D:limit>')"
is "$STATUS" 207 "sync-collection with DAV:limit 2"
is "$(count "//*[local-name()='response'][*[local-name()='propstat'] or contains(*[local-name()='status'],'404')]")" 2 "two changes"
is "$(count "//*[local-name()='response'][contains(*[local-name()='status'],'507')]")" 1 "and a 507: there is more"
TP=$(tok)
dav REPORT "$BOOK" "$(SC "$TP" '<D:limit><D:nresults>2</D:nresults></D:limit>')"
is "$(count "//*[local-name()='response'][*[local-name()='propstat'] or contains(*[local-name()='status'],'404')]")" 2 "the continuation gives the rest"
is "$(count "//*[local-name()='response'][contains(*[local-name()='status'],'507')]")" 0 "and no 507"
TN=$(tok)
dav REPORT "$BOOK" "$(SC "$TN")"
is "$(count "//*[local-name()='response']")" 0 "the last token is current"

dav REPORT "$BOOK" "$(SC 'urn:livecard:sync:999999')"
is "$STATUS" 403 "a token from the future: 403"
like "$BODY" 'valid-sync-token' "DAV:valid-sync-token"
dav REPORT "$BOOK" "$(SC 'http://example.com/other-server/1')"
is "$STATUS" 403 "another server's token: 403"
sql "DELETE FROM folder_changes WHERE holder_id=$DUID AND seq <= ${T1##*:}"
dav REPORT "$BOOK" "$(SC "$T0")"
is "$STATUS" 403 "a token older than the kept change log (expired): 403"
like "$BODY" 'valid-sync-token' "DAV:valid-sync-token"
dav REPORT "$BOOK" "$(SC "$TN")"
is "$STATUS" 207 "a recent token still works"

# --- another member's address book: 404, nothing leaks, nothing written --------------------
TOKEN=$LI
api POST /api/v1/app-passwords '{"label":"li laptop"}'
LIPW=$(jqb .password)
api POST /api/v1/folder '{"card":{"full_name":"Secret Contact","emails":[{"type":"work","value":"secret@example.org"}]}}'
LIE=$(jqb .entry.id)
LIUID=$(sql "SELECT id FROM users WHERE email='li@example.com'")
TOKEN=$DANA
LIBOOK=/dav/$LIUID/cards/
dav PROPFIND "$LIBOOK" '' -H 'Depth: 1'
is "$STATUS" 404 "PROPFIND of another member's address book: 404 (not 403)"
unlike "$BODY" 'Secret|_'"$LIE" "nothing of it in the answer"
dav PROPFIND "/dav/$LIUID/" '' -H 'Depth: 1'
is "$STATUS" 404 "their principal: 404"
dav GET "${LIBOOK}_$LIE.vcf"
is "$STATUS" 404 "GET of their card: 404"
unlike "$BODY" 'Secret' "no contents"
dav GET "${BOOK}_$LIE.vcf"
is "$STATUS" 404 "their card's id under my own book: 404"
dav REPORT "$LIBOOK" "$(SC '')"
is "$STATUS" 404 "sync-collection of their book: 404"
dav REPORT "$BOOK" "<C:addressbook-multiget xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:carddav\"><D:prop><C:address-data/></D:prop><D:href>${LIBOOK}_$LIE.vcf</D:href><D:href>${BOOK}_$LIE.vcf</D:href></C:addressbook-multiget>"
is "$(count "//*[local-name()='address-data']")" 0 "a multiget of their card's hrefs gives nothing"
unlike "$BODY" 'Secret' "and no contents"
dav PUT "${LIBOOK}intruder.vcf" "$VC1" -H 'Content-Type: text/vcard'
is "$STATUS" 404 "PUT into their book: 404"
dav DELETE "${LIBOOK}_$LIE.vcf"
is "$STATUS" 404 "DELETE of their card: 404"
is "$(sql "SELECT COUNT(*) FROM folder_entries WHERE holder_id=$LIUID")" 1 "their folder is untouched"

# --- PROPPATCH, unknown reports, bad XML, huge bodies ---------------------------------------
dav PROPPATCH "$BOOK" '<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:getetag>1</D:getetag></D:prop></D:set></D:propertyupdate>'
is "$STATUS" 207 "PROPPATCH answers 207"
like "$BODY" '403 Forbidden' "with 403 for a property livecard cannot keep (displayname: test 830)"
dav REPORT "$BOOK" '<D:expand-property xmlns:D="DAV:"/>'
is "$STATUS" 403 "an unknown report: 403"
like "$BODY" 'supported-report' "DAV:supported-report"
dav REPORT "/dav/$DUID/" "$(SC '')"
is "$STATUS" 403 "sync-collection of the principal: 403"
dav PROPFIND "$BOOK" '<propfind xmlns="DAV:"><prop><getetag/></prop>' -H 'Depth: 1'
is "$STATUS" 400 "malformed XML: 400"
dav PROPFIND "$BOOK" '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]><propfind xmlns="DAV:"><prop><displayname>&lol9;</displayname></prop></propfind>' -H 'Depth: 0'
is "$STATUS" 400 "a billion-laughs entity bomb: 400"
dav PROPFIND "$BOOK" '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><propfind xmlns="DAV:"><prop><displayname>&x;</displayname></prop></propfind>' -H 'Depth: 0'
is "$STATUS" 400 "an external entity: 400"
unlike "$BODY" 'root:' "nothing of the file"
DEEP=$(printf '<a>%.0s' $(seq 1 200))$(printf '</a>%.0s' $(seq 1 200))
dav REPORT "$BOOK" "<D:sync-collection xmlns:D=\"DAV:\">$DEEP</D:sync-collection>"
is "$STATUS" 400 "a document nested 200 deep: 400"
head -c 2000000 /dev/zero | tr '\0' 'a' >"$VARDIR/big.xml"
TOKEN=""
req PROPFIND "$BOOK" -u "$DAVU" -H "$X" --data-binary @"$VARDIR/big.xml"
is "$STATUS" 413 "a 2 MB PROPFIND body: 413 from the program (Limits.BodyBytes)"
req REPORT "$BOOK" -u "$DAVU" -H "$X" --data-binary @"$VARDIR/big.xml"
is "$STATUS" 400 "a 2 MB REPORT body is read (Limits.DAVReportBytes, 8 MiB) and refused as XML: 400"
head -c 9000000 /dev/zero | tr '\0' 'a' >"$VARDIR/big.xml"
req REPORT "$BOOK" -u "$DAVU" -H "$X" --data-binary @"$VARDIR/big.xml"
is "$STATUS" 413 "a 9 MB REPORT body: 413"
head -c 52428800 /dev/zero >"$VARDIR/huge.bin"
req PUT "${BOOK}huge.vcf" -u "$DAVU" -H 'Content-Type: text/vcard' --data-binary @"$VARDIR/huge.bin"
is "$STATUS" 413 "a 50 MB PUT: 413"
rm -f "$VARDIR/huge.bin" "$VARDIR/big.xml"
dav PROPFIND "$BOOK" '<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>' -H 'Depth: 1'
is "$STATUS" 207 "the program still answers"
is "$(grep -c 'ended' "$VARDIR/log/carddav.log")" 0 "and no worker died on the way"

# --- a multiget of (nearly) the whole folder: one scan instead of lookups -----------------
/usr/bin/python3 - >"$VARDIR/many.vcf" <<'PY'
for i in range(1, 601):
    cat = "CATEGORIES:vip\r\n" if i % 100 == 0 else ""
    print(f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:many-{i:04d}\r\nFN:Many {i:04d}\r\nEMAIL:m{i}@example.org\r\n{cat}END:VCARD\r", end="\n")
PY
TOKEN=$DANA
req POST /api/v1/folder/import -H 'Content-Type: text/vcard' --data-binary @"$VARDIR/many.vcf"
is "$(jqb .imported)" 600 "600 more cards imported"
is "$(sql "SELECT COUNT(*) FROM entry_tags t JOIN folder_entries e ON e.id=t.entry_id WHERE e.holder_id=$DUID AND t.tag='vip'")" 6 "six of them tagged vip"
dav PROPFIND "$BOOK" '<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>' -H 'Depth: 1'
NCARDS=$(count "//*[local-name()='getetag'][string-length(.)>0]")
HREFS=$(xp "//*[local-name()='response'][.//*[local-name()='getetag'][string-length(.)>0]]/*[local-name()='href']" | sed 's|<[^>]*>||g; s|\(/dav/[^ ]*\.vcf\)|<D:href>\1</D:href>|g' | tr -d '\n')
dav REPORT "$BOOK" "<C:addressbook-multiget xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:carddav\"><D:prop><D:getetag/><C:address-data/></D:prop>$HREFS<D:href>${BOOK}gone.vcf</D:href></C:addressbook-multiget>"
is "$STATUS" 207 "a multiget of all $NCARDS cards"
is "$(count "//*[local-name()='address-data']")" "$NCARDS" "every card comes back"
is "$(count "//*[local-name()='response'][contains(*[local-name()='status'],'404')]")" 1 "the missing one: 404"
like "$(xp "string(//*[local-name()='response'][*[local-name()='href']='${BOOK}many-0300.vcf']//*[local-name()='address-data'])")" 'CATEGORIES:vip' \
	"a tagged card carries its CATEGORIES in the scan too"
is "$(xp "string(//*[local-name()='response'][*[local-name()='href']='${BOOK}many-0300.vcf']//*[local-name()='getetag'])")" \
	"\"$(sql "SELECT change_seq FROM folder_entries WHERE holder_id=$DUID AND uid='many-0300'")\"" "with its ETag"
dav REPORT "$BOOK" "$(Q '<C:filter><C:prop-filter name="CATEGORIES"><C:text-match match-type="equals">VIP</C:text-match></C:prop-filter></C:filter>')"
is "$(count "//*[local-name()='response']")" 6 "addressbook-query on CATEGORIES finds the six"

# --- a revoked app password stops working at once -------------------------------------------
TOKEN=$DANA
api DELETE "/api/v1/app-passwords/$APPID"
is "$STATUS" 204 "the app password is revoked on the settings API"
dav PROPFIND "$BOOK" '' -H 'Depth: 0'
is "$STATUS" 401 "and refused from then on"

done_testing
