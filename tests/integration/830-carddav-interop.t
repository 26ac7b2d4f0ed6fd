#!/usr/bin/env bash
# 830-carddav-interop.t: issue 22, CardDAV that every client trusts: the
# client's UID is kept as sent (urn:uuid: too) and a second resource with it
# is refused with CARDDAV:no-uid-conflict naming the first; a PUT whose bytes
# are stored as sent answers with their ETag and GET gives the same bytes
# back until the card changes elsewhere; resource names with + @ and the
# other sub-delims work under both spellings of their href (listing,
# multiget, sync, DELETE); PROPPATCH of the book's displayname is kept, other
# properties refused one by one; legacy charsets (Latin-1, GBK, Big5,
# Shift-JIS) are decoded right, on PUT and on import with ?charset=.
. "$(dirname "$0")/../lib.sh"
stack_up

X='Content-Type: application/xml; charset=utf-8'
V='Content-Type: text/vcard'
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
# davf METHOD PATH FILE [curl args...]: the body from a file, byte for byte
davf() {
	local method=$1 path=$2 file=$3 keep=$TOKEN
	shift 3
	TOKEN=""
	req "$method" "$path" -u "$DAVU" --data-binary "@$file" "$@"
	TOKEN=$keep
}
count() { xp "count($1)"; }
resp() { printf "//*[local-name()='response'][*[local-name()='href']='%s']" "$1"; }
LIST='<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>'

signup_verified dana@example.com "Dana Holder"
DANA=$TOKEN
DUID=$(uid_of dana@example.com)
api POST /api/v1/app-passwords '{"label":"phone"}'
DAVU="dana@example.com:$(jqb .password)"
BOOK=/dav/$DUID/cards/
dav REPORT "$BOOK" '<sync-collection xmlns="DAV:"><sync-token/><prop><getetag/></prop></sync-collection>'
TOK0=$(xp "string(//*[local-name()='sync-token'])")

# --- 1. the client's UID, no-uid-conflict, ETag on PUT -----------------------------------
U1=urn:uuid:6f1c7a52-3b0e-4d8e-9a51-0c2f1e5d7a11
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Test//Phone//EN\r\nUID:%s\r\nFN:Anna Berg\r\nN:Berg;Anna;;;\r\nTEL;TYPE=CELL:+49 30 1234567\r\nREV:20240101T000000Z\r\nEND:VCARD\r\n' "$U1" >"$VARDIR/a1.vcf"
davf PUT "${BOOK}A1B2C3.vcf" "$VARDIR/a1.vcf" -H "$V" -H 'If-None-Match: *'
is "$STATUS" 201 "PUT of a card named apart from its urn:uuid: UID"
PUT_ET=$(header ETag)
like "$PUT_ET" '^"[0-9]+"$' "the PUT answers with an ETag: the stored bytes are the client's"
is "$(sql "SELECT uid FROM folder_entries WHERE holder_id=$DUID AND full_name='Anna Berg'")" "$U1" \
	"the entry keeps the client's UID as sent"
E1=$(sql "SELECT id FROM folder_entries WHERE holder_id=$DUID AND uid='$U1'")
dav GET "${BOOK}A1B2C3.vcf"
is "$STATUS" 200 "GET under the client's name"
cmp -s "$VARDIR/body" "$VARDIR/a1.vcf"
ok $? "GET gives the client's bytes back"
is "$(header ETag)" "$PUT_ET" "with the ETag the PUT gave"
dav PROPFIND "$BOOK" "$LIST" -H 'Depth: 1'
is "$(xp "string($(resp "${BOOK}A1B2C3.vcf")//*[local-name()='getetag'])")" "$PUT_ET" \
	"the listing names the client's resource with that ETag"
dav GET "${BOOK}A1B2C3.vcf" '' -H 'Accept: text/vcard; version=4.0'
like "$BODY" $'VERSION:4.0\r\n' "4.0 when asked: rendered from the folder"
like "$BODY" "UID:$U1"$'\r\n' "still with the client's UID"

printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:%s\r\nFN:Anna Copy\r\nEND:VCARD\r\n' "$U1" >"$VARDIR/a2.vcf"
davf PUT "${BOOK}other-name.vcf" "$VARDIR/a2.vcf" -H "$V"
is "$STATUS" 409 "a second resource with the same UID: 409"
is "$(xp "string(//*[local-name()='error']/*[local-name()='no-uid-conflict']/*[local-name()='href'])")" "${BOOK}A1B2C3.vcf" \
	"CARDDAV:no-uid-conflict names the existing href"
is "$(sql "SELECT COUNT(*) FROM folder_entries WHERE holder_id=$DUID")" 1 "nothing was written"

sed -i 's/Anna Berg/Anna Berg-Lund/' "$VARDIR/a1.vcf"
davf PUT "${BOOK}A1B2C3.vcf" "$VARDIR/a1.vcf" -H "$V" -H "If-Match: $PUT_ET"
is "$STATUS" 204 "an update with If-Match"
PUT_ET2=$(header ETag)
like "$PUT_ET2" '^"[0-9]+"$' "answers with the new ETag"
[ "$PUT_ET2" != "$PUT_ET" ]
ok $? "which differs from the old one"
dav GET "${BOOK}A1B2C3.vcf" '' -H "If-None-Match: $PUT_ET2"
is "$STATUS" 304 "the PUT's ETag is the one GET validates"

# a change made on the site: the card is rendered again, with a new ETag
TOKEN=$DANA
api PUT "/api/v1/folder/$E1" '{"notes":"met in Berlin"}'
is "$STATUS" 200 "the holder changes the entry on the site"
dav GET "${BOOK}A1B2C3.vcf"
[ "$(header ETag)" != "$PUT_ET2" ]
ok $? "the ETag changed"
like "$BODY" "UID:$U1"$'\r\n' "the rendered card keeps the client's UID"
like "$BODY" 'TEL;TYPE=CELL:\+49301234567' "and is the folder's (phone normalised)"

# an entry made before 014 held the name as UID: the client's UID is taken
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Old Phone Card\r\nEND:VCARD\r\n' >"$VARDIR/o1.vcf"
davf PUT "${BOOK}old-1.vcf" "$VARDIR/o1.vcf" -H "$V"
is "$STATUS" 201 "a card without a UID"
is "$(header ETag)" "" "no ETag: the stored card is not the client's bytes (it got a UID)"
is "$(sql "SELECT uid FROM folder_entries WHERE holder_id=$DUID AND full_name='Old Phone Card'")" "old-1" "its UID is the name's"
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:urn:uuid:0000aaaa-1111-4222-8333-444455556666\r\nFN:Old Phone Card\r\nEND:VCARD\r\n' >"$VARDIR/o2.vcf"
davf PUT "${BOOK}old-1.vcf" "$VARDIR/o2.vcf" -H "$V"
is "$STATUS" 204 "the client sends its UID for that resource"
is "$(sql "SELECT uid FROM folder_entries WHERE holder_id=$DUID AND full_name='Old Phone Card'")" \
	"urn:uuid:0000aaaa-1111-4222-8333-444455556666" "the entry takes it"
dav GET "${BOOK}old-1.vcf"
is "$STATUS" 200 "under the same name"
cmp -s "$VARDIR/body" "$VARDIR/o2.vcf"
ok $? "and serves the client's bytes"

# --- 2. names with + @ and the other sub-delims ----------------------------------------------
NAME='john+work@example.com.vcf'
ENC='john%2Bwork%40example.com.vcf'
printf 'BEGIN:VCARD\r\nVERSION:4.0\r\nUID:john-work-1\r\nFN:John Work\r\nEMAIL:john+work@example.com\r\nEND:VCARD\r\n' >"$VARDIR/j.vcf"
davf PUT "${BOOK}$NAME" "$VARDIR/j.vcf" -H "$V"
is "$STATUS" 201 "PUT $NAME"
JET=$(header ETag)
dav GET "${BOOK}$ENC"
is "$STATUS" 200 "GET $ENC reaches it"
cmp -s "$VARDIR/body" "$VARDIR/j.vcf"
ok $? "the same card (4.0 as sent)"
is "$(header ETag)" "$JET" "the same ETag"
dav GET "${BOOK}$NAME"
is "$STATUS" 200 "GET $NAME too"
dav PROPFIND "$BOOK" "$LIST" -H 'Depth: 1'
is "$(count "$(resp "${BOOK}$NAME")")" 1 "the listing names it as the client did"
MG="<C:addressbook-multiget xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:carddav\"><D:prop><D:getetag/><C:address-data/></D:prop><D:href>${BOOK}$ENC</D:href><D:href>${BOOK}A1B2C3.vcf</D:href><D:href>${BOOK}nobody+x@y.vcf</D:href></C:addressbook-multiget>"
dav REPORT "$BOOK" "$MG" -H 'Depth: 0'
is "$STATUS" 207 "multiget with a percent-encoded href"
is "$(count "//*[local-name()='address-data']")" 2 "both cards found"
like "$(xp "string(//*[local-name()='response'][.//*[local-name()='getetag']='$JET']//*[local-name()='address-data'])")" 'FN:John Work' \
	"the encoded href's card"
is "$(count "$(resp "${BOOK}nobody+x@y.vcf")/*[local-name()='status'][contains(.,'404')]")" 1 "a missing name: 404"
ODD="a;b=c,d!\$'()*~_.vcf"
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:odd-1\r\nFN:Odd Name\r\nEND:VCARD\r\n' >"$VARDIR/odd.vcf"
davf PUT "${BOOK}$ODD" "$VARDIR/odd.vcf" -H "$V"
is "$STATUS" 201 "every sub-delim in a name: $ODD"
dav GET "${BOOK}a%3Bb%3Dc%2Cd%21%24%27%28%29%2A~_.vcf"
is "$STATUS" 200 "reached percent-encoded"
davf PUT "${BOOK}with%20space.vcf" "$VARDIR/odd.vcf" -H "$V"
is "$STATUS" 403 "a space is not a name character: 403"
davf PUT "${BOOK}$(printf 'x%.0s' $(seq 1 252)).vcf" "$VARDIR/odd.vcf" -H "$V"
[ "$STATUS" = 403 ] || [ "$STATUS" = 404 ]
ok $? "a name over 255 bytes is refused ($STATUS)"
davf PUT "${BOOK}_12.vcf" "$VARDIR/odd.vcf" -H "$V"
is "$STATUS" 403 "_<digits>.vcf stays reserved"
is "$(sql "SELECT COUNT(*) FROM folder_entries WHERE holder_id=$DUID")" 4 "four cards in the book"

# sync: changes and deletions under the names the client knows
dav DELETE "${BOOK}$ENC" '' -H "If-Match: $JET"
is "$STATUS" 204 "DELETE by the encoded href"
dav GET "${BOOK}$NAME"
is "$STATUS" 404 "gone under both spellings"
dav REPORT "$BOOK" "<sync-collection xmlns=\"DAV:\"><sync-token>$TOK0</sync-token><sync-level>1</sync-level><prop><getetag/></prop></sync-collection>"
is "$STATUS" 207 "sync-collection from the start"
is "$(count "$(resp "${BOOK}$NAME")/*[local-name()='status'][contains(.,'404')]")" 1 "the deleted card is reported under its name"
is "$(count "$(resp "${BOOK}A1B2C3.vcf")")" 1 "the changed card under the client's name"
is "$(count "$(resp "${BOOK}old-1.vcf")")" 1 "the card whose UID changed under its old name, once"
is "$(count "//*[local-name()='response'][contains(*[local-name()='href'],'/_')]")" 0 "no derived name leaks"
# the name is free again
davf PUT "${BOOK}$NAME" "$VARDIR/j.vcf" -H "$V" -H 'If-None-Match: *'
is "$STATUS" 201 "the name can be used again"

# --- 3. PROPPATCH of the book's displayname --------------------------------------------------
PP() { printf '<D:propertyupdate xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav" xmlns:A="http://apple.com/ns/ical/">%s</D:propertyupdate>' "$1"; }
dav PROPPATCH "$BOOK" "$(PP '<D:set><D:prop><D:displayname>Kontakte – Arbeit</D:displayname></D:prop></D:set>')"
is "$STATUS" 207 "PROPPATCH of displayname"
is "$(xp "string(//*[local-name()='propstat'][.//*[local-name()='displayname']]/*[local-name()='status'])")" "HTTP/1.1 200 OK" "accepted: 200"
dav PROPFIND "$BOOK" '<propfind xmlns="DAV:"><prop><displayname/></prop></propfind>' -H 'Depth: 0'
is "$(xp "string(//*[local-name()='displayname'])")" "Kontakte – Arbeit" "the book answers with the new name"
is "$(sql "SELECT display_name FROM dav_books WHERE holder_id=$DUID")" "Kontakte – Arbeit" "kept per book"
dav PROPPATCH "$BOOK" "$(PP '<D:set><D:prop><D:displayname>Other</D:displayname><A:calendar-color>#ff0000</A:calendar-color><D:getetag>1</D:getetag></D:prop></D:set>')"
is "$STATUS" 207 "PROPPATCH with properties livecard cannot keep"
is "$(count "//*[local-name()='propstat'][*[local-name()='status']='HTTP/1.1 403 Forbidden']//*[local-name()='prop']/*")" 2 \
	"403 for each of those"
is "$(xp "string(//*[local-name()='propstat'][.//*[local-name()='displayname']]/*[local-name()='status'])")" "HTTP/1.1 424 Failed Dependency" \
	"424 for displayname: all or nothing (RFC 4918 9.2)"
is "$(sql "SELECT display_name FROM dav_books WHERE holder_id=$DUID")" "Kontakte – Arbeit" "the name is unchanged"
dav PROPPATCH "$BOOK" "$(PP "<D:set><D:prop><D:displayname>$(printf 'n%.0s' $(seq 1 201))</D:displayname></D:prop></D:set>")"
is "$(xp "string(//*[local-name()='propstat']/*[local-name()='status'])")" "HTTP/1.1 403 Forbidden" "a name over 200 characters: 403"
dav PROPPATCH "/dav/$DUID/" "$(PP '<D:set><D:prop><D:displayname>Me</D:displayname></D:prop></D:set>')"
is "$(xp "string(//*[local-name()='propstat']/*[local-name()='status'])")" "HTTP/1.1 403 Forbidden" "the principal's name is not writable here"
dav PROPPATCH "$BOOK" "$(PP '<D:remove><D:prop><D:displayname/></D:prop></D:remove>')"
is "$(xp "string(//*[local-name()='propstat']/*[local-name()='status'])")" "HTTP/1.1 200 OK" "removing displayname"
dav PROPFIND "$BOOK" '<propfind xmlns="DAV:"><prop><displayname/></prop></propfind>' -H 'Depth: 0'
is "$(xp "string(//*[local-name()='displayname'])")" "Card folder" "brings back the default name"

# --- 4. legacy charsets ---------------------------------------------------------------------------
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:latin-1\r\nFN:Hans M\xfcller\r\nN:M\xfcller;Hans;;;\r\nORG:B\xe4ckerei Gr\xfc\xdf\r\nEND:VCARD\r\n' >"$VARDIR/l1.vcf"
davf PUT "${BOOK}latin-1.vcf" "$VARDIR/l1.vcf" -H "$V"
is "$STATUS" 201 "PUT of a Latin-1 vCard 3.0 without a charset"
is "$(header ETag)" "" "no ETag: the stored card is decoded, not the client's bytes"
is "$(sql "SELECT full_name FROM folder_entries WHERE holder_id=$DUID AND uid='latin-1'")" "Hans Müller" \
	"M\\xfcller is Müller (not M黮ler)"
dav GET "${BOOK}latin-1.vcf"
like "$BODY" 'ORG:Bäckerei Grüß' "served as UTF-8"
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:big5-1\r\nFN:\xa4\xfd\xaa\xe2\r\nEND:VCARD\r\n' >"$VARDIR/b1.vcf"
davf PUT "${BOOK}big5-1.vcf" "$VARDIR/b1.vcf" -H "$V"
is "$(sql "SELECT full_name FROM folder_entries WHERE holder_id=$DUID AND uid='big5-1'")" "王芬" "a Big5 name"
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:big5-2\r\nFN:\xb0\xa1\xb0\xa2\r\nEND:VCARD\r\n' >"$VARDIR/b2.vcf"
davf PUT "${BOOK}big5-2.vcf" "$VARDIR/b2.vcf" -H 'Content-Type: text/vcard; charset=big5'
is "$STATUS" 201 "a PUT whose Content-Type names the charset"
is "$(sql "SELECT full_name FROM folder_entries WHERE holder_id=$DUID AND uid='big5-2'")" "陛陝" \
	"decoded as named (the bytes alone would read as GBK 啊阿)"
davf PUT "${BOOK}big5-3.vcf" "$VARDIR/b2.vcf" -H 'Content-Type: text/vcard; charset=x-klingon'
is "$STATUS" 415 "an unknown charset: 415"

TOKEN=$DANA
printf 'BEGIN:VCARD\r\nVERSION:2.1\r\nFN:\xcd\xf5\xb7\xbc\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:2.1\r\nFN:\x8e\x52\x93\x63\x91\xbe\x98\x59\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:2.1\r\nFN:Ren\xe9 Fran\xe7ois\r\nEND:VCARD\r\n' >"$VARDIR/imp.vcf"
req POST /api/v1/folder/import -H 'Content-Type: text/vcard' --data-binary @"$VARDIR/imp.vcf"
is "$STATUS" 200 "import of GBK, Shift-JIS and Latin-1 cards without charsets"
is "$(sql "SELECT GROUP_CONCAT(full_name ORDER BY id SEPARATOR '|') FROM folder_entries WHERE holder_id=$DUID AND id > $E1 AND full_name IN ('王芳','山田太郎','René François')")" \
	"王芳|山田太郎|René François" "each card decoded by its own bytes"
printf 'BEGIN:VCARD\r\nVERSION:2.1\r\nFN:\xb0\xa1\xb0\xa2 Import\r\nEND:VCARD\r\n' >"$VARDIR/imp2.vcf"
req POST '/api/v1/folder/import?charset=big5' -H 'Content-Type: text/vcard' --data-binary @"$VARDIR/imp2.vcf"
is "$STATUS" 200 "import with ?charset=big5"
is "$(sql "SELECT COUNT(*) FROM folder_entries WHERE holder_id=$DUID AND full_name='陛陝 Import'")" 1 "decoded as declared"
req POST '/api/v1/folder/import?charset=x-klingon' -H 'Content-Type: text/vcard' --data-binary @"$VARDIR/imp2.vcf"
is "$STATUS" 400 "an unknown ?charset=: 400"
is "$(jqb .error.code)" "unknown_charset" "named"

done_testing
