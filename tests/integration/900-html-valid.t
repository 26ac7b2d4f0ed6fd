#!/usr/bin/env bash
# 900-html-valid.t: every HTML page of every program (signed out, signed in, error pages and the
# HTML answers of forms with errors), in English and in Chinese, passes Debian's tidy 5.6 with no
# error and no warning outside a short allow-list, declares its language, has a title, and shows
# no raw Lang key, no empty translation and no text of the other language.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/499-updates-lib.sh"
EXTRA_CONF=$'Updates.CoalesceSeconds = 0'
export EXTRA_CONF
command -v tidy >/dev/null || bail "tidy (Debian package tidy) is needed"
stack_up

# --- tidy's allow-list ---------------------------------------------------------------------
# tidy 5.6 predates parts of HTML5; these messages are about valid HTML5 and nothing else.
# Keep this list short: every entry needs its reason.
TIDY_ALLOW=(
	# minlength is a standard HTML5 attribute of <input>/<textarea>; tidy 5.6's attribute
	# table lacks it.
	'<input> proprietary attribute "minlength"'
	'<textarea> proprietary attribute "minlength"'
	# inputmode (the phone keypad for codes and numbers) is a standard HTML attribute (WHATWG)
	# unknown to tidy 5.6.
	'proprietary attribute "inputmode"'
	# aria-current (WAI-ARIA 1.1) marks the current page in a navigation; tidy 5.6's ARIA table
	# stops at ARIA 1.0.
	'proprietary attribute "aria-current"'
	# loading="lazy" on <img> is standard HTML (2020); tidy 5.6 predates it.
	'<img> proprietary attribute "loading"'
	# An empty <span> is valid HTML5; ours are decorative (aria-hidden) or filled by script
	# (the letter badge). tidy warns only because its cleanup would drop them. Empty <nav>,
	# <p>, <li> ... are NOT allowed: an empty landmark or paragraph is a real defect.
	'trimming empty <span>'
)

# --- the page checker ----------------------------------------------------------------------
# check.py FILE LANG: prints one line per problem (raw Lang key, empty element that should hold a
# translation, missing/wrong lang, missing title, text of the other language).
cat >"$VARDIR/check.py" <<'PY'
import re, sys
from html.parser import HTMLParser
path, lang = sys.argv[1], sys.argv[2]
src = open(path, encoding='utf-8').read()
problems = []
# elements whose text is always a translation: empty means a missing Lang key
MUST_TEXT = {'title', 'h1', 'h2', 'h3', 'label', 'button', 'legend', 'summary', 'caption', 'th', 'a', 'option'}
# attributes that are shown or read to the user
SHOWN_ATTRS = ('aria-label', 'placeholder', 'title', 'alt')
class P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []          # [tag, text, has_child_content, line, lang]
        self.html_lang = None
        self.title = None
        self.texts = []          # (line, text) shown to the user
        self.skip = 0            # inside <script>/<style>
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        line = self.getpos()[0]
        if tag == 'html':
            self.html_lang = a.get('lang')
        here = a.get('lang') if tag != 'html' else None
        here = here or self.part_lang()
        for k in SHOWN_ATTRS:
            if k in a:
                v = a[k] or ''
                if k != 'alt' and not v.strip():
                    problems.append(f'line {line}: <{tag}> has an empty {k}')
                if v.strip():
                    self.texts.append((line, v, here))
        if tag == 'input' and a.get('type') in ('submit', 'button', 'reset'):
            v = a.get('value') or ''
            if not v.strip():
                problems.append(f'line {line}: <input type={a.get("type")}> without a label')
            self.texts.append((line, v, here))
        if tag in ('img', 'input', 'select', 'textarea', 'svg') and self.stack:
            for s in self.stack:
                s[2] = True      # an image or a control is content of a link or label
        if tag in ('script', 'style'):
            self.skip += 1
        if tag in ('br', 'img', 'input', 'meta', 'link', 'hr', 'source', 'col', 'wbr', 'area', 'base', 'embed', 'track'):
            return
        if tag in MUST_TEXT:
            hidden = 'hidden' in a or a.get('aria-label') or a.get('aria-labelledby')
            self.stack.append([tag, '', bool(hidden), line, a.get('lang') if tag != 'html' else None])
        else:
            self.stack.append([tag, '', True, line, a.get('lang') if tag != 'html' else None])
    def part_lang(self):
        # the language of a part of the page marked with its own lang attribute (WCAG 3.1.2)
        for s in reversed(self.stack):
            if s[4]:
                return s[4]
        return None
    def handle_endtag(self, tag):
        if tag in ('script', 'style'):
            self.skip = max(0, self.skip - 1)
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                t, text, other, line, _ = self.stack[i]
                if tag == 'title':
                    self.title = text
                if tag in MUST_TEXT and not text.strip() and not other:
                    problems.append(f'line {line}: empty <{tag}> (a missing translation?)')
                del self.stack[i:]
                if self.stack and text.strip():
                    for s in self.stack:
                        s[1] += text
                return
    def handle_data(self, data):
        if self.skip:
            return
        if self.stack:
            self.stack[-1][1] += data
        if data.strip():
            self.texts.append((self.getpos()[0], data, self.part_lang()))
p = P()
p.feed(src)
if p.html_lang != lang:
    problems.append(f'<html lang="{p.html_lang}">, want lang="{lang}"')
if p.title is None or not p.title.strip():
    problems.append('no <title> text')
elif re.match(r'\s*·', p.title) or re.search(r'·\s*$', p.title):
    problems.append(f'<title>{p.title.strip()}</title>: half of it is missing')
for line, t, part in p.texts:
    if part and part != lang:
        continue                 # e.g. <option lang="zh-CN">简体中文</option> on an English page
    if re.search(r'\bLang\.[A-Za-z]', t):
        problems.append(f'line {line}: raw Lang key in "{t.strip()[:80]}"')
    elif re.search(r'\b[A-Z][A-Za-z]+(?:\.[A-Za-z_]{2,})+\b', t):
        # tmpl_text() answers a missing key with the key itself ("Savers.Letter.Saved")
        problems.append(f'line {line}: a language key instead of its text in "{t.strip()[:80]}"')
    if lang == 'en' and re.search(r'[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]', t):
        problems.append(f'line {line}: Chinese text on an English page (mark a language name with lang="zh-CN"): "{t.strip()[:80]}"')
    if lang == 'zh-CN':
        # English UI text on a Chinese page: three or more English words in a row (the test's
        # own data never has three in a row)
        m = re.search(r'[A-Za-z][a-z]+[,.]? [A-Za-z][a-z]*[,.]? [A-Za-z][a-z]+', t)
        if m:
            problems.append(f'line {line}: English text on a Chinese page: "{t.strip()[:80]}"')
for pr in problems:
    print(pr)
PY

# check_page LABEL LANG [STATUS]: BODY (the last answer) is a valid page in LANG; STATUS is the
# expected HTTP status (default 200).
PAGES=0
VISITED=()
check_page() {
	local label=$1 lang=$2 want=${3:-200} f=$VARDIR/page.html out bad=0 msg
	PAGES=$((PAGES + 1))
	VISITED+=("$(sed -n 's/^[A-Z]* \([^ ?]*\).*/\1/p' "$VARDIR/request" 2>/dev/null)")
	if [ "$STATUS" != "$want" ] || [[ $(header Content-Type) != text/html* ]]; then
		ok 1 "$label [$lang]: a $want HTML page"
		diag "  got $STATUS $(header Content-Type) $(header Location)"
		return
	fi
	printf '%s\n' "$BODY" >"$f"
	out=$(tidy -q -e --show-warnings yes --show-info no "$f" 2>&1 >/dev/null)
	local allow line
	msg=""
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		local skip=0 a
		for a in "${TIDY_ALLOW[@]}"; do
			[[ $line == *"$a"* ]] && skip=1
		done
		[ "$skip" = 1 ] && continue
		bad=1
		msg+="tidy: $line"$'\n'
		local n
		n=$(printf '%s' "$line" | sed -n 's/^line \([0-9]*\) .*/\1/p')
		[ -n "$n" ] && msg+="  $n: $(sed -n "${n}p" "$f" | cut -c1-200)"$'\n'
	done <<<"$out"
	out=$(python3 "$VARDIR/check.py" "$f" "$lang")
	if [ -n "$out" ]; then
		bad=1
		while IFS= read -r line; do
			msg+="page: $line"$'\n'
			local n
			n=$(printf '%s' "$line" | sed -n 's/^line \([0-9]*\):.*/\1/p')
			[ -n "$n" ] && msg+="  $n: $(sed -n "${n}p" "$f" | cut -c1-200)"$'\n'
		done <<<"$out"
	fi
	ok "$bad" "$label [$lang]: valid HTML5, lang, title, every string translated"
	[ "$bad" = 0 ] || printf '%s' "$msg" | sed 's/^/#   /'
}

# every request's method and path, for the coverage check at the end
eval "orig_$(declare -f req)"
req() {
	printf '%s %s\n' "$1" "$2" >"$VARDIR/request"
	orig_req "$@"
}

printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kim Park\r\nTEL:+8613900001111\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:x\r\nEND:VCARD\r\n' >"$VARDIR/import.vcf"

# --- the data every page needs -------------------------------------------------------------
# A (alice) has a card with a front image, saved by D (dan) and by a subscriber (sam); A changes
# her phone afterwards, so D has a pending update; A has a letter about D saving her card; D's
# folder holds A's card and a typed-in one.
png 120 80 0 128 0 >"$VARDIR/front.png"
signup_verified alice@example.com "Alice Zhang" || bail "no member A"
TA=$TOKEN
put_card '{"full_name":"Alice Zhang","title":"Manager","organization":"Acme","phones":[{"type":"work","value":"+86 10 1234 5678"}],"emails":[{"type":"work","value":"alice@example.com"}]}'
[ "$STATUS" = 200 ] || bail "A's card: $STATUS $BODY"
req PUT /api/v1/card/images/front -H 'Content-Type: image/png' -H 'If-Match: *' --data-binary "@$VARDIR/front.png"
[ "$STATUS" = 200 ] || bail "A's front image: $STATUS $BODY"
TOK_A=$(share_token)
signup_verified dan@example.com "Dan Li" || bail "no member D"
TD=$TOKEN
put_card '{"full_name":"Dan Li","title":"Engineer"}'
TOK_D=$(share_token)
api POST /api/v1/folder/save-shared "{\"token\":\"$TOK_A\"}"
[ "$STATUS" = 201 ] || [ "$STATUS" = 200 ] || bail "D saves A's card: $STATUS $BODY"
EA=$(jqb .entry.id)
TOKEN=$TA
api POST /api/v1/folder/save-shared "{\"token\":\"$TOK_D\"}"
EAD=$(jqb .entry.id)
TOKEN=""
JAR=$VARDIR/jar.sam
api POST "/c/$TOK_A/subscribe" '{"full_name":"Sam Reader","email":"sam@example.org"}'
mail_wait sam@example.org 1 || bail "no subscription mail"
SUB_LINK=$(mail_link sam@example.org /s/confirm)
SUB_TOKEN=${SUB_LINK##*token=}
UNSUB_PATH=$(mail_last sam@example.org | grep -o "/s/unsubscribe/[A-Za-z0-9_-]*" | head -1)
req GET "/s/confirm?token=$SUB_TOKEN"
form POST /s/confirm "token=$SUB_TOKEN" "csrf=$(csrf_of)"
[ "$STATUS" = 200 ] || bail "Sam's subscription: $STATUS"
fanout_idle 20
TOKEN=$TA
edit_card '.phones[0].value = "+86 10 8765 4321"'
[ "$STATUS" = 200 ] || bail "A changes her phone: $STATUS $BODY"
fanout_idle 20
# a card from a photo (issue 24): one scan, whose page is checked below
png 400 250 >"$VARDIR/scan.png"
req POST /api/v1/folder/scan -H 'Content-Type: image/png' --data-binary "@$VARDIR/scan.png"
[ "$STATUS" = 202 ] || bail "A's scan: $STATUS $BODY"
SCAN_ID=$(jqb .scan_id)
# three import jobs of A (issue 21), their pages checked below: one running
# (held by a claim no worker has, so it stays half done), one done with its
# report, one failed
A_UID=$(sql "SELECT id FROM users WHERE email = 'alice@example.com'")
sql "INSERT INTO import_jobs (user_id, status, total, done, claim, claimed_until, created_at)
	VALUES ($A_UID, 'running', 5000, 1200, 'html-valid', UTC_TIMESTAMP() + INTERVAL 1 DAY, UTC_TIMESTAMP())"
JOB_RUN=$(sql "SELECT MAX(id) FROM import_jobs")
sql "INSERT INTO import_jobs (user_id, status, total, done, imported, skipped, failed, report, created_at, finished_at)
	VALUES ($A_UID, 'done', 3, 3, 1, 1, 1, '{\"errors\":[{\"index\":2,\"code\":\"no_identity\",\"message\":\"x\"}],\"warnings\":[],\"duplicates\":[{\"index\":1,\"action\":\"skipped\",\"entry_id\":$EAD}],\"entries\":[{\"id\":$EAD,\"name\":\"<b>Dan</b>\"}]}', UTC_TIMESTAMP(), UTC_TIMESTAMP())"
JOB_DONE=$(sql "SELECT MAX(id) FROM import_jobs")
sql "INSERT INTO import_jobs (user_id, status, total, done, error, created_at, finished_at)
	VALUES ($A_UID, 'failed', 300, 100, 'the file holds no vCard', UTC_TIMESTAMP(), UTC_TIMESTAMP())"
JOB_FAILED=$(sql "SELECT MAX(id) FROM import_jobs")
TOKEN=""
diag "A=$TOK_A entry D->A=$EA entry A->D=$EAD scan=$SCAN_ID"
ok "$([ "$(sql "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = 'alice@example.com'")" -ge 1 ]; echo $?)" \
	"A has a letter (D saved her card)"
# A's first and last revisions (the history page compares a revision with the current card)
REVS=$(sql "SELECT CONCAT(MIN(r.revision), ' ', MAX(r.revision)) FROM card_revisions r JOIN cards c ON c.id = r.card_id
	JOIN users u ON u.id = c.user_id WHERE u.email = 'alice@example.com'")
read -r REV REV_LAST <<<"$REVS"
[ -n "$REV" ] && [ "$REV" != NULL ] || bail "A's card has no revisions: $REVS"

# set_locale TOKEN LOCALE: a member's language setting.
set_locale() {
	local keep=$TOKEN keepjar=$JAR
	TOKEN=$1
	JAR=""
	api PUT /api/v1/me "{\"locale\":\"$2\"}"
	[ "$STATUS" = 200 ] || diag "locale $2: $STATUS $BODY"
	TOKEN=$keep
	JAR=$keepjar
}

for L in en zh-CN; do
	diag "--- pages in $L ---"
	if [ "$L" = zh-CN ]; then AL=(-H "Accept-Language: zh-CN,zh;q=0.9"); else AL=(-H "Accept-Language: en-GB,en;q=0.8"); fi
	# --- signed out ------------------------------------------------------------------------
	TOKEN=""
	CSRF=""
	JAR=$VARDIR/jar.out.$L
	rm -f "$JAR"
	req GET / "${AL[@]}"
	check_page "landing /" "$L"
	req GET /signin "${AL[@]}"
	check_page "sign-in /signin" "$L"
	c=$(csrf_of)
	req POST /signin "${AL[@]}" --data-urlencode "csrf=$c" --data-urlencode "email=alice@example.com" \
		--data-urlencode "password=wrong password"
	check_page "sign-in with a wrong password POST /signin" "$L" 401
	req GET /signup "${AL[@]}"
	check_page "sign-up /signup" "$L"
	req POST /signup "${AL[@]}" --data-urlencode "csrf=$c" --data-urlencode "full_name=X" \
		--data-urlencode "email=not-an-address" --data-urlencode "password=a good password"
	check_page "sign-up with errors POST /signup" "$L" 400
	req POST /signup "${AL[@]}" --data-urlencode "csrf=$c" --data-urlencode "full_name=Eve Ng" \
		--data-urlencode "email=eve-$L@example.com" --data-urlencode "password=a good password"
	check_page "sign-up done POST /signup" "$L"
	mail_wait "eve-$L@example.com" 1 || diag "no verification mail for eve-$L"
	vlink=$(mail_link "eve-$L@example.com" /verify)
	req GET "/verify?token=${vlink##*token=}" "${AL[@]}"
	check_page "verified /verify" "$L"
	req GET "/verify?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" "${AL[@]}"
	check_page "verify with a bad link /verify" "$L" 410
	req GET /reset "${AL[@]}"
	check_page "reset /reset" "$L"
	nmail=$(mail_count alice@example.com)
	req POST /reset "${AL[@]}" --data-urlencode "csrf=$c" --data-urlencode "email=alice@example.com"
	check_page "reset requested POST /reset" "$L"
	mail_wait alice@example.com $((nmail + 1)) || diag "no reset mail"
	rlink=$(mail_link alice@example.com /reset/confirm)
	rtok=${rlink##*token=}
	req GET "/reset/confirm?token=$rtok" "${AL[@]}"
	check_page "reset confirm /reset/confirm" "$L"
	req POST /reset/confirm "${AL[@]}" --data-urlencode "csrf=$c" --data-urlencode "token=$rtok" \
		--data-urlencode "password=short"
	check_page "reset confirm with errors POST /reset/confirm" "$L" 400
	req GET "/c/$TOK_A" "${AL[@]}"
	check_page "public card /c/{token}" "$L"
	req GET "/c/$TOK_A/subscribe" "${AL[@]}"
	check_page "subscribe /c/{token}/subscribe" "$L"
	c=$(csrf_of)
	req POST "/c/$TOK_A/subscribe" "${AL[@]}" --data-urlencode "csrf=$c" --data-urlencode "full_name=" \
		--data-urlencode "email=nope"
	check_page "subscribe with errors POST /c/{token}/subscribe" "$L" 400
	if [ "$L" = en ]; then phone="+86 138 0013 9000"; else phone="+86 138 0013 9001"; fi
	req POST "/c/$TOK_A/subscribe" "${AL[@]}" --data-urlencode "csrf=$c" --data-urlencode "full_name=Pat Phone" \
		--data-urlencode "phone=$phone"
	check_page "subscribe by phone: the code form POST /c/{token}/subscribe" "$L" 202
	req POST "/c/$TOK_A/subscribe/verify" "${AL[@]}" --data-urlencode "csrf=$c" \
		--data-urlencode "phone=$phone" --data-urlencode "code=000000"
	check_page "subscribe with a wrong code POST /c/{token}/subscribe/verify" "$L" 400
	api POST "/c/$TOK_A/subscribe" "{\"full_name\":\"Sue Reader\",\"email\":\"sue-$L@example.org\"}"
	mail_wait "sue-$L@example.org" 1 || diag "no subscription mail for sue-$L"
	stok=$(mail_link "sue-$L@example.org" /s/confirm)
	stok=${stok##*token=}
	req GET "/s/confirm?token=$stok" "${AL[@]}"
	check_page "subscription confirm /s/confirm" "$L"
	c=$(csrf_of)
	req POST /s/confirm "${AL[@]}" --data-urlencode "csrf=$c" --data-urlencode "token=$stok"
	check_page "subscription confirmed POST /s/confirm" "$L"
	req POST /s/confirm "${AL[@]}" --data-urlencode "csrf=$c" --data-urlencode "token=$stok"
	check_page "subscription link used twice POST /s/confirm" "$L" 410
	sunsub=$(mail_last "sue-$L@example.org" | grep -o "/s/unsubscribe/[A-Za-z0-9_-]*" | head -1)
	req GET "$sunsub" "${AL[@]}"
	check_page "unsubscribe /s/unsubscribe/{token}" "$L"
	req POST "$sunsub" "${AL[@]}" --data-urlencode "csrf=$(csrf_of)"
	check_page "unsubscribed POST /s/unsubscribe/{token}" "$L"
	req GET "/s/confirm?token=$SUB_TOKEN" "${AL[@]}"
	check_page "error 410: a used confirmation link /s/confirm" "$L" 410
	req GET "$UNSUB_PATH" "${AL[@]}"
	check_page "unsubscribe /s/unsubscribe/{token}" "$L"
	# the SMS's short link (issue 21): the same page by the token's first 8
	ushort=${UNSUB_PATH##*/}
	req GET "/u/${ushort:0:8}" "${AL[@]}"
	check_page "subscription by its short link /u/{token}" "$L"
	req GET /c/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA "${AL[@]}"
	check_page "error 404: no such card /c/{token}" "$L" 404
	req GET /reset/confirm "${AL[@]}"
	check_page "error 400: /reset/confirm without its token" "$L" 400
	req GET /signout "${AL[@]}"
	check_page "error 405: GET /signout" "$L" 405
	req POST /signin "${AL[@]}" --data-urlencode "email=alice@example.com" --data-urlencode "password=x"
	check_page "error 403: a form without its CSRF token" "$L" 403

	# --- signed in: A (the owner) and D (the saver) ---------------------------------------
	set_locale "$TA" "$L"
	set_locale "$TD" "$L"
	web_signin alice@example.com || bail "A cannot sign in with the form"
	for p in / /card /card/images /card/history "/card/history/$REV" "/card/history/$REV_LAST" /card/share /settings /folder \
		"/folder?q=Dan" /folder/new /folder/import "/folder/$EAD" /savers /inbox /updates "/c/$TOK_A" \
		"/settings?saved=1" "/settings?phone=sent" "/settings?phone=verified" "/card?saved=1" \
		"/card?unchanged=1" "/card/images?saved=1" "/card/share?saved=1" "/card/share?rotated=1" \
		"/folder?deleted=1" "/folder/$EAD?saved=1" "/savers?found=1" "/updates?done=auto" \
		/folder/scan "/folder/scan/$SCAN_ID" "/folder/import/$JOB_RUN" "/folder/import/$JOB_DONE" "/folder/import/$JOB_FAILED"; do
		req GET "$p"
		check_page "A: $p" "$L"
	done
	CSRF_A=$WCSRF
	form POST /card "csrf=$CSRF_A" "full_name=" "emails.0.type=work" "emails.0.value=not-an-address"
	check_page "A: card with errors POST /card" "$L" 400
	req POST /card/images/front -F "csrf=$CSRF_A" -F "image=@$VARDIR/check.py;type=image/png"
	check_page "A: a broken image POST /card/images/front" "$L" 415
	form POST /settings "csrf=$CSRF_A" "full_name=" "locale=$L"
	check_page "A: settings with errors POST /settings" "$L" 400
	form POST /settings/phone "csrf=$CSRF_A" "phone=12"
	check_page "A: a bad phone POST /settings/phone" "$L" 400
	req POST /folder/new -F "csrf=$CSRF_A" -F "full_name=" -F "emails.0.value=nope"
	check_page "A: new card with errors POST /folder/new" "$L" 400
	req POST /folder/import -F "csrf=$CSRF_A" -F "file=@$VARDIR/check.py;type=text/vcard"
	check_page "A: import of a file that is no vCard POST /folder/import" "$L" 400
	form POST /settings/app-passwords "csrf=$CSRF_A" "label=Phone $L"
	check_page "A: a new app password POST /settings/app-passwords" "$L"
	req POST /folder/import -F "csrf=$CSRF_A" -F "file=@$VARDIR/import.vcf;type=text/vcard"
	check_page "A: an import with a broken card POST /folder/import" "$L"
	form POST "/folder/$EAD" "csrf=$CSRF_A" "full_name=" "emails.0.value=nope"
	check_page "A: folder entry with errors POST /folder/{id}" "$L" 400
	req GET /folder/999999
	check_page "A: error 404 /folder/999999" "$L" 404
	req GET "/folder?limit=0"
	check_page "A: error 400 (a number out of range) /folder?limit=0" "$L" 400

	web_signin dan@example.com || bail "D cannot sign in with the form"
	for p in / /folder "/folder/$EA" /savers /inbox /updates "/c/$TOK_A"; do
		req GET "$p"
		check_page "D: $p" "$L"
	done
done
diag "$PAGES pages checked"

# --- coverage: every GET route of every program that answers HTML was checked above ------------
# Not HTML (so not here): the vCard, QR code and image downloads, and /lang/{name} (a redirect).
NOT_HTML='^/c/\{token\}(\.vcf|/qr\.svg|/images/\{side\})$|^/lang/\{name\}$'
missing=""
for route in $(for p in "$BUILD"/cgi-bin/*; do [ -x "$p" ] && [ -f "$p" ] && "$p" --routes; done |
	awk '$2 == "GET" { print $3 }' |
	grep -vE '^/(api|dav|\.well-known)(/|$)' | sort -u); do
	[[ $route =~ $NOT_HTML ]] && continue
	re="^$(printf '%s' "$route" | sed -E 's/[.]/\\./g; s/\{(id|n)\}/[0-9]+/g; s/\{side\}/(front|back)/g; s/\{(token|name)\}/[A-Za-z0-9_-]+/g')\$"
	hit=0
	for v in "${VISITED[@]}"; do
		[[ $v =~ $re ]] && { hit=1; break; }
	done
	[ "$hit" = 1 ] || missing+=" $route"
done
is "${missing# }" "" "every HTML GET route of cgi-bin/*.c is among the pages checked"
done_testing
