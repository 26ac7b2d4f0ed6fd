#!/usr/bin/env bash
# 230-folder-privacy.t: a folder belongs to its holder alone: user X can
# neither read, change nor delete user Y's entries (404, as for an id that
# does not exist), through the API and through the pages.
. "$(dirname "$0")/../lib.sh"
stack_up

png 40 30 10 120 200 >"$VARDIR/img.png"

# --- Y's folder --------------------------------------------------------------------
signup_verified yann@example.com "Yann"
YANN=$TOKEN
api POST /api/v1/folder '{"card":{"full_name":"Secret Contact","organization":"Hidden Co","emails":[{"type":"work","value":"secret@hidden.example"}]},"notes":"private","tags":["secret-tag"]}'
Y1=$(jqb .entry.id)
req PUT "/api/v1/folder/$Y1/images/front" -H 'Content-Type: image/png' --data-binary @"$VARDIR/img.png"
is "$STATUS" 200 "Yann's entry has a picture"
front=$(jqb -r .entry.images.front)
snapshot() { sql "SELECT data, notes, front_image, back_image, change_seq, updated_at, (SELECT GROUP_CONCAT(tag) FROM entry_tags WHERE entry_id=$Y1) FROM folder_entries WHERE id=$Y1"; }
before=$(snapshot)
Y_ID=$(sql "SELECT id FROM users WHERE email='yann@example.com'")
count_before=$(sql "SELECT COUNT(*) FROM folder_entries WHERE holder_id=$Y_ID")
NOPE=$((Y1 + 1000))

# --- X through the API ------------------------------------------------------------------
signup_verified xena@example.com "Xena"
XENA=$TOKEN
api POST /api/v1/folder '{"card":{"full_name":"Xena own card"}}'
X1=$(jqb .entry.id)

# same404 METHOD PATH DESCRIPTION [curl args]: 404 for Y's entry, and the very
# same answer as for an id nobody has
same404() {
	local method=$1 path=$2 what=$3
	shift 3
	req "$method" "$path" "$@"
	s1=$STATUS b1=$BODY
	req "$method" "${path/\/$Y1/\/$NOPE}" "$@"
	is "$s1" 404 "$what: 404"
	is "$b1" "$BODY" "$what: the same answer as for an id that does not exist"
}
J=(-H 'Content-Type: application/json')
same404 GET "/api/v1/folder/$Y1" "API read"
unlike "$b1$BODY" "Secret|Hidden|private" "no content of the entry leaks"
same404 PUT "/api/v1/folder/$Y1" "API edit" "${J[@]}" --data-binary '{"notes":"pwned","card":{"full_name":"Pwned"}}'
same404 DELETE "/api/v1/folder/$Y1" "API delete"
same404 GET "/api/v1/folder/$Y1.vcf" "vCard export of the entry"
same404 GET "/api/v1/folder/$Y1/images/front" "reading its picture"
req GET "$front"
is "$STATUS" 404 "even with the picture's exact URL"
same404 PUT "/api/v1/folder/$Y1/images/back" "uploading a picture" -H 'Content-Type: image/png' --data-binary @"$VARDIR/img.png"
same404 DELETE "/api/v1/folder/$Y1/images/front" "removing its picture"
api GET /api/v1/folder
is "$(jqb -c '[.entries[].id]')" "[$X1]" "X's list holds only X's entries"
api GET "/api/v1/folder?q=secret"
is "$(jqb '.entries | length')" 0 "searching does not find Y's entries"
api GET "/api/v1/folder?tag=secret-tag"
is "$(jqb '.entries | length')" 0 "nor does Y's tag"
api GET /api/v1/folder/tags
is "$(jqb -c .tags)" "[]" "Y's tags are not listed"
req GET /api/v1/folder.vcf
unlike "$BODY" "Secret Contact" "X's export holds nothing of Y's"
is "$(snapshot)" "$before" "Y's entry is unchanged"
is "$(sql "SELECT COUNT(*) FROM folder_entries WHERE holder_id=$Y_ID")" "$count_before" "nothing deleted"

# --- X through the pages (session cookie and CSRF token) ------------------------------
TOKEN=""
JAR=$VARDIR/jar
req GET /signin
csrf=$(csrf_of)
form POST /signin "csrf=$csrf" "email=xena@example.com" "password=password-xena@example.com"
is "$STATUS" 303 "X signs in with the form"
req GET /folder
is "$STATUS" 200 "X's folder page"
csrf=$(meta_csrf)
like "$csrf" '^[A-Za-z0-9_-]{20,}$' "with the session's CSRF token"
unlike "$BODY" "Secret Contact" "showing nothing of Y's"
same404 GET "/folder/$Y1" "the entry page"
like "$(header Content-Type)" '^text/html' "an HTML 404 page"
unlike "$b1" "Secret|Hidden|private" "without the entry's content"
same404 POST "/folder/$Y1" "the edit form" --data-urlencode "csrf=$csrf" --data-urlencode "full_name=Pwned" --data-urlencode "notes=pwned"
same404 POST "/folder/$Y1/delete" "the delete button" --data-urlencode "csrf=$csrf"
same404 POST "/folder/$Y1/images/front" "the picture upload" -F "csrf=$csrf" -F "image=@$VARDIR/img.png;type=image/png"
same404 POST "/folder/$Y1/images/front/delete" "the picture removal" --data-urlencode "csrf=$csrf"
req GET "/folder?q=secret"
unlike "$BODY" "Secret Contact" "the search page finds nothing of Y's"
is "$(snapshot)" "$before" "Y's entry is still unchanged"
is "$(sql "SELECT COUNT(*) FROM folder_entries WHERE holder_id=$Y_ID")" "$count_before" "and still there"

# --- without a token, or without a session ------------------------------------------------
form POST "/folder/$X1/delete"
is "$STATUS" 403 "a cookie form post without the CSRF token is refused"
is "$(sql "SELECT COUNT(*) FROM folder_entries WHERE id=$X1")" 1 "and deletes nothing"
JAR=""
req GET /folder
is "$STATUS" 303 "signed out, the folder page redirects"
like "$(header Location)" '^/signin\?next=/folder' "to the sign-in page"
api GET "/api/v1/folder/$Y1"
is "$STATUS" 401 "the API answers 401"
TOKEN=$YANN
api GET "/api/v1/folder/$Y1"
is "$STATUS $(jqb .entry.notes)" "200 private" "Y still reads the entry"
done_testing
