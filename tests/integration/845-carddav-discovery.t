#!/usr/bin/env bash
# 845-carddav-discovery.t: account set-up the way phones do it, with the
# requests iOS (dataaccessd/accountsd) and DAVx⁵ (dav4jvm) send, written by
# hand from their public sources and bug reports: /.well-known/carddav with
# and without the trailing slash, PROPFIND of / before signing in (401 with a
# Basic challenge, then the same request signed in), current-user-principal,
# addressbook-home-set, the home's Depth-1 listing, supported-address-data
# (vCard 3.0 and 4.0, and 4.0 served when asked), getctag and sync-token.
. "$(dirname "$0")/../lib.sh"
stack_up

signup_verified dana@example.com "Dana Holder"
DUID=$(uid_of dana@example.com)
api POST /api/v1/app-passwords '{"label":"phone"}'
APPPW=$(jqb .password)
TOKEN=""
PRINC=/dav/$DUID/
BOOK=/dav/$DUID/cards/
count() { xp "count($1)"; }
el() { printf "//*[local-name()='%s']" "$1"; }
# ok_prop NAME: the element is in a 200 propstat
ok_prop() { count "//*[local-name()='propstat'][contains(*[local-name()='status'],' 200 ')]//*[local-name()='$1']"; }

# the two clients, as they introduce themselves and frame their bodies
IOS=(-A 'iOS/17.5.1 (21F90) dataaccessd/1.0' -H 'Content-Type: text/xml' -H 'Accept: */*' -H 'Brief: t')
DX=(-A 'DAVx5/4.4.1-ose (2024/06/10; dav4jvm; okhttp/4.12.0) Android/14' -H 'Content-Type: application/xml; charset=utf-8'
	-H 'Accept: application/xml, text/xml;q=0.9')
AUTH=(-u "dana@example.com:$APPPW")

# --- iOS: the account is set up from the server name alone -----------------------------------
IOS_START='<?xml version="1.0" encoding="UTF-8"?>
<A:propfind xmlns:A="DAV:">
  <A:prop>
    <A:current-user-principal/>
    <A:principal-URL/>
    <A:resourcetype/>
  </A:prop>
</A:propfind>'
for wk in /.well-known/carddav /.well-known/carddav/; do
	req PROPFIND "$wk" "${IOS[@]}" -H 'Depth: 0' --data-binary "$IOS_START"
	is "$STATUS" 301 "iOS: PROPFIND $wk before signing in: 301 (RFC 6764)"
	is "$(header Location)" /dav/ "iOS: $wk points at /dav/"
	req PROPFIND "$wk" "${IOS[@]}" "${AUTH[@]}" -H 'Depth: 0' --data-binary "$IOS_START"
	is "$STATUS" 301 "iOS: PROPFIND $wk signed in: 301 as well"
done
req PROPFIND /dav/ "${IOS[@]}" -H 'Depth: 0' --data-binary "$IOS_START"
is "$STATUS" 401 "iOS: PROPFIND /dav/ before signing in: 401"
like "$(header WWW-Authenticate)" '^Basic realm="livecard"' "with a Basic challenge"
req PROPFIND / "${IOS[@]}" -H 'Depth: 0' --data-binary "$IOS_START"
is "$STATUS" 401 "iOS: PROPFIND / before signing in: 401"
like "$(header WWW-Authenticate)" '^Basic realm="livecard"' "with a Basic challenge"
req PROPFIND /dav/ "${IOS[@]}" "${AUTH[@]}" -H 'Depth: 0' --data-binary "$IOS_START"
is "$STATUS" 207 "iOS: the same PROPFIND signed in: 207"
is "$(xp "string($(el current-user-principal)/*[local-name()='href'])")" "$PRINC" "iOS: current-user-principal"
req PROPFIND / "${IOS[@]}" "${AUTH[@]}" -H 'Depth: 0' --data-binary "$IOS_START"
is "$(xp "string($(el current-user-principal)/*[local-name()='href'])")" "$PRINC" "iOS: current-user-principal from / too"

# the principal: iOS asks for the home set with the principal's other properties
req PROPFIND "$PRINC" "${IOS[@]}" "${AUTH[@]}" -H 'Depth: 0' --data-binary '<?xml version="1.0" encoding="UTF-8"?>
<A:propfind xmlns:A="DAV:">
  <A:prop>
    <B:addressbook-home-set xmlns:B="urn:ietf:params:xml:ns:carddav"/>
    <B:directory-gateway xmlns:B="urn:ietf:params:xml:ns:carddav"/>
    <A:displayname/>
    <C:email-address-set xmlns:C="http://calendarserver.org/ns/"/>
    <A:principal-collection-set/>
    <A:principal-URL/>
    <A:resource-id/>
    <A:supported-report-set/>
  </A:prop>
</A:propfind>'
is "$STATUS" 207 "iOS: PROPFIND of the principal"
is "$(xp "string($(el addressbook-home-set)/*[local-name()='href'])")" "$PRINC" "iOS: addressbook-home-set"
is "$(xp "string($(el principal-URL)/*[local-name()='href'])")" "$PRINC" "iOS: principal-URL"
is "$(count "//*[local-name()='propstat'][contains(*[local-name()='status'],' 404 ')]//*[local-name()='directory-gateway']")" 1 \
	"iOS: what livecard does not have is a 404 propstat, not an error"

# the home, Depth 1: iOS lists the address books with their ctag and sync token
req PROPFIND "$PRINC" "${IOS[@]}" "${AUTH[@]}" -H 'Depth: 1' --data-binary '<?xml version="1.0" encoding="UTF-8"?>
<A:propfind xmlns:A="DAV:">
  <A:prop>
    <A:add-member/>
    <C:bulk-requests xmlns:C="http://me.com/_namespace/"/>
    <A:current-user-privilege-set/>
    <A:displayname/>
    <B:max-image-size xmlns:B="urn:ietf:params:xml:ns:carddav"/>
    <B:max-resource-size xmlns:B="urn:ietf:params:xml:ns:carddav"/>
    <C:me-card xmlns:C="http://calendarserver.org/ns/"/>
    <A:owner/>
    <C:push-transports xmlns:C="http://calendarserver.org/ns/"/>
    <C:pushkey xmlns:C="http://calendarserver.org/ns/"/>
    <A:quota-available-bytes/>
    <A:quota-used-bytes/>
    <A:resource-id/>
    <A:resourcetype/>
    <A:supported-report-set/>
    <A:sync-token/>
    <D:getctag xmlns:D="http://calendarserver.org/ns/"/>
  </A:prop>
</A:propfind>'
is "$STATUS" 207 "iOS: PROPFIND of the home, Depth 1"
R="//*[local-name()='response'][*[local-name()='href']='$BOOK']"
is "$(count "$R//*[local-name()='resourcetype']/*[local-name()='addressbook']")" 1 "iOS: the home holds the address book"
is "$(xp "string($R$(el getctag))")" 0 "iOS: its getctag"
is "$(xp "string($R$(el sync-token))")" urn:livecard:sync:0 "iOS: its sync-token"
is "$(count "$R$(el current-user-privilege-set)//*[local-name()='bind']")" 1 "iOS: the member may add cards"

# iOS writes vCard 3.0 and reads it back; the ctag moves
VC=$'BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.5.1//EN\r\nN:Appleseed;Johnny;;;\r\nFN:Johnny Appleseed\r\nEMAIL;type=INTERNET;type=HOME;type=pref:johnny@example.com\r\nUID:7E7A1C0B-4C6B-4C5C-9D4E-1A2B3C4D5E6F\r\nEND:VCARD\r\n'
req PUT "${BOOK}7E7A1C0B-4C6B-4C5C-9D4E-1A2B3C4D5E6F.vcf" "${AUTH[@]}" -A 'iOS/17.5.1 (21F90) dataaccessd/1.0' \
	-H 'Content-Type: text/vcard' -H 'If-None-Match: *' --data-binary "$VC"
is "$STATUS" 201 "iOS: PUT of a new card"
req PROPFIND "$BOOK" "${IOS[@]}" "${AUTH[@]}" -H 'Depth: 0' --data-binary '<?xml version="1.0" encoding="UTF-8"?>
<A:propfind xmlns:A="DAV:"><A:prop><C:getctag xmlns:C="http://calendarserver.org/ns/"/><A:sync-token/></A:prop></A:propfind>'
is "$(xp "string($(el getctag))")" 1 "iOS: getctag after the PUT"
is "$(xp "string($(el sync-token))")" urn:livecard:sync:1 "iOS: and the sync-token"

# --- DAVx⁵: the same from the base URL, with its own bodies ---------------------------------------
DX_START="<?xml version='1.0' encoding='UTF-8' ?><propfind xmlns=\"DAV:\" xmlns:CARD=\"urn:ietf:params:xml:ns:carddav\"><prop><resourcetype /><displayname /><current-user-privilege-set /><CARD:addressbook-description /><CARD:addressbook-home-set /><current-user-principal /></prop></propfind>"
req PROPFIND / "${DX[@]}" -H 'Depth: 0' --data-binary "$DX_START"
is "$STATUS" 401 "DAVx⁵: PROPFIND / before signing in: 401"
like "$(header WWW-Authenticate)" '^Basic realm="livecard"' "with a Basic challenge (okhttp answers it)"
req PROPFIND / "${DX[@]}" "${AUTH[@]}" -H 'Depth: 0' --data-binary "$DX_START"
is "$STATUS" 207 "DAVx⁵: PROPFIND / signed in"
is "$(xp "string($(el current-user-principal)/*[local-name()='href'])")" "$PRINC" "DAVx⁵: current-user-principal from /"
for wk in /.well-known/carddav /.well-known/carddav/; do
	req PROPFIND "$wk" "${DX[@]}" "${AUTH[@]}" -H 'Depth: 0' --data-binary "$DX_START"
	is "$STATUS $(header Location)" "301 /dav/" "DAVx⁵: PROPFIND $wk: 301 to /dav/"
	# okhttp keeps PROPFIND and its body across the redirect
	req PROPFIND "$wk" "${DX[@]}" "${AUTH[@]}" -L -H 'Depth: 0' --data-binary "$DX_START"
	is "$STATUS" 207 "DAVx⁵: the redirect followed ($wk)"
	is "$(xp "string($(el current-user-principal)/*[local-name()='href'])")" "$PRINC" "DAVx⁵: current-user-principal via $wk"
done
req PROPFIND "$PRINC" "${DX[@]}" "${AUTH[@]}" -H 'Depth: 0' --data-binary "$DX_START"
is "$STATUS" 207 "DAVx⁵: the same PROPFIND of the principal"
is "$(xp "string($(el addressbook-home-set)/*[local-name()='href'])")" "$PRINC" "DAVx⁵: addressbook-home-set"
req PROPFIND "$PRINC" "${DX[@]}" "${AUTH[@]}" -H 'Depth: 1' --data-binary "<?xml version='1.0' encoding='UTF-8' ?><propfind xmlns=\"DAV:\" xmlns:CARD=\"urn:ietf:params:xml:ns:carddav\"><prop><resourcetype /><displayname /><owner /><current-user-privilege-set /><CARD:addressbook-description /></prop></propfind>"
is "$STATUS" 207 "DAVx⁵: the home, Depth 1"
is "$(count "$R//*[local-name()='resourcetype']/*[local-name()='addressbook']")" 1 "DAVx⁵: finds the address book"
is "$(xp "string($R$(el displayname))")" "Card folder" "DAVx⁵: with its name"

# before each sync DAVx⁵ reads the book's capabilities: vCard 4 when offered
req PROPFIND "$BOOK" "${DX[@]}" "${AUTH[@]}" -H 'Depth: 0' --data-binary "<?xml version='1.0' encoding='UTF-8' ?><propfind xmlns=\"DAV:\" xmlns:CARD=\"urn:ietf:params:xml:ns:carddav\" xmlns:CS=\"http://calendarserver.org/ns/\"><prop><CARD:max-resource-size /><CARD:supported-address-data /><supported-report-set /><CS:getctag /><sync-token /></prop></propfind>"
is "$STATUS" 207 "DAVx⁵: the book's capabilities"
is "$(count "$(el supported-address-data)/*[local-name()='address-data-type'][@content-type='text/vcard'][@version='3.0']")" 1 \
	"DAVx⁵: supported-address-data offers vCard 3.0"
is "$(count "$(el supported-address-data)/*[local-name()='address-data-type'][@content-type='text/vcard'][@version='4.0']")" 1 \
	"DAVx⁵: and vCard 4.0"
is "$(xp "string($(el getctag))")" 1 "DAVx⁵: getctag"
is "$(xp "string($(el sync-token))")" urn:livecard:sync:1 "DAVx⁵: sync-token"
is "$(ok_prop sync-collection)" 1 "DAVx⁵: sync-collection is supported"

# so DAVx⁵ asks for vCard 4.0, in a multiget and in a GET
req REPORT "$BOOK" "${DX[@]}" "${AUTH[@]}" -H 'Depth: 1' --data-binary "<?xml version='1.0' encoding='UTF-8' ?><CARD:addressbook-multiget xmlns=\"DAV:\" xmlns:CARD=\"urn:ietf:params:xml:ns:carddav\"><prop><getetag /><CARD:address-data content-type=\"text/vcard\" version=\"4.0\" /></prop><href>${BOOK}7E7A1C0B-4C6B-4C5C-9D4E-1A2B3C4D5E6F.vcf</href></CARD:addressbook-multiget>"
is "$STATUS" 207 "DAVx⁵: multiget asking for vCard 4.0"
like "$(xp "string($(el address-data))")" 'VERSION:4\.0' "DAVx⁵: gets vCard 4.0"
like "$(xp "string($(el address-data))")" 'UID:7E7A1C0B-4C6B-4C5C-9D4E-1A2B3C4D5E6F' "DAVx⁵: with the UID iOS gave"
req GET "${BOOK}7E7A1C0B-4C6B-4C5C-9D4E-1A2B3C4D5E6F.vcf" "${AUTH[@]}" \
	-A 'DAVx5/4.4.1-ose (2024/06/10; dav4jvm; okhttp/4.12.0) Android/14' \
	-H 'Accept: text/vcard;q=0.9, text/vcard;version=4.0'
is "$STATUS" 200 "DAVx⁵: GET with its Accept header"
like "$BODY" 'VERSION:4\.0' "DAVx⁵: gets vCard 4.0"
req GET "${BOOK}7E7A1C0B-4C6B-4C5C-9D4E-1A2B3C4D5E6F.vcf" "${AUTH[@]}" -A 'iOS/17.5.1 (21F90) dataaccessd/1.0'
like "$BODY" 'VERSION:3\.0' "iOS: a GET without a version gets vCard 3.0"

done_testing
