# 499-updates-lib.sh: helpers of the updates tests (tests/integration/4*.t), sourced after tests/lib.sh.
# shellcheck shell=bash

# card_json JQ_FILTER: the signed-in member's card changed by a jq filter,
# as a JSON text for put_card.
card_json() {
	api GET /api/v1/card
	jqb -c ".card | $1"
}

# edit_card JQ_FILTER: change the signed-in member's card by a jq filter.
edit_card() {
	local c
	c=$(card_json "$1")
	put_card "$c"
}

# share_token: the signed-in member's public link token.
share_token() {
	api GET /api/v1/card
	local u
	u=$(jqb .share.url)
	echo "${u##*/c/}"
}

# fanout_idle [SECONDS]: wait until every fan-out job is done.
fanout_idle() {
	local secs=${1:-20} i
	for i in $(seq 1 $((secs * 10))); do
		[ "$(sql "SELECT COUNT(*) FROM fanout_jobs WHERE status <> 'done'")" = 0 ] && return 0
		sleep 0.1
	done
	diag "fan-out jobs still open: $(sql "SELECT id, status, phase, cursor_id FROM fanout_jobs WHERE status <> 'done'" | tr '\n\t' '; ')"
	return 1
}

# outbox_idle [SECONDS]: wait until nothing waits in the outbox.
outbox_idle() {
	local secs=${1:-30} i
	for i in $(seq 1 $((secs * 10))); do
		[ "$(sql "SELECT COUNT(*) FROM outbox WHERE status IN ('queued', 'sending')")" = 0 ] && return 0
		sleep 0.1
	done
	return 1
}

# letters USER_EMAIL KIND: how many letters of a kind a member has.
letters() {
	sql "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = '$1' AND n.kind = '$2'"
}

# update_mails TO: how many mails about a changed card (in English or in
# Chinese) reached an address.
update_mails() {
	local n
	n=$(grep -l -i -s "^To: $1\$" "$MAILDIR"/* 2>/dev/null | xargs -r grep -l -s -E 'updated (their|the) card|更新了(名片|您订阅的名片)' | wc -l)
	echo "$n"
}
