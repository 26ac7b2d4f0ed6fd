#!/usr/bin/env bash
# 126-interface.t: issue 21, the interface a person enjoys: each member's time zone (checked against the system tz database, guessed from the browser, Asia/Shanghai for zh-CN) in pages as relative times with the exact local time on hover; the friendly page of a rotated link; the public page as a member sees it; words that say what happened.
. "$(dirname "$0")/../lib.sh"
stack_up

# --- time zones --------------------------------------------------------------
signup_verified tz@example.com "Tia Zone" || bail "cannot make a member"
put_card '{"full_name":"Tia Zone","emails":[{"type":"work","value":"tz@example.com"}]}'
is "$STATUS" 200 "the member saves a card"
api GET /api/v1/me
is "$(jqb .user.tz)" null "a member who signed up by the API has no time zone yet"
api PUT /api/v1/me '{"tz":"Mars/Olympus_Mons"}'
is "$STATUS" 400 "a zone the tz database does not have is 400"
is "$(jqb .error.field)" tz "naming tz"
for bad in '../../../etc/passwd' '/etc/localtime' 'Asia/../Asia/Tokyo' 'localtime' 'posixrules' 'Asia/Shanghai/x' "$(printf 'A%.0s' $(seq 70))"; do
	api PUT /api/v1/me "{\"tz\":\"$bad\"}"
	is "$STATUS" 400 "tz \"${bad:0:20}\" is 400"
done
is "$(sql "SELECT COALESCE(tz, 'NULL') FROM users WHERE email='tz@example.com'")" NULL "and nothing was stored"
api PUT /api/v1/me '{"tz":"Asia/Kolkata"}'
is "$STATUS" 200 "Asia/Kolkata is a zone"
is "$(jqb .user.tz)" Asia/Kolkata "stored and returned"

# the card page: the instant in datetime (UTC), the exact time in the member's
# zone on hover, relative words in the text
UPD=$(sql "SELECT DATE_FORMAT(c.updated_at, '%Y-%m-%dT%H:%i:%sZ') FROM cards c JOIN users u ON u.id = c.user_id WHERE u.email='tz@example.com'")
LOCAL=$(TZ=Asia/Kolkata date -d "$UPD" '+%Y-%m-%d %H:%M IST')
web_signin tz@example.com /card || bail "cannot sign in"
like "$BODY" "<time datetime=\"$UPD\" title=\"$LOCAL\">(just now|[0-9]+ minutes? ago)</time>" "the card page: relative time, exact local time ($LOCAL) on hover"
unlike "$BODY" '</time> UTC' "no bare UTC times"
req GET /settings
like "$BODY" 'id="tz" name="tz"[^>]*value="Asia/Kolkata"' "settings shows the zone"
CS=$(csrf_of)
form POST /settings "csrf=$CS" "full_name=Tia Zone" "locale=en" "tz=Nowhere/Land" "notify_email=1"
is "$STATUS" 400 "the settings form refuses an unknown zone"
like "$BODY" 'This is not a time zone we know' "saying so"
like "$BODY" 'value="Asia/Kolkata"' "the form shows what is stored"
is "$(sql "SELECT tz FROM users WHERE email='tz@example.com'")" Asia/Kolkata "nothing changed"
form POST /settings "csrf=$CS" "full_name=Tia Zone" "locale=en" "tz=America/New_York" "notify_email=1"
is "$STATUS" 303 "the settings form takes America/New_York"
is "$(sql "SELECT tz FROM users WHERE email='tz@example.com'")" America/New_York "stored"
req GET /card
LOCAL=$(TZ=America/New_York date -d "$UPD" '+%Y-%m-%d %H:%M %Z')
like "$BODY" "title=\"$LOCAL\"" "the card page now in New York time ($LOCAL)"
form POST /settings "csrf=$CS" "full_name=Tia Zone" "locale=en" "tz=" "notify_email=1"
is "$(sql "SELECT COALESCE(tz, 'NULL') FROM users WHERE email='tz@example.com'")" NULL "an empty field clears the zone"

# no zone chosen: the browser's guess (lc_tz), else Asia/Shanghai for zh-CN, else UTC
P=$(sql "SELECT c.share_token FROM cards c JOIN users u ON u.id = c.user_id WHERE u.email='tz@example.com'")
JAR=""
req GET "/c/$P"
like "$BODY" "title=\"$(TZ=UTC date -d "$UPD" '+%Y-%m-%d %H:%M UTC')\"" "a stranger in English without a guess: UTC"
req GET "/c/$P" -H 'Accept-Language: zh-CN'
like "$BODY" "title=\"$(TZ=Asia/Shanghai date -d "$UPD" '+%Y-%m-%d %H:%M CST')\">(刚刚|[0-9]+ 分钟前)</time>" "in Chinese: Asia/Shanghai, relative words in Chinese"
req GET "/c/$P" -H 'Cookie: lc_tz=Europe/Berlin'
like "$BODY" "title=\"$(TZ=Europe/Berlin date -d "$UPD" '+%Y-%m-%d %H:%M %Z')\"" "the browser's guess (lc_tz) when it is a zone"
req GET "/c/$P" -H 'Cookie: lc_tz=../../etc/passwd'
like "$BODY" "title=\"$(TZ=UTC date -d "$UPD" '+%Y-%m-%d %H:%M UTC')\"" "a guess that is no zone is ignored"

# a new account by the form starts with the browser's zone
JAR=$VARDIR/jar.new
printf '127.0.0.1\tFALSE\t/\tFALSE\t0\tlc_tz\tAustralia/Sydney\n' >"$JAR"
req GET /signup
form POST /signup "csrf=$(csrf_of)" "full_name=New Member" "email=new@example.com" "password=password-new@example.com" "locale=en"
is "$STATUS" 200 "sign-up by the form"
is "$(sql "SELECT tz FROM users WHERE email='new@example.com'")" Australia/Sydney "starts with the browser's zone"

# --- no dead ends ----------------------------------------------------------------
# confirming the address leads on to making the card: through the sign-in form
# with the address filled in, or straight there when signed in already
mail_wait new@example.com 1 || bail "no verification mail"
LINK=$(mail_link new@example.com /verify)
JAR=""
req GET "${LINK#"$B"}"
is "$STATUS" 200 "the verification link"
like "$BODY" 'href="/signin\?next=%2Fcard&amp;email=new%40example.com"' "leads to sign-in with the address filled in, then to the card"
req GET "/signin?next=%2Fcard&email=new%40example.com"
like "$BODY" 'name="email" type="email"[^>]*value="new@example.com"' "the sign-in form has the address"
like "$BODY" 'name="next" value="/card"' "and goes on to the card"
web_signin new@example.com / || bail "cannot sign in"
req GET "${LINK#"$B"}"
like "$BODY" 'href="/card">Make your card<' "opened again while signed in: straight to making the card"

# a rotated link: 404 still, but a page that says what happened, in both languages
web_signin tz@example.com /card/share || bail "cannot sign in"
like "$BODY" 'href="/card/share\?rotate=confirm#rotate"' "'Make a new link' asks first"
req GET "/card/share?rotate=confirm"
like "$BODY" 'printed QR code' "the question says that old links and QR codes stop working"
like "$BODY" 'name="confirm" value="1"' "and confirms with one more press"
CS=$(csrf_of)
form POST /card/share/rotate "csrf=$CS"
is "$STATUS $(header Location)" "303 /card/share?rotate=confirm#rotate" "without the confirmation nothing changes"
is "$(sql "SELECT share_token FROM cards c JOIN users u ON u.id = c.user_id WHERE u.email='tz@example.com'")" "$P" "(the link is the same)"
form POST /card/share/rotate "csrf=$CS" confirm=1
is "$STATUS $(header Location)" "303 /card/share?rotated=1" "confirmed: a new link"
JAR=""
req GET "/c/$P"
is "$STATUS" 404 "the old link is 404"
like "$BODY" '<h1>This card link is no longer in use</h1>' "with a friendly page"
like "$BODY" 'Ask them for the new one' "saying what to do"
unlike "$BODY" 'Something went wrong' "not an error"
req GET "/c/$P" -H 'Accept-Language: zh-CN'
like "$BODY" '<h1>这个名片链接已不再使用</h1>' "in Chinese too"
req GET /c/not.a.token
is "$STATUS" 404 "a malformed link is 404"
like "$BODY" 'no longer in use' "with the same page"
req GET /no/such/page
like "$BODY" 'Something went wrong' "(other missing pages stay error pages)"

# --- the public page knows who is looking ---------------------------------------
signup_verified pat@example.com "Pat Public" || bail "cannot make a member"
put_card '{"full_name":"Pat Public","emails":[{"type":"work","value":"pat@example.com"}]}'
P2=$(sql "SELECT c.share_token FROM cards c JOIN users u ON u.id = c.user_id WHERE u.email='pat@example.com'")
JAR=""
TOKEN=""
req GET "/c/$P2"
like "$BODY" "action=\"/c/$P2/subscribe\"" "a stranger is offered the subscribe form"
web_signin tz@example.com "/c/$P2" || bail "cannot sign in"
like "$BODY" '>Save this card to my card folder<' "a member sees Save to my folder"
unlike "$BODY" "action=\"/c/$P2/subscribe\"" "and not the form for non-members"
form POST /folder/save-shared "csrf=$(csrf_of)" "token=$P2"
is "$STATUS" 303 "the member saves it"
req GET "$(header Location)"
like "$BODY" "role=\"status\">Card added to your folder." "the folder says: Card added to your folder"
req GET "/c/$P2"
like "$BODY" 'href="/folder/[0-9]+"' "afterwards the public page links to the copy in the folder"
unlike "$BODY" "action=\"/c/$P2/subscribe\"" "still without the subscribe form"

# --- the import result links to the imported cards -----------------------------
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Imported One\r\nEMAIL:one@import.example\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Imported Two\r\nEMAIL:two@import.example\r\nEND:VCARD\r\n' >"$VARDIR/two.vcf"
req GET /folder/import
req POST /folder/import -F "csrf=$(csrf_of)" -F "file=@$VARDIR/two.vcf;type=text/vcard"
is "$STATUS" 200 "an import by the form"
like "$BODY" '<a href="/folder/[0-9]+">Imported One</a>' "the result links to the first imported card"
like "$BODY" '<a href="/folder/[0-9]+">Imported Two</a>' "and to the second"

done_testing
