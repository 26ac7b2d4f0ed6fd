#!/usr/bin/env bash
# 200-folder-api.t: the card folder over the JSON API: save, read, search
# (names, Chinese names, e-mails, phones in any format), tags, notes, edit,
# duplicates, images, keyset paging, vCard export, save-shared and the
# per-folder change log.
. "$(dirname "$0")/../lib.sh"
stack_up

rows() { sql "SELECT (SELECT COUNT(*) FROM folder_entries), (SELECT COUNT(*) FROM card_keys), (SELECT COUNT(*) FROM entry_tags), (SELECT COUNT(*) FROM folder_changes)"; }

signup_verified dora@example.com "Dora"
DORA=$TOKEN
DORA_ID=$(sql "SELECT id FROM users WHERE email='dora@example.com'")

# --- save a typed-in card ------------------------------------------------------
api POST /api/v1/folder '{"card":{"full_name":"张伟","name":{"family":"张","given":"伟"},"organization":"Example Ltd.","title":"Manager","emails":[{"type":"work","value":" Wei.Zhang@Example.com "}],"phones":[{"type":"cell","value":"+86 138 0013 8000"}],"addresses":[{"type":"work","locality":"Shanghai","country":"CN"}],"urls":[{"type":"work","value":"https://example.com"}]},"notes":"met at the Canton fair","tags":["fair","China"]}'
is "$STATUS" 201 "POST /api/v1/folder saves a card: 201"
WEI=$(jqb .entry.id)
like "$WEI" '^[0-9]+$' "the entry has an id"
is "$(header Location)" "/api/v1/folder/$WEI" "with a Location header"
is "$(jqb .entry.card.emails[0].value)" "wei.zhang@example.com" "the e-mail is normalised"
is "$(jqb .entry.card.phones[0].value)" "+8613800138000" "the phone is stored in E.164"
is "$(jqb -c .entry.tags)" '["China","fair"]' "tags, sorted"
is "$(jqb .entry.notes)" "met at the Canton fair" "the holder's notes"
is "$(jqb .entry.owner_is_member)" "false" "nobody has this address: not a member"
is "$(jqb .entry.linked)" "false" "a typed-in card is not linked"
is "$(jqb -c .entry.images)" '{"front":null,"back":null}' "no images yet"
like "$(jqb .entry.uid)" '^urn:uuid:[0-9a-f-]{36}$' "a random UID"
is "$(sql "SELECT GROUP_CONCAT(ckey ORDER BY ckey) FROM card_keys WHERE entry_id=$WEI")" \
	"e:wei.zhang@example.com,t:+8613800138000" "its matching keys are stored"
is "$(sql "SELECT seq, deleted FROM folder_changes WHERE entry_id=$WEI")" "1	0" "the change log has the insert"
is "$(sql "SELECT seq FROM folders WHERE holder_id=$DORA_ID")" 1 "and the folder's counter moved"

api GET "/api/v1/folder/$WEI"
is "$STATUS" 200 "GET one entry"
is "$(jqb .entry.card.full_name)" "张伟" "the Chinese name round-trips"

# --- bad input writes nothing ----------------------------------------------------
before=$(rows)
api POST /api/v1/folder '{"card":{"full_name":"X","emails":[{"type":"work","value":"not-an-address"}]}}'
is "$STATUS" 400 "an invalid e-mail: 400"
is "$(jqb .error.field)" "card.emails[0].value" "naming the field"
api POST /api/v1/folder '{"card":{"organization":"No name"}}'
is "$STATUS" 400 "no full_name: 400"
api POST /api/v1/folder '{"card":{"full_name":"X"},"colour":"red"}'
is "$STATUS" 400 "an unknown member: 400"
api POST /api/v1/folder '{"card":{"full_name":"X"},"tags":["ok","'"$(head -c 101 /dev/zero | tr '\0' t)"'"]}'
is "$STATUS" 400 "an over-long tag: 400"
api POST '/api/v1/folder?on_duplicate=maybe' '{"card":{"full_name":"X"}}'
is "$STATUS" 400 "an unknown on_duplicate: 400"
req POST /api/v1/folder -H 'Content-Type: text/plain' --data-binary 'hello'
is "$STATUS" 415 "a body that is not JSON: 415"
is "$(rows)" "$before" "none of them wrote anything"

# --- more cards, search ------------------------------------------------------------
api POST /api/v1/folder '{"card":{"full_name":"Li Na","organization":"Huawei","emails":[{"type":"work","value":"li.na@huawei.example"}],"phones":[{"type":"work","value":"010 6552 8888"}]},"tags":["fair"]}'
LI=$(jqb .entry.id)
api POST /api/v1/folder '{"card":{"full_name":"Ann Smith","organization":"ACME","phones":[{"type":"cell","value":"+1 415 555 0100"}]}}'
ANN=$(jqb .entry.id)
search() { api GET "/api/v1/folder?q=$1"; jqb -c '[.entries[].id]'; }
is "$(search "%E5%BC%A0%E4%BC%9F")" "[$WEI]" "search by a Chinese name"
is "$(search "%E5%BC%A0")" "[$WEI]" "by one Chinese character"
is "$(search huawei)" "[$LI]" "by organisation, any case"
is "$(search "WEI.ZHANG%40example")" "[$WEI]" "by e-mail"
is "$(search "%2B86%20138%200013%208000")" "[$WEI]" "by phone as +86 138 0013 8000"
is "$(search "138-0013-8000")" "[$WEI]" "as 138-0013-8000 (national)"
is "$(search "(138)%2000138000")" "[$WEI]" "as (138) 00138000"
is "$(search "0086%2013800138000")" "[$WEI]" "as 0086 13800138000"
is "$(search "0013%208000")" "[$WEI]" "a part of the number"
is "$(search "%2B1-415-555-0100")" "[$ANN]" "a US number in international form"
is "$(search "smith%20acme")" "[$ANN]" "every word must match"
is "$(search "smith%20huawei")" "[]" "or nothing is found"
is "$(search "100%25")" "[]" "LIKE wildcards are taken literally"
api GET "/api/v1/folder?tag=fair"
is "$(jqb -c '[.entries[].id]|sort')" "$(printf '[%s,%s]' $((WEI < LI ? WEI : LI)) $((WEI < LI ? LI : WEI)))" "the tag filter"
api GET "/api/v1/folder?tag=fair&q=huawei"
is "$(jqb -c '[.entries[].id]')" "[$LI]" "tag and search together"
api GET /api/v1/folder/tags
is "$(jqb -c '.tags')" '[{"tag":"China","count":1},{"tag":"fair","count":2}]' "the tags with counts"

# --- edit --------------------------------------------------------------------------
api PUT "/api/v1/folder/$LI" '{"notes":"call back in May","tags":["huawei"," Huawei ","vip"]}'
is "$STATUS" 200 "PUT notes and tags"
is "$(jqb .entry.notes)" "call back in May" "notes changed"
is "$(jqb -c .entry.tags)" '["huawei","vip"]' "tags replaced, repeated ones once"
is "$(jqb .entry.card.full_name)" "Li Na" "the card is untouched"
api GET "/api/v1/folder?limit=50"
is "$(jqb -c "[.entries[] | select(.id == $LI) | .tags][0]")" '["huawei","vip"]' "the listing carries each entry's tags"
api PUT "/api/v1/folder/$LI" '{"card":{"full_name":"Li Na 李娜","organization":"Huawei","title":"Director","emails":[{"type":"work","value":"na.li@huawei.example"}]}}'
is "$STATUS" 200 "PUT a new card"
is "$(jqb .entry.card.title)" "Director" "the copy changed"
is "$(jqb .entry.notes)" "call back in May" "the notes stay"
is "$(sql "SELECT GROUP_CONCAT(ckey) FROM card_keys WHERE entry_id=$LI")" "e:na.li@huawei.example" "the keys follow the card"
is "$(sql "SELECT full_name FROM folder_entries WHERE id=$LI")" "Li Na 李娜" "so does the sort name"
api PUT "/api/v1/folder/$LI" '{"card":{"full_name":"","organization":"Huawei"}}'
is "$STATUS" 400 "an empty name is refused"
is "$(sql "SELECT full_name FROM folder_entries WHERE id=$LI")" "Li Na 李娜" "and nothing changed"
is "$(sql "SELECT COUNT(*) FROM folder_changes WHERE entry_id=$LI")" 3 "every change is in the change log"
is "$(sql "SELECT MAX(seq) FROM folder_changes WHERE holder_id=$DORA_ID") $(sql "SELECT seq FROM folders WHERE holder_id=$DORA_ID")" \
	"5 5" "numbered by the folder's counter"
is "$(sql "SELECT change_seq FROM folder_entries WHERE id=$LI")" 5 "the entry carries its last change"

# an imported value the strict rules refuse stays editable
sql "UPDATE folder_entries SET data = JSON_SET(data, '\$.phones', JSON_ARRAY(JSON_OBJECT('type','work','value','BusinessPhone'))) WHERE id=$ANN"
api GET "/api/v1/folder/$ANN"
card=$(jqb -c '.entry.card | .title = "CEO"')
api PUT "/api/v1/folder/$ANN" "{\"card\":$card}"
is "$STATUS" 200 "a stored odd phone value sent back unchanged is accepted"
is "$(jqb .entry.card.phones[0].value) $(jqb .entry.card.title)" "BusinessPhone CEO" "kept as it was, the rest edited"
card=$(jqb -c '.entry.card | .phones[0].value = "OtherPhone"')
api PUT "/api/v1/folder/$ANN" "{\"card\":$card}"
is "$STATUS" 400 "a new odd value is refused"
is "$(jqb .error.field)" "card.phones[0].value" "naming it"

# --- duplicates ----------------------------------------------------------------------
before=$(rows)
api POST /api/v1/folder '{"card":{"full_name":"Zhang Wei","emails":[{"type":"home","value":"WEI.ZHANG@example.com"}]}}'
is "$STATUS" 200 "the same e-mail again: not saved twice (200)"
is "$(jqb -c .duplicate)" "{\"entry_id\":$WEI,\"action\":\"skipped\"}" "reported as skipped, with the entry it duplicates"
is "$(jqb .entry.id)" "$WEI" "answering with that entry"
is "$(rows)" "$before" "nothing written"
api POST '/api/v1/folder?on_duplicate=merge' '{"card":{"full_name":"Zhang Wei","department":"Sales","phones":[{"type":"cell","value":"13800138000"},{"type":"work","value":"021 5555 0000"}]},"tags":["merged"]}'
is "$STATUS" 200 "on_duplicate=merge (the same phone in another format)"
is "$(jqb .duplicate.action)" merged "reported as merged"
is "$(jqb .entry.card.full_name)/$(jqb .entry.card.department)" "张伟/Sales" "empty fields filled, others kept"
is "$(jqb '.entry.card.phones|length')" 2 "the new phone added, the known one not repeated"
is "$(jqb -c .entry.tags)" '["China","fair","merged"]' "tags of both"
api POST '/api/v1/folder?on_duplicate=keep' '{"card":{"full_name":"Wei Zhang (2)","phones":[{"type":"cell","value":"+8613800138000"}]}}'
is "$STATUS" 201 "on_duplicate=keep saves a second entry: 201"
is "$(jqb .duplicate.action) $(jqb .duplicate.entry_id)" "kept $WEI" "reported as kept"
WEI2=$(jqb .entry.id)
api DELETE "/api/v1/folder/$WEI2"
is "$STATUS" 204 "DELETE an entry: 204"
api GET "/api/v1/folder/$WEI2"
is "$STATUS" 404 "then it is gone"
is "$(sql "SELECT deleted, uid <> '' FROM folder_changes WHERE entry_id=$WEI2 ORDER BY seq DESC LIMIT 1")" "1	1" \
	"a tombstone with the UID is in the change log"
is "$(sql "SELECT COUNT(*) FROM card_keys WHERE entry_id=$WEI2")" 0 "its keys went with it"
api DELETE "/api/v1/folder/$WEI2"
is "$STATUS" 404 "deleting twice: 404"

# --- images ----------------------------------------------------------------------------
png 120 80 200 30 30 >"$VARDIR/front.png"
req PUT "/api/v1/folder/$WEI/images/front" -H 'Content-Type: image/png' --data-binary @"$VARDIR/front.png"
is "$STATUS" 200 "PUT the front image"
front=$(jqb .entry.images.front)
like "$front" "^/api/v1/folder/$WEI/images/front\\?v=[0-9a-f]{64}$" "its URL names the bytes"
req GET "$front" 2>/dev/null
is "$STATUS" 200 "GET the image"
like "$(header Content-Type)" '^image/(png|jpeg)$' "as an image"
like "$(header Cache-Control)" 'immutable' "cacheable: the URL names the bytes"
req GET "/api/v1/folder/$WEI/images/front?thumb=1" 2>/dev/null
is "$STATUS" 200 "and its thumbnail"
req GET "/api/v1/folder/$WEI/images/back"
is "$STATUS" 404 "no back image: 404"
req PUT "/api/v1/folder/$WEI/images/back" -H 'Content-Type: image/png' --data-binary 'not a png at all'
is "$STATUS" 415 "a file that is not an image: 415"
is "$(sql "SELECT back_image IS NULL FROM folder_entries WHERE id=$WEI")" 1 "nothing stored"
req DELETE "/api/v1/folder/$WEI/images/front"
is "$STATUS" 204 "DELETE the front image"
is "$(sql "SELECT front_image IS NULL FROM folder_entries WHERE id=$WEI")" 1 "removed"
req PUT "/api/v1/folder/$WEI/images/front" -H 'Content-Type: image/png' --data-binary @"$VARDIR/front.png"

# --- export ------------------------------------------------------------------------------
req GET "/api/v1/folder/$WEI.vcf"
is "$STATUS" 200 "one entry as vCard"
like "$(header Content-Type)" '^text/vcard' "text/vcard"
vcf=$(printf '%s' "$BODY" | tr -d '\r')
like "$vcf" $'^BEGIN:VCARD\nVERSION:4.0\n' "vCard 4.0 by default"
like "$vcf" $'\nFN:张伟\n' "with the name"
like "$vcf" $'\nEMAIL;TYPE=work:wei.zhang@example.com\n' "the e-mail"
like "$vcf" $'\nCATEGORIES:China,fair,merged\n' "the tags as CATEGORIES"
like "$vcf" $'\nPHOTO:data:image/' "the front image embedded"
like "$vcf" $'\nUID:urn:uuid:' "the UID"
req GET "/api/v1/folder/$WEI.vcf?version=3.0"
like "$(printf '%s' "$BODY" | tr -d '\r')" $'\nVERSION:3.0\n' "?version=3.0"
req GET "/api/v1/folder.vcf"
is "$STATUS" 200 "the whole folder as vCard"
is "$(printf '%s' "$BODY" | grep -c '^BEGIN:VCARD')" "$(sql "SELECT COUNT(*) FROM folder_entries WHERE holder_id=$DORA_ID")" "every entry"
req GET "/api/v1/folder.vcf?version=2.1"
is "$STATUS" 400 "an unknown version: 400"

# --- keyset paging ------------------------------------------------------------------------
for i in $(seq -w 1 23); do
	api POST /api/v1/folder "{\"card\":{\"full_name\":\"Page Person $i\"},\"tags\":[\"paged\"]}"
done
api POST /api/v1/folder '{"card":{"full_name":"Page Person 05"},"tags":["paged"]}'
names=""
cursor=""
pages=0
while :; do
	api GET "/api/v1/folder?tag=paged&limit=5${cursor:+&cursor=$cursor}"
	[ "$STATUS" = 200 ] || break
	names="$names$(jqb -r '.entries[] | "\(.card.full_name | gsub(" "; "_"))#\(.id)"' | tr '\n' ' ')"
	pages=$((pages + 1))
	cursor=$(jqb -r '.next_cursor // empty')
	[ -n "$cursor" ] || break
done
is "$pages" 5 "24 entries in pages of 5: 5 pages"
is "$(echo "$names" | wc -w)" 24 "every entry exactly once"
is "$(echo "$names" | tr ' ' '\n' | grep -c 'Page_Person_05#')" 2 "two entries with the same name both shown"
sorted=$(echo "$names" | tr ' ' '\n' | sed '/^$/d' | sort -t'#' -k1,1 -k2,2n | tr '\n' ' ')
is "$names" "$sorted" "in order of name, then id"
api GET '/api/v1/folder?tag=paged&limit=5'
like "$(jqb -r .next_cursor)" '^[A-Za-z0-9_-]+$' "the cursor is opaque (base64url)"
api GET "/api/v1/folder?cursor=bm90LWEtY3Vyc29y"
is "$STATUS" 400 "a cursor that is not ours: 400"
is "$(jqb .error.code)" invalid_cursor "invalid_cursor"
api GET "/api/v1/folder?limit=501"
is "$STATUS" 400 "limit over 500: 400"

# --- save-shared: a member's card from its public link --------------------------------------
signup_verified mei@example.com "Mei"
MEI=$TOKEN
api GET /api/v1/card
req PUT /api/v1/card -H 'Content-Type: application/json' -H 'If-Match: "0"' \
	--data-binary '{"full_name":"Mei Chen","organization":"Shared Co","title":"CTO","emails":[{"type":"work","value":"mei@example.com"}],"phones":[{"type":"cell","value":"+86 139 0000 1111"}],"note":"private note"}'
is "$STATUS" 200 "the member saves her card"
req PUT /api/v1/card/images/front -H 'Content-Type: image/png' --data-binary @"$VARDIR/front.png" -H 'If-Match: "1"'
api PUT /api/v1/card/share '{"visible_fields":["full_name","organization","title","emails","front_image"]}'
api GET /api/v1/card
share=$(jqb .share.url)
rev=$(jqb .revision)
token=${share##*/}
like "$token" '^[A-Za-z0-9_-]{16,}$' "her card has a public link"
api POST /api/v1/folder/save-shared "{\"token\":\"$token\"}"
is "$STATUS" 409 "saving one's own card is refused: 409"
is "$(jqb .error.code)" own_card "own_card"
TOKEN=$DORA
api POST /api/v1/folder/save-shared "{\"token\":\"$token\"}"
is "$STATUS" 201 "save-shared: 201"
MEI_E=$(jqb .entry.id)
is "$(jqb .entry.linked) $(jqb .entry.synced_revision) $(jqb .entry.latest_revision)" "true $rev $rev" \
	"linked, holding the card's current revision"
is "$(jqb .entry.update_pending)" false "no update pending"
is "$(jqb .entry.owner_is_member)" true "the owner is a member"
is "$(jqb .entry.card.title) $(jqb '.entry.card.phones|length') $(jqb .entry.card.note)" "CTO 0 " \
	"only the shared fields are copied"
like "$(jqb .entry.images.front)" "images/front" "with the shared image"
is "$(sql "SELECT owner_user_id = (SELECT id FROM users WHERE email='mei@example.com'), source_card_id IS NOT NULL FROM folder_entries WHERE id=$MEI_E")" \
	"1	1" "the owner and source card are recorded"
api POST /api/v1/folder/save-shared "{\"token\":\"$token\"}"
is "$STATUS" 200 "saving it again: 200"
is "$(jqb .entry.id)" "$MEI_E" "the same entry"
is "$(sql "SELECT COUNT(*) FROM folder_entries WHERE holder_id=$DORA_ID AND source_card_id IS NOT NULL")" 1 "not two entries"
api POST /api/v1/folder/save-shared '{"token":"AAAAAAAAAAAAAAAAAAAAAA"}'
is "$STATUS" 404 "an unknown link: 404"
TOKEN=$MEI
rev=$(api GET /api/v1/card; jqb .revision)
req PUT /api/v1/card -H 'Content-Type: application/json' -H "If-Match: \"$rev\"" \
	--data-binary '{"full_name":"Mei Chen","organization":"Shared Co","title":"CEO","emails":[{"type":"work","value":"mei@example.com"}]}'
is "$STATUS" 200 "the owner changes her card"
TOKEN=$DORA
api GET "/api/v1/folder/$MEI_E"
is "$(jqb .entry.update_pending) $(jqb .entry.card.title)" "true CTO" \
	"after the owner's change an update is pending; the copy stays as saved"

TOKEN=""
api GET /api/v1/folder
is "$STATUS" 401 "the folder needs a sign-in"
done_testing
