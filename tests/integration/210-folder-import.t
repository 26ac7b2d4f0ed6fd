#!/usr/bin/env bash
# 210-folder-import.t: vCard import over HTTP: the 18 ez-vcard fixtures with
# their fields, export and re-import without loss, Chinese names folded
# inside a character, QUOTED-PRINTABLE, GB18030, broken cards among good
# ones, duplicates, photos, and the time a 10,000-card file takes.
. "$(dirname "$0")/../lib.sh"
stack_up
FIXTURES=${FIXTURES:-$TOP/../shared/testdata/vcards/ez-vcard}
[ -d "$FIXTURES" ] || FIXTURES=/work/shared/testdata/vcards/ez-vcard
[ -d "$FIXTURES" ] || bail "no fixtures in $FIXTURES"

signup_verified imp@example.com "Importer"
IMP=$TOKEN
IMP_ID=$(sql "SELECT id FROM users WHERE email='imp@example.com'")

# import FILE [QUERY]: POST the file as text/vcard
import() { req POST "/api/v1/folder/import${2:+?$2}" -H 'Content-Type: text/vcard' --data-binary @"$1"; }
last_id() { sql "SELECT COALESCE(MAX(id), 0) FROM folder_entries"; }

# jq helpers for the expectations: e-mail, phone digits, URL, locality
P='def em($v): any(.emails[]; .value == $v);
def ph($d): any(.phones[]; (.value | gsub("[^0-9]"; "")) | endswith($d));
def url($u): any(.urls[]; .value == $u);
def loc($l): any(.addresses[]; .locality == $l);'

# --- the fixtures: every file imports, and keeps its fields -------------------
# file | cards | card | what must hold (read off the fixture files)
EXPECT='John_Doe_ANDROID.vcf|6|0|em("john.doe@company.com")
John_Doe_ANDROID.vcf|6|2|(.full_name | startswith("Ñ Ñ Ñ Ñ Ñ")) and ph("123456789")
John_Doe_ANDROID.vcf|6|4|em("bob@company.com") and url("http://www.company.com") and (.organization | startswith("ÑÑÑÑ")) and (.phones | length) == 3
John_Doe_ANDROID.vcf|6|5|.full_name == "ÑÑÑÑ" and em("henry@company.com") and ph("55556666")
John_Doe_BLACK_BERRY.vcf|1|0|.full_name == "John Doe" and .name.family == "Doe" and .name.given == "john" and .organization == "Acme Solutions" and ph("96123456789")
John_Doe_EVOLUTION.vcf|1|0|.full_name == "Mr. John Richter, James Doe Sr." and .name.additional == "Richter, James" and .name.prefix == "Mr." and .name.suffix == "Sr." and .organization == "IBM" and .department == "Accounting, Dungeon" and .title == "Money Counter" and em("john.doe@ibm.com") and ph("9056661234") and ph("9055551234") and url("http://www.ibm.com") and loc("Albaney") and .addresses[0].postal_code == "12345" and .addresses[0].country == "United States of America"
John_Doe_GMAIL.vcf|1|0|.full_name == "Mr. John Richter, James Doe Sr." and .name.family == "Doe" and .organization == "IBM" and .title == "Money Counter" and em("john.doe@ibm.com") and ph("9055551234") and ph("9056661234") and url("http://www.ibm.com") and (.addresses[0].street | contains("Crescent moon drive"))
John_Doe_IPHONE.vcf|1|0|.full_name == "Mr. John Richter James Doe Sr." and .organization == "IBM" and .department == "Accounting" and .title == "Money Counter" and em("john.doe@ibm.com") and (.phones | length) == 7 and ph("9052221234") and url("http://www.ibm.com") and loc("New York") and (.addresses | length) == 2
John_Doe_LOTUS_NOTES.vcf|1|0|.full_name == "Mr. Doe John I Johny" and .organization == "IBM" and .department == "SUN" and .title == "Generic Accountant" and em("john.doe@ibm.com") and em("billy_bob@gmail.com") and ph("2125557777") and url("http://www.sun.com") and loc("New York") and .addresses[0].postal_code == "NYC887"
John_Doe_MAC_ADDRESS_BOOK.vcf|1|0|.full_name == "Mr. John Richter,James Doe Sr." and .organization == "IBM" and .title == "Money Counter" and em("john.doe@ibm.com") and (.phones | length) == 7 and ph("9057771234") and url("http://www.ibm.com") and (.addresses | length) == 2 and loc("New York")
John_Doe_MS_OUTLOOK.vcf|1|0|.full_name == "Mr. John Richter James Doe Sr." and .organization == "IBM" and .title == "Money Counter" and em("john.doe@ibm.cm") and ph("9055551234") and url("http://www.ibm.com") and loc("Albaney") and loc("New York")
fullcontact.vcf|1|0|.full_name == "Prefix FirstName MiddleName LastName Suffix" and .name.family == "LastName" and .name.given == "FirstName" and .name.additional == "MiddleName" and .organization == "Organization1" and .department == "Department1" and .title == "Title1" and (.emails | length) == 5 and em("custom@example.com") and (.phones | length) == 9 and ph("5555551119") and (.urls | length) == 4 and url("http://www.blog.com") and (.addresses | length) == 4 and loc("HomeCity")
gmail-list.vcf|3|0|.full_name == "Arnold Smith" and em("asmithk@gmail.com")
gmail-list.vcf|3|1|.full_name == "Chris Beatle" and em("chrisy55d@yahoo.com")
gmail-list.vcf|3|2|.full_name == "Doug White" and .name.family == "White" and em("dwhite@gmail.com")
gmail-single.vcf|1|0|.full_name == "Greg Dartmouth" and .organization == "TheCompany" and .title == "TheJobTitle" and em("gdartmouth@hotmail.com") and ph("5555551111") and ph("5555552222") and url("http://TheProfile.com") and loc("Custom City")
gmail-single2.vcf|1|0|.full_name == "VCard Test" and .organization == "TheCompany" and .title == "TheJobTitle" and (.emails | length) == 5 and em("customcategory@example.com") and (.phones | length) == 11 and ph("5555551121") and (.addresses | length) == 5 and (.urls | length) >= 5 and url("http://www.example5.com")
issue114.vcf|1|0|.full_name == "Dummy, Dummy" and .organization == "Dummy GmbH" and em("dummy.dummy@dummy.com") and ph("49123456789") and ph("49987654321") and loc("Bad Homburg")
outlook-2003.vcf|1|0|.full_name == "John Doe III" and .name.suffix == "III" and .organization == "Company, The" and .department == "TheDepartment" and .title == "The Job Title" and em("jdoe@hotmail.com") and url("http://web-page-address.com") and loc("Austin") and (.phones | length) == 4
outlook-2007.vcf|1|0|.full_name == "Mr. Michael Angstadt Jr." and .organization == "TheCompany" and .title == "TheJobTitle" and em("mike.angstadt@gmail.com") and ph("1115554444") and url("http://mikeangstadt.name") and loc("New York")
rfc2426-example.vcf|2|0|.full_name == "Frank Dawson" and .organization == "Lotus Development Corporation" and em("frank_dawson@lotus.com") and em("fdawson@earthlink.net") and ph("19196769515") and url("http://home.earthlink.net/~fdawson") and loc("Raleigh")
rfc2426-example.vcf|2|1|.full_name == "Tim Howes" and .organization == "Netscape Communications Corp." and em("howes@netscape.com") and ph("14159373419") and loc("Mountain View")
rfc6350-example.vcf|1|0|.full_name == "Simon Perreault" and .name.family == "Perreault" and .organization == "Viagenie" and em("simon.perreault@viagenie.ca") and ph("14186569254") and ph("14182626501") and url("http://nomis80.org") and (.addresses[0].street | contains("2875 Laurier"))
thunderbird-MoreFunctionsForAddressBook-extension.vcf|1|0|.full_name == "John Doe" and .organization == "TheOrganization" and .department == "TheDepartment" and .title == "TheTitle" and (.emails | length) == 5 and em("doe.john@hotmail.com") and (.phones | length) == 5 and ph("5555555555") and url("http://www.work-webpage.com") and loc("Austin") and loc("New York")'

files=0
for f in "$FIXTURES"/*.vcf; do
	name=$(basename "$f")
	before=$(last_id)
	import "$f" on_duplicate=keep
	n=$(printf '%s\n' "$EXPECT" | grep "^$name|" | head -1 | cut -d'|' -f2)
	is "$STATUS $(jqb -c .errors) $(jqb .imported)" "200 [] ${n:-?}" "$name imports without error (${n:-?} cards)"
	files=$((files + 1))
	ids=($(sql "SELECT id FROM folder_entries WHERE holder_id=$IMP_ID AND id > $before ORDER BY id"))
	while IFS='|' read -r file _ idx pred; do
		[ "$file" = "$name" ] || continue
		api GET "/api/v1/folder/${ids[$idx]:-0}"
		is "$(jqb "$P .entry.card | ($pred)" 2>&1)" true "$name card $idx keeps its fields"
	done <<<"$EXPECT"
done
is "$files" 18 "all 18 fixture files were tried"

# the iPhone card's embedded photo went through the image store
iphone=$(sql "SELECT id FROM folder_entries WHERE holder_id=$IMP_ID AND full_name='Mr. John Richter James Doe Sr.' AND front_image IS NOT NULL LIMIT 1")
like "$iphone" '^[0-9]+$' "an embedded PHOTO is stored as the card's front image"
req GET "/api/v1/folder/$iphone/images/front" 2>/dev/null
is "$STATUS" 200 "and served"
# properties the card model has no place for are kept and written back
req GET /api/v1/folder.vcf
export4=$(printf '%s' "$BODY" | tr -d '\r')
like "$export4" $'\nX-EVOLUTION-FILE-AS:Doe\\\\, John\n' "an unknown property is written back on export"
like "$export4" $'\nORG:Organization2;Department2\n' "so is a second ORG"
like "$export4" $'\nCATEGORIES:My Contacts\n' "CATEGORIES became tags and are written back"
api GET "/api/v1/folder?tag=My%20Contacts"
is "$(jqb '.entries | length')" 5 "the five Android cards that had it carry the tag"
api GET "/api/v1/folder?tag=VIP"
is "$(jqb -r '.entries[0].card.organization')" "IBM" "and the Evolution card its VIP tag"

# --- export, re-import: nothing listed is lost --------------------------------
cards_by_uid() { # the listed fields, images and tags of every entry, keyed by UID
	local cursor="" all="[]"
	while :; do
		api GET "/api/v1/folder?limit=500${cursor:+&cursor=$cursor}"
		all=$(jq -c --argjson a "$all" '$a + [.entries[] | {key: .uid, value: {card, tags, front: (.images.front != null)}}]' "$VARDIR/body")
		cursor=$(jqb -r '.next_cursor // empty')
		[ -n "$cursor" ] || break
	done
	printf '%s' "$all" | jq -S -c 'from_entries'
}
original=$(cards_by_uid)
req GET "/api/v1/folder.vcf?version=3.0"
printf '%s' "$BODY" >"$VARDIR/export3.vcf"
printf '%s\n' "$export4" >"$VARDIR/export4.vcf"
for v in 4 3; do
	signup_verified "copy$v@example.com" "Copy $v"
	import "$VARDIR/export$v.vcf" on_duplicate=keep
	is "$STATUS $(jqb -c .errors)" "200 []" "the vCard $v.0 export imports"
	is "$(jqb .imported)" "$(printf '%s' "$original" | jq 'length')" "every exported card"
	copy=$(cards_by_uid)
	is "$copy" "$original" "vCard $v.0: names, organisation, title, e-mails, phones, addresses, URLs, note, tags and photo all survive"
done
TOKEN=$IMP

# --- Chinese: a name folded inside a character, QUOTED-PRINTABLE, GB18030 -------
# 明 (E6 98 8E) is cut after its first octet by the fold, as octet-counting
# writers do; the address is UTF-8 in QUOTED-PRINTABLE with a soft break
printf 'BEGIN:VCARD\r\nVERSION:2.1\r\nFN:\xe6\xac\xa7\xe9\x98\xb3\xe6\r\n \x98\x8e\r\nN:\xe6\xac\xa7\xe9\x98\xb3;\xe6\r\n \x98\x8e;;;\r\nTEL;CELL:139-0000-0001\r\nADR;WORK;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:;;=E4=B8=AD=E5=B1=B1=E8=B7=AF 1=E5=\r\n=8F=B7;=E5=8D=97=E4=BA=AC;;210000;=E4=B8=AD=E5=9B=BD\r\nEND:VCARD\r\n' >"$VARDIR/cn.vcf"
import "$VARDIR/cn.vcf"
is "$STATUS $(jqb .imported) $(jqb -c .errors)" "200 1 []" "the folded Chinese card imports"
api GET "/api/v1/folder?q=%E6%AC%A7%E9%98%B3%E6%98%8E"
is "$(jqb -r '.entries[0].card | "\(.full_name) \(.name.family)/\(.name.given)"')" "欧阳明 欧阳/明" \
	"the name folded inside a character is whole"
is "$(jqb -r '.entries[0].card.addresses[0] | "\(.street)|\(.locality)|\(.postal_code)|\(.country)"')" \
	"中山路 1号|南京|210000|中国" "the QUOTED-PRINTABLE address is decoded, soft line break and all"
/usr/bin/python3 -c 'import sys; sys.stdout.buffer.write(("BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=GB18030:王;小二\r\nFN;CHARSET=GB18030:王小二\r\nORG;CHARSET=GB18030:华为技术有限公司\r\nADR;WORK;CHARSET=GB18030:;;长安街1号;北京;;100000;中国\r\nEND:VCARD\r\n" + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:李四\r\nORG:腾讯\r\nEND:VCARD\r\n").encode("gb18030"))' >"$VARDIR/gb.vcf"
import "$VARDIR/gb.vcf"
is "$STATUS $(jqb .imported) $(jqb -c .errors)" "200 2 []" "the GB18030 file imports"
api GET "/api/v1/folder?q=%E7%8E%8B%E5%B0%8F%E4%BA%8C"
is "$(jqb -r '.entries[0].card | "\(.full_name)|\(.organization)|\(.addresses[0].street)|\(.addresses[0].locality)"')" \
	"王小二|华为技术有限公司|长安街1号|北京" "GB18030 declared with CHARSET"
api GET "/api/v1/folder?q=%E8%85%BE%E8%AE%AF"
is "$(jqb -r '.entries[0].card | "\(.full_name)|\(.organization)"')" "李四|腾讯" "GB18030 without a CHARSET parameter"

# --- a broken card among good ones ---------------------------------------------
before=$(last_id)
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good One\r\nEMAIL:good1@example.com\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken Two\r\nEMAIL:broken2@example.com\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good Three\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nN:;;;;\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good Five\r\nEND:VCARD\r\n' >"$VARDIR/broken.vcf"
import "$VARDIR/broken.vcf"
is "$STATUS" 200 "a file with broken cards: 200"
is "$(jqb .imported)" 3 "the good cards are imported"
is "$(jqb -c '[.errors[].index]')" "[1,3]" "the errors name the broken cards by index"
like "$(jqb -r '.errors[0].message')" 'BEGIN' "saying what is wrong"
is "$(sql "SELECT GROUP_CONCAT(full_name ORDER BY id) FROM folder_entries WHERE id > $before")" \
	"Good One,Good Three,Good Five" "exactly the good ones are stored"
is "$(sql "SELECT COUNT(*) FROM card_keys WHERE ckey='e:broken2@example.com'")" 0 "nothing of the broken one"

# --- bad uploads write nothing --------------------------------------------------
before=$(sql "SELECT COUNT(*) FROM folder_entries")
req POST /api/v1/folder/import -H 'Content-Type: text/vcard' --data-binary 'hello, not a vcard'
is "$STATUS $(jqb .error.code)" "400 invalid_vcard" "a file without a vCard: 400"
req POST /api/v1/folder/import -H 'Content-Type: text/vcard'
is "$STATUS" 400 "an empty body: 400"
req POST /api/v1/folder/import -H 'Content-Type: application/json' --data-binary '{}'
is "$STATUS" 415 "another content type: 415"
is "$(sql "SELECT COUNT(*) FROM folder_entries")" "$before" "nothing was written"

# --- duplicates in an import ---------------------------------------------------------
signup_verified dup@example.com "Dup"
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nEMAIL:ada@example.com\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo\r\nTEL:+86 139 1111 2222\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada again\r\nTITLE:Chief\r\nEMAIL:ADA@example.com\r\nEND:VCARD\r\n' >"$VARDIR/dups.vcf"
import "$VARDIR/dups.vcf"
is "$(jqb .imported) $(jqb .skipped)" "2 1" "a duplicate inside the file is skipped by default"
ada=$(jqb '.duplicates[0].entry_id')
is "$(jqb -c '.duplicates[0] | [.index, .action]')" '[2,"skipped"]' "reported per card"
is "$ada" "$(sql "SELECT id FROM folder_entries WHERE full_name='Ada'")" "with the entry it duplicates"
import "$VARDIR/dups.vcf"
is "$(jqb .imported) $(jqb .skipped)" "0 3" "importing the file again skips every card"
import "$VARDIR/dups.vcf" on_duplicate=merge
is "$(jqb .imported) $(jqb .merged)" "0 3" "on_duplicate=merge folds them in"
api GET "/api/v1/folder/$ada"
is "$(jqb .entry.card.full_name) $(jqb .entry.card.title)" "Ada Chief" "the missing title was merged in"
import "$VARDIR/dups.vcf" on_duplicate=keep
is "$(jqb .imported) $(jqb -c '[.duplicates[].action] | unique')" '3 ["kept"]' "on_duplicate=keep saves them again"
is "$(sql "SELECT COUNT(*) FROM folder_entries f JOIN users u ON u.id = f.holder_id WHERE u.email='dup@example.com'")" 5 \
	"2 + 3 entries"

# --- 10,000 cards in one request ------------------------------------------------------
signup_verified bulk@example.com "Bulk"
BULK_ID=$(sql "SELECT id FROM users WHERE email='bulk@example.com'")
/usr/bin/python3 - "$VARDIR/10k.vcf" <<'EOF'
import sys
fam = "王李张刘陈杨赵黄周吴"
with open(sys.argv[1], "w", encoding="utf-8", newline="") as f:
    for i in range(10000):
        f.write("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person %05d %s\r\nN:%s;Person %05d;;;\r\n"
                "ORG:Company %d;Dept %d\r\nTITLE:Engineer\r\nEMAIL;TYPE=INTERNET,WORK:person%05d@bulk.example\r\n"
                "TEL;TYPE=CELL:+86 139 %04d %04d\r\nADR;TYPE=WORK:;;%d Road;Shanghai;;200000;CN\r\n"
                "URL:https://bulk.example/p/%d\r\nX-CUSTOM:value %d\r\nEND:VCARD\r\n"
                % (i, fam[i % 10], fam[i % 10], i, i % 97, i % 7, i, 5000 + i // 10000, i % 10000, i, i, i))
EOF
start=$(date +%s%N)
import "$VARDIR/10k.vcf"
end=$(date +%s%N)
ms=$(((end - start) / 1000000))
is "$STATUS $(jqb .imported) $(jqb -c .errors)" "200 10000 []" "a 10,000-card file imports in one request"
diag "imported 10000 cards in $ms ms: $((10000 * 1000 / (ms > 0 ? ms : 1))) cards/s"
is "$(sql "SELECT COUNT(*), COUNT(DISTINCT uid) FROM folder_entries WHERE holder_id=$BULK_ID")" "10000	10000" "10,000 rows, each with its own UID"
is "$(sql "SELECT COUNT(*) FROM card_keys WHERE holder_id=$BULK_ID")" 20000 "an e-mail and a phone key each"
is "$(sql "SELECT COUNT(*), MIN(seq), MAX(seq) FROM folder_changes WHERE holder_id=$BULK_ID")" "10000	1	10000" \
	"one change-log row each, numbered without gaps"
api GET "/api/v1/folder?q=139%205000%209999"
is "$(jqb -r '.entries[0].card.full_name')" "Person 09999 吴" "the last card is found by its phone"
done_testing
