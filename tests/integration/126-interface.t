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

done_testing
