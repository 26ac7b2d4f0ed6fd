#!/usr/bin/env bash
# 125-page-html.t: the HTML of the benchmarked pages (public card page, sign-in page and 50-entry folder page in both languages; public page anonymous, signed in and the owner's; folder pages, also when answered again from a worker's kept page; an error page) is byte-identical to tests/integration/golden/, tokens and times masked; GOLDEN_UPDATE=1 rewrites the files.
. "$(dirname "$0")/../lib.sh"
stack_up
GOLDEN=$TOP/tests/integration/golden

# mask: the parts of a page that differ from run to run (link tokens, CSRF
# tokens, times, image hashes) replaced by fixed words
mask() {
	sed -E -e "s#/c/[A-Za-z0-9_-]{22,43}#/c/@TOKEN@#g" -e "s#%2Fc%2F[A-Za-z0-9_-]{22,43}#%2Fc%2F@TOKEN@#g" \
		-e 's#(name="token" value=")[A-Za-z0-9_-]+#\1@TOKEN@#g' \
		-e 's#(name="csrf" value=")[^"]*#\1@CSRF@#g' \
		-e 's#(name="csrf-token" content=")[^"]*#\1@CSRF@#g' \
		-e 's#[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?#@TIME@#g' \
		-e 's#[0-9a-f]{64}#@HASH@#g'
}

# page NAME PATH [curl options]: GET PATH, masked, compared with golden/NAME.html
page() {
	local name=$1 path=$2
	shift 2
	req GET "$path" "$@"
	is "$STATUS" "${WANT:-200}" "$name: GET $path"
	printf '%s\n' "$BODY" | mask >"$VARDIR/$name.html"
	if [ "${GOLDEN_UPDATE:-0}" = 1 ]; then
		cp "$VARDIR/$name.html" "$GOLDEN/$name.html"
	fi
	if cmp -s "$VARDIR/$name.html" "$GOLDEN/$name.html"; then
		ok 0 "$name: byte-identical to golden/$name.html"
	else
		ok 1 "$name: byte-identical to golden/$name.html"
		diff "$GOLDEN/$name.html" "$VARDIR/$name.html" | head -20 | sed 's/^/# /'
	fi
}

signup_verified owner@example.com "Owner Member" || bail "cannot make a member"
OWNER=$TOKEN
sed 's/@N@/golden/' "$TOP/bench/card.json" >"$VARDIR/card.json"
req PUT /api/v1/card -H 'Content-Type: application/json' -H 'If-Match: *' --data-binary @"$VARDIR/card.json"
is "$STATUS" 200 "the owner writes the bench card"
png 120 80 >"$VARDIR/front.png"
req PUT /api/v1/card/images/front -H 'Content-Type: image/png' --data-binary "@$VARDIR/front.png"
is "$STATUS" 200 "with a front image"
api GET /api/v1/card
P=$(jqb .share.url)
P=${P#"$B"}
/usr/bin/python3 "$TOP/bench/gen-vcards.py" 60 >"$VARDIR/folder.vcf"
req POST "/api/v1/folder/import?on_duplicate=keep" -H 'Content-Type: text/vcard' --data-binary @"$VARDIR/folder.vcf"
is "$STATUS" 200 "60 cards imported into the owner's folder"

TOKEN=""
page public-en "$P"
page public-zh "$P" -H 'Accept-Language: zh-CN,zh;q=0.9'
page signin-en /signin
page signin-zh /signin -H 'Accept-Language: zh-CN,zh;q=0.9'
WANT=404 page notfound-en /c/no-such-token-at-all-here
WANT=404 page nopath-en /no/such/page

signup_verified other@example.com "Other Member" || bail "cannot make a second member"
TOKEN=""
web_signin other@example.com / || bail "cannot sign in"
page public-signedin "$P"
web_signin owner@example.com / || bail "cannot sign in the owner"
page public-owner "$P"
page folder-50 /folder
# owner_locale L: the owner's language setting (a member's setting wins
# over Accept-Language)
owner_locale() {
	local jar=$JAR
	JAR="" TOKEN=$OWNER
	api PUT /api/v1/me "{\"locale\":\"$1\"}"
	is "$STATUS" 200 "the owner's language: $1"
	JAR=$jar TOKEN=""
}
owner_locale zh-CN
page folder-50-zh /folder
owner_locale en
page folder-all "/folder?limit=500"
page folder-search "/folder?q=zhang"

# the folder pages again, each worker now answering from what it kept
# (lib/foldercache.c, keyed by the folder's view counter and the language):
# still byte for byte the goldens, which were made before pages were kept
# (with Limits.FolderCacheKiB = 0 in EXTRA_CONF every answer reads the rows)
for _ in 1 2 3; do
	page folder-50 /folder
	page folder-all "/folder?limit=500"
done
owner_locale zh-CN
for _ in 1 2 3; do page folder-50-zh /folder; done
owner_locale en
for _ in 1 2 3; do page folder-search "/folder?q=zhang"; done

done_testing
