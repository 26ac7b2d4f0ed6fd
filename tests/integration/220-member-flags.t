#!/usr/bin/env bash
# 220-member-flags.t: step B's member flag: a saved card is a member's when
# one of its e-mails or phones is a member's *verified* one; verifying later
# flips existing entries at once (no batch job); "saved my card" both ways.
. "$(dirname "$0")/../lib.sh"
stack_up

flags() { # flags TOKEN ENTRY: "member saved owner-email"
	local keep=$TOKEN
	TOKEN=$1
	api GET "/api/v1/folder/$2"
	TOKEN=$keep
	printf '%s %s %s' "$(jqb .entry.owner_is_member)" "$(jqb .entry.owner_saved_my_card)" \
		"$(sql "SELECT COALESCE((SELECT u.email FROM folder_entries f JOIN users u ON u.id = f.owner_user_id WHERE f.id = $2), '-')")"
}
# verify_mail EMAIL: open the verification link mailed to EMAIL
verify_mail() {
	local link keep=$TOKEN
	mail_wait "$1" 1 || return 1
	link=$(mail_link "$1" /verify)
	TOKEN=""
	api POST /api/v1/accounts/verify "{\"token\":\"${link##*token=}\"}"
	TOKEN=$keep
	[ "$STATUS" = 200 ]
}

signup_verified hana@example.com "Hana"
HANA=$TOKEN

# --- a member who has not verified yet does not count --------------------------
TOKEN=""
api POST /api/v1/accounts '{"email":"kim@example.com","password":"kim password 1","full_name":"Kim"}'
is "$STATUS" 201 "Kim registers but does not open the link yet"
TOKEN=$HANA
KIM_E=$(folder_save '{"full_name":"Kim","emails":[{"type":"work","value":"KIM@example.com"}]}')
is "$(flags "$HANA" "$KIM_E")" "false false -" "a card whose e-mail is a member's unverified address: not a member"
is "$(sql "SELECT COUNT(*) FROM contact_keys WHERE ckey='e:kim@example.com'")" 0 "the unverified address is not in the member index"
# the same through import
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kim (imported)\r\nEMAIL:kim@example.com\r\nEND:VCARD\r\n' >"$VARDIR/kim.vcf"
req POST '/api/v1/folder/import?on_duplicate=keep' -H 'Content-Type: text/vcard' --data-binary @"$VARDIR/kim.vcf"
KIM_I=$(sql "SELECT id FROM folder_entries WHERE full_name='Kim (imported)'")
is "$(flags "$HANA" "$KIM_I")" "false false -" "nor when imported"

# --- verifying flips the existing entries, with no batch job -----------------------
verify_mail kim@example.com
ok $? "Kim opens the verification link"
is "$(flags "$HANA" "$KIM_E")" "true false kim@example.com" "Hana's entry is now a member's card, matched to Kim"
is "$(flags "$HANA" "$KIM_I")" "true false kim@example.com" "the imported one too"

# --- a verified address matches at once, on save and on import ------------------------
api POST /api/v1/tokens '{"email":"kim@example.com","password":"kim password 1"}'
KIM=$(jqb .token)
TOKEN=$HANA
E=$(folder_save '{"full_name":"Kim again","emails":[{"type":"home","value":"kim@example.com"}]}')
is "$(flags "$HANA" "$E")" "true false kim@example.com" "a card with a member's verified e-mail is flagged at once"
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kim 3\r\nEMAIL:Kim@Example.com\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Nobody\r\nEMAIL:nobody@example.com\r\nEND:VCARD\r\n' >"$VARDIR/kim3.vcf"
req POST '/api/v1/folder/import?on_duplicate=keep' -H 'Content-Type: text/vcard' --data-binary @"$VARDIR/kim3.vcf"
is "$(flags "$HANA" "$(sql "SELECT id FROM folder_entries WHERE full_name='Kim 3'")")" "true false kim@example.com" \
	"an imported card is flagged in the same request"
is "$(flags "$HANA" "$(sql "SELECT id FROM folder_entries WHERE full_name='Nobody'")")" "false false -" \
	"a card nobody has verified is not"

# a verified phone (the member index holds E.164), typed in a national format
sql "INSERT INTO contact_keys (ckey, user_id) VALUES ('t:+8613912345678', $(uid_of kim@example.com))"
E=$(folder_save '{"full_name":"Kim by phone","phones":[{"type":"cell","value":"139 1234 5678"}]}')
is "$(flags "$HANA" "$E")" "true false kim@example.com" "a card with a member's verified phone number is flagged"
E2=$(folder_save '{"full_name":"Someone","phones":[{"type":"cell","value":"139 1234 5679"}]}')
is "$(flags "$HANA" "$E2")" "false false -" "another number is not"

# --- owner_saved_my_card, both ways -------------------------------------------------
TOKEN=$KIM
KH=$(folder_save '{"full_name":"Hana","emails":[{"type":"work","value":"hana@example.com"}]}')
is "$(flags "$KIM" "$KH")" "true true hana@example.com" \
	"Kim saves Hana's card: a member's, and its owner holds Kim's card"
is "$(flags "$HANA" "$KIM_E")" "true true kim@example.com" "Hana's entry for Kim learns that Kim saved her card"
TOKEN=$KIM
api DELETE "/api/v1/folder/$KH"
is "$(flags "$HANA" "$KIM_E")" "true false kim@example.com" "Kim deletes it: the flag goes back"
KH=$(folder_save '{"full_name":"Hana","phones":[{"type":"cell","value":"+86 139 0000 0000"}]}')
is "$(flags "$HANA" "$KIM_E")" "true false kim@example.com" "a card of Hana without Hana's verified key does not count"
api PUT "/api/v1/folder/$KH" '{"card":{"full_name":"Hana","emails":[{"type":"work","value":"hana@example.com"}]}}'
is "$(flags "$HANA" "$KIM_E")" "true true kim@example.com" "editing it to carry her address does"

# --- editing the key away clears the member flag -----------------------------------------
TOKEN=$HANA
api PUT "/api/v1/folder/$E" '{"card":{"full_name":"Kim by phone","phones":[{"type":"cell","value":"139 1234 0000"}]}}'
is "$(flags "$HANA" "$E")" "false false -" "a card edited to lose the member's key is no longer a member's"

# --- verifying later also flips "saved my card" on both sides ---------------------------
TOKEN=""
api POST /api/v1/accounts '{"email":"lee@example.com","password":"lee password 1","full_name":"Lee"}'
api POST /api/v1/tokens '{"email":"lee@example.com","password":"lee password 1"}'
LEE=$(jqb .token)
TOKEN=$LEE
LH=$(folder_save '{"full_name":"Hana","emails":[{"type":"work","value":"hana@example.com"}]}')
TOKEN=$HANA
HL=$(folder_save '{"full_name":"Lee","emails":[{"type":"work","value":"lee@example.com"}]}')
is "$(flags "$HANA" "$HL") / $(flags "$LEE" "$LH")" "false false - / true false hana@example.com" \
	"before Lee verifies: Lee is no member, and Hana's folder holds no card of Lee's verified keys"
verify_mail lee@example.com
is "$(flags "$HANA" "$HL")" "true true lee@example.com" "Lee verifies: Hana's entry is a member's, who saved her card"
is "$(flags "$LEE" "$LH")" "true true hana@example.com" "and Lee's entry for Hana learns that she holds Lee's card"

# --- several members on one card: the lowest user id wins ---------------------------------
TOKEN=$HANA
E=$(folder_save '{"full_name":"Shared desk","emails":[{"type":"work","value":"lee@example.com"},{"type":"work","value":"kim@example.com"}]}')
low=$(sql "SELECT LEAST($(uid_of lee@example.com), $(uid_of kim@example.com))")
is "$(sql "SELECT owner_user_id FROM folder_entries WHERE id=$E")" "$low" "two members match: the lower user id is the owner"

# --- linked entries (saved from a public link) ------------------------------------------------
TOKEN=$KIM
api GET /api/v1/card
ktok=$(jqb .share.url)
ktok=${ktok##*/}
TOKEN=$LEE
api GET /api/v1/card
ltok=$(jqb .share.url)
ltok=${ltok##*/}
api POST /api/v1/folder/save-shared "{\"token\":\"$ktok\"}"
LK=$(jqb .entry.id)
is "$(flags "$LEE" "$LK")" "true false kim@example.com" "a card saved from its link is its owner's, a member"
TOKEN=$KIM
api POST /api/v1/folder/save-shared "{\"token\":\"$ltok\"}"
KL=$(jqb .entry.id)
is "$(flags "$KIM" "$KL")" "true true lee@example.com" "Kim saves Lee's card by link: Lee holds Kim's (linked) card"
is "$(flags "$LEE" "$LK")" "true true kim@example.com" "and Lee's linked entry learns it too"

# --- matching is an indexed join -----------------------------------------------------------
plan=$(sql "EXPLAIN SELECT ck.entry_id, MIN(k.user_id) FROM card_keys ck JOIN contact_keys k ON k.ckey = ck.ckey WHERE ck.entry_id BETWEEN 1 AND 5 AND ck.holder_id = 1 GROUP BY ck.entry_id")
unlike "$(printf '%s\n' "$plan" | awk -F'\t' '$3=="k"{print $5}')" '^ALL$' "contact_keys is read by key, not scanned"
done_testing
