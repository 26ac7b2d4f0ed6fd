#!/usr/bin/env bash
# 036-hostile-accounts.t: issue 17's account findings replayed: an unconfirmed
# address cannot make app passwords, a password reset ends them (and says so),
# sign-up and reset mails are under per-recipient and per-client quotas, the
# sign-in throttle holds under parallel requests and is per client and account
# (a stranger cannot lock the owner out), API tokens expire and can be revoked.
# Other client addresses are other loopback addresses (curl --interface).
. "$(dirname "$0")/../lib.sh"
EXTRA_CONF='Throttle.MailsPerRecipient = 3
Throttle.AccountFailures = 10
Auth.APITokenDays = 30'
export EXTRA_CONF
stack_up

J='Content-Type: application/json'
# from ADDR METHOD PATH [curl args...]: req from another loopback client address
from() {
	local addr=$1
	shift
	local m=$1 p=$2
	shift 2
	req "$m" "$p" --interface "$addr" "$@"
}
# dav_propfind EMAIL APP-PASSWORD UID: PROPFIND of the member's address book
dav_propfind() {
	local keep=$TOKEN
	TOKEN=""
	req PROPFIND "/dav/$3/cards/" -u "$1:$2" -H 'Depth: 0'
	TOKEN=$keep
}
# signup EMAIL NAME [LOCALE]: an account, not verified (password "password-EMAIL")
signup() {
	local loc=${3:-en}
	TOKEN=""
	api POST /api/v1/accounts "{\"email\":\"$1\",\"password\":\"password-$1\",\"full_name\":\"$2\",\"locale\":\"$loc\"}"
}
# reset_link EMAIL: ask for a reset and print the mailed link's token
reset_token() {
	local before
	before=$(mail_count "$1")
	TOKEN=""
	api POST /api/v1/password-reset "{\"email\":\"$1\"}"
	mail_wait "$1" $((before + 1)) || return 1
	mail_link "$1" /reset/confirm | sed 's/.*token=//'
}

# --- finding 2: unconfirmed addresses make no app passwords ---------------------
signup victim@example.com "Not The Victim"
is "$STATUS" 201 "someone signs up an address they do not own"
api POST /api/v1/tokens '{"email":"victim@example.com","password":"password-victim@example.com"}'
is "$STATUS" 201 "and may sign in before confirming it"
TOKEN=$(jqb .token)
api POST /api/v1/app-passwords '{"label":"squatter"}'
is "$STATUS" 403 "but an app password for the unconfirmed address is refused (API)"
is "$(jqb .error.code)" "email_unverified" "code email_unverified"
web_signin victim@example.com || diag "web sign-in failed"
like "$BODY" 'id="app-passwords-unverified"' "the settings page explains app passwords need a confirmed address"
form POST /settings/app-passwords "label=squatter" "csrf=$WCSRF"
is "$STATUS" 403 "the settings form refuses it too"
like "$BODY" "Confirm your e-mail address first" "saying why"
is "$(sql "SELECT COUNT(*) FROM app_passwords a JOIN users u ON u.id=a.user_id WHERE u.email='victim@example.com'")" 0 \
	"no app password was stored"
# one made behind the site's back (as before this fix) does not open CardDAV
VUID=$(uid_of victim@example.com)
sql "INSERT INTO app_passwords (user_id, label, secret_hash) VALUES ($VUID, 'old', SHA2('squattersecret0123456789', 256))"
dav_propfind victim@example.com squattersecret0123456789 "$VUID"
is "$STATUS" 401 "CardDAV refuses an app password of an unconfirmed address"

# the real owner takes the address back with a reset
JAR=""
rtok=$(reset_token victim@example.com)
like "$rtok" '^[A-Za-z0-9_-]{43}$' "the owner gets a reset link"
api POST /api/v1/password-reset/confirm "{\"token\":\"$rtok\",\"password\":\"the owner's own password\"}"
is "$STATUS" 200 "the owner sets a new password"
is "$(sql "SELECT COUNT(*) FROM app_passwords WHERE user_id=$VUID")" 0 "the squatter's app password is gone"
is "$(sql "SELECT email_verified_at IS NOT NULL FROM users WHERE id=$VUID")" 1 \
	"the mailed reset link confirmed the address"
is "$(sql "SELECT COUNT(*) FROM contact_keys WHERE ckey='e:victim@example.com' AND user_id=$VUID")" 1 \
	"and the address counts for matching"

# --- finding 2: a reset ends app passwords, and says so --------------------------
signup_verified carol@example.com "Carol" || bail "no member Carol"
CUID=$(uid_of carol@example.com)
api POST /api/v1/app-passwords '{"label":"phone"}'
is "$STATUS" 201 "a confirmed member makes an app password"
APPPW=$(jqb .password)
dav_propfind carol@example.com "$APPPW" "$CUID"
is "$STATUS" 207 "CardDAV answers with it"
rtok=$(reset_token carol@example.com)
like "$(mail_last carol@example.com)" "ends every API token and every app password" \
	"the reset mail says a new password ends app passwords"
JAR=$VARDIR/jar.reset
req GET "/reset/confirm?token=$rtok"
form POST /reset/confirm "token=$rtok" "password=carol's new password" "csrf=$(csrf_of)"
is "$STATUS" 200 "the reset form sets the new password"
like "$BODY" "every app password \\(CardDAV\\) was ended" "and the page says app passwords were ended"
dav_propfind carol@example.com "$APPPW" "$CUID"
is "$STATUS" 401 "the app password answers 401 after the reset"
JAR=""
is "$(sql "SELECT COUNT(*) FROM app_passwords WHERE user_id=$CUID")" 0 "no app password is left"

signup_verified zhou@example.com "周" || bail "no member Zhou"
sql "UPDATE users SET locale='zh-CN' WHERE email='zhou@example.com'"
reset_token zhou@example.com >/dev/null
like "$(mail_last zhou@example.com)" "应用密码都会失效" "the Chinese reset mail says so too"

# --- finding 6: sign-up mail quotas ---------------------------------------------------
# per recipient (Throttle.MailsPerRecipient = 3 here): new or taken, every sign-up counts
for i in 1 2 3; do
	from 127.0.0.4 POST /api/v1/accounts -H "$J" --data-binary \
		'{"email":"quota@example.com","password":"password quota","full_name":"Q"}'
	is "$STATUS" 201 "sign-up $i of quota@example.com: 201"
done
mail_wait quota@example.com 3
ok $? "three mails reached quota@example.com (a verification, then two 'already has one')"
from 127.0.0.5 POST /api/v1/accounts -H "$J" --data-binary \
	'{"email":"quota@example.com","password":"password quota","full_name":"Q"}'
is "$STATUS" 429 "the fourth sign-up to the address, even from another client: 429"
is "$(jqb .error.code)" "too_many_mails" "code too_many_mails"
like "$(header Retry-After)" '^[0-9]+$' "with Retry-After"
from 127.0.0.5 POST /api/v1/password-reset -H "$J" --data-binary '{"email":"quota@example.com"}'
is "$STATUS" 429 "a reset mail to the address shares the quota"
for i in 1 2 3; do
	from 127.0.0.5 POST /api/v1/password-reset -H "$J" --data-binary '{"email":"ghost@example.com"}'
done
is "$STATUS" 202 "resets for an address without an account count the same way"
from 127.0.0.5 POST /api/v1/password-reset -H "$J" --data-binary '{"email":"ghost@example.com"}'
is "$STATUS" 429 "and are refused the same way: nothing tells whether the address has an account"
sleep 2
is "$(mail_count quota@example.com)" 3 "no fourth mail was sent to quota@example.com"

# per client (Throttle.MailsPerClient, 20): a 21st sign-up from one address is refused
n201=0
for i in $(seq 1 20); do
	from 127.0.0.3 POST /api/v1/accounts -H "$J" --data-binary \
		"{\"email\":\"many$i@example.com\",\"password\":\"password many\",\"full_name\":\"M\"}"
	[ "$STATUS" = 201 ] && n201=$((n201 + 1))
done
is "$n201" 20 "twenty sign-ups from one client are accepted"
from 127.0.0.3 POST /api/v1/accounts -H "$J" --data-binary \
	'{"email":"many21@example.com","password":"password many","full_name":"M"}'
is "$STATUS" 429 "the 21st from the same client: 429"
is "$(jqb .error.code)" "too_many_mails" "code too_many_mails"
is "$(sql "SELECT COUNT(*) FROM users WHERE email='many21@example.com'")" 0 "no account was made"
from 127.0.0.6 POST /api/v1/accounts -H "$J" --data-binary \
	'{"email":"many21@example.com","password":"password many","full_name":"M"}'
is "$STATUS" 201 "another client still signs up"
mail_wait many20@example.com 1
sleep 1
is "$(mail_count many21@example.com)" 1 "the refused sign-up sent no mail (one mail, for the accepted one)"
JAR=$VARDIR/jar.quota
rm -f "$JAR"
from 127.0.0.3 GET /signup
from 127.0.0.3 POST /signup --data-urlencode "email=many22@example.com" --data-urlencode "password=password many" \
	--data-urlencode "full_name=M" --data-urlencode "csrf=$(csrf_of)"
is "$STATUS" 429 "the sign-up form answers 429 as well"
like "$BODY" "Too many mails" "with the reason on the form"
JAR=""

# --- finding 9: the sign-in throttle under concurrency ------------------------------
signup_verified par@example.com "Par" || bail "no member Par"
TOKEN=""
mkdir -p "$VARDIR/par"
for i in $(seq 1 12); do
	curl -s -o /dev/null -w '%{http_code}\n' -H "$J" \
		--data-binary '{"email":"par@example.com","password":"wrong password!"}' \
		"$B/api/v1/tokens" >"$VARDIR/par/$i" &
done
wait
n401=$(cat "$VARDIR"/par/* | grep -c '^401$')
n429=$(cat "$VARDIR"/par/* | grep -c '^429$')
diag "12 parallel wrong passwords: $n401 x 401, $n429 x 429"
ok $((n401 > 5)) "12 parallel wrong passwords give at most the limit (5) of 401s (got $n401)"
is "$((n401 + n429))" 12 "and 429 for the rest"

# --- finding 9: a stranger cannot lock the owner out ------------------------------------
signup_verified owner@example.com "Owner" || bail "no member Owner"
TOKEN=""
for i in 1 2 3 4 5 6; do
	from 127.0.0.2 POST /api/v1/tokens -H "$J" --data-binary '{"email":"owner@example.com","password":"guess guess"}'
done
is "$STATUS" 429 "a stranger guessing from another address is throttled"
api POST /api/v1/tokens '{"email":"owner@example.com","password":"password-owner@example.com"}'
is "$STATUS" 201 "the owner, from their own address, still signs in"
from 127.0.0.2 POST /api/v1/tokens -H "$J" --data-binary \
	'{"email":"owner@example.com","password":"password-owner@example.com"}'
is "$STATUS" 429 "while the stranger's address stays throttled, even with the right password"

# the looser ceiling per account (Throttle.AccountFailures = 10 here), across clients
signup_verified ceil@example.com "Ceil" || bail "no member Ceil"
TOKEN=""
for a in 127.0.0.7 127.0.0.8; do
	for i in 1 2 3 4 5; do
		from "$a" POST /api/v1/tokens -H "$J" --data-binary '{"email":"ceil@example.com","password":"guess guess"}'
	done
done
is "$STATUS" 401 "ten failures from two addresses: still 401"
api POST /api/v1/tokens '{"email":"ceil@example.com","password":"password-ceil@example.com"}'
is "$STATUS" 429 "then the account's ceiling stops every client for the window"
rt=$(reset_token ceil@example.com)
api POST /api/v1/password-reset/confirm "{\"token\":\"$rt\",\"password\":\"a new ceil password\"}"
api POST /api/v1/tokens '{"email":"ceil@example.com","password":"a new ceil password"}'
is "$STATUS" 201 "a completed password reset lifts the ceiling for the owner"

# --- finding 9: API tokens expire and can be revoked -------------------------------------
signup_verified tok@example.com "Tok" || bail "no member Tok"
T1=$TOKEN
like "$(sql "SELECT DATEDIFF(expires_at, created_at) FROM api_tokens WHERE token_hash=SHA2('$T1',256)")" '^30$' \
	"a new token expires after Auth.APITokenDays (30 here)"
api POST /api/v1/tokens '{"email":"tok@example.com","password":"password-tok@example.com","label":"script"}'
T2=$(jqb .token)
like "$(jqb .expires_at)" '^20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T' "the token's expiry is in the answer"
TOKEN=$T2
api GET /api/v1/tokens
is "$STATUS" 200 "GET /api/v1/tokens lists the member's tokens"
is "$(jqb '.tokens | length')" 2 "both of them"
is "$(jqb '.tokens[0].label')" "script" "newest first, with the label"
is "$(jqb '.tokens[0].current')" "true" "the calling token is marked current"
like "$(jqb '.tokens[1].expires_at')" '^20' "each with its expiry"
is "$(jqb '.tokens[0].token // "none"')" "none" "never the secret"
T1ID=$(jqb '.tokens[1].id')
# the passing of time: the first token is now past its expiry
sql "UPDATE api_tokens SET created_at = created_at - INTERVAL 31 DAY, expires_at = expires_at - INTERVAL 31 DAY WHERE token_hash=SHA2('$T1',256)"
TOKEN=$T1
api GET /api/v1/me
is "$STATUS" 401 "an expired token answers 401"
TOKEN=$T2
api GET /api/v1/tokens
is "$(jqb '.tokens | length')" 1 "and is no longer listed"
signup_verified other@example.com "Other" || bail "no member Other"
OTHER=$TOKEN
OID=$(sql "SELECT id FROM api_tokens WHERE token_hash=SHA2('$OTHER',256)")
TOKEN=$T2
api DELETE "/api/v1/tokens/$OID"
is "$STATUS" 404 "another member's token cannot be revoked (404)"
TOKEN=$OTHER
api GET /api/v1/me
is "$STATUS" 200 "and still works"
web_signin tok@example.com || diag "web sign-in failed"
like "$BODY" 'action="/settings/tokens/[0-9]+/delete"' "settings lists the tokens with a revoke button"
like "$BODY" "script" "by label"
T2ID=$(sql "SELECT id FROM api_tokens WHERE token_hash=SHA2('$T2',256)")
form POST "/settings/tokens/$T2ID/delete" "csrf=wrong"
is "$STATUS" 403 "revoking without the CSRF token is refused"
TOKEN=$T2
JAR_KEEP=$JAR
JAR=""
api GET /api/v1/me
is "$STATUS" 200 "the token still works"
JAR=$JAR_KEEP
TOKEN=""
form POST "/settings/tokens/$T2ID/delete" "csrf=$WCSRF"
is "$STATUS" 303 "the settings form revokes it"
JAR=""
TOKEN=$T2
api GET /api/v1/me
is "$STATUS" 401 "a revoked token answers 401"
TOKEN=""
api POST /api/v1/tokens '{"email":"tok@example.com","password":"password-tok@example.com"}'
T3=$(jqb .token)
T3ID=$(sql "SELECT id FROM api_tokens WHERE token_hash=SHA2('$T3',256)")
TOKEN=$T3
api DELETE "/api/v1/tokens/$T3ID"
is "$STATUS" 204 "DELETE /api/v1/tokens/{id} revokes a token"
api GET /api/v1/me
is "$STATUS" 401 "which then answers 401"
is "$(sql "SELECT COUNT(*) FROM api_tokens WHERE expires_at IS NULL")" 0 "no token lives forever"

done_testing
