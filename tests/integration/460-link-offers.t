#!/usr/bin/env bash
# 460-link-offers.t: issue 18, every copy keeps itself up to date. A card that
# reached D's folder another way than the public link (imported from a vCard
# file, typed in, put by a CardDAV client) and carries member A's verified
# e-mail or phone is offered for linking; linking applies A's shared card with
# the update rules (D's notes, tags and own phone stay), and A's next change
# reaches the copy as a normal pending update. A phone verified later, and the
# nightly job, produce offers too; saving A's public link when such a copy
# exists makes no second entry; dismissing keeps an offer away; bad requests
# change nothing; the browser forms work with CSRF only.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/499-updates-lib.sh"
EXTRA_CONF=$'Updates.CoalesceSeconds = 0'
export EXTRA_CONF
stack_up

offers() { api GET /api/v1/updates/offers; }
entry_of() { sql "SELECT id FROM folder_entries WHERE holder_id = (SELECT id FROM users WHERE email='$1') AND full_name = '$2'"; }

# --- members with cards ---------------------------------------------------------
signup_verified alice@example.com "Alice Zhang" || bail "no member A"
TA=$TOKEN
put_card '{"full_name":"Alice Zhang","title":"Manager","organization":"Acme","emails":[{"type":"work","value":"alice@example.com"}],"phones":[{"type":"work","value":"+8613800138000"}]}'
is "$STATUS" 200 "A saves her card"
tok_a=$(share_token)
signup_verified bob@example.com "Bob Wang" || bail "no member B"
TB=$TOKEN
put_card '{"full_name":"Bob Wang","title":"Engineer","emails":[{"type":"work","value":"bob@example.com"}]}'
signup_verified carol@example.com "Carol Chen" || bail "no member C"
TC=$TOKEN
put_card '{"full_name":"Carol Chen","title":"Designer","emails":[{"type":"work","value":"carol@example.com"}]}'
signup_verified eve@example.com "Eve Sun" || bail "no member E"
TE=$TOKEN
put_card '{"full_name":"Eve Sun","title":"Buyer","emails":[{"type":"work","value":"eve@example.com"}]}'
tok_e=$(share_token)
signup_verified dan@example.com "Dan Li" || bail "no member D"
TD=$TOKEN
fanout_idle 20

# --- a vCard file with A's e-mail, imported --------------------------------------
VCF=$VARDIR/phone.vcf
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Alice Z.\r\nTITLE:Trainee\r\nEMAIL;TYPE=WORK:alice@example.com\r\nTEL;TYPE=CELL:+8613911112222\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eve S.\r\nEMAIL:eve@example.com\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Nobody Member\r\nEMAIL:nobody@example.org\r\nEND:VCARD\r\n' >"$VCF"
req POST /api/v1/folder/import -H 'Content-Type: text/vcard' --data-binary @"$VCF"
is "$STATUS" 200 "D imports a vCard file from a phone"
EA=$(entry_of dan@example.com "Alice Z.")
EE=$(entry_of dan@example.com "Eve S.")
EN=$(entry_of dan@example.com "Nobody Member")
api GET "/api/v1/folder/$EA"
is "$(jqb -c '[.entry.owner_is_member, .entry.linked, .entry.link_offer]')" '[true,false,true]' \
	"the imported copy is a member's card, not linked, and offered for linking"
api GET "/api/v1/folder/$EN"
is "$(jqb .entry.link_offer)" false "a card no member proved is not offered"
api PUT "/api/v1/folder/$EA" "$(jqb -n --argjson c "$(sql "SELECT data FROM folder_entries WHERE id=$EA")" '{card:$c, notes:"met at the fair", tags:["fair"]}')"
is "$STATUS" 200 "D adds notes and a tag to the imported copy"

offers
is "$STATUS" 200 "GET /api/v1/updates/offers"
is "$(jqb -c '[.offers[].entry_id] | sort')" "$(printf '[%s,%s]' "$EA" "$EE" | jq -c 'sort')" "two offers: A's and E's cards"
is "$(jqb -r --argjson e "$EA" '.offers[] | select(.entry_id == $e) | .owner.full_name')" "Alice Zhang" "naming the member"
is "$(jqb -r --argjson e "$EA" '.offers[] | select(.entry_id == $e) | .changes[] | select(.field == "title") | "\(.old)>\(.new)"')" \
	"Trainee>Manager" "with the field-by-field difference (D's copy beside A's shared card)"
api GET /api/v1/updates
is "$(jqb '.updates | length')" 0 "an offer is not a pending update"

# --- linking -----------------------------------------------------------------------
api POST "/api/v1/updates/$EA/link"
is "$STATUS" 200 "D links the imported copy to A's card"
is "$(jqb -c '[.entry.linked, .entry.link_offer, .entry.update_pending]')" '[true,false,false]' "linked, no offer, nothing pending"
is "$(jqb -r '.entry.card.full_name + " / " + .entry.card.title + " / " + .entry.card.organization')" \
	"Alice Zhang / Manager / Acme" "A's shared fields were applied"
is "$(jqb -c '[.entry.card.phones[].value]')" '["+8613800138000","+8613911112222"]' "A's phone, then the phone D had"
is "$(jqb -r '.entry.notes + " #" + (.entry.tags | join(","))')" "met at the fair #fair" "D's notes and tags stay"
is "$(jqb -c '.applied | sort')" '["full_name","organization","phones","title"]' "the answer says what was applied"
is "$(sql "SELECT COUNT(*) FROM savers s JOIN users o ON o.id = s.owner_id JOIN users d ON d.id = s.saver_id WHERE o.email='alice@example.com' AND d.email='dan@example.com'")" \
	1 "D is in A's savers list once"
api POST "/api/v1/updates/$EA/link"
is "$STATUS $(jqb -r .error.code)" "409 already_linked" "linking twice: 409 already_linked"

TOKEN=$TA
edit_card '.title = "Director"'
is "$STATUS" 200 "A changes her title"
fanout_idle 20
ok $? "the fan-out ran"
TOKEN=$TD
api GET /api/v1/updates
is "$(jqb -c '[.updates[] | {entry_id, f: [.changes[].field], new: .changes[0].new}]')" \
	"[{\"entry_id\":$EA,\"f\":[\"title\"],\"new\":\"Director\"}]" "the linked copy gets A's change as a normal pending update"
is "$(letters dan@example.com card.update)" 1 "and a letter"
api POST "/api/v1/updates/$EA/accept"
is "$(jqb -r .entry.card.title)" "Director" "accepting brings the title"

# --- a typed-in card ---------------------------------------------------------------
api POST /api/v1/folder '{"card":{"full_name":"Bob from the fair","emails":[{"type":"work","value":"bob@example.com"}]}}'
is "$STATUS" 201 "D types in Bob's card from paper"
EB=$(jqb .entry.id)
is "$(jqb .entry.link_offer)" true "offered"
api POST "/api/v1/updates/$EB/link"
is "$(jqb -r '[.entry.linked, .entry.card.title] | join(" ")')" "true Engineer" "linked, with B's title"
TOKEN=$TB
edit_card '.title = "Lead engineer"'
fanout_idle 20
TOKEN=$TD
api GET /api/v1/updates
is "$(jqb -r --argjson e "$EB" '.updates[] | select(.entry_id == $e) | .changes[0].new')" "Lead engineer" "B's change reaches the typed-in copy"

# --- a card put by a CardDAV client -------------------------------------------------
api POST /api/v1/app-passwords '{"label":"phone"}'
is "$STATUS" 201 "D makes an app password for the phone"
DAVU="dan@example.com:$(jqb -r .password)"
DUID=$(sql "SELECT id FROM users WHERE email='dan@example.com'")
BOOK=/dav/$DUID/cards/
dav() { local keep=$TOKEN; TOKEN=""; req "$@" -u "$DAVU"; TOKEN=$keep; }
dav PUT "${BOOK}carol.vcf" -H 'Content-Type: text/vcard' -H 'If-None-Match: *' \
	--data-binary $'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:carol-from-phone\r\nFN:Carol C.\r\nEMAIL:carol@example.com\r\nEND:VCARD\r\n'
is "$STATUS" 201 "the phone puts Carol's card over CardDAV"
EC=$(entry_of dan@example.com "Carol C.")
api POST "/api/v1/updates/$EC/link"
is "$STATUS $(jqb -r .entry.card.title)" "200 Designer" "D links it"
api PUT "/api/v1/folder/$EC/policy" '{"auto_update":true}'
is "$STATUS" 200 "and lets it update automatically"
TOKEN=$TC
edit_card '.title = "Art director"'
fanout_idle 20
TOKEN=$TD
dav GET "${BOOK}carol.vcf"
like "$BODY" 'TITLE:Art director' "the CardDAV client sees the linked copy's new title"

# --- a phone verified later -----------------------------------------------------------
api POST /api/v1/folder '{"card":{"full_name":"Bob mobile","phones":[{"type":"cell","value":"+8613800138777"}]}}'
EP=$(jqb .entry.id)
is "$(jqb .entry.link_offer)" false "a card with a phone no member proved: no offer"
TOKEN=$TB
api POST /api/v1/me/phone '{"phone":"+8613800138777"}'
sms_wait "+8613800138777" 1
code=$(sms_to "+8613800138777" | tail -1 | grep -o '^[0-9]\{6\}')
api POST /api/v1/me/phone/verify "{\"code\":\"$code\"}"
is "$STATUS" 200 "B verifies that phone"
TOKEN=$TD
api GET "/api/v1/folder/$EP"
is "$(jqb .entry.link_offer)" false "D holds a linked copy of B's card already: no second offer for B"
api DELETE "/api/v1/folder/$EB"
api GET "/api/v1/folder/$EP"
is "$(jqb .entry.link_offer)" true "once that copy is gone, the card with B's verified phone is offered"

# --- the nightly job: offers follow its member flags, twice the same ------------------
sql "UPDATE folder_entries SET owner_user_id = NULL, owner_is_member = 0 WHERE id = $EP"
api GET "/api/v1/folder/$EP"
is "$(jqb .entry.link_offer)" false "a lost member flag (drift behind the web path's back) loses the offer"
LIVECARD_CONF=$VARDIR/livecard.hdf "$BUILD/batch/livecard-reconcile" --no-progress >"$VARDIR/rc1.out" 2>&1
is "$?" 0 "the nightly job runs"
offers
first=$(jqb -c '[.offers[].entry_id] | sort')
like "$first" "(^|[^0-9])$EP([^0-9]|$)" "it brings the offer back"
LIVECARD_CONF=$VARDIR/livecard.hdf "$BUILD/batch/livecard-reconcile" --no-progress >"$VARDIR/rc2.out" 2>&1
offers
is "$(jqb -c '[.offers[].entry_id] | sort')" "$first" "a second run changes nothing"

# --- dismissing, and saving the public link of a card held already ---------------------
api POST "/api/v1/updates/$EE/dismiss"
is "$STATUS" 200 "D dismisses the offer for Eve's card"
offers
is "$(jqb --argjson e "$EE" '[.offers[] | select(.entry_id == $e)] | length')" 0 "it is not offered any more"
api POST "/api/v1/updates/$EE/link"
is "$STATUS $(jqb -r .error.code)" "409 not_offered" "a dismissed offer cannot be linked"
n_before=$(sql "SELECT COUNT(*) FROM folder_entries WHERE holder_id = $DUID")
api POST /api/v1/folder/save-shared "{\"token\":\"$tok_e\"}"
is "$STATUS" 200 "D saves Eve's public link while holding an imported copy of her card"
is "$(jqb -c '[.entry.id, .matched, .entry.link_offer]')" "[$EE,true,true]" "the answer is that copy, offered for linking again"
is "$(sql "SELECT COUNT(*) FROM folder_entries WHERE holder_id = $DUID")" "$n_before" "no second entry"

# --- bad requests change nothing -----------------------------------------------------
api POST "/api/v1/updates/$EN/link"
is "$STATUS $(jqb -r .error.code)" "409 not_offered" "a card no member proved: 409 not_offered"
TOKEN=$TB
api POST "/api/v1/updates/$EE/link"
is "$STATUS" 404 "another member's entry: 404"
api POST "/api/v1/updates/$EE/dismiss"
is "$STATUS" 404 "dismissing it too"
TOKEN=$TD
api POST "/api/v1/updates/99999999/link"
is "$STATUS" 404 "a missing entry: 404"
api POST "/api/v1/updates/abc/link"
is "$STATUS" 404 "not a number: 404"
is "$(sql "SELECT source_card_id IS NULL FROM folder_entries WHERE id = $EE")" 1 "Eve's copy is still unlinked"

# --- the browser: entry page, folder list, /updates, CSRF ------------------------------
web_signin dan@example.com "/folder/$EE" || bail "D cannot sign in on the web"
like "$BODY" 'id="keep-updated"' "the entry page offers to keep the card up to date"
req GET /folder
like "$BODY" "badge-offer\" href=\"/folder/$EE#keep-updated\"" "the folder list marks the card"
req GET /updates
like "$BODY" "id=\"offer-$EE\"" "/updates lists it under the cards you can keep up to date"
form POST "/updates/$EE/link" "from=entry"
is "$STATUS" 403 "linking without the CSRF token: 403"
is "$(sql "SELECT source_card_id IS NULL FROM folder_entries WHERE id = $EE")" 1 "nothing changed"
form POST "/updates/$EE/link" "from=entry" "csrf=$WCSRF"
is "$STATUS" 303 "the entry page's form links it"
is "$(header Location)" "/folder/$EE?linked=1" "back to the entry page"
is "$(sql "SELECT source_card_id IS NOT NULL FROM folder_entries WHERE id = $EE")" 1 "linked"
req GET "/folder/$EE?linked=1"
like "$BODY" 'id="auto-update"' "the linked entry shows its automatic-update switch"
form POST "/updates/$EE/policy" "from=entry" "auto_update=1" "csrf=$WCSRF"
is "$STATUS $(header Location)" "303 /folder/$EE?auto=1" "turned on from the entry page"
is "$(sql "SELECT auto_update FROM folder_entries WHERE id = $EE")" 1 "stored"
form POST "/updates/$EE/policy" "from=entry" "csrf=$WCSRF"
is "$(sql "SELECT auto_update FROM folder_entries WHERE id = $EE")" 0 "and off again (reversible)"

# --- sign-in keeps where the member was going after a wrong password ------------------------
JAR=$VARDIR/jar.next
rm -f "$JAR"
req GET "/signin?next=/updates"
c=$(csrf_of)
form POST /signin "email=dan@example.com" "password=not the password" "next=/updates" "csrf=$c"
is "$STATUS" 401 "a wrong password shows the form again"
like "$BODY" 'name="next" value="/updates"' "keeping next"
form POST /signin "email=dan@example.com" "password=password-dan@example.com" "next=/updates" "csrf=$(csrf_of)"
is "$STATUS $(header Location)" "303 /updates" "the right password then goes there"

done_testing
