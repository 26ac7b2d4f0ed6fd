#!/usr/bin/env bash
# 910-languages.t: the language of pages, mails, SMS and letters: a member's setting wins over
# Accept-Language; signed out, Accept-Language decides (q-values honoured, zh/zh-Hans/zh-CN →
# zh-CN, anything else → en), error pages included; the sign-up mail, the "saved your card" mail
# and letter, the subscription SMS and the card-update mail go out in the recipient's language.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/499-updates-lib.sh"
EXTRA_CONF=$'Updates.CoalesceSeconds = 0'
export EXTRA_CONF
stack_up

# lang_get LOCALE KEY: the string at Lang.KEY of templates/lang/LOCALE.hdf (with its includes).
cat >"$VARDIR/lang.py" <<'PY'
import os, re, sys
def load(path, base, prefix, out):
    for raw in open(path, encoding='utf-8'):
        line = raw.strip()
        if not line or line.startswith('#') and not line.startswith('#include'):
            continue
        m = re.match(r'#include\s+"([^"]+)"', line)
        if m:
            load(os.path.join(base, m.group(1)), base, prefix, out)
            continue
        if line == '}':
            prefix.pop()
            continue
        m = re.match(r'([A-Za-z0-9_.]+)\s*\{$', line)
        if m:
            prefix.append(m.group(1))
            continue
        m = re.match(r'([A-Za-z0-9_.]+)\s*=\s?(.*)$', line)
        if m:
            out['.'.join(prefix + [m.group(1)])] = m.group(2)
out = {}
base = os.path.join(sys.argv[1], 'lang')
load(os.path.join(base, sys.argv[2] + '.hdf'), base, [], out)
moddir = os.path.join(base, sys.argv[2])     # lang/<locale>/*.hdf load without #include (lib/tmpl.c)
for f in sorted(os.listdir(moddir)) if os.path.isdir(moddir) else []:
    if f.endswith('.hdf'):
        load(os.path.join(moddir, f), base, [], out)
print(out.get(sys.argv[3], ''))
PY
lang_get() { python3 "$VARDIR/lang.py" "$TOP/templates" "$1" "$2"; }

# mail_text TO: the newest mail to TO, headers decoded (RFC 2047) and body as text.
mail_text() {
	mail_last "$1" | python3 -c '
import sys, email
from email import policy
m = email.message_from_bytes(sys.stdin.buffer.read(), policy=policy.default)
print("Subject:", m["Subject"])
print(m.get_body(("plain",)).get_content() if m.get_body(("plain",)) else m.get_payload(decode=True).decode("utf-8", "replace"))'
}

# no_raw_key TEXT DESCRIPTION: no Lang key printed instead of its text (tmpl_text() answers a
# missing key with the key itself)
no_raw_key() {
	unlike "$1" '(Lang\.[A-Za-z]|[A-Z][A-Za-z]+\.[A-Z][A-Za-z]+\.[A-Za-z_]+)' "$2"
}
has_cjk() { printf '%s' "$1" | LC_ALL=C.UTF-8 grep -qP '[\x{4e00}-\x{9fff}]'; }
page_lang() { printf '%s' "$BODY" | grep -o '<html lang="[^"]*"' | head -1 | sed 's/.*lang="//;s/"$//'; }

SIGNIN_EN=$(lang_get en Nav.SignIn)
SIGNIN_ZH=$(lang_get zh-CN Nav.SignIn)
[ -n "$SIGNIN_EN" ] && [ -n "$SIGNIN_ZH" ] || bail "cannot read the language files"

# --- signed out: Accept-Language -------------------------------------------------------------
# al HEADER WANT: the sign-in page for Accept-Language HEADER speaks WANT.
al() {
	local hdr=$1 want=$2 text
	JAR=""
	if [ -n "$hdr" ]; then req GET /signin -H "Accept-Language: $hdr"; else req GET /signin; fi
	if [ "$want" = en ]; then text=$SIGNIN_EN; else text=$SIGNIN_ZH; fi
	is "$(page_lang)/$(printf '%s' "$BODY" | grep -qF "$text" && echo yes)" "$want/yes" \
		"Accept-Language '${hdr:-(none)}' → $want" || true
	[ "$(page_lang)" = "$want" ] && [[ $BODY == *"$text"* ]]
}
al "zh-CN" zh-CN
al "zh" zh-CN
al "zh-Hans" zh-CN
al "zh-Hans-CN,zh;q=0.9" zh-CN
al "zh_CN" zh-CN
al "en-US,en;q=0.9" en
al "en;q=0.3, zh-CN;q=0.8" zh-CN
al "zh-CN;q=0.2, en-GB;q=0.9" en
al "fr-FR,fr;q=0.9,zh;q=0.5" zh-CN
al "fr-FR,de;q=0.8" en
al "zh;q=0, fr" en
al "" en

# the lc_lang cookie (a visitor's explicit choice) beats Accept-Language
req GET /signin -H "Accept-Language: en" -H "Cookie: lc_lang=zh-CN"
is "$(page_lang)" zh-CN "signed out: the lc_lang cookie beats Accept-Language"

# the footer's language links set that cookie (a signed-out visitor's choice, no JavaScript needed)
JAR=$VARDIR/jar.pick
req GET "/lang/zh-CN?next=/signup" -H "Accept-Language: en"
is "$STATUS $(header Location)" "303 /signup" "/lang/zh-CN goes back to the page it was chosen on"
req GET /signup -H "Accept-Language: en"
is "$(page_lang)" zh-CN "and that page is Chinese from then on, whatever Accept-Language says"
req GET "/lang/en?next=/signup" -H "Accept-Language: zh-CN"
req GET /signup -H "Accept-Language: zh-CN"
is "$(page_lang)" en "/lang/en switches back"
req GET "/lang/fr?next=/" -H "Accept-Language: zh-CN"
is "$STATUS/$(page_lang)" 404/en "an unsupported language is a 404 (in the language chosen before, not Accept-Language)"
JAR=""

# error pages speak the visitor's language too, also when no route matched
req GET /signout -H "Accept-Language: zh-CN"
is "$STATUS/$(page_lang)" 405/zh-CN "a 405 page (no route for the method) in Chinese"
like "$BODY" "$(lang_get zh-CN ErrorPage.Title)" "with the Chinese error title"
req GET /c/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA -H "Accept-Language: zh-CN"
is "$STATUS/$(page_lang)" 404/zh-CN "a 404 page in Chinese"
req GET /reset/confirm -H "Accept-Language: zh-CN;q=0.9,en;q=0.1"
is "$STATUS/$(page_lang)" 400/zh-CN "a 400 page (missing input) in Chinese"
req GET /signout -H "Accept-Language: en"
is "$STATUS/$(page_lang)" 405/en "and in English"
api POST /api/v1/tokens '{"email":"x@example.com"}'
like "$(jqb .error.message)" '^[ -~]+$' "JSON API errors stay English (for developers, docs/i18n.md)"

# --- the sign-up mail goes in the language of the page it was asked from -----------------------
JAR=$VARDIR/jar.zh
req GET /signup -H "Accept-Language: zh-CN"
c=$(csrf_of)
req POST /signup -H "Accept-Language: zh-CN" --data-urlencode "csrf=$c" --data-urlencode "full_name=王芳" \
	--data-urlencode "email=wang@example.com" --data-urlencode "password=password-wang@example.com"
is "$(page_lang)" zh-CN "signing up with the Chinese form answers in Chinese"
mail_wait wang@example.com 1
ok $? "a verification mail"
m=$(mail_text wang@example.com)
like "$m" "Subject: $(lang_get zh-CN Mail.Verify.Subject)" "its subject is Chinese"
like "$m" "$(lang_get zh-CN Mail.Verify.Body)" "its body is Chinese"
unlike "$m" "$(lang_get en Mail.Verify.Body)" "no English body"
no_raw_key "$m" "no language key in it"
is "$(sql "SELECT locale FROM users WHERE email='wang@example.com'")" zh-CN "the member's setting starts in Chinese"

JAR=""
req POST /api/v1/accounts -H 'Content-Type: application/json' -H "Accept-Language: zh-Hans" \
	--data-binary '{"email":"li@example.com","password":"password-li@example.com","full_name":"Li Lei"}'
is "$STATUS" 201 "signing up over the API with Accept-Language: zh-Hans"
mail_wait li@example.com 1
like "$(mail_text li@example.com)" "$(lang_get zh-CN Mail.Verify.Subject)" "the mail is Chinese"
req POST /api/v1/accounts -H 'Content-Type: application/json' -H "Accept-Language: zh-CN" \
	--data-binary '{"email":"ann@example.com","password":"password-ann@example.com","full_name":"Ann","locale":"en"}'
mail_wait ann@example.com 1
m=$(mail_text ann@example.com)
like "$m" "Subject: $(lang_get en Mail.Verify.Subject)" "an explicit locale \"en\" beats Accept-Language"

# --- members: the setting wins over Accept-Language -------------------------------------------
signup_verified alice@example.com "Alice Zhang" || bail "no member A"
TA=$TOKEN
put_card '{"full_name":"Alice Zhang","title":"Manager","phones":[{"type":"work","value":"+86 10 1234 5678"}]}'
TOK_A=$(share_token)
api PUT /api/v1/me '{"locale":"zh-CN"}'
is "$STATUS" 200 "A chooses Chinese"
signup_verified dan@example.com "Dan Li" || bail "no member D"
TD=$TOKEN
put_card '{"full_name":"Dan Li","title":"Engineer","emails":[{"type":"work","value":"dan@example.com"}]}'
api PUT /api/v1/me '{"locale":"en"}'

web_signin alice@example.com || bail "A cannot sign in"
for p in / /settings /savers /inbox; do
	req GET "$p" -H "Accept-Language: en-US,en;q=0.9"
	is "$(page_lang)" zh-CN "A (setting zh-CN) asks for English with Accept-Language: $p is Chinese"
done
req GET "/folder?limit=0" -H "Accept-Language: en"
is "$STATUS/$(page_lang)" 400/zh-CN "a number out of range in the address: a Chinese 400 page for A"
like "$BODY" "$(lang_get zh-CN Errors.invalid_number)" "that says what is wrong in Chinese (Errors.invalid_number)"
req GET /signin -H "Accept-Language: en" -H "Cookie: lc_lang=en"
web_signin dan@example.com || bail "D cannot sign in"
req GET /folder -H "Accept-Language: zh-CN"
is "$(page_lang)" en "D (setting en) asks for Chinese with Accept-Language: /folder is English"
req GET /folder/999999 -H "Accept-Language: zh-CN"
is "$STATUS/$(page_lang)" 404/en "D's error pages follow the setting too"
req GET "/folder?limit=abc"
is "$STATUS/$(page_lang)" 400/en "a bad number in the address: a 400 page"
like "$BODY" "$(lang_get en Errors.invalid_number)" "that says what is wrong (Errors.invalid_number)"

# --- D saves A's card: A's mail and letter are Chinese (her setting), whatever D speaks --------
TOKEN=$TD
JAR=""
req POST /api/v1/folder/save-shared -H 'Content-Type: application/json' -H "Accept-Language: en" \
	--data-binary "{\"token\":\"$TOK_A\"}"
like "$STATUS" '^20[01]$' "D saves A's card (D's request in English)"
EA=$(jqb .entry.id)
mail_wait alice@example.com 2
ok $? "A is told by mail"
m=$(mail_text alice@example.com)
like "$m" "Subject: Dan Li $(lang_get zh-CN Savers.Mail.Saved.Subject)" "the mail's subject is Chinese"
like "$m" "$(lang_get zh-CN Savers.Mail.Saved.Body)" "and its body"
unlike "$m" "$(lang_get en Savers.Mail.Saved.Body)" "no English in it"
no_raw_key "$m" "no language key in it"
TOKEN=$TA
JAR=""
api GET /api/v1/notifications
like "$(jqb -r '.notifications[0].text')" "$(lang_get zh-CN Savers.Letter.Saved)" \
	"A's letter reads in Chinese (API, A's setting)"
web_signin alice@example.com
req GET /inbox -H "Accept-Language: en"
like "$BODY" "Dan Li $(lang_get zh-CN Savers.Letter.Saved)" "and on her inbox page"

# --- a non-member subscribes by SMS from the Chinese page: the code comes in Chinese ------------
JAR=$VARDIR/jar.sub
req GET "/c/$TOK_A/subscribe" -H "Accept-Language: zh-CN"
is "$(page_lang)" zh-CN "the subscribe page in Chinese"
req POST "/c/$TOK_A/subscribe" -H "Accept-Language: zh-CN" --data-urlencode "csrf=$(csrf_of)" \
	--data-urlencode "full_name=王小明" --data-urlencode "phone=+86 138 0013 9000"
is "$STATUS" 202 "subscribing a phone number"
sms_wait "+8613800139000" 1
ok $? "an SMS with the code"
like "$(sms_to "+8613800139000" | tail -1)" "$(lang_get zh-CN Savers.SMS.Code)" "in Chinese"
no_raw_key "$(sms_to "+8613800139000" | tail -1)" "no language key in the SMS"
JAR=$VARDIR/jar.sub.en
req GET "/c/$TOK_A/subscribe" -H "Accept-Language: en"
req POST "/c/$TOK_A/subscribe" -H "Accept-Language: en" --data-urlencode "csrf=$(csrf_of)" \
	--data-urlencode "full_name=Pat Phone" --data-urlencode "phone=+86 138 0013 9001"
sms_wait "+8613800139001" 1
like "$(sms_to "+8613800139001" | tail -1)" "$(lang_get en Savers.SMS.Code)" "and in English from the English page"
has_cjk "$(sms_to "+8613800139001" | tail -1)"
ok $((! $?)) "with no Chinese in it"

# a Chinese subscriber by e-mail: the confirmation mail is Chinese
JAR=$VARDIR/jar.sub.mail
req GET "/c/$TOK_A/subscribe" -H "Accept-Language: zh-CN"
req POST "/c/$TOK_A/subscribe" -H "Accept-Language: zh-CN" --data-urlencode "csrf=$(csrf_of)" \
	--data-urlencode "full_name=张三" --data-urlencode "email=zhang@example.org"
mail_wait zhang@example.org 1
ok $? "a subscription mail"
link=$(mail_link zhang@example.org /s/confirm)
like "$(mail_text zhang@example.org)" "Subject: $(lang_get zh-CN Savers.Mail.Confirm.Subject)" "in Chinese"
req GET "/s/confirm?token=${link##*token=}" -H "Accept-Language: zh-CN"
req POST /s/confirm -H "Accept-Language: zh-CN" --data-urlencode "csrf=$(csrf_of)" --data-urlencode "token=${link##*token=}"
is "$STATUS" 200 "the subscription is confirmed"

# --- A changes her phone: D's update mail is English, the Chinese subscriber's is Chinese -------
fanout_idle 20
TOKEN=$TA
JAR=""
n_d=$(mail_count dan@example.com)
n_z=$(mail_count zhang@example.org)
edit_card '.phones[0].value = "+86 10 8765 4321"'
is "$STATUS" 200 "A changes her phone number"
fanout_idle 20
sql "UPDATE users SET notify_email = 1 WHERE email = 'dan@example.com'"
mail_wait zhang@example.org $((n_z + 1))
ok $? "the Chinese subscriber is told"
m=$(mail_text zhang@example.org)
like "$m" "Subject: Alice Zhang $(lang_get zh-CN Updates.Sub.Subject)" "in Chinese"
no_raw_key "$m" "no language key in it"
TOKEN=$TD
api GET /api/v1/notifications
like "$(jqb -r '[.notifications[].text] | join(" | ")')" "$(lang_get en Updates.Letter.Updated)" \
	"D's update letter is English (his setting)"
has_cjk "$(jqb -r '[.notifications[].text] | join(" | ")')"
ok $((! $?)) "with no Chinese in it"
if mail_wait dan@example.com $((n_d + 1)) 5; then
	has_cjk "$(mail_text dan@example.com)"
	ok $((! $?)) "D's update mail has no Chinese"
fi

done_testing
