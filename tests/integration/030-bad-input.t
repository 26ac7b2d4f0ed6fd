#!/usr/bin/env bash
# 030-bad-input.t: malformed requests get a clear 4xx (JSON under /api/,
# HTML elsewhere), never a 5xx, and write nothing.
. "$(dirname "$0")/../lib.sh"
stack_up
signup_verified erin@example.com "Erin"
ERIN=$TOKEN
TOKEN=""
pw128=$(head -c 128 /dev/zero | tr '\0' 'p')
api POST /api/v1/accounts "{\"email\":\"long@example.com\",\"password\":\"$pw128\",\"full_name\":\"Long\"}"
is "$STATUS" 201 "a 128-character password is accepted"
mail_wait long@example.com 1
rows() { sql "SELECT (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM email_tokens), (SELECT COUNT(*) FROM outbox), (SELECT full_name FROM users WHERE email='erin@example.com')"; }
before=$(rows)

# check_bad METHOD PATH STATUS CODE DESCRIPTION [curl args...]
check_bad() {
	local method=$1 path=$2 want=$3 code=$4 what=$5
	shift 5
	req "$method" "$path" "$@"
	is "$STATUS" "$want" "$what: $want"
	if [ -n "$code" ]; then
		is "$(jqb .error.code 2>/dev/null)" "$code" "$what: error code $code"
		like "$(header Content-Type)" '^application/json' "$what: a JSON error body"
	fi
}
J=(-H 'Content-Type: application/json')

for ep in /api/v1/accounts /api/v1/tokens /api/v1/password-reset /api/v1/accounts/verify; do
	check_bad POST "$ep" 400 invalid_json "$ep malformed JSON" "${J[@]}" --data-binary '{"email": '
	check_bad POST "$ep" 400 invalid_json "$ep a JSON array" "${J[@]}" --data-binary '["x"]'
	check_bad POST "$ep" 415 unsupported_media_type "$ep text/plain" -H 'Content-Type: text/plain' --data-binary '{}'
	check_bad POST "$ep" 415 unsupported_media_type "$ep a form" --data-urlencode 'email=x@example.com'
	check_bad POST "$ep" 400 unknown_field "$ep an unknown field" "${J[@]}" --data-binary '{"bogus":1}'
	check_bad POST "$ep" 400 invalid_json "$ep a duplicate key" "${J[@]}" --data-binary '{"email":"a@b.cn","email":"c@d.cn"}'
done
check_bad POST /api/v1/accounts 400 invalid_type "wrong type (number for e-mail)" "${J[@]}" \
	--data-binary '{"email":5,"password":"long enough pw","full_name":"X"}'
is "$(jqb .error.field)" "email" "naming the field"
check_bad POST /api/v1/accounts 400 invalid_type "wrong type (object for name)" "${J[@]}" \
	--data-binary '{"email":"x@example.com","password":"long enough pw","full_name":{"a":1}}'
check_bad POST /api/v1/accounts 400 required "a missing required field" "${J[@]}" \
	--data-binary '{"email":"x@example.com","password":"long enough pw"}'
is "$(jqb .error.field)" "full_name" "naming it"
check_bad POST /api/v1/accounts 400 invalid_utf8 "invalid UTF-8" "${J[@]}" \
	--data-binary $'{"email":"x@example.com","password":"long enough pw","full_name":"\xc3\x28"}'
check_bad POST /api/v1/accounts 400 invalid_utf8 "an overlong UTF-8 sequence" "${J[@]}" \
	--data-binary $'{"email":"x@example.com","password":"long enough pw","full_name":"\xc0\xaf"}'
check_bad POST /api/v1/accounts 400 invalid_json "a NUL escaped in a string" "${J[@]}" \
	--data-binary '{"email":"x@example.com","password":"long enough pw","full_name":"a\u0000b"}'
long=$(head -c 201 /dev/zero | tr '\0' 'n')
check_bad POST /api/v1/accounts 400 too_long "an over-long name" "${J[@]}" \
	--data-binary "{\"email\":\"x@example.com\",\"password\":\"long enough pw\",\"full_name\":\"$long\"}"
check_bad POST /api/v1/accounts 400 invalid_email "a bad e-mail" "${J[@]}" \
	--data-binary '{"email":"x@@example.com","password":"long enough pw","full_name":"X"}'
check_bad POST /api/v1/accounts 400 invalid_phone "a bad phone" "${J[@]}" \
	--data-binary '{"email":"x@example.com","password":"long enough pw","full_name":"X","phone":"12"}'
check_bad POST /api/v1/accounts 400 invalid_value "an unknown enum value" "${J[@]}" \
	--data-binary '{"email":"x@example.com","password":"long enough pw","full_name":"X","locale":"fr"}'
check_bad POST /api/v1/accounts 400 too_short "a short password" "${J[@]}" \
	--data-binary '{"email":"x@example.com","password":"short","full_name":"X"}'
head -c 1100000 /dev/zero | tr '\0' ' ' >"$VARDIR/big.json"
check_bad POST /api/v1/accounts 413 too_large "a body over 1 MiB" "${J[@]}" --data-binary "@$VARDIR/big.json"
check_bad POST /api/v1/accounts 400 invalid_json "an empty JSON body that is not an object" "${J[@]}" --data-binary ' '

TOKEN=$ERIN
check_bad PUT /api/v1/me 400 invalid_type "a boolean where text belongs" "${J[@]}" --data-binary '{"full_name":true}'
check_bad PUT /api/v1/me/channels 400 invalid_type "a string where a boolean belongs" "${J[@]}" --data-binary '{"email":"yes"}'
check_bad PUT /api/v1/me/channels 400 invalid_url "a webhook that is not http(s)" "${J[@]}" --data-binary '{"webhook_url":"ftp://example.com/"}'
check_bad PUT /api/v1/me/channels 400 webhook_address "a webhook to loopback" "${J[@]}" --data-binary '{"webhook_url":"http://127.0.0.1/hook"}'
check_bad PUT /api/v1/me/channels 400 webhook_address "a webhook to a private network" "${J[@]}" --data-binary '{"webhook_url":"http://10.0.0.1/hook"}'
check_bad PUT /api/v1/me/channels 400 webhook_address "a webhook to a name that resolves to loopback" "${J[@]}" --data-binary '{"webhook_url":"http://localhost:9/hook"}'
check_bad DELETE /api/v1/app-passwords/abc 404 not_found "a non-numeric id"
check_bad DELETE /api/v1/app-passwords/0 404 not_found "id zero"
check_bad DELETE /api/v1/app-passwords/99999999999999999999 404 not_found "an id past 64 bits"
TOKEN=""

check_bad GET /api/v1/no/such/thing 404 not_found "an unknown API path"
check_bad PATCH /api/v1/me 405 method_not_allowed "a method the path does not have"
like "$(header Allow)" "GET" "with Allow"
check_bad GET /api/v1/me 401 invalid_token "a malformed bearer token" -H 'Authorization: Bearer x y z'
check_bad GET /no/such/page 404 "" "an unknown page"
like "$(header Content-Type)" '^text/html' "answered as an HTML page"
like "$BODY" '<!DOCTYPE html>' "a whole page"
check_bad POST /api/v1/accounts 400 "" "a negative Content-Length (nginx refuses it)" "${J[@]}" -H 'Content-Length: -5' --data-binary '{}'

is "$(rows)" "$before" "nothing was written by any of the bad requests"
fives=$(awk '$9 ~ /^5/' "$VARDIR/log/nginx-access.log" | wc -l)
is "$fives" 0 "no request was answered with a 5xx"
done_testing
