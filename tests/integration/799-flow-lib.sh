# 799-flow-lib.sh: the end-to-end member flow of the deployment tests
# (tests/integration/7*.t), sourced after tests/lib.sh: register -> verify ->
# sign in (form and token) -> card -> public page -> save -> savers -> update
# -> accept, each module's part when its program is built. Only HTTP and
# mail: it runs against any front server and any database the site uses.
# Needs Updates.CoalesceSeconds = 1 in the site's settings.
# shellcheck shell=bash

# flow_drain: called while waiting for mail or fan-out; a site without a
# running outbox worker (cron on shared hosting) redefines it.
flow_drain() { :; }

# flow_mail_wait TO [N]: like mail_wait, draining the outbox meanwhile.
flow_mail_wait() {
	local to=$1 n=${2:-1} i
	for i in $(seq 1 60); do
		flow_drain
		[ "$(mail_count "$to")" -ge "$n" ] && return 0
		sleep 0.5
	done
	return 1
}

flow_has() { [ -x "$BUILD/cgi-bin/$1" ]; }

# flow_member EMAIL NAME: sign up, open the mailed link, sign in; TOKEN set.
flow_member() {
	local email=$1 name=$2 link
	TOKEN=""
	api POST /api/v1/accounts "{\"email\":\"$email\",\"password\":\"password-$email\",\"full_name\":\"$name\"}"
	is "$STATUS" 201 "$FLOW: $name signs up"
	flow_mail_wait "$email" 1
	ok $? "$FLOW: the verification mail reaches $email"
	link=$(mail_link "$email" /verify)
	like "$link" "^$B/verify\\?token=" "$FLOW: with a link to this site ($B)"
	req GET "${link#"$B"}"
	is "$STATUS" 200 "$FLOW: the link opens"
	like "$BODY" "Address confirmed" "$FLOW: and confirms the address"
	api POST /api/v1/tokens "{\"email\":\"$email\",\"password\":\"password-$email\"}"
	is "$STATUS" 201 "$FLOW: $name gets an API token"
	TOKEN=$(jqb .token)
	api GET /api/v1/me
	is "$STATUS/$(jqb .user.email_verified)" "200/true" "$FLOW: the bearer token reaches the program (Authorization passed on)"
}

# flow_run LABEL: the whole flow against $B.
flow_run() {
	FLOW=$1
	local jar_was=$JAR a_tok b_tok share entry i n

	req GET /
	is "$STATUS" 200 "$FLOW: the home page"
	req GET /static/livecard.css
	is "$STATUS" 200 "$FLOW: a static file"
	api GET /api/v1/no-such-thing
	is "$STATUS/$(jqb .error.code)" "404/not_found" "$FLOW: an unknown API path is a JSON 404"
	req GET '/api/v1/m%65'
	is "$STATUS" 401 "$FLOW: a percent-encoded path routes like the plain one"

	flow_member "alice.$FLOW@example.com" "Alice $FLOW"
	a_tok=$TOKEN
	TOKEN=""
	JAR=$VARDIR/flow-jar-$FLOW
	rm -f "$JAR"
	req GET /signin
	is "$STATUS" 200 "$FLOW: the sign-in page"
	form POST /signin "csrf=$(csrf_of)" "email=alice.$FLOW@example.com" "password=password-alice.$FLOW@example.com"
	is "$STATUS" 303 "$FLOW: signing in with the form"
	req GET /settings
	is "$STATUS" 200 "$FLOW: the session cookie works (settings page)"
	JAR=$jar_was

	if ! flow_has mycard; then
		ok 0 "# SKIP $FLOW: no mycard program yet"
		return
	fi
	TOKEN=$a_tok
	req PUT /api/v1/card -H 'Content-Type: application/json' -H 'If-Match: *' \
		--data-binary "{\"full_name\":\"Alice $FLOW\",\"title\":\"Manager\",\"organization\":\"Acme\",\"emails\":[{\"type\":\"work\",\"value\":\"alice.$FLOW@example.com\"}]}"
	like "$STATUS" '^20[01]$' "$FLOW: Alice saves her card"
	api GET /api/v1/card
	share=$(jqb .share.url)
	like "$share" "^$B/c/[A-Za-z0-9_-]+$" "$FLOW: her card has a public link on this site"
	share=${share##*/c/}
	if flow_has share; then
		TOKEN=""
		req GET "/c/$share"
		is "$STATUS" 200 "$FLOW: the public card page"
		like "$BODY" "Alice $FLOW" "$FLOW: shows her name"
		req GET "/c/$share.vcf"
		like "$STATUS $BODY" "^200 BEGIN:VCARD" "$FLOW: and her vCard"
	fi

	flow_has folder || { ok 0 "# SKIP $FLOW: no folder program yet"; return; }
	flow_member "bob.$FLOW@example.com" "Bob $FLOW"
	b_tok=$TOKEN
	api POST /api/v1/folder/save-shared "{\"token\":\"$share\"}"
	is "$STATUS" 201 "$FLOW: Bob saves Alice's card from its link"
	entry=$(jqb .entry.id)
	api GET /api/v1/folder
	like "$(jqb -c '[.entries[]?.card.full_name]')" "Alice $FLOW" "$FLOW: it is in Bob's folder"

	if flow_has savers; then
		TOKEN=$a_tok
		api GET /api/v1/savers
		is "$STATUS" 200 "$FLOW: Alice reads her savers"
		like "$(jqb -c '[.savers[].full_name]')" "Bob $FLOW" "$FLOW: Bob is on the list"
	fi

	flow_has updates || { ok 0 "# SKIP $FLOW: no updates program yet"; return; }
	TOKEN=$a_tok
	api GET /api/v1/card
	req PUT /api/v1/card -H 'Content-Type: application/json' -H 'If-Match: *' \
		--data-binary "$(jqb -c '.card | .title = "Director"')"
	like "$STATUS" '^20[01]$' "$FLOW: Alice changes her title"
	TOKEN=$b_tok
	n=0
	for i in $(seq 1 60); do
		flow_drain
		api GET /api/v1/updates
		n=$(jqb '.updates | length')
		[ "$n" -ge 1 ] 2>/dev/null && break
		sleep 0.5
	done
	is "$n" 1 "$FLOW: Bob has one pending update"
	is "$(jqb -c '[.updates[0].changes[].field]')" '["title"]' "$FLOW: naming the title"
	api POST "/api/v1/updates/$entry/accept"
	is "$STATUS" 200 "$FLOW: Bob accepts it"
	api GET "/api/v1/folder/$entry"
	is "$(jqb .entry.card.title)" "Director" "$FLOW: his copy has the new title"
	TOKEN=""
}
