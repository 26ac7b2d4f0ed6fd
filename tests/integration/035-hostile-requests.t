#!/usr/bin/env bash
# 035-hostile-requests.t: hostile requests to the request layer (issue 17,
# findings 1, 3, 5 and the CSRF part of 9): malformed multipart bodies never
# crash a worker, too many parts and unauthenticated uploads are refused
# before the body is parsed, `next` never leads to another host, and the CSRF
# token is never taken from the query string.
. "$(dirname "$0")/../lib.sh"
# one worker per program: every request below reaches the same process
export WORKERS=1
stack_up
JAR=$VARDIR/jar

# mp BOUNDARY-OR-CTYPE BODY [PATH]: a raw multipart POST (with the jar's
# cookies) to PATH (/signin); BODY is given with $'...' escapes.
mp() {
	local ctype=$1 body=$2 path=${3:-/signin}
	printf '%s' "$body" >"$VARDIR/mp.body"
	req POST "$path" -H "Content-Type: $ctype" --data-binary "@$VARDIR/mp.body"
}
crashes() { grep -c 'ended (status' "$VARDIR"/log/*.log 2>/dev/null | awk -F: '{s += $NF} END {print s + 0}'; }

# --- finding 1: multipart without a usable boundary --------------------------
req GET /signin
csrf=$(csrf_of)
[ -n "$csrf" ] || bail "no CSRF token on /signin"
good=$'--BB\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n'"$csrf"$'\r\n--BB\r\nContent-Disposition: form-data; name="email"\r\n\r\nnobody@example.com\r\n--BB\r\nContent-Disposition: form-data; name="password"\r\n\r\nwrong password\r\n--BB--\r\n'
mp 'multipart/form-data; boundary=BB' "$good"
is "$STATUS" 401 "a well-formed multipart sign-in is read (wrong password: 401)"
mp 'multipart/form-data' $'--BB\r\n\r\nx\r\n--BB--\r\n'
is "$STATUS" 400 "multipart without boundary= is a 400"
like "$BODY" "boundary|multipart|could not be read" "saying what is wrong"
req GET /signin
is "$STATUS" 200 "the same worker still answers"
is "$(crashes)" 0 "no worker ended"

# more malformed bodies: each a 400, none reaches a parser that could crash
bad_body() { # bad_body CTYPE BODY WHAT
	mp "$1" "$2"
	is "$STATUS" 400 "$3: 400"
}
part=$'Content-Disposition: form-data; name="csrf"\r\n\r\n'"$csrf"
bad_body 'multipart/form-data; boundary=' $'--\r\n\r\nx\r\n----\r\n' "an empty boundary"
bad_body 'multipart/form-data; boundary="BB' "--BB"$'\r\n'"$part"$'\r\n--BB--\r\n' "an unterminated quoted boundary"
bad_body "multipart/form-data; boundary=$(head -c 71 /dev/zero | tr '\0' b)" $'--b\r\n\r\n' "a 71-character boundary"
bad_body 'multipart/form-data; boundary=B{B' $'--B{B\r\n'"$part"$'\r\n--B{B--\r\n' "a boundary outside RFC 2046's characters"
bad_body 'multipart/form-data; boundary=BB' $'--BB\n'"${part//$'\r'/}"$'\n--BB--\n' "LF-only line ends"
bad_body 'multipart/form-data; boundary=BB' $'--BB\r'"${part//$'\n'/}"$'\r--BB--\r' "CR-only line ends"
bad_body 'multipart/form-data; boundary=BB' $'--BB\r\n'"$part" "no closing delimiter"
bad_body 'multipart/form-data; boundary=BB' $'--BB\r\nContent-Disposition: form-data; name="csrf"\r\n' "a part without the blank line"
bad_body 'multipart/form-data; boundary=BB' $'--BB\r\n\r\n\r\n--BB--\r\n' "an empty part without headers"
bad_body 'multipart/form-data; boundary=B' $'--B\r\n'"$part"$'\r\n--BB\r\nx\r\n--B--\r\n' "the boundary as the prefix of a line"
for i in 1 2 3; do
	mp 'multipart/form-data' $'--BB\r\n\r\nx\r\n--BB--\r\n'
done
is "$STATUS" 400 "the crash body again and again: still 400"
req GET /signin
is "$STATUS" 200 "the worker still answers after all of them"
is "$(crashes)" 0 "and no worker ended"

# --- finding 5: too many parts, and nothing parsed before auth and CSRF ----
signup_verified fay@example.com "Fay"
web_signin fay@example.com /folder/import || bail "web sign-in failed"
icsrf=$(csrf_of)
parts() { # parts N FIELD: N one-byte file parts named FIELD.i, then the close
	local i
	{
		printf -- '--BB\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n%s\r\n' "$icsrf"
		for ((i = 0; i < $1; i++)); do
			printf -- '--BB\r\nContent-Disposition: form-data; name="%s%d"; filename="x"\r\n\r\nx\r\n' "$2" "$i"
		done
		printf -- '--BB--\r\n'
	} >"$VARDIR/parts.body"
}
entries() { sql "SELECT COUNT(*) FROM folder_entries"; }
before=$(entries)
parts 17 f
req POST /folder/import -H 'Content-Type: multipart/form-data; boundary=BB' --data-binary "@$VARDIR/parts.body"
is "$STATUS" 413 "17 file parts (Limits.MultipartParts 16): 413"
like "$BODY" "too many parts" "saying why"
{
	printf -- '--BB\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n%s\r\n' "$icsrf"
	for ((i = 0; i < 401; i++)); do printf -- '--BB\r\nContent-Disposition: form-data; name="f"\r\n\r\nx\r\n'; done
	printf -- '--BB--\r\n'
} >"$VARDIR/fields.body"
req POST /folder/import -H 'Content-Type: multipart/form-data; boundary=BB' --data-binary "@$VARDIR/fields.body"
is "$STATUS" 413 "401 parts (Limits.FormParts 400): 413"
is "$(entries)" "$before" "nothing was imported"

# the same hostile body without a session: refused before it is read
JAR=""
CSRF=""
parts 15000 f
t0=$(date +%s%N)
req POST /folder/import -H 'Content-Type: multipart/form-data; boundary=BB' --data-binary "@$VARDIR/parts.body"
ms=$((($(date +%s%N) - t0) / 1000000))
is "$STATUS" 401 "15,000 file parts to /folder/import without a session: 401"
ok $((ms < 1000 ? 0 : 1)) "answered in ${ms} ms (< 1 s): the body was not parsed"
is "$(ls /var/tmp 2>/dev/null | grep -c '^cgi_upload')" 0 "no upload temp file left in /var/tmp"
# an anonymous form without the lc_csrf cookie: refused before it is read
# (5,000 parts: under Limits.BodyBytes, which is checked first)
parts 5000 f
t0=$(date +%s%N)
req POST /signin -H 'Content-Type: multipart/form-data; boundary=BB' --data-binary "@$VARDIR/parts.body"
ms=$((($(date +%s%N) - t0) / 1000000))
is "$STATUS" 403 "an anonymous multipart form without the CSRF cookie: 403"
ok $((ms < 1000 ? 0 : 1)) "answered in ${ms} ms (< 1 s)"
is "$(crashes)" 0 "no worker ended"

# urlencoded forms are parsed by livecard too: ClearSilver's parser took
# time quadratic in a repeated field's count (100,000 "a=1&": over 60 s)
JAR=$VARDIR/jar.url
req GET /signin
ucsrf=$(csrf_of)
python3 -c "import sys; sys.stdout.write('csrf=$ucsrf&email=a%40b.cn&password=x&' + 'a=1&' * 50000)" >"$VARDIR/u.body"
t0=$(date +%s%N)
req POST /signin -H 'Content-Type: application/x-www-form-urlencoded' --data-binary "@$VARDIR/u.body"
ms=$((($(date +%s%N) - t0) / 1000000))
is "$STATUS" 413 "50,000 repeated urlencoded fields (Limits.FormParts 400): 413"
ok $((ms < 1000 ? 0 : 1)) "answered in ${ms} ms (< 1 s)"
req POST /signin -H 'Content-Type: application/x-www-form-urlencoded' --data-binary "csrf=$ucsrf&email=a%40b.cn&password=%zz"
is "$STATUS" 400 "a malformed percent escape: 400"
req POST /signin -H 'Content-Type: application/x-www-form-urlencoded; charset=UTF-8' \
	--data-binary "csrf=$ucsrf&email=nobody%40example.com&password=wrong+password"
is "$STATUS" 401 "a form with a charset parameter is read (wrong password: 401)"

# --- finding 3: next never leads to another host -----------------------------
JAR=$VARDIR/jar.lang
# location_local: the Location is "/" or a path whose second character is
# not /, \ or a control character (what browsers read as a host)
for next in '/%09/evil.example/x' '/%0a/evil.example/x' '/%0d/evil.example/x' '//evil.example/x' \
	'/%5C/evil.example/x' '/\/evil.example/x' 'https://evil.example/' '/%2509/evil.example' '%09/evil.example'; do
	req GET "/lang/en?next=$next"
	is "$STATUS" 303 "/lang/en?next=$next: 303"
	is "$(header Location)" "/" "/lang/en?next=$next goes to / (not another host)"
done
req GET "/lang/zh-CN?next=/folder%3Ftag%3Dx"
is "$(header Location)" "/folder?tag=x" "a local path with a query is kept"
req GET "/signin?next=/%09/evil.example/x"
is "$STATUS" 200 "the sign-in page with a tab in next"
unlike "$BODY" 'evil\.example' "does not carry it into the form"
req GET "/signin?next=/settings"
like "$BODY" 'name="next" value="/settings"' "a local next is carried into the form"
JAR=$VARDIR/jar.si
req GET /signin
scsrf=$(csrf_of)
form POST /signin "csrf=$scsrf" "email=fay@example.com" "password=password-fay@example.com" $'next=/\t/evil.example/x'
is "$STATUS" 303 "signing in with a tab in next: 303"
is "$(header Location)" "/" "to / (not another host)"

# --- finding 9: the CSRF token only from a header or the body ---------------
web_signin fay@example.com || bail "web sign-in failed"
CSRF=""
req POST "/signout?csrf=$WCSRF" -H 'Content-Type: application/x-www-form-urlencoded' --data-binary 'x=1'
is "$STATUS" 403 "the session's CSRF token in the query string is refused"
req GET /settings
is "$STATUS" 200 "and the session is still there"
form POST /signout "csrf=$WCSRF"
is "$STATUS" 303 "the same token in the body signs out"
JAR=$VARDIR/jar.anon
req GET /signin
acsrf=$(csrf_of)
form POST "/signin?csrf=$acsrf" "email=fay@example.com" "password=password-fay@example.com"
is "$STATUS" 403 "the double-submit token in the query string is refused"
req POST /signin -H "X-CSRF-Token: $acsrf" --data-urlencode "email=fay@example.com" --data-urlencode "password=password-fay@example.com"
is "$STATUS" 303 "the header works"
is "$(crashes)" 0 "no worker ended in this whole test"
done_testing
