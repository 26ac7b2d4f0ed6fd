#!/usr/bin/env bash
# 335-sms-length.t: issue 21: every SMS to a subscriber is one message as a phone counts it (GSM-7: 160 septets, the extension characters two; else UCS-2: 70 units), in English and Chinese, with the longest realistic names: the code SMS and the update notice the fan-out writes in SQL, whose one short link (/u/<8>) opens the subscription's page.
. "$(dirname "$0")/../lib.sh"
EXTRA_CONF=$'Updates.CoalesceSeconds = 0'
export EXTRA_CONF
stack_up

# units TEXT: "<units> <gsm7|ucs2> <fits>" counted as a phone does (independent of lib/sms.c)
units() {
	python3 -c '
import sys
t = sys.argv[1]
basic = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'"'"'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
ext = set("^{}\\[~]|€\f")
if all(c in basic or c in ext for c in t):
    n = sum(2 if c in ext else 1 for c in t); print(n, "gsm7", "yes" if n <= 160 else "no")
else:
    n = len(t.encode("utf-16-le")) // 2; print(n, "ucs2", "yes" if n <= 70 else "no")
' "$1"
}
# sms_last NUMBER: the last text to NUMBER, as sent (line breaks kept)
sms_last() {
	local f last=""
	for f in "$SMSDIR"/*.json; do
		[ -e "$f" ] && [ "$(jq -r .to "$f")" = "$1" ] && last=$f
	done
	[ -n "$last" ] && jq -r .text "$last"
}

LONG_EN="Maximilian Alexander Featherstonehaugh-Wolfeschlegel"
LONG_ZH="欧阳娜娜·阿不都热依木·司马"
signup_verified max@example.com "$LONG_EN"
TA=$TOKEN
put_card "{\"full_name\":\"$LONG_EN\",\"title\":\"Director\"}"
api GET /api/v1/card
TOK_A=$(jqb .share.url); TOK_A=${TOK_A##*/}
signup_verified ouyang@example.com "$LONG_ZH"
TZ_=$TOKEN
api PUT /api/v1/me '{"locale":"zh-CN"}'
put_card "{\"full_name\":\"$LONG_ZH\",\"title\":\"经理\"}"
api GET /api/v1/card
TOK_Z=$(jqb .share.url); TOK_Z=${TOK_Z##*/}
TOKEN=""

# subscribe LANG CARD_TOKEN PHONE NAME: subscribe by phone in that language and confirm with the SMS code
n_sub=0
subscribe() {
	local code
	req POST "/c/$2/subscribe" -H "Accept-Language: $1" -H 'Content-Type: application/json' \
		--data-binary "{\"full_name\":\"$4\",\"phone\":\"$3\"}"
	is "$STATUS" 202 "$1 subscriber $3: subscribed"
	sms_wait "$3" 1
	text=$(sms_last "$3")
	read -r n enc fits <<<"$(units "$text")"
	is "$fits" yes "$1 code SMS to a subscriber of $(sql "SELECT JSON_VALUE(data, '\$.full_name') FROM cards WHERE share_token='$2'"): one message ($n $enc units): $text"
	code=$(printf '%s' "$text" | grep -o '[0-9]\{6\}' | head -1)
	req POST "/c/$2/subscribe/verify" -H 'Content-Type: application/json' --data-binary "{\"phone\":\"$3\",\"code\":\"$code\"}"
	is "$STATUS" 200 "  confirmed with its code"
}
subscribe en "$TOK_A" "+8613800135001" "Pat Reader"
subscribe zh-CN "$TOK_A" "+8613800135002" "王小明"
subscribe en "$TOK_Z" "+8613800135003" "Pat Reader"
subscribe zh-CN "$TOK_Z" "+8613800135004" "王小明"

# the update notices, written by the fan-out in SQL
TOKEN=$TA
put_card "{\"full_name\":\"$LONG_EN\",\"title\":\"Managing Director\"}"
TOKEN=$TZ_
put_card "{\"full_name\":\"$LONG_ZH\",\"title\":\"总经理\"}"
TOKEN=""
for p in +8613800135001 +8613800135002 +8613800135003 +8613800135004; do
	sms_wait "$p" 2
	ok $? "$p: the update notice came"
	text=$(sms_last "$p")
	read -r n enc fits <<<"$(units "$text")"
	is "$fits" yes "$p update notice: one message ($n $enc units): $text"
	tok=$(sql "SELECT unsubscribe_token FROM subscribers WHERE phone='$p' LIMIT 1" | head -1)
	like "$text" "$B/u/${tok:0:8}\$" "  its one link is the short link of the subscription"
	req GET "/u/${tok:0:8}"
	is "$STATUS" 200 "  which opens the subscription's page"
	like "$BODY" 'href="/c/[A-Za-z0-9_-]+"' "  with a link to the card"
	like "$BODY" "action=\"/s/unsubscribe/$tok\"" "  and the unsubscribe form"
done
like "$(sms_last +8613800135002)" "更新了名片" "the Chinese subscriber's notice is Chinese"
like "$(sms_last +8613800135001)" "updated their card" "the English subscriber's is English"

done_testing
