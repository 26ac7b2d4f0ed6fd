#!/usr/bin/env bash
# 129-phones-shown.t: issue 19, the display forms of phones stored when a card is written (cards.phones_shown, folder_entries.tile_phone_shown) and read by the public page, the card page and the folder tiles instead of libphonenumber; a stale or missing form is worked out as before; GET /api/v1/card answers the stored card byte for byte as before; a bearer token's last use is still recorded.
. "$(dirname "$0")/../lib.sh"
stack_up

signup_verified ann@example.com "Ann Shown" || bail "cannot make a member"
ANN=$TOKEN
put_card '{"full_name":"Ann Shown","phones":[{"type":"cell","value":"138 0013 9999"},{"type":"work","value":"+1 (650) 253-0000"}]}'
is "$STATUS" 200 "Ann writes her card with two phones"
FIRST=$BODY
P=$(jqb .share.url)
P=${P#"$B"}
A_TOKEN=${P#/c/}
is "$(sql "SELECT REPLACE(REPLACE(phones_shown, '\t', '|'), '\n', ';') FROM cards WHERE share_token = '$A_TOKEN'")" \
	"+8613800139999|+86 138 0013 9999;+16502530000|+1 650-253-0000;" "cards.phones_shown: each phone and its display form"

# the pages read the stored form: a marker put into the column shows
sql "UPDATE cards SET phones_shown = CONCAT('+8613800139999\tSTORED-FORM\n', SUBSTRING_INDEX(phones_shown, '\n', -2)) WHERE share_token = '$A_TOKEN'"
TOKEN=""
req GET "$P"
is "$STATUS" 200 "the public page"
like "$BODY" 'href="tel:\+8613800139999"[^>]*>STORED-FORM</a>' "public page: the first phone's display form is the stored one"
like "$BODY" 'href="tel:\+16502530000"[^>]*>\+1 650-253-0000</a>' "public page: the second as stored"
TOKEN=$ANN
req GET /card
like "$BODY" '>STORED-FORM</a>' "Ann's card page reads the stored form too"
# a form stored for another number is not used: worked out as before
sql "UPDATE cards SET phones_shown = '+8613800130000\tWRONG\n+16502530000\tSTORED-TOO\n' WHERE share_token = '$A_TOKEN'"
TOKEN=""
req GET "$P"
like "$BODY" 'href="tel:\+8613800139999"[^>]*>\+86 138 0013 9999</a>' "a stale line (another number's) is ignored: worked out"
unlike "$BODY" 'WRONG' "and its text never shows"
like "$BODY" '>STORED-TOO</a>' "the next line, the second phone's, is still used"
sql "UPDATE cards SET phones_shown = NULL WHERE share_token = '$A_TOKEN'"
req GET "$P"
like "$BODY" 'href="tel:\+8613800139999"[^>]*>\+86 138 0013 9999</a>' "none stored (a row from before): worked out"

# GET /api/v1/card: the same answer whether copied from the stored card or built
TOKEN=$ANN
api GET /api/v1/card
COPIED=$BODY
is "$(printf '%s' "$COPIED" | jq -c .card)" "$(printf '%s' "$FIRST" | jq -c .card)" "GET /api/v1/card: the card as the PUT answered it"
sql "UPDATE cards SET phones_shown = '+8613800139999\t+86 138 0013 9999\n+16502530000\t+1 650-253-0000\n' WHERE share_token = '$A_TOKEN'"
api GET /api/v1/card
is "$BODY" "$COPIED" "GET /api/v1/card: byte for byte the same with the stored card copied (phones_shown set) and built (NULL)"
like "$BODY" '^\{"card":\{"full_name":"Ann Shown",' "the card comes first"
like "$BODY" '"revision":1,"updated_at":"[0-9T:Z-]+","images":\{' "then revision, updated_at, images, share"

# the token's last use: recorded once a minute, as before
TID=$(sql "SELECT t.id FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = 'ann@example.com' ORDER BY t.id DESC LIMIT 1")
ok "$([ -n "$(sql "SELECT last_used_at FROM api_tokens WHERE id = $TID")" ] && [ "$(sql "SELECT last_used_at FROM api_tokens WHERE id = $TID")" != NULL ]; echo $?)" "the token's last use is recorded"
sql "UPDATE api_tokens SET last_used_at = UTC_TIMESTAMP() - INTERVAL 2 HOUR WHERE id = $TID"
api GET /api/v1/card
is "$STATUS" 200 "a read with the token"
is "$(sql "SELECT last_used_at > UTC_TIMESTAMP() - INTERVAL 1 MINUTE FROM api_tokens WHERE id = $TID")" 1 "a use two hours after the last is recorded"
sql "UPDATE api_tokens SET last_used_at = UTC_TIMESTAMP() - INTERVAL 30 SECOND WHERE id = $TID"
api GET /api/v1/card
is "$(sql "SELECT last_used_at < UTC_TIMESTAMP() - INTERVAL 20 SECOND FROM api_tokens WHERE id = $TID")" 1 "a use within the minute is not written again"

# the folder tile: the first phone and its form stored with the entry
signup_verified bob@example.com "Bob Holder" || bail "cannot make a second member"
api POST /api/v1/folder '{"card":{"full_name":"Carl Typed","phones":[{"type":"work","value":"+44 20 7946 0958"}]}}'
ok "$([ "$STATUS" = 201 ] || [ "$STATUS" = 200 ]; echo $?)" "Bob adds a card with a London number ($STATUS)"
ENTRY=$(sql "SELECT f.id FROM folder_entries f JOIN users u ON u.id = f.holder_id WHERE u.email = 'bob@example.com' AND f.full_name = 'Carl Typed'")
is "$(sql "SELECT REPLACE(REPLACE(tile_phone_shown, '\t', '|'), '\n', ';') FROM folder_entries WHERE id = $ENTRY")" \
	"+442079460958|+44 20 7946 0958;" "folder_entries.tile_phone_shown: the first phone and its form"
sql "UPDATE folder_entries SET tile_phone_shown = '+442079460958\tTILE-STORED\n' WHERE id = $ENTRY"
req GET /folder
like "$BODY" '<span class="card-line">TILE-STORED</span>' "the folder tile shows the stored form"
sql "UPDATE folder_entries SET tile_phone_shown = NULL WHERE id = $ENTRY"
req GET /folder
like "$BODY" '<span class="card-line">\+44 20 7946 0958</span>' "none stored: worked out as before"
api PUT "/api/v1/folder/$ENTRY" '{"card":{"full_name":"Carl Typed","phones":[{"type":"cell","value":"+86 139 1234 5678"}]}}'
is "$(sql "SELECT REPLACE(REPLACE(tile_phone_shown, '\t', '|'), '\n', ';') FROM folder_entries WHERE id = $ENTRY")" \
	"+8613912345678|+86 139 1234 5678;" "an update of the entry's card writes the new form ($STATUS)"

done_testing
