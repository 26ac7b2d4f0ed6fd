#!/usr/bin/env bash
# 037-hostile-content.t: hostile content of issue 17 (findings 4, 7, 8): CardDAV
# XML bodies that would cost libxml2 quadratic time (an element with tens of
# thousands of attributes), nest deeply or hold too many nodes are refused
# with a 400 in well under a second while the worker lives on; URLs of
# imported cards become links only when http(s), mailto or tel; webhook
# addresses in IPv6 forms that embed a private IPv4 address are refused
# (addresses only: nothing connects to them).
. "$(dirname "$0")/../lib.sh"
stack_up

X='Content-Type: application/xml; charset=utf-8'
signup_verified hana@example.com "Hana Hostile"
HANA=$TOKEN
HUID=$(uid_of hana@example.com)
api POST /api/v1/app-passwords '{"label":"phone"}'
is "$STATUS" 201 "an app password"
DAVU="hana@example.com:$(jqb .password)"
BOOK=/dav/$HUID/cards/

# dav_timed METHOD PATH FILE [curl args...]: a DAV request with the body of
# FILE; sets STATUS, BODY and SECS (curl's total time).
dav_timed() {
	local method=$1 path=$2 file=$3
	shift 3
	local out
	out=$(curl -s -o "$VARDIR/body" -w '%{http_code} %{time_total}' -X "$method" -u "$DAVU" \
		-H "$X" --data-binary @"$file" "$@" "$B$path")
	STATUS=${out%% *}
	SECS=${out#* }
	BODY=$(cat "$VARDIR/body")
}
fast() { awk -v s="$1" 'BEGIN { exit !(s < 1.0) }'; }
worker_deaths() { grep -c 'ended (status' "$VARDIR/log/carddav.log" 2>/dev/null || true; }

# gen KIND N FILE: a PROPFIND body
gen() {
	python3 - "$1" "$2" >"$3" <<'PY'
import sys
kind, n = sys.argv[1], int(sys.argv[2])
head = '<?xml version="1.0" encoding="utf-8"?>'
if kind == "attrs":	# one element with n attributes
	body = head + '<d:propfind xmlns:d="DAV:"><d:prop' + ''.join(' a%d=""' % i for i in range(n)) + '/></d:propfind>'
elif kind == "deep":	# n nested elements
	body = head + '<d:propfind xmlns:d="DAV:">' + '<d:x>' * n + '</d:x>' * n + '</d:propfind>'
elif kind == "nodes":	# n sibling elements
	body = head + '<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/>' + '<x/>' * n + '</d:prop></d:propfind>'
elif kind == "xmlns":	# n namespace declarations on one element
	body = head + '<d:propfind xmlns:d="DAV:"' + ''.join(' xmlns:p%d="urn:x%d"' % (i, i) for i in range(n)) + '><d:prop><d:getetag/></d:prop></d:propfind>'
sys.stdout.write(body)
PY
}

# --- finding 4: XML that costs more than linear time, refused before parsing ---------
deaths=$(worker_deaths)
for spec in "attrs 30000" "attrs 45000" "attrs 95000" "deep 10000" "nodes 210000" "xmlns 5000"; do
	set -- $spec
	gen "$1" "$2" "$VARDIR/x.xml"
	size=$(stat -c %s "$VARDIR/x.xml")
	dav_timed PROPFIND "$BOOK" "$VARDIR/x.xml" -H 'Depth: 0'
	is "$STATUS" 400 "PROPFIND with $2 $1 ($size bytes): 400"
	is "$(jqb .error.code)" bad_xml "with error code bad_xml"
	fast "$SECS"; ok $? "answered in under a second (${SECS} s)"
	dav_timed REPORT "$BOOK" "$VARDIR/x.xml" -H 'Depth: 1'
	is "$STATUS" 400 "REPORT with the same body: 400"
	fast "$SECS"; ok $? "answered in under a second (${SECS} s)"
done
gen attrs 30000 "$VARDIR/x.xml"
dav_timed PROPPATCH "$BOOK" "$VARDIR/x.xml"
is "$STATUS" 400 "PROPPATCH with 30,000 attributes: 400"
fast "$SECS"; ok $? "answered in under a second (${SECS} s)"
like "$(jqb .error.message)" 'too many attributes' "the message says which limit"
gen attrs 60 "$VARDIR/x.xml"
dav_timed PROPFIND "$BOOK" "$VARDIR/x.xml" -H 'Depth: 0'
is "$STATUS" 207 "a PROPFIND element with 60 (unknown) attributes is still served"
gen nodes 40 "$VARDIR/x.xml"
dav_timed PROPFIND "$BOOK" "$VARDIR/x.xml" -H 'Depth: 0'
is "$STATUS" 207 "and one asking for 40 properties"
is "$(worker_deaths)" "$deaths" "no carddav worker ended"
TOKEN=""
req PROPFIND "$BOOK" -u "$DAVU" -H "$X" -H 'Depth: 0' --data-binary \
	'<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:displayname/></d:prop></d:propfind>'
is "$STATUS" 207 "and the address book answers as before"

# --- finding 7: only http(s), mailto and tel become links -----------------------------
TOKEN=$HANA
cat >"$VARDIR/links.vcf" <<'EOF'
BEGIN:VCARD
VERSION:3.0
UID:hostile-links-1
FN:Link Tester
URL:javascript:alert(1)
URL: JaVaScRiPt:alert(2)
URL:data:text/html;base64,PHNjcmlwdD5hbGVydCgzKTwvc2NyaXB0Pg==
URL:vbscript:msgbox(4)
URL:file:///etc/passwd
URL:java	script:alert(5)
URL:https://example.com/hana
URL:mailto:hana@example.com
END:VCARD
EOF
req POST /api/v1/folder/import -H 'Content-Type: text/vcard' --data-binary @"$VARDIR/links.vcf"
is "$STATUS" 200 "a vCard with javascript:, data:, vbscript: and file: URLs imports"
EID=$(sql "SELECT id FROM folder_entries WHERE holder_id = $HUID AND uid = 'hostile-links-1'")
[ -n "$EID" ]; ok $? "as entry $EID"
web_signin hana@example.com "/folder/$EID"
is "$STATUS" 200 "the entry page"
hrefs=$(printf '%s' "$BODY" | grep -o '<a [^>]*href="[^"]*"' | grep -o 'href="[^"]*"' | tr 'A-Z' 'a-z')
unlike "$hrefs" 'href="[[:space:]]*(java|vb)' "no href with javascript: or vbscript:"
unlike "$hrefs" 'href="(data|file):' "no href with data: or file:"
unlike "$hrefs" 'script:' "no href holding script: at all"
like "$BODY" 'href="https://example.com/hana"' "the https URL is a link"
like "$BODY" 'href="mailto:hana@example.com"' "the mailto URL is a link"
like "$BODY" 'javascript:alert\(1\)' "the javascript: URL is shown as text"
like "$BODY" 'data:text/html;base64,' "the data: URL is shown as text"
# the same card through CardDAV
sed 's/hostile-links-1/hostile-links-2/' "$VARDIR/links.vcf" >"$VARDIR/links2.vcf"
TOKEN=""
WEBJAR=$JAR
JAR=""
req PUT "${BOOK}hostile-links-2.vcf" -u "$DAVU" -H 'Content-Type: text/vcard' -H 'If-None-Match: *' \
	--data-binary @"$VARDIR/links2.vcf"
is "$STATUS" 201 "the card PUT through CardDAV"
JAR=$WEBJAR
EID2=$(sql "SELECT id FROM folder_entries WHERE holder_id = $HUID AND uid = 'hostile-links-2'")
req GET "/folder/$EID2"
is "$STATUS" 200 "its entry page"
hrefs=$(printf '%s' "$BODY" | grep -o '<a [^>]*href="[^"]*"' | grep -o 'href="[^"]*"' | tr 'A-Z' 'a-z')
unlike "$hrefs" 'script:|href="(data|file):' "has no javascript:, vbscript:, data: or file: link"
like "$BODY" 'href="https://example.com/hana"' "and the https URL is a link"

# --- a phone number that is markup, from a vCard: escaped wherever a card is drawn ------
# (imported numbers are kept as written when they do not parse; the card's
# phone line shows the display form, which ClearSilver's alt: would print
# unescaped)
JAR=""
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:hostile-tel\r\nFN:Tel Markup\r\nTEL;TYPE=CELL:<b id="inj">bold</b> 123\r\nEND:VCARD\r\n' >"$VARDIR/tel.vcf"
req PUT "${BOOK}hostile-tel.vcf" -u "$DAVU" -H 'Content-Type: text/vcard' -H 'If-None-Match: *' \
	--data-binary @"$VARDIR/tel.vcf"
is "$STATUS" 201 "a card whose TEL is markup, through CardDAV"
JAR=$WEBJAR
EID3=$(sql "SELECT id FROM folder_entries WHERE holder_id = $HUID AND uid = 'hostile-tel'")
req GET "/folder/$EID3"
is "$STATUS" 200 "its entry page"
unlike "$BODY" '<b id="inj">' "shows the number's markup as text, never as markup"
like "$BODY" '&lt;b id=&quot;inj&quot;&gt;bold&lt;/b&gt; 123</a>' "the number escaped in the phone line"
req GET "/folder"
unlike "$BODY" '<b id="inj">' "nor in the folder's tile"

# --- finding 8: webhook addresses that embed a private IPv4 address --------------------
JAR=""
CSRF=""
TOKEN=$HANA
for host in '[::127.0.0.1]' '[::7f00:1]' '[64:ff9b::7f00:1]' '[64:ff9b::a9fe:a9fe]' '[64:ff9b:1::a00:1]' \
	'[2002:7f00:1::1]' '[2002:c0a8:101::1]' '[fec0::1]' '[::ffff:0:7f00:1]' '[::ffff:127.0.0.1]' \
	'[2001:0:808:808::f5ff:fffe]'; do
	api PUT /api/v1/me/channels "{\"webhook_url\":\"http://$host:8080/hook\"}"
	is "$STATUS" 400 "a webhook at http://$host:8080/hook is refused"
	is "$(jqb .error.code)" webhook_address "as webhook_address"
done
is "$(sql "SELECT COALESCE(webhook_url, 'none') FROM users WHERE id = $HUID")" none "none of them was saved"
# the settings form refuses them too
web_signin hana@example.com /settings
TOKEN=""
form POST /settings "csrf=$WCSRF" "full_name=Hana Hostile" "locale=en" "webhook_url=http://[64:ff9b::7f00:1]/hook"
is "$STATUS" 400 "the settings form refuses [64:ff9b::7f00:1]"
is "$(sql "SELECT COALESCE(webhook_url, 'none') FROM users WHERE id = $HUID")" none "and saves no webhook"
JAR=""
TOKEN=$HANA
api PUT /api/v1/me/channels '{"webhook_url":"http://[64:ff9b::808:808]/hook"}'
is "$STATUS" 200 "the NAT64 form of a public address (8.8.8.8) is accepted"

# --- vCard and DAV XML bodies are parsed in sandboxed children ------------------------
# (lib/parsebox.c): the import and the PUT above were parsed by a child of
# this stack's folder and carddav workers, which runs under a seccomp filter
# with nothing in its environment but its task
TOKEN=""
req PROPFIND "$BOOK" -u "$DAVU" -H 'Depth: 1' -H 'Content-Type: application/xml' \
	--data '<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>'
is "$STATUS" 207 "a PROPFIND with a body is answered"
for prog in folder carddav; do
	found=0 confined=0
	for p in $(pgrep -f '^livecard-sandbox$'); do
		pp=$(ps -o ppid= -p "$p" | tr -d ' ')
		[ -n "$pp" ] && tr '\0' ' ' <"/proc/$pp/cmdline" 2>/dev/null | grep -q -- "$VARDIR/run/$prog.sock" || continue
		found=$((found + 1))
		grep -q '^Seccomp:[[:space:]]*2' "/proc/$p/status" && grep -q '^NoNewPrivs:[[:space:]]*1' "/proc/$p/status" &&
			[ "$(tr '\0' '\n' <"/proc/$p/environ")" = "LIVECARD_SANDBOX=parse" ] && confined=$((confined + 1))
	done
	[ "$found" -ge 1 ]
	ok $? "a $prog worker has a parsing child ($found)"
	is "$confined" "$found" "every $prog parsing child runs under the filter with an empty environment"
done
done_testing
