#!/usr/bin/env bash
# 110-card-images.t: the front and back images of a member's card: re-encoded
# without metadata (an EXIF GPS position does not survive), scaled, thumbnailed,
# stored by content hash, served with ETag/Cache-Control/nosniff; decompression
# bombs refused fast without the process growing; non-images 415, too large 413.
. "$(dirname "$0")/../lib.sh"
# a small configured limit keeps the 413 cases cheap
EXTRA_CONF="Limits.ImageBytes = 1048576"
export EXTRA_CONF
stack_up

# png_bomb W H FILE: a PNG whose header declares W x H pixels but whose data
# is a few rows of zeros: a few kB that would decode to W*H*3 bytes.
png_bomb() {
	/usr/bin/python3 - "$@" <<'PY'
import struct, sys, zlib
w, h, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
def chunk(t, d):
    return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
data = zlib.compress(b'\0' * ((w * 3 + 1) * 64), 9)
open(path, 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0))
                       + chunk(b'IDAT', data) + chunk(b'IEND', b''))
PY
}

# put_image SIDE FILE CTYPE [IF_MATCH]
put_image() {
	local extra=()
	[ $# -ge 4 ] && extra=(-H "If-Match: $4")
	req PUT "/api/v1/card/images/$1" -H "Content-Type: $3" "${extra[@]}" --data-binary "@$2"
}

# fetch PATH FILE: GET the bytes of PATH (with the bearer token) into FILE.
fetch() {
	curl -s -f -H "Authorization: Bearer $TOKEN" -o "$2" "$B$1"
}

# worker_hwm: the summed peak resident size (kB) of the mycard workers.
worker_hwm() {
	local sup p total=0
	sup=$(cat "$VARDIR/run/mycard.pid")
	for p in $(pgrep -P "$sup"); do
		total=$((total + $(awk '/^VmHWM/ {print $2}' "/proc/$p/status")))
	done
	echo "$total"
}

# req_bin ...: req for a binary answer (bash warns about the NUL bytes in BODY).
req_bin() { req "$@" 2>/dev/null; }

ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

signup_verified alice@example.com "Alice" || bail "cannot make a member"
ALICE=$TOKEN
T=$VARDIR/img
mkdir -p "$T"

# --- a PNG becomes a JPEG, stored by hash --------------------------------------
png 300 200 >"$T/small.png"
put_image front "$T/small.png" image/png
is "$STATUS" 200 "PUT /api/v1/card/images/front with a PNG"
is "$(jqb .revision)" 1 "bumps the revision"
is "$(jqb -c .changed_fields)" '["front_image"]' "changing the front image"
HASH=$(jqb .images.front.hash)
like "$HASH" '^[0-9a-f]{64}$' "named by a SHA-256"
is "$(jqb .images.front.url)" "$B/api/v1/card/images/front?v=$HASH" "with its URL"
is "$(sql "SELECT COUNT(*) FROM images WHERE hash = '$HASH'")" 1 "stored in MariaDB"
is "$(sql "SELECT CONCAT(mime, ' ', width, 'x', height) FROM images WHERE hash = '$HASH'")" "image/jpeg 300x200" \
	"re-encoded as JPEG, same size"
is "$(sql "SELECT SHA2(data, 256) FROM images WHERE hash = '$HASH'")" "$HASH" "the hash is that of the stored bytes"

req_bin GET /api/v1/card/images/front
is "$STATUS" 200 "GET the front image"
is "$(header Content-Type)" image/jpeg "image/jpeg"
is "$(header ETag)" "\"$HASH\"" "strong ETag = the hash"
like "$(header Cache-Control)" '^private, max-age=0' "revalidated when fetched by side"
is "$(header X-Content-Type-Options)" nosniff "nosniff"
req_bin GET "/api/v1/card/images/front?v=$HASH"
like "$(header Cache-Control)" '^private, max-age=31536000' "cached long when the URL names the bytes"
req_bin GET /api/v1/card/images/front -H "If-None-Match: \"$HASH\""
is "$STATUS" 304 "If-None-Match with the ETag: 304"
req_bin GET "/api/v1/card/images/front?thumb=1"
is "$STATUS" 200 "the thumbnail"
is "$(header ETag)" "\"$HASH-thumb\"" "has its own ETag"

# same bytes, other side: one row
fetch /api/v1/card/images/front "$T/front.jpg"
is "$(exiftool -s3 -FileType -ImageSize "$T/front.jpg" | tr '\n' ' ')" "JPEG 300x200 " "the served bytes are a 300x200 JPEG"

# --- big images are scaled, transparent ones stay PNG ----------------------------
png 3000 1000 >"$T/wide.png"
put_image back "$T/wide.png" image/png
is "$STATUS" 200 "a 3000x1000 PNG is accepted"
fetch /api/v1/card/images/back "$T/back.jpg"
is "$(exiftool -s3 -ImageSize "$T/back.jpg")" "2048x683" "scaled to 2048 px on the long side"
fetch "/api/v1/card/images/back?thumb=1" "$T/back-thumb.jpg"
is "$(exiftool -s3 -ImageSize "$T/back-thumb.jpg")" "320x107" "the thumbnail is 320 px"
png 64 64 alpha >"$T/alpha.png"
put_image back "$T/alpha.png" image/png
is "$STATUS" 200 "a PNG with transparency"
req_bin GET /api/v1/card/images/back
is "$(header Content-Type)" image/png "stays PNG"

# --- EXIF GPS does not survive ------------------------------------------------------
cp "$T/front.jpg" "$T/gps.jpg"
exiftool -q -overwrite_original -GPSLatitude=31.2304 -GPSLatitudeRef=N -GPSLongitude=121.4737 \
	-GPSLongitudeRef=E -Make=SpyCam -Model=X1 -Comment="secret comment" "$T/gps.jpg"
like "$(exiftool -s3 -GPSPosition "$T/gps.jpg")" '^31 deg' "the upload carries an EXIF GPS position"
put_image front "$T/gps.jpg" image/jpeg
is "$STATUS" 200 "a JPEG with EXIF GPS is accepted"
GPSHASH=$(jqb .images.front.hash)
fetch /api/v1/card/images/front "$T/stored.jpg"
ok $? "fetched the stored bytes through the API"
is "$(exiftool -s3 -GPSPosition -GPSLatitude -GPSLongitude "$T/stored.jpg")" "" "exiftool finds no GPS position in them"
is "$(exiftool -s3 -Make -Model -Comment "$T/stored.jpg")" "" "nor the camera or the comment"
is "$(exiftool -s3 -EXIF:all "$T/stored.jpg")" "" "no EXIF at all"
fetch "/api/v1/card/images/front?thumb=1" "$T/stored-thumb.jpg"
is "$(exiftool -s3 -GPSPosition "$T/stored-thumb.jpg")" "" "nor in the thumbnail"
is "$(sql "SELECT LOCATE('SpyCam', data) + LOCATE('SpyCam', thumb) FROM images WHERE hash = '$GPSHASH'")" 0 \
	"the database row holds no trace of the camera"

# --- what is refused, and nothing written ----------------------------------------------
rev=$(sql "SELECT revision FROM cards")
nimg=$(sql "SELECT COUNT(*) FROM images")
png_bomb 20000 20000 "$T/bomb.png"
hwm=$(worker_hwm)
t0=$(date +%s%N)
put_image front "$T/bomb.png" image/png
ms=$(ms_since "$t0")
like "$STATUS" '^(400|415)$' "a PNG declaring 20000x20000 is refused ($STATUS)"
is "$(jqb .error.code)" image_too_large_dimensions "code image_too_large_dimensions"
ok $([ "$ms" -lt 1000 ]; echo $?) "fast: ${ms} ms"
grow=$(( $(worker_hwm) - hwm ))
ok $([ "$grow" -lt 65536 ]; echo $?) "the workers' peak memory grew by ${grow} kB only (not 1.2 GB)"
# a JPEG that is only a frame header declaring 65000x65000
/usr/bin/python3 -c 'import sys, struct; sys.stdout.buffer.write(b"\xff\xd8\xff\xc0\x00\x11\x08" + struct.pack(">HH", 65000, 65000) + b"\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01\xff\xd9")' >"$T/bomb.jpg"
put_image front "$T/bomb.jpg" image/jpeg
like "$STATUS" '^(400|415)$' "a JPEG declaring 65000x65000 is refused ($STATUS)"
printf 'This is a text file, not a picture.\n' >"$T/note.txt"
put_image front "$T/note.txt" image/png
is "$STATUS" 415 "a text file sent as image/png is 415"
is "$(jqb .error.code)" unsupported_image "code unsupported_image"
put_image front "$T/note.txt" text/plain
is "$STATUS" 415 "a text/plain body is 415"
printf 'GIF89a\1\0\1\0\0\0\0;' >"$T/tiny.gif"
put_image front "$T/tiny.gif" image/gif
is "$STATUS" 415 "image/gif is 415"
head -c 1100000 /dev/urandom >"$T/big.jpg"
put_image front "$T/big.jpg" image/jpeg
is "$STATUS" 413 "a body over Limits.ImageBytes (1 MiB here) is 413"
head -c 600000 /dev/urandom >"$T/junk.jpg"
put_image front "$T/junk.jpg" image/jpeg
like "$STATUS" '^(400|415)$' "random bytes as a JPEG are refused ($STATUS)"
put_image front "$T/small.png" image/png '"1"'
is "$STATUS" 412 "a stale If-Match on an image is 412"
is "$(sql "SELECT revision FROM cards")" "$rev" "none of these changed the card"
is "$(sql "SELECT COUNT(*) FROM images")" "$nimg" "nor stored an image"
api GET /api/v1/card
is "$(jqb .images.front.hash)" "$GPSHASH" "the front image is still the last good one"

# --- history, deletion ---------------------------------------------------------------
api GET /api/v1/card/revisions/4
is "$(jqb -c '[.changes[] | [.field, .old, .new]]')" "[[\"front_image\",\"$HASH\",\"$GPSHASH\"]]" \
	"the revision's diff names the front image, old and new hashes"
req_bin GET "/api/v1/card/revisions/1/images/front"
is "$STATUS" 200 "an older revision's image is still served to the owner"
is "$(header ETag)" "\"$HASH\"" "the one it had then"
api DELETE /api/v1/card/images/back
is "$STATUS" 200 "DELETE the back image"
is "$(jqb -c '[.revision, .images.back, .changed_fields]')" '[5,null,["back_image"]]' "bumps the revision"
req_bin GET /api/v1/card/images/back
is "$STATUS" 404 "it is gone"
api DELETE /api/v1/card/images/back
is "$STATUS" 404 "deleting it again is 404"
is "$(sql "SELECT revision FROM cards")" 5 "and writes nothing"

# --- the upload page (multipart form, no JavaScript) ------------------------------------
TOKEN=""
JAR=$VARDIR/jar
req GET /signin
c=$(csrf_of)
form POST /signin "email=alice@example.com" "password=password-alice@example.com" "csrf=$c"
req GET /card/images
is "$STATUS" 200 "GET /card/images"
like "$BODY" 'enctype="multipart/form-data"' "has upload forms"
like "$BODY" 'action="/card/images/back"' "for the back"
like "$BODY" 'enctype="multipart/form-data" data-upload="front"' "marked for card.js (image preview, upload progress)"
like "$BODY" '<label for="image-front">Image file for the front</label>' "each file input has its own label"
like "$BODY" '<progress max="100" value="0" hidden aria-label="Upload progress">' "a progress bar, hidden until JavaScript uploads"
like "$BODY" '<p class="upload-status" id="image-front-status" role="status" data-progress="Uploading…"' "and a status line with its words from the lang files"
like "$BODY" '<script src="/static/card.js" defer></script>' "card.js is loaded"
s=$(csrf_of)
req POST /card/images/back -F "csrf=$s" -F "image=@$T/small.png;type=image/png"
is "$STATUS" 303 "uploading through the form"
is "$(header Location)" "/card/images?saved=1" "goes back to the page"
is "$(sql "SELECT back_image FROM cards")" "$HASH" "the back image is set (same bytes, same hash)"
is "$(sql "SELECT COUNT(*) FROM images WHERE hash = '$HASH'")" 1 "stored once"
req POST /card/images/front -F "csrf=$s" -F "image=@$T/note.txt;type=image/png"
is "$STATUS" 415 "a text file through the form: 415"
like "$BODY" 'JPEG, PNG or WebP' "the page says what is accepted"
req POST /card/images/front -F "csrf=$s" -F "image=@$T/big.jpg;type=image/jpeg"
is "$STATUS" 413 "too large through the form: 413"
req POST /card/images/front -F "image=@$T/small.png;type=image/png"
is "$STATUS" 403 "no CSRF token: 403"
req POST /card/images/back/delete --data-urlencode "csrf=$s"
is "$STATUS" 303 "removing through the form"
is "$(sql "SELECT back_image IS NULL FROM cards")" 1 "the back image is gone"
is "$(sql "SELECT revision FROM cards")" 7 "two more revisions"

# --- another member cannot reach these images ------------------------------------------
JAR=""
signup_verified bob@example.com "Bob" || bail "cannot make a second member"
req_bin GET /api/v1/card/images/front
is "$STATUS" 404 "Bob's own front image: none"
req GET /api/v1/card/revisions/4/images/front
is "$STATUS" 404 "Alice's revision images are not his"
TOKEN=""
req GET "/api/v1/card/images/front?v=$GPSHASH"
is "$STATUS" 401 "without a sign-in: 401"

done_testing
