#!/usr/bin/env bash
# 840-carddav-syncevolution.t: the third real client, Debian's syncevolution
# (Evolution's sync engine) headless (--daemon=no), in local-sync mode: its
# CardDAV backend against the member's book, its file backend (one vCard a
# file) as the phone's side. 100 cards with photos made on both sides sync
# both ways; then an edit, a deletion on each side, and a conflict.
# syncevolution's own ways, which the checks follow: its file backend keeps
# no UID (the file name is the item's id, numbered anew by the first sync),
# and its CardDAV backend gives each card it uploads a UID of its own
# (syuid...), so cards are found by name on both sides.
. "$(dirname "$0")/../lib.sh"
command -v syncevolution >/dev/null || bail "syncevolution is needed (make deps-dav)"
stack_up

W=$VARDIR/se
L=$W/local	# syncevolution's file backend: one vCard a file
mkdir -p "$L" "$W/home"
# syncevolution keeps its configuration and state under the XDG directories
export HOME=$W/home XDG_CONFIG_HOME=$W/home/.config XDG_DATA_HOME=$W/home/.local/share \
	XDG_CACHE_HOME=$W/home/.cache
unset DBUS_SESSION_BUS_ADDRESS
SE=(syncevolution --daemon=no)

signup_verified dana@example.com "Dana Holder"
DANA=$TOKEN
DUID=$(uid_of dana@example.com)
api POST /api/v1/app-passwords '{"label":"syncevolution"}'
APPPW=$(jqb .password)
BOOK=/dav/$DUID/cards/
q() { sql "SELECT $1 FROM folder_entries WHERE holder_id=$DUID${2:+ AND $2}"; }
keys_of() { # keys_of FULL_NAME: the matching keys of that entry
	sql "SELECT GROUP_CONCAT(ckey ORDER BY ckey) FROM card_keys k JOIN folder_entries e ON e.id=k.entry_id WHERE e.holder_id=$DUID AND e.full_name='$1'"
}

# --- 60 cards with photos on the site, 40 on the phone --------------------------------------
# each photo a small PNG of its own colour
/usr/bin/python3 - "$W" <<'EOF'
import base64, struct, sys, zlib
def png(r, g, b):
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    raw = b"".join(b"\0" + bytes([r, g, b]) * 16 for _ in range(16))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
def card(uid, fn, n, email, tel, i):
    b64 = base64.b64encode(png(i * 3 % 256, 255 - i, i * 7 % 256)).decode()
    return (f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{fn}\r\nN:{n}\r\n"
            f"EMAIL;TYPE=WORK:{email}\r\nTEL;TYPE=CELL:{tel}\r\n"
            f"PHOTO;ENCODING=b;TYPE=PNG:{b64}\r\nEND:VCARD\r\n")
w = sys.argv[1]
with open(f"{w}/server.vcf", "w", newline="") as f:
    for i in range(1, 61):
        f.write(card(f"srv-{i:03d}", f"Server Person {i:03d}", f"Person {i:03d};Server;;;",
                     f"srv{i:03d}@example.org", f"+86 138 1000 {i:04d}", i))
for i in range(1, 41):
    with open(f"{w}/local/loc-{i:03d}.vcf", "w", newline="") as f:
        f.write(card(f"loc-{i:03d}", f"Local Person {i:03d}", f"Person {i:03d};Local;;;",
                     f"loc{i:03d}@example.net", f"+86 139 2000 {i:04d}", 100 + i))
EOF
req POST /api/v1/folder/import -H 'Content-Type: text/vcard' --data-binary @"$W/server.vcf"
is "$(jqb .imported)" 60 "60 cards with photos imported on the site"
is "$(q 'COUNT(*)' 'front_image IS NOT NULL')" 60 "each with its photo"

# --- configuration: a target config (CardDAV) and a sync config (files) ---------------------------
"${SE[@]}" --print-databases backend=carddav username=dana@example.com "password=$APPPW" \
	syncURL="$B/" >"$W/databases.log" 2>&1
ok $? "syncevolution --print-databases, given only the root URL"
like "$(cat "$W/databases.log")" "Card folder \\($B$BOOK\\) <default>" "finds the card folder as the default address book"
"${SE[@]}" --configure --template none keyring=no username=dana@example.com "password=$APPPW" \
	syncURL="$B/" addressbook/backend=carddav addressbook/database="$B$BOOK" \
	target-config@livecard addressbook >"$W/conf.log" 2>&1
ok $? "target config: the CardDAV address book"
"${SE[@]}" --configure --template SyncEvolution_Client keyring=no sync=none syncURL=local://@livecard \
	username= password= peerIsClient=1 phone >>"$W/conf.log" 2>&1 &&
	"${SE[@]}" --configure sync=two-way backend=file database="file://$L" databaseFormat=text/vcard \
		phone addressbook >>"$W/conf.log" 2>&1
ok $? "sync config: the file store, two-way"

se_sync() { # se_sync [slow]: one sync; the log is $W/sync.log
	"${SE[@]}" ${1:+--sync "$1"} phone addressbook >"$W/sync.log" 2>&1
}
# the summary line of the table: NEW MOD DEL ERR on the phone, then on the server, CONFLICTS
moved() { grep -E '^\|   addressbook \|' "$W/sync.log" | tail -1 | tr -d ' ' ; }
files() { ls "$L" | wc -l; }
file_of() { grep -l -- "^FN:$1"$'\r\\?$' "$L"/* 2>/dev/null | head -1; }

# --- first sync, both ways -----------------------------------------------------------------
se_sync slow
ok $? "first (slow) sync"
like "$(cat "$W/sync.log")" 'synchronization completed successfully' "completes successfully"
is "$(files)" 100 "100 cards on the phone"
is "$(q 'COUNT(*)')" 100 "100 cards in the folder"
is "$(q 'COUNT(*)' "full_name='Local Person 017'")" 1 "a phone's card is on the server"
is "$(keys_of 'Local Person 017')" "e:loc017@example.net,t:+8613920000017" "with its matching keys"
like "$(cat "$(file_of 'Server Person 042')")" 'EMAIL[^:]*:srv042@example.org' "a server card is on the phone"
is "$(grep -l '^PHOTO' "$L"/* | wc -l)" 100 "every card on the phone has its photo"
is "$(grep -h '^EMAIL' "$L"/* | sort -u | wc -l)" 100 "each with its own e-mail"
L17=$(sql "SELECT COALESCE(n.name, CONCAT(e.uid, '.vcf')) FROM folder_entries e LEFT JOIN dav_names n ON n.entry_id=e.id WHERE e.holder_id=$DUID AND e.full_name='Local Person 017'")
TOKEN=""
req GET "$BOOK$L17" -u "dana@example.com:$APPPW"
TOKEN=$DANA
is "$STATUS" 200 "the phone's card is on the server under the name syncevolution gave it"
like "$BODY" 'PHOTO;' "with its photo"
se_sync
ok $? "second sync"
is "$(moved)" '|addressbook|0|0|0|0|0|0|0|0|0|' "nothing moves any more"

# --- an edit on each side -----------------------------------------------------------------------
F7=$(file_of 'Local Person 007')
sed -i 's/^TEL;TYPE=CELL:.*/TEL;TYPE=CELL:+86 139 8888 7777\r/' "$F7"
S20=$(q id "uid='srv-020'")
api PUT "/api/v1/folder/$S20" '{"card":{"full_name":"Server Person 020","organization":"Renamed Ltd","emails":[{"type":"work","value":"srv020@example.org"}],"phones":[{"type":"cell","value":"+8613810000020"}]}}'
is "$STATUS" 200 "the site changes srv-020's organization"
se_sync
ok $? "sync after an edit on each side"
is "$(keys_of 'Local Person 007')" "e:loc007@example.net,t:+8613988887777" "the phone's edit is on the server"
like "$(cat "$(file_of 'Server Person 020')")" 'ORG:Renamed Ltd' "the site's edit is on the phone"
is "$(files)" 100 "still 100 cards on the phone"

# --- a deletion on each side ---------------------------------------------------------------------
rm "$(file_of 'Local Person 008')"
S9=$(q id "uid='srv-009'")
api DELETE "/api/v1/folder/$S9"
is "$STATUS" 204 "a card deleted on the site"
se_sync
ok $? "sync after a deletion on each side"
is "$(q 'COUNT(*)' "full_name='Local Person 008'")" 0 "the card deleted on the phone is gone from the server"
is "$(file_of 'Server Person 009')" "" "the card deleted on the site is gone from the phone"
is "$(files)" 98 "98 cards on the phone"
is "$(q 'COUNT(*)')" 98 "98 in the folder"

# --- a conflict: both sides change srv-010 --------------------------------------------------------
S10=$(q id "uid='srv-010'")
api PUT "/api/v1/folder/$S10" '{"card":{"full_name":"Server Person 010","emails":[{"type":"work","value":"srv010@example.org"},{"type":"home","value":"new010@example.com"}],"phones":[{"type":"cell","value":"+8613810000010"}]}}'
is "$STATUS" 200 "the site adds an e-mail to srv-010"
F10=$(file_of 'Server Person 010')
sed -i 's/^TEL;TYPE=CELL:.*/TEL;TYPE=CELL:+86 135 0000 1010\r/' "$F10"
se_sync
ok $? "the sync with a conflict succeeds"
like "$(moved)" '^\|addressbook\|0\|1\|0\|0\|0\|1\|0\|0\|1\|$' "one conflict, merged: one card changed on each side"
KEYS=$(keys_of 'Server Person 010')
like "$KEYS" 'e:new010@example.com' "the server keeps the site's new e-mail"
like "$KEYS" 't:\+8613500001010' "and has the phone's new number (merged)"
F10=$(file_of 'Server Person 010')
like "$(cat "$F10")" 'new010@example.com' "the phone has the site's e-mail"
like "$(cat "$F10")" '\+86 135 0000 1010|\+8613500001010' "and keeps its own number"
se_sync
ok $? "one more sync"
is "$(moved)" '|addressbook|0|0|0|0|0|0|0|0|0|' "after which both sides agree"
is "$(files)" 98 "98 cards on the phone"
is "$(q 'COUNT(*)')" 98 "98 in the folder"
is "$(q 'COUNT(*)' 'front_image IS NOT NULL')" 59 "the site's cards kept their photos"
is "$(grep -l '^PHOTO' "$L"/* | wc -l)" 98 "and every card on the phone has its photo"

done_testing
