#!/usr/bin/env bash
# 010-accounts.t: sign-up, the mailed verification link, sign-in, sign-out,
# throttling, silent registration and password reset, over the JSON API.
. "$(dirname "$0")/../lib.sh"
stack_up

# --- sign-up → mail → verify → sign-in → me -------------------------------
api POST /api/v1/accounts '{"email":" Alice@Example.COM ","password":"correct horse battery","full_name":"Alice 张"}'
is "$STATUS" 201 "sign-up answers 201"
is "$(jqb .user.email)" "alice@example.com" "the address is normalised"
is "$(jqb .user.email_verified)" "false" "not verified yet"
is "$(sql "SELECT COUNT(*) FROM users WHERE email='alice@example.com'")" 1 "one user row"
mail_wait alice@example.com 1
ok $? "the verification mail reached the catcher"
link=$(mail_link alice@example.com /verify)
like "$link" "^$B/verify\\?token=[A-Za-z0-9_-]{43}$" "the mail holds a verification link to this site"
like "$(mail_last alice@example.com)" "expires in 48 hours\\." "and says how long it works (Session.VerifyLinkSeconds)"

api POST /api/v1/tokens '{"email":"alice@example.com","password":"correct horse battery"}'
is "$STATUS" 201 "sign-in works before verification"
TOKEN=$(jqb .token)
api GET /api/v1/me
is "$(jqb .user.email_verified)" "false" "me: not verified before the link is opened"

TOKEN=""
req GET "${link#"$B"}"
is "$STATUS" 200 "opening the link verifies"
like "$BODY" "Address confirmed" "the page says so"
req GET "${link#"$B"}"
is "$STATUS" 200 "opening it again is still friendly"
like "$BODY" "Already confirmed" "and says it was confirmed before"
api POST /api/v1/accounts/verify "{\"token\":\"${link##*token=}\"}"
is "$STATUS" 410 "the link is single-use (API: 410)"
is "$(sql "SELECT COUNT(*) FROM contact_keys WHERE ckey='e:alice@example.com'")" 1 \
	"the verified address is in the member index"

api POST /api/v1/tokens '{"email":"ALICE@example.com","password":"correct horse battery"}'
is "$STATUS" 201 "sign-in with the address in any case"
TOKEN=$(jqb .token)
like "$TOKEN" '^[A-Za-z0-9_-]{43}$' "a 256-bit bearer token"
api GET /api/v1/me
is "$STATUS" 200 "GET /api/v1/me"
is "$(jqb .user.email_verified)" "true" "me: email_verified is true"
is "$(jqb .user.full_name)" "Alice 张" "me: the name round-trips in UTF-8"
is "$(sql "SELECT COUNT(*) FROM api_tokens WHERE token_hash=SHA2('$TOKEN',256)")" 1 \
	"the token is stored hashed"
is "$(sql "SELECT COUNT(*) FROM api_tokens WHERE token_hash='$TOKEN'")" 0 "never in clear"
like "$(sql "SELECT password_hash FROM users WHERE email='alice@example.com'")" \
	'^\$argon2id\$v=19\$m=19456,t=2,p=1\$' "the password is an Argon2id hash (m=19 MiB, t=2, p=1)"

# --- sign-out ends the token -------------------------------------------------
OLD=$TOKEN
api DELETE /api/v1/tokens/current
is "$STATUS" 204 "sign-out answers 204"
api GET /api/v1/me
is "$STATUS" 401 "the old token is refused after sign-out"
is "$(jqb .error.code)" "invalid_token" "with a JSON error body"
TOKEN=""
api GET /api/v1/me
is "$STATUS" 401 "no credentials: 401"

# --- wrong password and throttling ------------------------------------------
api POST /api/v1/tokens '{"email":"alice@example.com","password":"wrong password!"}'
is "$STATUS" 401 "a wrong password is refused"
is "$(jqb .error.code)" "bad_credentials" "code bad_credentials"
api POST /api/v1/tokens '{"email":"nobody@example.com","password":"wrong password!"}'
is "$STATUS" 401 "an unknown address gets the same answer"
is "$(jqb .error.code)" "bad_credentials" "same code"
for i in 2 3 4 5; do
	api POST /api/v1/tokens '{"email":"alice@example.com","password":"wrong password!"}'
done
is "$STATUS" 401 "five failures are still answered 401"
api POST /api/v1/tokens '{"email":"alice@example.com","password":"correct horse battery"}'
is "$STATUS" 429 "then even the right password gets 429"
like "$(header Retry-After)" '^[0-9]+$' "with Retry-After"
sql "UPDATE throttle SET window_start = UTC_TIMESTAMP() - INTERVAL 1 HOUR WHERE tkey LIKE 'acct:alice@example.com%'"
api POST /api/v1/tokens '{"email":"alice@example.com","password":"correct horse battery"}'
is "$STATUS" 201 "once the window has passed, sign-in works again"
TOKEN=$(jqb .token)
is "$(sql "SELECT COUNT(*) FROM throttle WHERE tkey='acct:alice@example.com|127.0.0.1'")" 0 \
	"a success clears this client's failures on the account"
is "$(sql "SELECT COALESCE(SUM(failures), 0) FROM throttle WHERE tkey='acct:alice@example.com'")" 0 \
	"and the success does not count against the account's ceiling"
TOKEN=""

# --- registration does not reveal existing accounts --------------------------
before=$(mail_count alice@example.com)
api POST /api/v1/accounts '{"email":"alice@example.com","password":"another password","full_name":"Mallory"}'
is "$STATUS" 201 "registering a taken address answers like a new one"
is "$BODY" '{"user":{"email":"alice@example.com","full_name":"Mallory","email_verified":false}}' \
	"with the same body shape"
is "$(sql "SELECT COUNT(*) FROM users WHERE email='alice@example.com'")" 1 "no second account"
is "$(sql "SELECT full_name FROM users WHERE email='alice@example.com'")" "Alice 张" "nothing changed"
mail_wait alice@example.com $((before + 1))
ok $? "the owner gets a mail about the attempt instead"
like "$(mail_last alice@example.com)" "already has one" "saying the address has an account"

# --- password reset ------------------------------------------------------------
api POST /api/v1/password-reset '{"email":"nobody@example.com"}'
is "$STATUS" 202 "reset for an unknown address: 202"
api POST /api/v1/password-reset '{"email":"alice@example.com"}'
is "$STATUS" 202 "reset for a member: 202 as well"
mail_wait alice@example.com $((before + 2))
link=$(mail_link alice@example.com /reset/confirm)
like "$link" "token=" "the reset mail holds a link"
like "$(mail_last alice@example.com)" "expires in 1 hour\\." "and says how long it works, in the singular for one hour"
rtok=${link##*token=}
api POST /api/v1/password-reset/confirm "{\"token\":\"$rtok\",\"password\":\"short\"}"
is "$STATUS" 400 "a too-short new password is refused"
is "$(jqb .error.field)" "password" "naming the field"
api POST /api/v1/password-reset/confirm "{\"token\":\"$rtok\",\"password\":\"a brand new password\"}"
is "$STATUS" 200 "the reset link sets a new password"
api POST /api/v1/password-reset/confirm "{\"token\":\"$rtok\",\"password\":\"yet another password\"}"
is "$STATUS" 410 "the reset link is single-use"
TOKEN=$OLD
api GET /api/v1/me
is "$STATUS" 401 "tokens from before the reset are gone"
TOKEN=""
api POST /api/v1/tokens '{"email":"alice@example.com","password":"correct horse battery"}'
is "$STATUS" 401 "the old password no longer works"
api POST /api/v1/tokens '{"email":"alice@example.com","password":"a brand new password"}'
is "$STATUS" 201 "the new one does"

# --- expired verification links --------------------------------------------------
api POST /api/v1/accounts '{"email":"bob@example.com","password":"bob password 123","full_name":"Bob"}'
mail_wait bob@example.com 1
blink=$(mail_link bob@example.com /verify)
sql "UPDATE email_tokens SET expires_at = UTC_TIMESTAMP() - INTERVAL 1 SECOND WHERE purpose='verify' AND email='bob@example.com'"
api POST /api/v1/accounts/verify "{\"token\":\"${blink##*token=}\"}"
is "$STATUS" 410 "an expired verification link is refused"
is "$(sql "SELECT email_verified_at IS NULL FROM users WHERE email='bob@example.com'")" 1 "and verifies nothing"

# --- app passwords -----------------------------------------------------------------
signup_verified carol@example.com "Carol"
api POST /api/v1/app-passwords '{"label":"phone"}'
is "$STATUS" 201 "an app password is created"
appid=$(jqb .id)
like "$(jqb .password)" '^[A-Za-z0-9_-]{24}$' "its secret is shown once"
api GET /api/v1/app-passwords
is "$(jqb '.app_passwords | length')" 1 "listed"
is "$(jqb '.app_passwords[0].password')" "null" "without the secret"
api DELETE "/api/v1/app-passwords/$appid"
is "$STATUS" 204 "revoked"
api DELETE "/api/v1/app-passwords/$appid"
is "$STATUS" 404 "gone"

done_testing
