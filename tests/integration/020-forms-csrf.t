#!/usr/bin/env bash
# 020-forms-csrf.t: the browser flow with forms and cookies, and CSRF on
# every state-changing request made with the session cookie.
. "$(dirname "$0")/../lib.sh"
stack_up
JAR=$VARDIR/jar

req GET /signup
is "$STATUS" 200 "the sign-up page"
csrf=$(csrf_of)
like "$csrf" '^[A-Za-z0-9_-]{22,}$' "the form carries a CSRF token"
like "$(grep lc_csrf "$JAR")" "$csrf" "matching the double-submit cookie"

form POST /signup "full_name=Dora 多拉" "email=dora@example.com" "password=dora password 1"
is "$STATUS" 403 "a sign-up form without the token is refused"
is "$(sql "SELECT COUNT(*) FROM users")" 0 "and creates nothing"
form POST /signup "csrf=wrong-token-wrong-token" "full_name=Dora" "email=dora@example.com" "password=dora password 1"
is "$STATUS" 403 "a wrong token too"
form POST /signup "csrf=$csrf" "full_name=Dora 多拉" "email=dora@example.com" "password=dora password 1"
is "$STATUS" 200 "with the token it works"
like "$BODY" "dora@example.com" "the page says where the link went"
is "$(sql "SELECT full_name FROM users WHERE email='dora@example.com'")" "Dora 多拉" "the account exists"

form POST /signup "csrf=$csrf" "full_name=X" "email=not-an-address" "password=dora password 1"
is "$STATUS" 400 "an invalid address is a 400 page"
like "$BODY" "valid e-mail" "explaining what is wrong"

mail_wait dora@example.com 1
link=$(mail_link dora@example.com /verify)
req GET "${link#"$B"}"
is "$STATUS" 200 "the verification link works in the browser"

req GET "/settings"
is "$STATUS" 303 "settings need a session"
like "$(header Location)" '^/signin\?next=/settings' "redirecting to sign-in"
form POST /signin "csrf=$csrf" "email=dora@example.com" "password=wrong password" "next=/settings"
is "$STATUS" 401 "a wrong password shows the form again with 401"
like "$BODY" "Wrong e-mail address or password" "and says why"
form POST /signin "csrf=$csrf" "email=dora@example.com" "password=dora password 1" "next=//evil.example/"
is "$STATUS" 303 "sign-in redirects"
is "$(header Location)" "/" "but never off-site"
like "$(header Set-Cookie)" 'lc_session=[A-Za-z0-9_-]{43}; Path=/; Max-Age=[0-9]+; HttpOnly; SameSite=Lax$' \
	"the session cookie is HttpOnly and SameSite=Lax (no Secure over http)"
first_session=$(grep lc_session "$JAR" | awk '{print $7}')

req GET /settings
is "$STATUS" 200 "signed in: the settings page"
scsrf=$(csrf_of)
like "$scsrf" '^[A-Za-z0-9_-]{32}$' "the session's CSRF token is in the form"

# a JSON request with the cookie but without X-CSRF-Token changes nothing
api PUT /api/v1/me '{"full_name":"Changed"}'
is "$STATUS" 403 "cookie without X-CSRF-Token: 403"
is "$(jqb .error.code)" "csrf" "code csrf"
is "$(sql "SELECT full_name FROM users WHERE email='dora@example.com'")" "Dora 多拉" "nothing changed"
CSRF=$csrf
api PUT /api/v1/me '{"full_name":"Changed"}'
is "$STATUS" 403 "the pre-session token does not count for a session"
CSRF=$scsrf
api PUT /api/v1/me '{"full_name":"Dora Changed"}'
is "$STATUS" 200 "with the session's token it works"
is "$(jqb .user.full_name)" "Dora Changed" "and changes the name"
CSRF=""

form POST /settings "full_name=Nope" "locale=en"
is "$STATUS" 403 "the settings form without the token is refused"
form POST /settings "csrf=$scsrf" "full_name=Dora D" "locale=zh-CN" "notify_email=1"
is "$STATUS" 303 "the settings form saves"
req GET /settings
like "$BODY" "设置" "the page now speaks Chinese"
like "$BODY" 'lang="zh-CN"' "and says so"

# --- the member's home page (in the member's language: zh-CN now) --------------------------------
req GET /
is "$STATUS" 200 "the home page of a member"
like "$BODY" '<h1>您好，<span class="greet-name">Dora D</span></h1>' "greets the member by name, in Chinese"
like "$BODY" 'id="saved-count">0<' "the count of saved cards"
like "$BODY" 'id="savers-count">0<' "of savers"
like "$BODY" 'id="pending-count">0<' "of pending updates"
like "$BODY" 'id="letter-count">0<' "of unread letters"
like "$BODY" '您还没有名片' "no card yet: says so"
like "$BODY" '<a class="button" href="/card">' "and offers to make one"
form POST /card "csrf=$scsrf" revision=0 "full_name=Dora 多拉" "title=Designer" "phones.0.type=cell" "phones.0.value=+8613800000001"
is "$STATUS" 303 "she saves her card with the editor form"
uid=$(sql "SELECT id FROM users WHERE email='dora@example.com'")
for i in 1 2 3 4 5; do
	sql "INSERT INTO notifications (user_id, kind, payload, created_at) VALUES ($uid, 'card.saved', '{\"saver\":{\"full_name\":\"Saver $i\"},\"how\":\"saved\"}', UTC_TIMESTAMP() - INTERVAL $((10 - i)) MINUTE)"
done
sql "INSERT INTO notifications (user_id, kind, payload, created_at, read_at) VALUES ($uid, 'card.update', '{\"url\":\"/updates\",\"text\":\"Bob updated their card: Phone numbers. Review the update.\",\"owner\":\"Bob <b>B</b>\",\"fields\":[\"phones\"],\"auto\":false}', UTC_TIMESTAMP(), UTC_TIMESTAMP())"
req GET /
like "$BODY" '<div class="card-face bcard">' "her card, drawn as a business card"
like "$BODY" 'Dora 多拉' "with her name"
like "$BODY" 'tel:\+8613800000001' "and number"
like "$BODY" 'href="/c/[A-Za-z0-9_-]{22,}"' "a link to her public page"
like "$BODY" 'href="/card"' "and to the editor"
like "$BODY" 'id="letter-count">5<' "five unread letters"
n=$(printf '%s' "$BODY" | grep -c '保存了您的名片。')
is "$n" 4 "the recent letters: the last five only (4 of the 5 saves, then the update)"
unlike "$BODY" 'Saver 1 ' "the oldest is left to the letters page"
like "$BODY" 'Saver 5 保存了您的名片。' "a letter in the reader's language"
like "$BODY" '<a href="/updates">Bob &lt;b&gt;B&lt;/b&gt; 更新了名片：[^<]+请查看这次更新。</a>' \
	"an update letter is drawn again in the reader's language, escaped, linking where it happened"
unlike "$BODY" 'Review the update' "not in the language it was stored in"
like "$BODY" 'href="/inbox"' "a link to every letter"

# --- a visitor's language choice ----------------------------------------------------------------
SAVED_JAR=$JAR
JAR=$VARDIR/jar-visitor
req GET /signin -H 'Accept-Language: en'
like "$BODY" '<html lang="en">' "a visitor with an English browser gets English"
like "$BODY" 'href="/lang/zh-CN\?next=%2Fsignin"' "and is offered Chinese"
req GET '/lang/zh-CN?next=%2Fsignin'
is "$STATUS" 303 "choosing Chinese"
is "$(header Location)" "/signin" "returns to the page"
like "$(header Set-Cookie)" '^lc_lang=zh-CN; Path=/; Max-Age=31536000' "remembering the choice for a year"
req GET /signin -H 'Accept-Language: en'
like "$BODY" '<html lang="zh-CN">' "the choice wins over the browser's language"
req GET '/lang/en?next=//evil.example/'
is "$(header Location)" "/" "never returns off-site"
req GET '/lang/fr'
is "$STATUS" 404 "an unknown language is 404"
JAR=$SAVED_JAR

# sign-out is a POST with the token; afterwards the old cookie is dead
form POST /signout
is "$STATUS" 403 "sign-out without the token is refused"
req GET /settings
is "$STATUS" 200 "and the session still works"
form POST /signout "csrf=$scsrf"
is "$STATUS" 303 "sign-out"
is "$(sql "SELECT COUNT(*) FROM sessions")" 0 "the session is gone server-side"
JAR=""
req GET /settings -H "Cookie: lc_session=$first_session"
is "$STATUS" 303 "the old session cookie is refused"

# a new sign-in makes a new session token
JAR=$VARDIR/jar2
req GET /signin
csrf2=$(csrf_of)
form POST /signin "csrf=$csrf2" "email=dora@example.com" "password=dora password 1"
second_session=$(grep lc_session "$JAR" | awk '{print $7}')
like "$second_session" '^[A-Za-z0-9_-]{43}$' "signed in again"
[ "$second_session" != "$first_session" ]
ok $? "with a new session token"
is "$(sql "SELECT COUNT(*) FROM sessions WHERE token_hash=SHA2('$second_session',256)")" 1 "stored hashed"

done_testing
