#!/usr/bin/env bash
# 440-updates-pages.t: the /updates page without JavaScript: what changed, field by
# field (text and images), accept and decline per card and for all, automatic
# updates per card, "check for updates"; forms need the CSRF token; names are
# escaped; the page speaks Chinese; another member's entry is 404.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/499-updates-lib.sh"
EXTRA_CONF=$'Updates.CoalesceSeconds = 0'
export EXTRA_CONF
stack_up

signup_verified alice@example.com "Alice Zhang" || bail "no member A"
TA=$TOKEN
put_card '{"full_name":"Alice Zhang","title":"Manager","organization":"Acme"}'
tokA=$(share_token)
signup_verified bob@example.com "Bob <b>Wang</b>" || bail "no member B"
TB=$TOKEN
put_card '{"full_name":"Bob <b>Wang</b>","title":"Engineer"}'
tokB=$(share_token)
signup_verified dan@example.com "Dan Li" || bail "no member D"
TD=$TOKEN
api POST /api/v1/folder/save-shared "{\"token\":\"$tokA\"}"
EA=$(jqb .entry.id)
api POST /api/v1/folder/save-shared "{\"token\":\"$tokB\"}"
EB=$(jqb .entry.id)
fanout_idle 20

TOKEN=""
req GET /updates
is "$STATUS" 303 "not signed in: /updates redirects"
like "$(header Location)" '/signin' "to the sign-in page"
web_signin dan@example.com /updates
ok $? "D signs in with the browser"
like "$BODY" 'Every card you saved from a member is up to date' "nothing pending yet"

# --- a text change and a new image ---------------------------------------------------------
TOKEN=$TA
edit_card '.title = "Director"'
png 120 80 >"$VARDIR/front.png"
req PUT /api/v1/card/images/front -H 'Content-Type: image/png' -H 'If-Match: *' --data-binary "@$VARDIR/front.png"
is "$STATUS" 200 "A changes her title and adds a front image"
front=$(sql "SELECT front_image FROM cards WHERE share_token = '$tokA'")
fanout_idle 20
TOKEN=""
req GET /updates
is "$STATUS" 200 "D opens /updates"
like "$BODY" "id=\"update-$EA\"" "A's card is listed"
like "$BODY" '<tr data-field="title">' "with a row for the title"
like "$BODY" 'diff-old"[^>]*><del class="diff-line"><span class="visually-hidden">removed: </span>Manager</del>' "the old title, struck"
like "$BODY" 'diff-new"[^>]*><ins class="diff-line"><span class="visually-hidden">added: </span>Director</ins>' "the new title, highlighted"
unlike "$BODY" '<tr data-field="organization">' "an unchanged field is not shown"
like "$BODY" '<tr data-field="front_image">' "and a row for the front image"
like "$BODY" "src=\"/c/$tokA/images/front\\?v=$front&amp;thumb=1\"" "showing the new image"
unlike "$BODY" "id=\"update-$EB\"" "B's card is not listed"
like "$BODY" "action=\"/updates/$EA/accept\"" "an accept form"
like "$BODY" "action=\"/updates/$EA/decline\"" "a decline form"
like "$BODY" 'action="/updates/accept-all"' "accept all"
like "$BODY" 'action="/updates/decline-all"' "decline all"
like "$BODY" '<form method="get" action="/updates"' "and a check button that needs no script"
is "$(curl -s -o /dev/null -w '%{http_code}' "$B/c/$tokA/images/front?v=$front&thumb=1")" 200 "the new image's URL works"

# --- CSRF, then accept -------------------------------------------------------------------------
form POST "/updates/$EA/accept"
is "$STATUS" 403 "accept without the CSRF token: 403"
TOKEN=$TD
api GET "/api/v1/folder/$EA"
is "$(jqb .entry.card.title)/$(jqb .entry.images.front)" "Manager/null" "nothing changed"
TOKEN=""
unread_about() { sql "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = 'dan@example.com' AND n.kind = 'card.update' AND n.read_at IS NULL AND JSON_VALUE(n.payload, '\$.entry_id') = $1"; }
[ "$(unread_about "$EA")" -ge 1 ]
ok $? "D has unread letters about A's update"
form POST "/updates/$EA/accept" "csrf=$WCSRF"
is "$STATUS" 303 "accept with the token"
is "$(unread_about "$EA")" 0 "accepting it marks the letter read"
like "$(header Location)" '^/updates\?done=accepted$' "back to the page"
req GET /updates?done=accepted
like "$BODY" 'Your copy was updated\.' "which says so"
TOKEN=$TD
api GET "/api/v1/folder/$EA"
is "$(jqb .entry.card.title)" "Director" "the copy has the new title"
like "$(jqb .entry.images.front)" "v=$front\$" "and A's image"
TOKEN=""

# --- another member's entry ---------------------------------------------------------------------
form POST "/updates/999999/accept" "csrf=$WCSRF"
is "$STATUS" 404 "accepting an entry that is not D's: 404"

# --- decline all, then take one back ------------------------------------------------------------
TOKEN=$TA
edit_card '.organization = "Acme Group"'
TOKEN=$TB
edit_card '.title = "Lead Engineer"'
fanout_idle 20
TOKEN=""
req GET /updates
like "$BODY" '<span class="count" id="pending-count">2</span>' "two cards changed"
like "$BODY" 'Bob &lt;b&gt;Wang&lt;/b&gt;' "B's name is escaped"
unlike "$BODY" '<b>Wang</b>' "never raw"
[ "$(unread_about "$EB")" -ge 1 ]
ok $? "an unread letter about B's update"
form POST /updates/decline-all "csrf=$WCSRF"
is "$STATUS" 303 "decline all"
is "$(unread_about "$EB")" 0 "declining all marks it read"
req GET /updates
like "$BODY" 'No new updates\. The changes you declined are listed below' "nothing pending, and the page says the declined ones are below"
unlike "$BODY" 'Every card you saved from a member is up to date' "not that every card is up to date (issue 21)"
like "$BODY" 'Updates you declined' "the declined ones are shown apart"
TOKEN=$TD
api GET /api/v1/updates
is "$(jqb '.updates | length')" 0 "the API agrees"
api GET "/api/v1/folder/$EB"
is "$(jqb .entry.card.title)" "Engineer" "B's copy unchanged"
TOKEN=""
form POST "/updates/$EB/accept" "csrf=$WCSRF"
is "$STATUS" 303 "D accepts a declined update after all"
TOKEN=$TD
api GET "/api/v1/folder/$EB"
is "$(jqb .entry.card.title)" "Lead Engineer" "B's copy is updated"
api GET "/api/v1/folder/$EA"
is "$(jqb .entry.card.organization)" "Acme" "A's declined one stays declined"

# --- accept all ---------------------------------------------------------------------------------
TOKEN=$TA
edit_card '.title = "CEO"'
TOKEN=$TB
edit_card '.title = "CTO"'
fanout_idle 20
TOKEN=""
form POST /updates/accept-all "csrf=$WCSRF"
is "$STATUS/$(header Location)" "303//updates?done=accepted_all" "accept all"
TOKEN=$TD
api GET "/api/v1/folder/$EA"
a=$(jqb .entry.card.title)
api GET "/api/v1/folder/$EB"
is "$a/$(jqb .entry.card.title)" "CEO/CTO" "both copies updated"

# --- automatic updates for one card, and the check button -----------------------------------
TOKEN=""
form POST "/updates/$EA/policy" "auto_update=1" "csrf=$WCSRF"
is "$STATUS" 303 "D asks for automatic updates of A's card"
TOKEN=$TD
api GET "/api/v1/folder/$EA"
is "$(jqb .entry.auto_update)" true "stored"
TOKEN=$TA
edit_card '.department = "Board"'
fanout_idle 20
TOKEN=""
req GET '/updates?check=1'
is "$STATUS" 200 "check for updates"
like "$BODY" 'Checked just now\.' "says it checked"
unlike "$BODY" "id=\"update-$EA\"" "A's change was applied without asking"
req GET '/updates?done=bogus'
is "$STATUS" 400 "an unknown notice: 400"

# --- in Chinese ----------------------------------------------------------------------------------
TOKEN=$TB
edit_card '.title = "首席技术官"'
fanout_idle 20
TOKEN=$TD
api PUT /api/v1/me '{"locale":"zh-CN"}'
TOKEN=""
req GET /updates
like "$BODY" '<h1>已保存名片的更新</h1>' "the page in Chinese"
like "$BODY" '首席技术官' "with the change"
like "$BODY" '全部接受' "and its buttons"
TOKEN=$TD
api GET '/api/v1/notifications?limit=100'
upd=$(jqb '[.notifications[] | select(.kind == "card.update" or .kind == "card.updated") | .text] | join("\n")')
like "$upd" 'Bob &lt;b&gt;Wang&lt;/b&gt; 更新了名片：职务|Bob <b>Wang</b> 更新了名片：职务' "letters written in English are read in the reader's language of today"
unlike "$upd" 'updated their card' "none stays in English"
TOKEN=""
req GET /inbox
like "$BODY" 'Bob &lt;b&gt;Wang&lt;/b&gt; 更新了名片' "the inbox page too, escaped"

done_testing
