#!/usr/bin/env bash
# 020-forms-csrf.t: the browser flow with forms and cookies, and CSRF on
# every state-changing request made with the session cookie.
. "$(dirname "$0")/../lib.sh"
stack_up
JAR=$VARDIR/jar

req GET /signup
is "$STATUS" 200 "the sign-up page"
csrf=$(printf '%s' "$BODY" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
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
scsrf=$(printf '%s' "$BODY" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
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
csrf2=$(printf '%s' "$BODY" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
form POST /signin "csrf=$csrf2" "email=dora@example.com" "password=dora password 1"
second_session=$(grep lc_session "$JAR" | awk '{print $7}')
like "$second_session" '^[A-Za-z0-9_-]{43}$' "signed in again"
[ "$second_session" != "$first_session" ]
ok $? "with a new session token"
is "$(sql "SELECT COUNT(*) FROM sessions WHERE token_hash=SHA2('$second_session',256)")" 1 "stored hashed"

done_testing
