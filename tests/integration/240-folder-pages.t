#!/usr/bin/env bash
# 240-folder-pages.t: the folder's HTML pages work without JavaScript: list,
# search, tag filter, paging, a typed-in card with pictures, edit, notes,
# tags, delete, the import form, "save" from a public card page, the home
# page count, and the Chinese interface.
. "$(dirname "$0")/../lib.sh"
stack_up

png 90 60 0 128 0 >"$VARDIR/front.png"
png 90 60 0 0 128 >"$VARDIR/back.png"

signup_verified owen@example.com "Owen"
OWEN=$TOKEN
signup_verified pia@example.com "Pia"
PIA=$TOKEN
TOKEN=""
JAR=$VARDIR/jar
req GET /signin
form POST /signin "csrf=$(csrf_of)" "email=pia@example.com" "password=password-pia@example.com"
is "$STATUS" 303 "Pia signs in with the form"

req GET /folder
is "$STATUS" 200 "the folder page"
like "$BODY" "Your folder is empty" "says the folder is empty"
like "$BODY" 'href="/folder/new"' "links to adding a card"
like "$BODY" 'href="/folder/import"' "and to importing a file"
CSRF_P=$(csrf_of)

# --- a typed-in card with both pictures ------------------------------------------
req GET /folder/new
is "$STATUS" 200 "the new-card page"
like "$BODY" 'enctype="multipart/form-data"' "a file upload form"
like "$BODY" 'name="emails.0.value"' "with rows for e-mail addresses"
req POST /folder/new -F "csrf=$CSRF_P" -F "full_name=王芳" -F "name.family=王" -F "name.given=芳" \
	-F "organization=Owen & Co" -F "emails.0.type=work" -F "emails.0.value=owen@example.com" \
	-F "phones.0.type=cell" -F "phones.0.value=138 0000 1234" -F "addresses.0.type=work" \
	-F "addresses.0.locality=杭州" --form-string "notes=<b>met at the fair</b>" -F "tags=fair, 杭州" \
	-F "front=@$VARDIR/front.png;type=image/png" -F "back=@$VARDIR/back.png;type=image/png"
is "$STATUS" 303 "posting the form saves the card"
like "$(header Location)" '^/folder/[0-9]+\?added=1$' "and shows the new entry"
E=$(header Location | sed 's|/folder/||; s|?.*||')
req GET "$(header Location)"
like "$BODY" 'role="status">Card added to your folder.<' "saying the card was added"
req GET "/folder/$E"
is "$STATUS" 200 "the entry page"
like "$BODY" '<h1>王芳</h1>' "with the name"
like "$BODY" 'badge-member">member<' "the owner (Owen, verified) is shown as a member"
like "$BODY" "/api/v1/folder/$E/images/front\\?thumb=1&amp;v=[0-9a-f]{64}" "the front picture"
like "$BODY" "/api/v1/folder/$E/images/back\\?thumb=1&amp;v=[0-9a-f]{64}" "and the back one"
like "$BODY" '&lt;b&gt;met at the fair&lt;/b&gt;' "the notes, escaped"
unlike "$BODY" '<b>met at the fair</b>' "never as markup"
like "$BODY" 'href="/folder\?tag=%E6%9D%AD%E5%B7%9E">#杭州' "the tags link to the tag filter"
req GET /folder
like "$BODY" '<span class="folder-tags"><a href="/folder\?tag=fair">#fair</a> <a href="/folder\?tag=%E6%9D%AD%E5%B7%9E">#杭州</a>' "the list's tile shows the entry's tags too"
is "$(sql "SELECT front_image IS NOT NULL AND back_image IS NOT NULL FROM folder_entries WHERE id=$E")" 1 "both pictures are stored"

before=$(sql "SELECT COUNT(*) FROM folder_entries")
req POST /folder/new -F "csrf=$CSRF_P" -F "full_name=Bad Mail" -F "emails.0.type=work" -F "emails.0.value=not-an-address"
is "$STATUS" 400 "an invalid e-mail shows the form again with 400"
like "$BODY" "valid e-mail" "saying what is wrong"
like "$BODY" 'value="Bad Mail"' "with the values typed"
is "$(sql "SELECT COUNT(*) FROM folder_entries")" "$before" "and saves nothing"
req POST /folder/new -F "csrf=$CSRF_P" -F "full_name=Owen twice" -F "emails.0.type=home" -F "emails.0.value=OWEN@example.com"
is "$(header Location)" "/folder/$E?skipped=1" "a duplicate leads to the card already in the folder"
like "$(req GET "$(header Location)"; printf '%s' "$BODY")" "already in your folder" "saying so"

# --- edit, notes, tags ------------------------------------------------------------------
req POST "/folder/$E" --data-urlencode "csrf=$CSRF_P" --data-urlencode "full_name=王芳 Wang Fang" \
	--data-urlencode "organization=Owen Ltd" --data-urlencode "title=Buyer" \
	--data-urlencode "emails.0.type=work" --data-urlencode "emails.0.value=owen@example.com" \
	--data-urlencode "emails.1.type=home" --data-urlencode "emails.1.value=" \
	--data-urlencode "notes=call in May" --data-urlencode "tags=vip"
is "$STATUS" 303 "the edit form saves"
req GET "/folder/$E"
like "$BODY" '<h1>王芳 Wang Fang</h1>' "the new name"
like "$BODY" 'Buyer' "the new title"
like "$BODY" 'call in May' "the new notes"
like "$BODY" '#vip' "the new tags"
unlike "$BODY" '#fair' "the old tags are gone"
is "$(sql "SELECT COUNT(*) FROM card_keys WHERE entry_id=$E")" 1 "the phone removed from the form is gone from the keys"
req POST "/folder/$E" --data-urlencode "csrf=$CSRF_P" --data-urlencode "full_name=" --data-urlencode "notes=x"
is "$STATUS" 400 "an empty name: 400"
like "$BODY" "required" "the form explains"

# --- pictures from the entry page ----------------------------------------------------------
req POST "/folder/$E/images/back/delete" --data-urlencode "csrf=$CSRF_P"
is "$STATUS" 303 "the back picture is removed"
is "$(sql "SELECT back_image IS NULL FROM folder_entries WHERE id=$E")" 1 "gone"
req POST "/folder/$E/images/back" -F "csrf=$CSRF_P" -F "image=@$VARDIR/back.png;type=image/png"
is "$STATUS" 303 "and uploaded again"
req POST "/folder/$E/images/back" -F "csrf=$CSRF_P" -F "image=@/etc/hostname;type=image/png"
is "$STATUS" 415 "a file that is not an image shows the page with 415"
like "$BODY" "Please choose a JPEG, PNG or WebP image" "saying which files work"

# --- search, tags, paging --------------------------------------------------------------------
TOKEN=$PIA
for i in $(seq -w 1 12); do
	api POST /api/v1/folder "{\"card\":{\"full_name\":\"Contact $i\",\"organization\":\"Org $i\"},\"tags\":[\"batch\"]}"
done
TOKEN=""
req GET "/folder?q=wang"
like "$BODY" "王芳 Wang Fang" "the search box finds the card"
unlike "$BODY" "Contact 01" "and only it"
req GET "/folder?q=%E7%8E%8B%E8%8A%B3"
like "$BODY" "王芳 Wang Fang" "by its Chinese name too"
req GET "/folder?tag=batch&limit=5"
is "$(printf '%s' "$BODY" | grep -c 'class="folder-entry"')" 5 "the tag filter, five a page"
like "$BODY" '<option value="batch" selected>' "the tag is chosen in the filter"
next=$(printf '%s' "$BODY" | grep -o 'rel="next" href="[^"]*"' | sed 's/.*href="//; s/"$//; s/&amp;/\&/g')
like "$next" '^/folder\?q=&tag=batch&cursor=[A-Za-z0-9_-]+$' "a link to the next page"
req GET "$next&limit=5"
like "$BODY" "Contact 06" "the next page goes on where the first stopped"
unlike "$BODY" "Contact 05" "without repeating"
like "$BODY" "First page" "with a link back to the first page"
req GET "/folder?cursor=garbage"
is "$STATUS" 303 "a broken cursor starts over"

# --- import through the form -------------------------------------------------------------------
req GET /folder/import
like "$BODY" '<script src="/static/folder.js" defer></script>' "the import page loads folder.js"
like "$BODY" 'data-api="/api/v1/folder/import"' "which uploads to the API with progress"
req GET /static/folder.js
is "$STATUS" 200 "folder.js is served"
like "$BODY" 'upload.addEventListener\("progress"' "and reports upload progress"
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Form Import One\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Form Broken\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Form Import Three\r\nEND:VCARD\r\n' >"$VARDIR/form.vcf"
req POST /folder/import -F "csrf=$CSRF_P" -F "on_duplicate=skip" -F "file=@$VARDIR/form.vcf;type=text/vcard"
is "$STATUS" 200 "the plain form post imports"
like "$BODY" 'id="result-imported">2<' "2 cards imported"
like "$BODY" 'Card no. 2: the card could not be read\. <span class="hint" lang="en">\(BEGIN' "the broken card is named (counting from 1), the parser's detail marked as English"
is "$(sql "SELECT COUNT(*) FROM folder_entries WHERE full_name LIKE 'Form Import%'")" 2 "stored"
req POST /folder/import -F "csrf=$CSRF_P"
is "$STATUS" 400 "no file: 400"

# --- search as you type: the page's hooks for folder.js, and the API it calls ----------------------
req GET /folder
like "$BODY" '<form method="get" action="/folder" role="search" class="folder-search" id="folder-search">' "the search form (it submits without scripts)"
like "$BODY" '<div id="folder-results" data-member="member" data-nonmember="not a member"' "the list's strings for folder.js come from the lang files"
like "$BODY" '<script src="/static/folder.js" defer></script>' "the folder page loads folder.js"
req GET /static/folder.js
like "$BODY" '"/api/v1/folder\?" \+ p' "folder.js asks the JSON API"
like "$BODY" 'setTimeout\(run, DELAY\)' "debounced"
like "$BODY" 'history.replaceState' "and keeps the address in step without a page load"
TOKEN=$PIA
api GET "/api/v1/folder?q=Form%20Import&tag=&limit=50"
is "$(jqb -c '[.entries[].card.full_name] | sort')" '["Form Import One","Form Import Three"]' "the API finds what the page would"
TOKEN=""

# --- "save" on a public card page ------------------------------------------------------------
TOKEN=$OWEN
api GET /api/v1/card
token=$(jqb .share.url)
token=${token##*/}
TOKEN=""
req GET "/c/$token"
like "$BODY" 'action="/folder/save-shared"' "the public card page has the save button"
req POST /folder/save-shared --data-urlencode "csrf=$(csrf_of)" --data-urlencode "token=$token"
is "$STATUS" 303 "pressing it answers with a page"
# Pia typed Owen's card in above: no second copy, that one is offered for linking (issue 18)
like "$(header Location)" '^/folder/[0-9]+\?matched=1#keep-updated$' "the copy Pia typed in, not a second one"
owen_entry=$(header Location | sed 's|^/folder/\([0-9]*\).*|\1|')
req GET "/folder/$owen_entry?matched=1"
like "$BODY" "in your folder already, so no second copy was saved" "saying so"
like "$BODY" "action=\"/updates/$owen_entry/link\"" "and offering to keep it up to date"
req POST "/updates/$owen_entry/link" --data-urlencode "csrf=$CSRF_P" --data-urlencode "from=entry"
is "$STATUS $(header Location)" "303 /folder/$owen_entry?linked=1" "Pia links it"
req GET "/folder/$owen_entry"
like "$BODY" "Kept up to date from the owner" "it is linked now"
req POST /folder/save-shared --data-urlencode "csrf=$CSRF_P" --data-urlencode "token=$token"
like "$(header Location)" '^/folder/[0-9]+\?already=1$' "pressing it again finds the same entry"
saved_jar=$JAR
JAR=$VARDIR/anon
req GET "/c/$token"
anon_csrf=$(awk '$6 == "lc_csrf" {print $7}' "$JAR")
req POST /folder/save-shared --data-urlencode "csrf=$anon_csrf" --data-urlencode "token=$token"
is "$(header Location)" "/signin?next=/c/$token" "signed out, it asks to sign in first"
JAR=$saved_jar

# --- the home page count, delete, Chinese ------------------------------------------------------
n=$(sql "SELECT COUNT(*) FROM folder_entries f JOIN users u ON u.id = f.holder_id WHERE u.email='pia@example.com'")
req GET /
like "$BODY" "<span class=\"count\" id=\"saved-count\">$n</span> <span class=\"count-label\">saved cards" "the home page counts the saved cards"
req POST "/folder/$E/delete" --data-urlencode "csrf=$CSRF_P"
is "$(header Location)" "/folder?deleted=1" "the delete button"
req GET "/folder/$E"
is "$STATUS" 404 "the entry is gone"
TOKEN=$PIA
api PUT /api/v1/me '{"locale":"zh-CN"}'
TOKEN=""
req GET /folder
like "$BODY" "<h1>名片夹</h1>" "in Chinese for a member who chose Chinese"
like "$BODY" "添加名片" "every string of the page"
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:nothing else\r\nEND:VCARD\r\n' >"$VARDIR/empty.vcf"
req POST /folder/import -F "csrf=$CSRF_P" -F "file=@$VARDIR/empty.vcf;type=text/vcard"
like "$BODY" '名片序号 1: 这张名片没有姓名、单位、电子邮件地址或电话号码。' "an import error in Chinese"
done_testing
