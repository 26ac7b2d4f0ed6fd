#!/usr/bin/env bash
# 330-letters-phone.t: the in-site letters (GET /api/v1/notifications with
# unread, since_id and paging; POST .../{id}/read; the /inbox page without
# JavaScript, escaped), a member's phone number confirmed by SMS code (API and
# settings page: wrong, expired, limited), and webhook URLs that name loopback
# or private addresses refused by default.
. "$(dirname "$0")/../lib.sh"
stack_up

# subscribe_confirmed NAME EMAIL: a confirmed non-member subscriber of A's card (A gets a letter)
subscribe_confirmed() {
	local keep=$TOKEN link n
	TOKEN=""
	n=$(mail_count "$2")
	api POST "/c/$T/subscribe" "{\"full_name\":\"$1\",\"email\":\"$2\"}"
	mail_wait "$2" $((n + 1)) || return 1
	link=$(mail_link "$2" /s/confirm)
	api POST /api/v1/subscriptions/confirm "{\"token\":\"${link##*token=}\"}"
	TOKEN=$keep
	[ "$STATUS" = 200 ]
}

signup_verified alice@example.com "Alice Owner"
ALICE=$TOKEN
A_ID=$(sql "SELECT id FROM users WHERE email='alice@example.com'")
api GET /api/v1/card
T=$(jqb .share.url)
T=${T##*/}

# --- letters over the API ----------------------------------------------------------------
api GET /api/v1/notifications
is "$STATUS $(jqb '.notifications | length') $(jqb .unread) $(jqb .last_id)" "200 0 0 0" "no letters yet"
subscribe_confirmed "Sam One" sam@example.org
subscribe_confirmed "Tia Two" tia@example.org
api GET '/api/v1/notifications?unread=1'
is "$(jqb '.notifications | length') $(jqb .unread)" "2 2" "two unread letters"
is "$(jqb -c '[.notifications[].text]')" '["Tia Two subscribed to updates of your card.","Sam One subscribed to updates of your card."]' \
	"newest first, each saying what happened"
is "$(jqb -c '.notifications[0] | [.kind, .read, .payload.saver.emails]')" '["card.subscribed",false,["tia@example.org"]]' \
	"kind, read flag and the saver's details"
like "$(jqb '.notifications[0].created_at')" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$' "a UTC time"
first=$(jqb '.notifications[1].id')
last=$(jqb '.notifications[0].id')
is "$(jqb .last_id)" "$last" "last_id: the newest letter's id, for polling"
api GET "/api/v1/notifications?unread=1&since_id=$first"
is "$(jqb -c '[.notifications[].id]')" "[$last]" "since_id: only the newer letters"
api GET "/api/v1/notifications?unread=1&since_id=$last"
is "$(jqb '.notifications | length') $(jqb .unread)" "0 2" "nothing new since the newest, still two unread"

# a letter appears to the poll at once
subscribe_confirmed "Uma Three" uma@example.org
api GET "/api/v1/notifications?unread=1&since_id=$last"
is "$(jqb -c '[.notifications[].text]')" '["Uma Three subscribed to updates of your card."]' \
	"a new letter is there for the very next poll"
third=$(jqb '.notifications[0].id')

api POST "/api/v1/notifications/$first/read"
is "$STATUS" 204 "mark one read: 204"
api GET '/api/v1/notifications?unread=1'
is "$(jqb .unread) $(jqb -c '[.notifications[].id]')" "2 [$third,$last]" "it is no longer unread"
api GET /api/v1/notifications
is "$(jqb '.notifications | length') $(jqb '.notifications[2].read')" "3 true" "but still listed, as read"
api POST "/api/v1/notifications/$first/read"
is "$STATUS" 204 "marking it again is harmless"
api GET '/api/v1/notifications?limit=2'
is "$(jqb '.notifications | length') $(jqb .next_cursor)" "2 $last" "paging: limit and next_cursor"
api GET "/api/v1/notifications?limit=2&cursor=$(jqb .next_cursor)"
is "$(jqb -c '[.notifications[].id]') $(jqb .next_cursor)" "[$first] null" "the last page"

# a letter of another module carries its own text
sql "INSERT INTO notifications (user_id, kind, payload) VALUES ($A_ID, 'card.updated', '{\"text\":\"Bob changed his card.\",\"url\":\"/folder/7\"}')"
api GET '/api/v1/notifications?limit=1'
is "$(jqb '.notifications[0] | .kind + ": " + .text')" "card.updated: Bob changed his card." \
	"other kinds show their own text"

# only one's own letters
signup_verified bob@example.com "Bob Other"
BOB=$TOKEN
api GET /api/v1/notifications
is "$(jqb '.notifications | length')" 0 "Bob sees none of A's letters"
api POST "/api/v1/notifications/$third/read"
is "$STATUS" 404 "A's letter answers 404 to Bob"
TOKEN=$ALICE
api GET '/api/v1/notifications?unread=1'
is "$(jqb .unread)" 3 "and stays unread for A"
api POST /api/v1/notifications/999999/read
is "$STATUS" 404 "an unknown letter: 404"
api GET '/api/v1/notifications?since_id=abc'
is "$STATUS $(jqb .error.field)" "400 since_id" "a bad since_id: 400"
TOKEN=""
api GET /api/v1/notifications
is "$STATUS" 401 "letters need a sign-in"

# --- the inbox page -----------------------------------------------------------------------
subscribe_confirmed "<b>Eve</b> & co" eve@example.org
JAR=$VARDIR/jar.alice
req GET /signin
form POST /signin "email=alice@example.com" "password=password-alice@example.com" "csrf=$(csrf_of)"
is "$STATUS" 303 "A signs in with the browser"
req GET /inbox
is "$STATUS" 200 "the inbox page"
like "$BODY" 'id="letter-count">4<' "the unread count, where letters.js updates it"
like "$BODY" "Uma Three subscribed to updates of your card." "the letters"
like "$BODY" "&lt;b&gt;Eve&lt;/b&gt; &amp;amp; co|&lt;b&gt;Eve&lt;/b&gt; &amp; co" "names are escaped"
unlike "$BODY" "<b>Eve" "never raw HTML"
like "$BODY" "mailto:eve@example.org" "with the contact details"
like "$BODY" '<a href="/folder/7">Open</a>' "a letter of another module links to its page"
c=$(csrf_of)
form POST "/inbox/$third/read"
is "$STATUS" 403 "marking read needs the CSRF token"
form POST "/inbox/$third/read" "csrf=$c"
is "$STATUS" 303 "the mark-read button"
is "$(sql "SELECT read_at IS NOT NULL FROM notifications WHERE id=$third")" 1 "marks it read"
form POST /inbox/read-all "csrf=$c"
is "$STATUS" 303 "mark all read"
is "$(sql "SELECT COUNT(*) FROM notifications WHERE user_id=$A_ID AND read_at IS NULL")" 0 "all read"
JAR=""
req GET /inbox
is "$STATUS" 303 "signed out, /inbox leads to the sign-in page"
req GET /static/letters.js
is "$STATUS" 200 "letters.js is served"
like "$BODY" "api/v1/notifications\\?unread=1" "and polls the letters"
like "$BODY" 'querySelectorAll\("\[data-live-refresh\]\[id\]"\)' "and redraws the page's live regions when a letter comes"

# --- a letter about a changed saved card (module 104) is read in the reader's language of today ---
sql "INSERT INTO notifications (user_id, kind, payload) VALUES ($A_ID, 'card.update', '{\"entry_id\": 1, \"url\": \"/updates\", \"text\": \"stale text\", \"owner\": \"Bob <b>B</b>\", \"fields\": [\"title\", \"phones\"], \"auto\": false}')"
TOKEN=$ALICE
api GET '/api/v1/notifications?limit=1'
is "$(jqb -r '.notifications[0].text')" 'Bob <b>B</b> updated their card: Title, Phone numbers. Review the update.' "written from its payload"
api PUT /api/v1/me '{"locale":"zh-CN"}'
api GET '/api/v1/notifications?limit=1'
is "$(jqb -r '.notifications[0].text')" 'Bob <b>B</b> 更新了名片：职务、电话号码。请查看这次更新。' "in Chinese once the reader chose Chinese"
JAR=$VARDIR/jar.alice
TOKEN=""
req GET /inbox
like "$BODY" 'Bob &lt;b&gt;B&lt;/b&gt; 更新了名片：职务、电话号码。' "the inbox page too, escaped"
JAR=""
TOKEN=$ALICE
api PUT /api/v1/me '{"locale":"en"}'
TOKEN=""

# --- a member's phone number ---------------------------------------------------------------
TOKEN=$BOB
api POST /api/v1/me/phone '{"phone":"0138 0013 8777"}'
is "$STATUS $(jqb -c .)" '202 {"phone":"+8613800138777","verified":false}' \
	"a number in national form is stored in E.164 and a code sent"
sms_wait "+8613800138777" 1
code=$(sms_to "+8613800138777" | tail -1 | grep -o '^[0-9]\{6\}')
like "$code" '^[0-9]{6}$' "the SMS holds a 6-digit code"
wrong=$([ "$code" = 000000 ] && echo 111111 || echo 000000)
api POST /api/v1/me/phone/verify "{\"code\":\"$wrong\"}"
is "$STATUS $(jqb .error.code)" "400 invalid_code" "a wrong code: 400"
is "$(sql "SELECT COUNT(*) FROM contact_keys WHERE ckey='t:+8613800138777'")" 0 "not a member's number yet"
api POST /api/v1/me/phone/verify "{\"code\":\"$code\"}"
is "$STATUS $(jqb -c .)" '200 {"phone":"+8613800138777","verified":true}' "the right code verifies"
is "$(sql "SELECT user_id FROM contact_keys WHERE ckey='t:+8613800138777'")" \
	"$(sql "SELECT id FROM users WHERE email='bob@example.com'")" "the number now counts for matching"
api GET /api/v1/me
is "$(jqb -c '.user.phones')" '[{"phone":"+8613800138777","verified":true}]' "me: the verified number"
api POST /api/v1/me/phone/verify "{\"code\":\"$code\"}"
is "$STATUS $(jqb .error.code)" "410 code_expired" "the code is single-use"
api POST /api/v1/me/phone '{"phone":"+8613800138777"}'
is "$STATUS $(jqb .verified)" "200 true" "adding a verified number again sends nothing"
is "$(sms_to "+8613800138777" | grep -c .)" 1 "(no second SMS)"

api POST /api/v1/me/phone '{"phone":"+8613800138778"}'
sms_wait "+8613800138778" 1
code=$(sms_to "+8613800138778" | tail -1 | grep -o '^[0-9]\{6\}')
sql "UPDATE user_phones SET code_expires_at = UTC_TIMESTAMP() - INTERVAL 1 SECOND WHERE phone='+8613800138778'"
api POST /api/v1/me/phone/verify "{\"code\":\"$code\"}"
is "$STATUS $(jqb .error.code)" "410 code_expired" "an expired code: 410"
api POST /api/v1/me/phone '{"phone":"12"}'
is "$STATUS $(jqb .error.code)" "400 invalid_phone" "not a phone number: 400"
sql "INSERT INTO do_not_contact (ckey) VALUES ('t:+8613800138779')"
api POST /api/v1/me/phone '{"phone":"+8613800138779"}'
is "$STATUS $(jqb .error.code)" "400 do_not_contact" "a number on the do-not-contact list gets no SMS"
B_ID=$(sql "SELECT id FROM users WHERE email='bob@example.com'")
sql "UPDATE send_quota SET n = 5 WHERE qkey='pc:$B_ID'"
api POST /api/v1/me/phone '{"phone":"+8613800138780"}'
is "$STATUS $(jqb .error.code)" "429 too_many_messages" "past Savers.MaxPhoneCodesPerHour: 429"
like "$(header Retry-After)" '^[0-9]+$' "with Retry-After"
sql "DELETE FROM send_quota WHERE qkey='pc:$B_ID'"

# the same on the settings page
TOKEN=""
JAR=$VARDIR/jar.bob
req GET /signin
form POST /signin "email=bob@example.com" "password=password-bob@example.com" "csrf=$(csrf_of)"
req GET /settings
like "$BODY" 'action="/settings/phone"' "the settings page has a phone form"
like "$BODY" '\+86 138 0013 8777 <span class="hint">confirmed' "and lists the confirmed number, grouped"
c=$(csrf_of)
form POST /settings/phone "csrf=$c" "phone=+86 138 0013 8781"
is "$STATUS" 303 "the form sends a code"
is "$(header Location)" "/settings?phone=sent" "and comes back to the settings"
req GET "/settings?phone=sent"
like "$BODY" 'action="/settings/phone/verify"' "now with the code form"
like "$BODY" '\+86 138 0013 8781 <span class="hint">not confirmed' "the new number, not confirmed yet, grouped"
sms_wait "+8613800138781" 1
code=$(sms_to "+8613800138781" | tail -1 | grep -o '^[0-9]\{6\}')
wrong=$([ "$code" = 000000 ] && echo 111111 || echo 000000)
form POST /settings/phone/verify "csrf=$c" "code=$wrong"
is "$STATUS" 400 "a wrong code on the page: 400"
like "$BODY" "The code is wrong" "saying so beside the form"
form POST /settings/phone/verify "csrf=$c" "code=$code"
is "$STATUS $(header Location)" "303 /settings?phone=verified" "the right code confirms"
is "$(sql "SELECT verified_at IS NOT NULL FROM user_phones WHERE phone='+8613800138781'")" 1 "verified"

# --- removing a number (issue 21): asked first, CSRF, then it neither matches nor gets SMS ---
A_ID=$(uid_of alice@example.com)
JAR=""
TOKEN=$ALICE
entry=$(folder_save '{"full_name":"Bob from paper","phones":[{"type":"cell","value":"+86 138 0013 8777"}]}')
is "$(sql "SELECT IFNULL(owner_user_id, 0) FROM folder_entries WHERE id=$entry")" "$B_ID" \
	"a card A typed in carrying Bob's number is Bob's (the number matches)"
is "$(sql "SELECT COUNT(*) FROM savers WHERE owner_id=$B_ID AND saver_id=$A_ID")" 1 "and A is on Bob's savers list"
TOKEN=""
JAR=$VARDIR/jar.bob
req GET /settings
like "$BODY" 'href="/settings\?remove=%2B8613800138777#phones">Remove<span class="visually-hidden"> \+86 138 0013 8777' \
	"each number has a Remove link naming it"
unlike "$BODY" 'action="/settings/phone/remove"' "(no removal form before asking)"
req GET "/settings?remove=%2B8613800138777"
like "$BODY" 'Remove this phone number\?' "the link asks first"
like "$BODY" 'no more SMS' "saying what stops"
like "$BODY" 'action="/settings/phone/remove"' "with the confirming form"
c=$(csrf_of)
form POST /settings/phone/remove "phone=+8613800138777" "confirm=1"
is "$STATUS" 403 "removing needs the CSRF token"
form POST /settings/phone/remove "csrf=$c" "phone=+8613800138777"
is "$STATUS" 200 "without confirm=1 the page asks again"
like "$BODY" 'Remove this phone number\?' "(the question)"
is "$(sql "SELECT COUNT(*) FROM user_phones WHERE phone='+8613800138777'")" 1 "and nothing is removed"
form POST /settings/phone/remove "csrf=$c" "phone=+8613800138999" "confirm=1"
is "$STATUS" 404 "a number that is not Bob's: 404"
like "$BODY" 'not one of yours' "said beside the phone form"
form POST /settings/phone/remove "csrf=$c" "phone=not a phone" "confirm=1"
is "$STATUS" 400 "not a phone number: 400"
form POST /settings/phone/remove "csrf=$c" "phone=+8613800138777" "confirm=1"
is "$STATUS $(header Location)" "303 /settings?phone=removed#phones" "confirmed: removed"
is "$(sql "SELECT COUNT(*) FROM user_phones WHERE phone='+8613800138777'")" 0 "the number is gone"
is "$(sql "SELECT COUNT(*) FROM contact_keys WHERE ckey='t:+8613800138777'")" 0 "and no longer counts for matching"
is "$(sql "SELECT IFNULL(owner_user_id, 0), owner_is_member FROM folder_entries WHERE id=$entry")" "0	0" \
	"A's copy carrying it is nobody's any more"
is "$(sql "SELECT COUNT(*) FROM savers WHERE owner_id=$B_ID AND saver_id=$A_ID")" 0 "and A left Bob's savers list"
req GET "/settings?phone=removed"
like "$BODY" 'The phone number was removed' "the page says so"
unlike "$BODY" '138 0013 8777' "and lists it no more"
# SMS go to the remaining confirmed number only
JAR=""
TOKEN=$BOB
api PUT /api/v1/me/channels '{"email":false,"sms":true}'
api GET /api/v1/card
B_TOKEN=$(jqb .share.url); B_TOKEN=${B_TOKEN##*/}
before=$(sms_to "+8613800138777" | grep -c .)
signup_verified carol@example.com "Carol Saver"
api POST /api/v1/folder/save-shared "{\"token\":\"$B_TOKEN\"}"
sms_wait "+8613800138781" 2
like "$(sms_to "+8613800138781" | tail -1)" 'Carol Saver' "Carol's save is told by SMS to the number Bob kept"
is "$(sms_to "+8613800138777" | grep -c .)" "$before" "and not to the removed one"
# the API
TOKEN=$BOB
api POST /api/v1/me/phone/remove '{"phone":"+8613800138777"}'
is "$STATUS $(jqb .error.code)" "404 no_such_phone" "API: a number not (any more) Bob's: 404"
api POST /api/v1/me/phone/remove '{"phone":"+86 138 0013 8781"}'
is "$STATUS $(jqb -c .)" '200 {"phone":"+8613800138781","removed":true}' "API: removed, read like any phone"
api GET /api/v1/me
is "$(jqb -c '[.user.phones[] | select(.verified)]')" '[]' "me: no confirmed number left"
is "$(sql "SELECT COUNT(*) FROM contact_keys WHERE user_id=$B_ID AND ckey LIKE 't:%'")" 0 "no phone key left"
TOKEN=$ALICE
api POST /api/v1/me/phone/remove '{"phone":"+8613800138778"}'
is "$STATUS" 404 "nobody removes another member's number"

# --- a number two members verified: removed by the one who holds it, the other gets it back at once
signup_verified dan@example.com "Dan Earlier"
DAN=$TOKEN
D_ID=$(uid_of dan@example.com)
verify_phone +8613800139001 || bail "Dan's phone"
signup_verified erin@example.com "Erin Later"
ERIN=$TOKEN
E_ID=$(uid_of erin@example.com)
sleep 1	# a later verification
verify_phone +8613800139001 || bail "Erin's phone"
is "$(sql "SELECT user_id FROM contact_keys WHERE ckey='t:+8613800139001'")" "$E_ID" "Erin verified the number after Dan: the key is Erin's"
signup_verified fred@example.com "Fred Holder"
FRED_ENTRY=$(folder_save '{"full_name":"Someone With A Number","phones":[{"value":"+86 138 0013 9001"}]}')
is "$(sql "SELECT owner_user_id FROM folder_entries WHERE id=$FRED_ENTRY")" "$E_ID" "a card Fred typed in with the number is matched to Erin"
TOKEN=$ERIN
api POST /api/v1/me/phone/remove '{"phone":"+8613800139001"}'
is "$STATUS" 200 "Erin removes the number"
is "$(sql "SELECT user_id, verified_at = (SELECT verified_at FROM user_phones WHERE user_id=$D_ID AND phone='+8613800139001') FROM contact_keys WHERE ckey='t:+8613800139001'" | tr '\t' ' ')" "$D_ID 1" \
	"Dan, who verified it earlier, holds the key again at once (with the time he proved it), not after the nightly job"
is "$(sql "SELECT owner_user_id, owner_is_member FROM folder_entries WHERE id=$FRED_ENTRY" | tr '\t' ' ')" "$D_ID 1" \
	"Fred's card with the number is Dan's now, in the same transaction"
LIVECARD_CONF=$VARDIR/livecard.hdf "$BUILD/batch/livecard-reconcile" --no-progress >"$VARDIR/rc.out" 2>&1
is "$(sql "SELECT user_id FROM contact_keys WHERE ckey='t:+8613800139001'") $(sql "SELECT owner_user_id FROM folder_entries WHERE id=$FRED_ENTRY")" \
	"$D_ID $D_ID" "the nightly job agrees: nothing to change"
TOKEN=$DAN
api POST /api/v1/me/phone/remove '{"phone":"+8613800139001"}'
is "$(sql "SELECT COUNT(*) FROM contact_keys WHERE ckey='t:+8613800139001'") $(sql "SELECT owner_user_id IS NULL FROM folder_entries WHERE id=$FRED_ENTRY")" \
	"0 1" "when nobody else verified it, the number belongs to nobody"

# --- webhooks never to loopback or private addresses (the default) -------------------------
JAR=""
TOKEN=$BOB
for url in "http://127.0.0.1:9/hook" "http://10.1.2.3/hook" "http://192.168.1.1/" "http://[::1]/hook" "http://localhost/hook" "http://169.254.169.254/latest"; do
	api PUT /api/v1/me/channels "{\"webhook_url\":\"$url\"}"
	is "$STATUS $(jqb .error.code)" "400 webhook_address" "webhook $url: refused"
done
is "$(sql "SELECT COUNT(*) FROM users WHERE webhook_url IS NOT NULL")" 0 "none stored"

done_testing
