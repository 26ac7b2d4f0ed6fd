#!/usr/bin/env bash
# 805-carddav-big.t: a big address book over CardDAV: a listing, a multiget and a first sync of 5,000 cards are streamed (no Content-Length, well-formed and complete), small answers keep their Content-Length; a REPORT body may be bigger than Limits.BodyBytes (up to Limits.DAVReportBytes) while PROPFIND keeps the smaller limit; a multiget over Limits.DAVReportHrefs is 413 and changes nothing.
. "$(dirname "$0")/../lib.sh"
# a small bound on hrefs, so that a body above it stays cheap to send
EXTRA_CONF=$'Limits.DAVReportHrefs = 4000'
export EXTRA_CONF
stack_up

X='Content-Type: application/xml; charset=utf-8'
N=5000
signup_verified dana@example.com "Dana Holder" || bail "no member"
DANA=$TOKEN
DUID=$(sql "SELECT id FROM users WHERE email='dana@example.com'")
api POST /api/v1/app-passwords '{"label":"phone"}'
DAVU="dana@example.com:$(jqb .password)"
BOOK=/dav/$DUID/cards/
# dav METHOD PATH BODYFILE [curl args...]: a DAV request signed in by app password
dav() {
	local method=$1 path=$2 body=$3 keep=$TOKEN
	shift 3
	TOKEN=""
	req "$method" "$path" -u "$DAVU" -H "$X" --data-binary @"$body" "$@"
	TOKEN=$keep
}
count() { printf '%s' "$BODY" | xmllint --xpath "count($1)" - 2>/dev/null; }
wellformed() { printf '%s' "$BODY" | xmllint --noout - 2>/dev/null; }

/usr/bin/python3 - "$N" >"$VARDIR/big.vcf" <<'PY'
import sys
for i in range(1, int(sys.argv[1]) + 1):
    print(f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:big-{i:05d}\r\nFN:Big Person {i:05d}\r\nORG:Company {i % 97}\r\n"
          f"EMAIL:p{i}@example.org\r\nTEL:+86 138 {i // 10000:04d} {i % 10000:04d}\r\nEND:VCARD\r", end="\n")
PY
req POST /api/v1/folder/import -H 'Content-Type: text/vcard' --data-binary @"$VARDIR/big.vcf"
is "$(jqb .imported)" "$N" "$N cards imported"

# --- a small answer: whole, with its length ----------------------------------------------
printf '<propfind xmlns="DAV:"><prop><getetag/><resourcetype/></prop></propfind>' >"$VARDIR/pf.xml"
dav PROPFIND "$BOOK" "$VARDIR/pf.xml" -H 'Depth: 0'
is "$STATUS" 207 "PROPFIND Depth 0 of the book"
is "$(header Content-Length)" "$(wc -c <"$VARDIR/body")" "a small multistatus keeps its Content-Length"

# --- the listing of 5,000 cards: streamed ------------------------------------------------
dav PROPFIND "$BOOK" "$VARDIR/pf.xml" -H 'Depth: 1'
is "$STATUS" 207 "the Depth 1 listing of $N cards"
is "$(header Content-Length)" "" "is sent without a Content-Length (streamed)"
like "$(header Transfer-Encoding)" 'chunked' "nginx passes it on chunked"
ok "$(wellformed; echo $?)" "well-formed XML"
is "$(count "//*[local-name()='getetag'][string-length(.)>0]")" "$N" "every card listed once"
like "$(printf '%s' "$BODY" | tail -c 40)" '</d:multistatus>' "and it ends with the closing tag"
cp "$VARDIR/body" "$VARDIR/listing.xml"

# --- a multiget of 4,000 cards (the bound): streamed, complete ---------------------------
# mg FIRST LAST: a multiget body naming big-FIRST .. big-LAST
mg() {
	/usr/bin/python3 - "$BOOK" "$1" "$2" >"$VARDIR/mg.xml" <<'PY'
import sys
book, a, b = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
sys.stdout.write('<C:addressbook-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">'
                 '<D:prop><D:getetag/><C:address-data/></D:prop>')
sys.stdout.write("".join(f"<D:href>{book}big-{i:05d}.vcf</D:href>" for i in range(a, b + 1)))
sys.stdout.write("</C:addressbook-multiget>")
PY
}
mg 1 4000
dav REPORT "$BOOK" "$VARDIR/mg.xml" -H 'Depth: 1'
is "$STATUS" 207 "a multiget of 4,000 cards"
is "$(header Content-Length)" "" "streamed"
ok "$(wellformed; echo $?)" "well-formed XML"
is "$(count "//*[local-name()='address-data']")" 4000 "every card's vCard"
like "$(printf '%s' "$BODY" | xmllint --xpath "string(//*[local-name()='response'][*[local-name()='href']='${BOOK}big-03999.vcf']//*[local-name()='address-data'])" - 2>/dev/null)" \
	'FN:Big Person 03999' "the right card under its href"
mg 1 4001
dav REPORT "$BOOK" "$VARDIR/mg.xml" -H 'Depth: 1'
is "$STATUS" 413 "a multiget of 4,001 cards: 413 (Limits.DAVReportHrefs)"
like "$BODY" 'too_many_hrefs|at most 4000' "saying how many it may name"

# --- a first sync of 5,000: streamed --------------------------------------------------------
printf '<D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>' >"$VARDIR/sync.xml"
dav REPORT "$BOOK" "$VARDIR/sync.xml" -H 'Depth: 0'
is "$STATUS" 207 "a first sync-collection"
ok "$(wellformed; echo $?)" "well-formed XML"
is "$(count "//*[local-name()='response']")" "$N" "naming every card"
like "$(count "//*[local-name()='sync-token']")" '^1$' "with one sync-token"

# --- body limits: REPORT may be bigger than a PROPFIND --------------------------------------
# 1.5 MB, above Limits.BodyBytes (1 MiB) and below Limits.DAVReportBytes
# (8 MiB): a multiget of 100 cards padded with whitespace between its hrefs
/usr/bin/python3 - "$BOOK" >"$VARDIR/pad.xml" <<'PY'
import sys
book = sys.argv[1]
pad = " " * 15000
sys.stdout.write('<C:addressbook-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/></D:prop>')
sys.stdout.write("".join(f"<D:href>{book}big-{i:05d}.vcf</D:href>{pad}" for i in range(1, 101)))
sys.stdout.write("</C:addressbook-multiget>")
PY
dav REPORT "$BOOK" "$VARDIR/pad.xml" -H 'Depth: 1'
is "$STATUS" 207 "a 1.5 MB REPORT is read (above Limits.BodyBytes, below Limits.DAVReportBytes)"
is "$(count "//*[local-name()='getetag'][string-length(.)>0]")" 100 "and answered: 100 ETags"
{ printf '<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop>'; head -c 1500000 /dev/zero | tr '\0' ' '; printf '</D:propfind>'; } >"$VARDIR/bigpf.xml"
dav PROPFIND "$BOOK" "$VARDIR/bigpf.xml" -H 'Depth: 0'
is "$STATUS" 413 "a 1.5 MB PROPFIND: 413 (Limits.BodyBytes)"
rev0=$(sql "SELECT COUNT(*) FROM folder_entries WHERE holder_id=$DUID")
is "$rev0" "$N" "the folder unchanged"

# --- the worker is the same one and kept its memory small -------------------------------------
is "$(grep -c 'ended\|cut short' "$VARDIR/log/carddav.log")" 0 "no worker ended, no answer was cut short"

done_testing
