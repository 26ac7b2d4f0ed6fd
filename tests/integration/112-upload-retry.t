#!/usr/bin/env bash
# 112-upload-retry.t: a card-image upload (multipart form) whose transaction loses a real InnoDB deadlock (1213) is run again with its upload read from the start: the stored image is the one sent, whole.
. "$(dirname "$0")/../lib.sh"
stack_up

signup_verified ada@example.com "Ada Lovelace" || bail "no member"
TA=$TOKEN
put_card '{"full_name":"Ada Lovelace","title":"Analyst"}'
is "$STATUS" 200 "the card is saved"
CID=$(sql "SELECT id FROM cards WHERE user_id = $(uid_of ada@example.com)")
web_signin ada@example.com /card/images || bail "no browser session"
s=$(csrf_of)
png 320 200 >"$VARDIR/a.png"
png 240 160 10 120 200 >"$VARDIR/b.png"

# the reference: the same file uploaded once, without any conflict (the
# hash is of the re-encoded image, the same for the same bytes)
req POST /card/images/back -F "csrf=$s" -F "image=@$VARDIR/b.png;type=image/png"
is "$STATUS" 303 "an upload without a conflict"
REF=$(sql "SELECT back_image FROM cards WHERE id = $CID")
like "$REF" '^[0-9a-f]{64}$' "stores the image by its hash"
req POST /card/images/front -F "csrf=$s" -F "image=@$VARDIR/a.png;type=image/png"
is "$STATUS" 303 "a first front image"
OLD=$(sql "SELECT front_image FROM cards WHERE id = $CID")

# A second connection makes the upload's transaction a deadlock victim:
# it holds the card's revision range (where the upload inserts its new
# revision) and, once the upload waits there holding the card row, asks for
# that row. InnoDB rolls back the lighter transaction: the second
# connection first wrote 50 rows (rolled back at the end), so the upload's.
coproc DBC { mariadb --no-defaults --default-character-set=utf8mb4 --socket="$VARDIR/run/mysqld.sock" \
	-uroot -N -B -n --force livecard 2>&1; }
dbc() { echo "$1" >&"${DBC[1]}"; }
# dbc_until MARK: the second connection's output up to the line MARK
dbc_until() {
	local line out=""
	while read -r -t 30 line <&"${DBC[0]}"; do
		[ "$line" = "$1" ] && { printf '%s' "$out"; return 0; }
		out="$out$line"$'\n'
	done
	printf '%s' "$out"
	return 1
}
waiting() { [ "$(sql "SELECT COUNT(*) FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT'")" = 1 ]; }
wait_waiting() {
	local i
	for i in $(seq 1 100); do waiting && return 0; sleep 0.1; done
	return 1
}
retries_logged() { cat "$VARDIR"/log/*.log | grep -c 'POST /card/images/front: conflict, running again' || true; }

before=$(retries_logged)
dbc "BEGIN; INSERT INTO images (hash, mime, width, height, data, thumb_mime, thumb)
	SELECT SHA2(CONCAT('weight', seq), 256), 'image/png', 1, 1, 'x', 'image/png', 'x' FROM seq_1_to_50;
	SELECT COUNT(*) FROM card_revisions WHERE card_id = $CID FOR UPDATE; SELECT 'locked';"
out=$(dbc_until locked)
ok $? "the second connection holds the card's revisions ($(echo "$out" | tr '\n' ' '))"
curl -s -o /dev/null -w '%{http_code}' -b "$JAR" -F "csrf=$s" -F "image=@$VARDIR/b.png;type=image/png" \
	"$B/card/images/front" >"$VARDIR/upload.status" &
UP=$!
wait_waiting
ok $? "the upload waits for the revision range, holding the card row"
dbc "SELECT id FROM cards WHERE id = $CID FOR UPDATE; SELECT 'got-card';"
out=$(dbc_until got-card)
unlike "$out" "ERROR" "the second connection gets the card row: the upload was the deadlock's victim"
wait_waiting
ok $? "the upload runs again and waits for the card row"
dbc "ROLLBACK; SELECT 'done';"
dbc_until done >/dev/null
wait "$UP"
is "$(cat "$VARDIR/upload.status")" 303 "the upload is answered as saved, not 503"
after=$(retries_logged)
ok $((!(after > before))) "its handler ran again after the deadlock ($((after - before)) time(s))"
FRONT=$(sql "SELECT front_image FROM cards WHERE id = $CID")
is "$FRONT" "$REF" "the stored front image is the one sent, read whole on the retry (same hash as the reference)"
ok "$([ "$FRONT" != "$OLD" ]; echo $?)" "and not the previous one"
curl -s -H "Authorization: Bearer $TA" -o "$VARDIR/front.bin" "$B/api/v1/card/images/front"
is "$(sha256sum <"$VARDIR/front.bin" | cut -d' ' -f1)" "$FRONT" "served whole: the SHA-256 of the bytes served is the stored hash"
is "$(sql "SELECT CONCAT(width, 'x', height, ' ', LENGTH(data)) FROM images WHERE hash = '$FRONT'")" "240x160 $(stat -c %s "$VARDIR/front.bin")" "the 240 x 160 image sent, all of its bytes stored"
like "$(head -c 12 "$VARDIR/front.bin" | od -An -c | tr -d ' \n')" '^(211PNG|377330377|RIFF....WEBP)' "a PNG, JPEG or WebP file"
is "$(sql "SELECT COUNT(*) FROM images WHERE width = 1")" 0 "the second connection's rows were rolled back"
is "$(sql "SELECT revision FROM cards WHERE id = $CID")" "$(sql "SELECT MAX(revision) FROM card_revisions WHERE card_id = $CID")" "one revision for the upload, none half-written"

done_testing
