#!/usr/bin/env bash
# 480-auto-link.t: issue 18, "link cards of members automatically". With the
# member setting off (the default) a matched copy is offered as before; with
# it on, every copy that becomes an offer is linked at once on every path:
# turning the setting on, a vCard import, a typed-in card, a card put over
# CardDAV, a member verifying a phone that copies carry, and the nightly job
# (twice: the second run changes nothing). A linked copy equals the member's
# shared card plus the holder's notes and own details, and the member's next
# change reaches it (pending, or applied per the holder's choice). An import
# or a verification writes ONE letter to the holder, no e-mail. The settings
# form needs the CSRF token; the setting is reversible.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/499-updates-lib.sh"
EXTRA_CONF=$'Updates.CoalesceSeconds = 0'
export EXTRA_CONF
stack_up

entry_of() { sql "SELECT id FROM folder_entries WHERE holder_id = (SELECT id FROM users WHERE email='$1') AND full_name = '$2'"; }
matched_letters() { letters "$1" cards.matched; }
linked_to() { # linked_to ENTRY OWNER_EMAIL: 1 when the entry is linked to that member's card
	sql "SELECT COUNT(*) FROM folder_entries e JOIN cards c ON c.id = e.source_card_id JOIN users u ON u.id = c.user_id WHERE e.id = $1 AND u.email = '$2'"
}
reconcile() { LIVECARD_CONF=$VARDIR/livecard.hdf "$BUILD/batch/livecard-reconcile" --no-progress; }

# --- members with cards -----------------------------------------------------------
member() { # member EMAIL NAME TITLE [PHONE]: a verified member with a card; TOKEN is theirs
	signup_verified "$1" "$2" || bail "no member $1"
	local phones=""
	[ -n "${4:-}" ] && phones=",\"phones\":[{\"type\":\"work\",\"value\":\"$4\"}]"
	put_card "{\"full_name\":\"$2\",\"title\":\"$3\",\"organization\":\"Acme\",\"emails\":[{\"type\":\"work\",\"value\":\"$1\"}]$phones}"
	[ "$STATUS" = 200 ] || bail "no card for $1: $STATUS $BODY"
}
member alice@example.com "Alice Zhang" Manager +8613800138000; TA=$TOKEN
member bob@example.com "Bob Wang" Engineer; TB=$TOKEN
member carol@example.com "Carol Chen" Designer; TC=$TOKEN
member eve@example.com "Eve Sun" Buyer; TE=$TOKEN
member frank@example.com "Frank Wu" Chemist; TF=$TOKEN
member grace@example.com "Grace Ho" Pilot; TG=$TOKEN
member ivan@example.com "Ivan Ma" Baker; TI=$TOKEN
signup_verified hank@example.com "Hank Lu" || bail "no member H"
TH=$TOKEN
signup_verified dan@example.com "Dan Li" || bail "no member D"
TD=$TOKEN
fanout_idle 20

VCF=$VARDIR/phone.vcf
vcard() { # vcard FN EMAIL [TEL]: one vCard 3.0
	printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:%s\r\nTITLE:Trainee\r\nEMAIL;TYPE=WORK:%s\r\n' "$1" "$2"
	[ -n "${3:-}" ] && printf 'TEL;TYPE=CELL:%s\r\n' "$3"
	printf 'END:VCARD\r\n'
}

# --- the setting off (the default): offers, as before ------------------------------
TOKEN=$TH
api GET /api/v1/me
is "$(jqb .user.auto_link_members)" false "the setting is off by default"
outbox_idle 30
h_mails=$(mail_count hank@example.com)
{
	vcard "Alice Z." alice@example.com
	vcard "Bob W." bob@example.com
	vcard "Carol C." carol@example.com
	vcard "Nobody" nobody@example.org
} >"$VCF"
req POST /api/v1/folder/import -H 'Content-Type: text/vcard' --data-binary @"$VCF"
is "$STATUS $(jqb -c '[.imported, .linked, .offered]')" "200 [4,0,3]" "H imports 4 cards: the 3 of members are offered"
HA=$(entry_of hank@example.com "Alice Z.")
api GET "/api/v1/folder/$HA"
is "$(jqb -c '[.entry.linked, .entry.link_offer]')" '[false,true]' "setting off: the copy is offered, not linked"
is "$(matched_letters hank@example.com)" 1 "exactly one letter about the import"
api GET /api/v1/notifications
is "$(jqb -r '.notifications[] | select(.payload.why == "import") | .text')" \
	"3 of the imported cards belong to members: keep them up to date." "saying 3 cards belong to members"
is "$(jqb -r '.notifications[] | select(.payload.why == "import") | .payload.url')" "/updates" "linking to /updates"
outbox_idle 30
sleep 1
is "$(mail_count hank@example.com)" "$h_mails" "no e-mail to H about it"

# --- turning the setting on links the offers already there ---------------------------
TOKEN=$TD
api POST /api/v1/folder '{"card":{"full_name":"Eve from the fair","emails":[{"type":"work","value":"eve@example.com"}]}}'
DE=$(jqb .entry.id)
is "$(jqb -c '[.entry.linked, .entry.link_offer]')" '[false,true]' "D types in Eve's card with the setting off: offered"
api PUT /api/v1/me '{"auto_link_members":true}'
is "$STATUS $(jqb -c '[.user.auto_link_members, .linked, .offers_left]')" "200 [true,1,0]" \
	"D turns the setting on: the offer already there is linked"
is "$(linked_to "$DE" eve@example.com)" 1 "Eve's copy is linked to her card"
api GET "/api/v1/folder/$DE"
is "$(jqb -r '.entry.card.title')" "Buyer" "with Eve's shared fields"
is "$(sql "SELECT COUNT(*) FROM savers s JOIN users o ON o.id = s.owner_id JOIN users d ON d.id = s.saver_id WHERE o.email='eve@example.com' AND d.email='dan@example.com'")" \
	1 "D is Eve's saver"

# --- a vCard import with three members' cards: linked, one letter, no mail -----------
outbox_idle 30
mails_before=$(mail_count dan@example.com)
letters_before=$(matched_letters dan@example.com)
{
	vcard "Alice Z." alice@example.com +8613911112222
	vcard "Bob W." bob@example.com
	vcard "Carol C." carol@example.com
	vcard "Nobody Member" nobody@example.org
} >"$VCF"
req POST /api/v1/folder/import -H 'Content-Type: text/vcard' --data-binary @"$VCF"
is "$STATUS $(jqb -c '[.imported, .linked, .offered]')" "200 [4,3,0]" "D imports 4 cards: the 3 of members are linked at once"
DA=$(entry_of dan@example.com "Alice Zhang")
DB=$(entry_of dan@example.com "Bob Wang")
DC=$(entry_of dan@example.com "Carol Chen")
DN=$(entry_of dan@example.com "Nobody Member")
is "$(linked_to "$DA" alice@example.com)$(linked_to "$DB" bob@example.com)$(linked_to "$DC" carol@example.com)" 111 \
	"each linked to its member's card"
api GET "/api/v1/folder/$DN"
is "$(jqb -c '[.entry.linked, .entry.link_offer]')" '[false,false]' "the card of no member stays as it was"
is "$(( $(matched_letters dan@example.com) - letters_before ))" 1 "exactly one letter about the import"
api GET /api/v1/notifications
is "$(jqb -r '[.notifications[] | select(.kind == "cards.matched")][0].text')" \
	"3 imported cards were linked to members' cards: they keep themselves up to date." "saying 3 cards were linked"
outbox_idle 30
sleep 1
is "$(mail_count dan@example.com)" "$mails_before" "no e-mail to D about it"

# D's copy of Alice's card: her shared card, plus D's own phone and notes
api PUT "/api/v1/folder/$DA" '{"notes":"met at the fair"}'
is "$STATUS" 200 "D adds notes to the linked copy"
TOKEN=$TA
api GET /api/v1/card
shared=$(jqb -c '.card | {full_name, title, organization, emails: [.emails[].value]}')
TOKEN=$TD
api GET "/api/v1/folder/$DA"
is "$(jqb -c '.entry.card | {full_name, title, organization, emails: [.emails[].value]}')" "$shared" \
	"the linked copy equals Alice's shared card"
is "$(jqb -c '[.entry.card.phones[].value]')" '["+8613800138000","+8613911112222"]' "her phone, then the phone D had"
is "$(jqb -r '.entry.notes')" "met at the fair" "and D's notes"

# Alice changes her title: a pending update (D asks), then applied automatically
TOKEN=$TA
edit_card '.title = "Director"'
fanout_idle 20
TOKEN=$TD
api GET /api/v1/updates
is "$(jqb -c --argjson e "$DA" '[.updates[] | select(.entry_id == $e) | .changes[] | [.field, .new]]')" '[["title","Director"]]' \
	"Alice's new title reaches the auto-linked copy as a pending update"
api PUT "/api/v1/folder/$DA/policy" '{"auto_update":true}'
is "$STATUS $(jqb -r .entry.card.title)" "200 Director" "D lets it update automatically: applied"
TOKEN=$TA
edit_card '.title = "Vice president"'
fanout_idle 20
TOKEN=$TD
api GET "/api/v1/folder/$DA"
is "$(jqb -r '.entry.card.title + " / " + .entry.notes')" "Vice president / met at the fair" \
	"the next change is applied at once, D's notes stay"

# --- a typed-in card ---------------------------------------------------------------
api POST /api/v1/folder '{"card":{"full_name":"Frank from the fair","emails":[{"type":"work","value":"frank@example.com"}]},"notes":"paper card"}'
is "$STATUS" 201 "D types in Frank's card"
DF=$(jqb .entry.id)
is "$(jqb -c '[.entry.linked, .entry.link_offer, .entry.card.full_name, .entry.card.title, .entry.notes]')" \
	'[true,false,"Frank Wu","Chemist","paper card"]' "linked at once, with Frank's shared card and D's notes"

# an edit that gives a typed-in card a member's address
api POST /api/v1/folder '{"card":{"full_name":"Ivan, baker","phones":[{"type":"cell","value":"+8613700001111"}]}}'
DI=$(jqb .entry.id)
is "$(jqb .entry.linked)" false "a card of no member is saved as typed"
api PUT "/api/v1/folder/$DI" '{"card":{"full_name":"Ivan, baker","emails":[{"type":"work","value":"ivan@example.com"}]}}'
is "$STATUS $(jqb -c '[.entry.linked, .entry.card.title]')" '200 [true,"Baker"]' "editing in Ivan's address links it"

# --- a card put by a CardDAV client -------------------------------------------------
api POST /api/v1/app-passwords '{"label":"phone"}'
is "$STATUS" 201 "D makes an app password for the phone"
DAVU="dan@example.com:$(jqb -r .password)"
DUID=$(uid_of dan@example.com)
BOOK=/dav/$DUID/cards/
dav() { local keep=$TOKEN; TOKEN=""; req "$@" -u "$DAVU"; TOKEN=$keep; }
dav PUT "${BOOK}grace.vcf" -H 'Content-Type: text/vcard' -H 'If-None-Match: *' \
	--data-binary $'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:grace-from-phone\r\nFN:Grace H.\r\nEMAIL:grace@example.com\r\nEND:VCARD\r\n'
is "$STATUS" 201 "the phone puts Grace's card over CardDAV"
DG=$(entry_of dan@example.com "Grace Ho")
is "$(linked_to "$DG" grace@example.com)" 1 "linked at once"
is "$(header ETag)" "" "no ETag on that PUT: the linked copy is not the phone's bytes (830)"
dav GET "${BOOK}grace.vcf"
like "$BODY" 'FN:Grace Ho' "the phone reads the linked copy back, under its own name"
dav GET "${BOOK}grace.vcf"
like "$BODY" 'TITLE:Pilot' "the CardDAV client sees the linked copy"

# --- a member verifies a phone that cards in other folders carry ---------------------
TOKEN=$TC
api PUT /api/v1/me '{"auto_link_members":true}'
is "$(jqb .user.auto_link_members)" true "C links cards of members automatically too"
api POST /api/v1/folder '{"card":{"full_name":"Bob mobile","phones":[{"type":"cell","value":"+8613800138777"}]}}'
CB=$(jqb .entry.id)
is "$(jqb -c '[.entry.linked, .entry.link_offer]')" '[false,false]' "C holds a card with a phone no member proved"
TOKEN=$TH
api PUT /api/v1/me '{"locale":"zh-CN"}'
api POST /api/v1/folder '{"card":{"full_name":"Bob mobile","phones":[{"type":"cell","value":"+8613800138777"}]}}'
HB=$(jqb .entry.id)
outbox_idle 30
c_mails=$(mail_count carol@example.com)
c_letters=$(matched_letters carol@example.com)
h_letters=$(matched_letters hank@example.com)
TOKEN=$TB
api POST /api/v1/me/phone '{"phone":"+8613800138777"}'
sms_wait "+8613800138777" 1
code=$(sms_to "+8613800138777" | tail -1 | grep -o '^[0-9]\{6\}')
api POST /api/v1/me/phone/verify "{\"code\":\"$code\"}"
is "$STATUS" 200 "B verifies that phone"
is "$(linked_to "$CB" bob@example.com)" 1 "C's copy (setting on) is linked to B's card at once"
TOKEN=$TC
api GET "/api/v1/folder/$CB"
is "$(jqb -r '.entry.card.full_name + " / " + .entry.card.title')" "Bob Wang / Engineer" "with B's shared card"
is "$(( $(matched_letters carol@example.com) - c_letters ))" 1 "C gets one letter"
api GET /api/v1/notifications
is "$(jqb -r '[.notifications[] | select(.kind == "cards.matched")][0].text')" \
	"Bob Wang is now a member: your copy of their card was linked and keeps itself up to date." "saying it was linked"
TOKEN=$TH
api GET "/api/v1/folder/$HB"
is "$(jqb -c '[.entry.linked, .entry.link_offer]')" '[false,true]' "H's copy (setting off) is offered"
is "$(( $(matched_letters hank@example.com) - h_letters ))" 1 "H gets one letter"
api GET /api/v1/notifications
like "$(jqb -r '[.notifications[] | select(.kind == "cards.matched")][0].text')" "^Bob Wang 已成为会员" \
	"in H's language (Chinese)"
outbox_idle 30
sleep 1
is "$(mail_count carol@example.com)" "$c_mails" "no e-mail to C about it"

# --- someone signs up whose address is in folders already --------------------------
TOKEN=$TD
api POST /api/v1/folder '{"card":{"full_name":"Judy (paper card)","emails":[{"type":"work","value":"judy@example.com"}]}}'
DJ=$(jqb .entry.id)
is "$(jqb -c '[.entry.linked, .entry.link_offer]')" '[false,false]' "D types in the card of Judy, not a member yet"
d_letters=$(matched_letters dan@example.com)
signup_verified judy@example.com "Judy Kim" || bail "no member J"
TJ=$TOKEN
is "$(linked_to "$DJ" judy@example.com)" 1 "Judy verifies her address at sign-up: D's copy is linked to her (new) card"
is "$(( $(matched_letters dan@example.com) - d_letters ))" 1 "D gets one letter"
TOKEN=$TD
api GET "/api/v1/folder/$DJ"
is "$(jqb -r '[.entry.linked, .entry.card.full_name] | join(" ")')" "true Judy (paper card)" \
	"linked to a card never saved yet, the copy stays as D typed it"
TOKEN=$TJ
put_card '{"full_name":"Judy Kim","title":"Architect","emails":[{"type":"work","value":"judy@example.com"}]}'
is "$STATUS" 200 "Judy saves her card for the first time"
fanout_idle 20
TOKEN=$TD
api GET /api/v1/updates
is "$(jqb -c --argjson e "$DJ" '[.updates[] | select(.entry_id == $e) | .changes[] | select(.field == "title") | .new]')" '["Architect"]' \
	"her first save reaches D's copy as a normal pending update"
is "$(sql "SELECT COUNT(*) FROM notifications WHERE user_id = $(uid_of dan@example.com) AND kind = 'card.update' AND JSON_VALUE(payload, '$.entry_id') = $DJ")" 1 \
	"with its letter"

# --- the nightly job links what the web path left, once -----------------------------
TOKEN=$TD
api PUT /api/v1/me '{"auto_link_members":false}'
is "$(jqb -c '[.user.auto_link_members, .linked]')" '[false,null]' "D turns the setting off again (reversible)"
api POST '/api/v1/folder?on_duplicate=keep' '{"card":{"full_name":"Grace again","emails":[{"type":"work","value":"grace@example.com"}]}}'
is "$(jqb -c '[.entry.linked, .entry.link_offer]')" '[false,false]' "a second copy of a linked card: no offer"
api DELETE "/api/v1/folder/$DG"
TOKEN=$TG
edit_card '.title = "Captain"'
fanout_idle 20
TOKEN=$TD
DG2=$(entry_of dan@example.com "Grace again")
api GET "/api/v1/folder/$DG2"
is "$(jqb -c '[.entry.linked, .entry.link_offer]')" '[false,true]' "with the setting off, Grace's other copy is offered"
sql "UPDATE users SET auto_link_members = 1 WHERE email = 'dan@example.com'"
reconcile >"$VARDIR/rc1.out" 2>&1
is "$?" 0 "the nightly job runs"
is "$(awk '/^  copies linked/ {print $3}' "$VARDIR/rc1.out")" 1 "it links the offer the web path left (the setting was set behind its back)"
is "$(linked_to "$DG2" grace@example.com)" 1 "Grace's copy is linked"
api GET "/api/v1/folder/$DG2"
is "$(jqb -r .entry.card.title)" "Captain" "with her current card"
reconcile >"$VARDIR/rc2.out" 2>&1
is "$?" 0 "a second run"
is "$(awk '/^  copies linked/ {print $3}' "$VARDIR/rc2.out")" 0 "links nothing"
like "$(cat "$VARDIR/rc2.out")" 'nothing to change' "and changes nothing"
is "$(sql "SELECT copies_linked FROM batch_runs ORDER BY id DESC LIMIT 2" | tr '\n' ' ')" "0 1 " "batch_runs records what each run linked"

# --- the settings form: CSRF, and reversible ------------------------------------------
web_signin dan@example.com /settings || bail "D cannot sign in on the web"
like "$BODY" 'name="auto_link_members" value="1" checked' "the settings page shows the setting on"
form POST /settings "full_name=Dan Li" "locale=en" "notify_email=1"
is "$STATUS" 403 "saving the settings without the CSRF token: 403"
is "$(sql "SELECT auto_link_members FROM users WHERE email='dan@example.com'")" 1 "nothing changed"
form POST /settings "full_name=Dan Li" "locale=en" "notify_email=1" "csrf=$WCSRF"
is "$STATUS $(header Location)" "303 /settings?saved=1" "the form without the box ticked"
is "$(sql "SELECT auto_link_members FROM users WHERE email='dan@example.com'")" 0 "turns it off"
req GET /settings
unlike "$BODY" 'name="auto_link_members" value="1" checked' "the page shows it off"
TOKEN=$TD
api DELETE "/api/v1/folder/$DA"
is "$STATUS" 204 "D deletes the linked copy of Alice's card"
api POST /api/v1/folder '{"card":{"full_name":"Alice at home","emails":[{"type":"home","value":"alice@example.com"}]}}'
DA2=$(jqb .entry.id)
is "$(jqb -c '[.entry.linked, .entry.link_offer]')" '[false,true]' "setting off: a new copy of Alice's card is only offered"
TOKEN=""
form POST /settings "full_name=Dan Li" "locale=en" "notify_email=1" "auto_link_members=1" "csrf=$WCSRF"
is "$STATUS $(header Location)" "303 /settings?saved=1&linked=1" "ticking the box again links the offers"
is "$(linked_to "$DA2" alice@example.com)" 1 "Alice's new copy is linked"
req GET "/settings?saved=1&linked=1"
like "$BODY" 'now kept up to date from their cards' "the page says so"
form POST /settings "full_name=Dan Li" "locale=en" "auto_link_members=maybe" "csrf=$WCSRF"
is "$STATUS" 400 "a value that is not a boolean: 400"
is "$(sql "SELECT auto_link_members FROM users WHERE email='dan@example.com'")" 1 "nothing changed"
TOKEN=$TD
api PUT /api/v1/me '{"auto_link_members":"maybe"}'
is "$STATUS $(jqb -r .error.field)" "400 auto_link_members" "the API refuses a non-boolean"


# --- saving a member's public link when a dismissed copy is held -----------------------
TOKEN=$TI
tok_i=$(share_token)
TOKEN=$TC
api PUT /api/v1/me '{"auto_link_members":false}'
api POST /api/v1/folder '{"card":{"full_name":"Ivan from the market","emails":[{"type":"work","value":"ivan@example.com"}]}}'
CI=$(jqb .entry.id)
api POST "/api/v1/updates/$CI/dismiss"
is "$STATUS" 200 "C dismisses the offer for Ivan's card"
api PUT /api/v1/me '{"auto_link_members":true}'
is "$(jqb -c '[.linked, .offers_left]')" '[0,0]' "turning the setting on does not link a dismissed copy"
n_before=$(sql "SELECT COUNT(*) FROM folder_entries WHERE holder_id = $(uid_of carol@example.com)")
api POST /api/v1/folder/save-shared "{\"token\":\"$tok_i\"}"
is "$STATUS $(jqb -c '[.entry.id, .matched, .entry.linked]')" "200 [$CI,true,true]" \
	"saving Ivan's public link links the copy C holds (setting on)"
is "$(sql "SELECT COUNT(*) FROM folder_entries WHERE holder_id = $(uid_of carol@example.com)")" "$n_before" "no second entry"

done_testing
