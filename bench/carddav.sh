#!/usr/bin/env bash
# carddav.sh: CardDAV benchmark, livecard side by side with Debian's Radicale
# holding the same cards: the Depth-1 PROPFIND listing of ETags, a multiget
# of every card, an incremental sync-collection after one change, and one
# PUT, at 5,000 cards; then livecard alone at 50,000. Writes bench/carddav.md.
#
#   make bench-carddav            (or: bench/carddav.sh [OUT.md])
#   N_SMALL=5000 N_BIG=50000 RUNS=5 to change the sizes and repetitions.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$TOP/bench/carddav.md}
N_SMALL=${N_SMALL:-5000}
N_BIG=${N_BIG:-50000}
RUNS=${RUNS:-5}
PY=/usr/bin/python3
# (a multiget of 50,000 hrefs is ~4 MB of XML: within the default
# Limits.DAVReportBytes, 8 MiB, which only REPORT bodies get)
. "$TOP/tests/lib.sh"
command -v "$PY" >/dev/null && "$PY" -c 'import radicale' 2>/dev/null || bail "Radicale is needed (make deps-dav)"

RAD_PID=""
cleanup() {
	[ -n "$RAD_PID" ] && kill "$RAD_PID" 2>/dev/null
	[ -n "$RAD_PID" ] && wait "$RAD_PID" 2>/dev/null
	stack_down
}
stack_up
trap cleanup EXIT
RAD_DIR=$VARDIR/radicale
RAD_PORT=$((PORT + 5))
port_free "$RAD_PORT" || bail "port $RAD_PORT is taken"

say() { echo "bench: $*" >&2; }

# --- data -------------------------------------------------------------------------
# gen_cards FIRST LAST [PHOTOS]: vCards numbered FIRST..LAST, one per line
# group; with PHOTOS=1 every ninth (i % 9 == 0) carries a photo of its own
# (a 48 x 48 PNG of noise, about 9 KB in base64): 5,000 of the cards
# 5,001..50,000, 10 % of a 50,000-card book
gen_cards() {
	"$PY" - "$1" "$2" "${3:-0}" <<'EOF'
import base64, random, struct, sys, zlib
a, b, photos = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
def png(seed, w=48, h=48):
    rnd = random.Random(seed)
    raw = b"".join(b"\0" + bytes(rnd.getrandbits(8) for _ in range(w * 3)) for _ in range(h))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))
out = []
for i in range(a, b + 1):
    photo = ""
    if photos and i % 9 == 0:
        photo = "PHOTO;ENCODING=b;TYPE=PNG:" + base64.b64encode(png(i)).decode() + "\r\n"
    out.append(f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:bench-{i:06d}\r\nFN:Bench Person {i:06d}\r\n"
               f"N:Person {i:06d};Bench;;;\r\nORG:Company {i % 500}\r\nTITLE:Manager\r\n"
               f"EMAIL;TYPE=WORK:p{i:06d}@example.org\r\nTEL;TYPE=CELL:+86 138 {i // 10000:04d} {i % 10000:04d}\r\n"
               f"ADR;TYPE=WORK:;;{i} Nanjing Road;Shanghai;;200000;China\r\n{photo}END:VCARD\r\n")
sys.stdout.write("".join(out))
EOF
}

# radicale_fill FIRST LAST: the same cards as files of Radicale's store
radicale_fill() {
	"$PY" - "$RAD_DIR/collection-root/bench/book" "$1" "$2" <<'EOF'
import json, os, sys
d, a, b = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(d, exist_ok=True)
with open(os.path.join(d, ".Radicale.props"), "w") as f:
    json.dump({"tag": "VADDRESSBOOK", "D:displayname": "bench"}, f)
for i in range(a, b + 1):
    with open(os.path.join(d, f"bench-{i:06d}.vcf"), "w", newline="") as f:
        f.write(f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:bench-{i:06d}\r\nFN:Bench Person {i:06d}\r\n"
                f"N:Person {i:06d};Bench;;;\r\nORG:Company {i % 500}\r\nTITLE:Manager\r\n"
                f"EMAIL;TYPE=WORK:p{i:06d}@example.org\r\nTEL;TYPE=CELL:+86 138 {i // 10000:04d} {i % 10000:04d}\r\n"
                f"ADR;TYPE=WORK:;;{i} Nanjing Road;Shanghai;;200000;China\r\nEND:VCARD\r\n")
EOF
}

# livecard_fill FIRST LAST [PHOTOS]: import the cards into Dana's folder, 5,000 a request
livecard_fill() {
	local a=$1 b=$2 c
	for ((c = a; c <= b; c += 5000)); do
		local e=$((c + 4999 > b ? b : c + 4999))
		gen_cards "$c" "$e" "${3:-0}" >"$VARDIR/import.vcf"
		req POST /api/v1/folder/import -H 'Content-Type: text/vcard' --data-binary @"$VARDIR/import.vcf"
		[ "$STATUS" = 200 ] || bail "import: $STATUS $BODY"
	done
}

# --- timing ---------------------------------------------------------------------------
# t_req USER:PASS METHOD URL BODYFILE [headers...]: seconds of one request; the
# status must be 2xx
t_req() {
	local auth=$1 method=$2 url=$3 body=$4
	shift 4
	local args=(-s -o "$VARDIR/out" -w '%{http_code} %{time_total}' -X "$method" -u "$auth")
	[ -n "$body" ] && args+=(--data-binary @"$body")
	local r
	r=$(curl "${args[@]}" "$@" "$url")
	case ${r%% *} in
	2*) ;;
	*)
		echo "bench: $method $url: ${r%% *} $(head -c 300 "$VARDIR/out")" >&2
		kill -TERM $$
		exit 1
		;;
	esac
	echo "${r#* }"
}

# median of RUNS timings of a command printing seconds
median() {
	local i vals=()
	for i in $(seq 1 "$RUNS"); do vals+=("$("$@")"); done
	printf '%s\n' "${vals[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

ms() { awk -v s="$1" 'BEGIN {printf "%.1f", s * 1000}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.0f", a / b}'; }

PROPFIND_BODY=$VARDIR/propfind.xml
printf '<?xml version="1.0" encoding="utf-8"?><propfind xmlns="DAV:"><prop><resourcetype/><getcontenttype/><getetag/></prop></propfind>' >"$PROPFIND_BODY"
XML='Content-Type: application/xml; charset=utf-8'

# multiget_body OUT [N]: a multiget of every href the last listing gave (or of
# its first N)
multiget_body() {
	"$PY" - "$VARDIR/out" "${2:-0}" >"$1" <<'EOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
hrefs = [r.find("{DAV:}href").text for r in root.iter("{DAV:}response")]
hrefs = [h for h in hrefs if h.endswith(".vcf")]
if int(sys.argv[2]) > 0:
    hrefs = hrefs[:int(sys.argv[2])]
sys.stdout.write('<?xml version="1.0" encoding="utf-8"?><C:addressbook-multiget xmlns:D="DAV:" '
                 'xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/><C:address-data/></D:prop>')
sys.stdout.write("".join(f"<D:href>{h}</D:href>" for h in hrefs))
sys.stdout.write("</C:addressbook-multiget>")
EOF
}

# card_url BOOKURL: the absolute URL of the first card of the last listing
card_url() {
	"$PY" - "$VARDIR/out" "$1" <<'EOF'
import sys, urllib.parse, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
hrefs = sorted(h for h in (r.find("{DAV:}href").text for r in root.iter("{DAV:}response")) if h.endswith(".vcf"))
print(urllib.parse.urljoin(sys.argv[2], hrefs[0]))
EOF
}

sync_body() { # sync_body TOKEN
	printf '<?xml version="1.0" encoding="utf-8"?><D:sync-collection xmlns:D="DAV:"><D:sync-token>%s</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>' "$1" >"$VARDIR/sync.xml"
}
sync_token() { "$PY" -c 'import sys, xml.etree.ElementTree as ET; print(ET.parse(sys.argv[1]).getroot().find("{DAV:}sync-token").text)' "$VARDIR/out"; }
n_responses() { "$PY" -c 'import sys, xml.etree.ElementTree as ET; print(len(list(ET.parse(sys.argv[1]).getroot().iter("{DAV:}response"))))' "$VARDIR/out"; }

# t_put AUTH BOOKURL SUFFIX: one new card (named by a counter file, as
# measure runs in a subshell)
t_put() {
	local n
	n=$(($(cat "$VARDIR/put.n" 2>/dev/null || echo 0) + 1))
	echo "$n" >"$VARDIR/put.n"
	printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:put-%06d\r\nFN:Put Person %d\r\nEMAIL:put%d@example.org\r\nTEL:+86 137 0000 %04d\r\nEND:VCARD\r\n' \
		"$n" "$n" "$n" "$n" >"$VARDIR/put.vcf"
	t_req "$1" PUT "$2$(printf 'put-%06d' "$n")$3" "$VARDIR/put.vcf" -H 'Content-Type: text/vcard' -H 'If-None-Match: *'
}

# measure NAME AUTH BOOKURL PUTSUFFIX: the numbers of one server, as
# "listing multiget sync put n_sync_responses multiget_of_100 get"
measure() {
	local auth=$2 url=$3 suffix=$4 list mg sync put tok n mg100 get one
	t_req "$auth" PROPFIND "$url" "$PROPFIND_BODY" -H "$XML" -H 'Depth: 1' >/dev/null	# warm
	list=$(median t_req "$auth" PROPFIND "$url" "$PROPFIND_BODY" -H "$XML" -H 'Depth: 1')
	multiget_body "$VARDIR/multiget.xml"
	multiget_body "$VARDIR/multiget100.xml" 100
	one=$(card_url "$url")
	t_req "$auth" GET "$one" "" >/dev/null
	get=$(median t_req "$auth" GET "$one" "")
	t_req "$auth" REPORT "$url" "$VARDIR/multiget100.xml" -H "$XML" -H 'Depth: 1' >/dev/null
	mg100=$(median t_req "$auth" REPORT "$url" "$VARDIR/multiget100.xml" -H "$XML" -H 'Depth: 1')
	t_req "$auth" REPORT "$url" "$VARDIR/multiget.xml" -H "$XML" -H 'Depth: 1' >/dev/null
	mg=$(median t_req "$auth" REPORT "$url" "$VARDIR/multiget.xml" -H "$XML" -H 'Depth: 1')
	# incremental sync after one change: token, one new card, sync from the token
	sync_one() {
		sync_body ""
		t_req "$auth" REPORT "$url" "$VARDIR/sync.xml" -H "$XML" -H 'Depth: 0' >/dev/null
		sync_body "$(sync_token)"
		t_put "$auth" "$url" "$suffix" >/dev/null
		t_req "$auth" REPORT "$url" "$VARDIR/sync.xml" -H "$XML" -H 'Depth: 0'
	}
	sync=$(median sync_one)
	n=$(n_responses)
	put=$(median t_put "$auth" "$url" "$suffix")
	echo "$list $mg $sync $put $n $mg100 $get"
}

# worker_mem: the carddav workers' largest resident size so far (VmHWM) and
# now (VmRSS), in MB, as "hwm rss"
worker_mem() {
	local pid hwm=0 rss=0 h r
	for pid in $(pgrep -f "cgi-bin/carddav --socket $VARDIR/"); do
		h=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null)
		r=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null)
		[ -n "$h" ] && [ "$h" -gt "$hwm" ] && hwm=$h
		[ -n "$r" ] && [ "$r" -gt "$rss" ] && rss=$r
	done
	awk -v h="$hwm" -v r="$rss" 'BEGIN {printf "%.1f %.1f", h / 1024, r / 1024}'
}

# --- livecard ------------------------------------------------------------------------------
say "livecard stack on $B"
signup_verified dana@example.com "Dana Bench" || bail "signup"
api POST /api/v1/app-passwords '{"label":"bench"}'
LC_AUTH="dana@example.com:$(jqb .password)"
DUID=$(sql "SELECT id FROM users WHERE email='dana@example.com'")
LC_URL=$B/dav/$DUID/cards/
say "importing $N_SMALL cards into livecard"
livecard_fill 1 "$N_SMALL"

# --- Radicale ------------------------------------------------------------------------------
say "Radicale on 127.0.0.1:$RAD_PORT"
radicale_fill 1 "$N_SMALL"
"$PY" -m radicale --server-hosts "127.0.0.1:$RAD_PORT" --auth-type none --rights-type owner_only \
	--storage-filesystem-folder "$RAD_DIR" --server-max-content-length 100000000 \
	--logging-level warning >"$VARDIR/radicale.log" 2>&1 &
RAD_PID=$!
for _ in $(seq 1 100); do port_free "$RAD_PORT" || break; sleep 0.1; done
RAD_AUTH="bench:x"
RAD_URL=http://127.0.0.1:$RAD_PORT/bench/book/

say "measuring at $N_SMALL cards"
M=$(measure radicale "$RAD_AUTH" "$RAD_URL" .vcf)
read -r R_LIST R_MG R_SYNC R_PUT R_N R_MG100 R_GET <<<"$M"
M=$(measure livecard "$LC_AUTH" "$LC_URL" .vcf)
read -r L_LIST L_MG L_SYNC L_PUT L_N L_MG100 L_GET <<<"$M"
read -r L_HWM L_RSS <<<"$(worker_mem)"

say "growing livecard to $N_BIG cards (every ninth new card with a photo)"
livecard_fill $((N_SMALL + 1)) "$N_BIG" 1
say "measuring at $N_BIG cards"
M=$(measure livecard "$LC_AUTH" "$LC_URL" .vcf)
read -r B_LIST B_MG B_SYNC B_PUT B_N B_MG100 B_GET <<<"$M"
B_MG_BYTES=$(t_req "$LC_AUTH" REPORT "$LC_URL" "$VARDIR/multiget.xml" -H "$XML" -H 'Depth: 1' >/dev/null; stat -c %s "$VARDIR/out")
B_MG_BODY=$(stat -c %s "$VARDIR/multiget.xml")
read -r B_HWM B_RSS <<<"$(worker_mem)"
LC_TOTAL=$(sql "SELECT COUNT(*) FROM folder_entries WHERE holder_id=$DUID")
LC_PHOTOS=$(sql "SELECT COUNT(*) FROM folder_entries WHERE holder_id=$DUID AND front_image IS NOT NULL")

# --- vdirsyncer: the whole big book, end to end ---------------------------------------------
# discovery from the root URL, a first sync of every card (one PROPFIND
# listing, one multiget naming them all), then an incremental sync after
# one change on the server
say "vdirsyncer: a first sync of $LC_TOTAL cards"
VD=$VARDIR/vdirsyncer
mkdir -p "$VD/home"
cat >"$VD/config" <<EOF
[general]
status_path = "$VD/status/"

[pair book]
a = "book_local"
b = "book_remote"
collections = ["from b"]

[storage book_local]
type = "filesystem"
path = "$VD/local/"
fileext = ".vcf"

[storage book_remote]
type = "carddav"
url = "$B/"
username = "${LC_AUTH%%:*}"
password = "${LC_AUTH#*:}"
EOF
vds() { HOME=$VD/home vdirsyncer -c "$VD/config" "$@"; }
yes | vds discover book >"$VD/discover.log" 2>&1 || bail "vdirsyncer discover: $(tail -5 "$VD/discover.log")"
n_log=$(wc -l <"$VARDIR/log/nginx-access.log")
t0=$(date +%s.%N)
vds sync >"$VD/sync1.log" 2>&1 || bail "vdirsyncer first sync: $(tail -5 "$VD/sync1.log")"
t1=$(date +%s.%N)
VD_FIRST=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}')
VD_FILES=$(find "$VD/local" -name '*.vcf' | wc -l)
VD_PHOTOS=$(find "$VD/local" -name '*.vcf' -print0 | xargs -0 grep -l '^PHOTO' | wc -l)
VD_REQS=$(tail -n +$((n_log + 1)) "$VARDIR/log/nginx-access.log" | awk '{print $6}' | tr -d '"' | sort | uniq -c | awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2}')
VD_ERRORS=$(tail -n +$((n_log + 1)) "$VARDIR/log/nginx-access.log" | awk '$9 !~ /^2/' | wc -l)
t_put "$LC_AUTH" "$LC_URL" .vcf >/dev/null
t0=$(date +%s.%N)
vds sync >"$VD/sync2.log" 2>&1 || bail "vdirsyncer second sync: $(tail -5 "$VD/sync2.log")"
t1=$(date +%s.%N)
VD_SECOND=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}')
VD_COPIED=$(grep -c 'Copying' "$VD/sync2.log")
VD_FILES2=$(find "$VD/local" -name '*.vcf' | wc -l)
read -r V_HWM V_RSS <<<"$(worker_mem)"
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)

# --- the report ------------------------------------------------------------------------------
{
	echo "# CardDAV benchmark: livecard and Radicale"
	echo
	echo "Generated by \`make bench-carddav\` (bench/carddav.sh) on $(date -u +%Y-%m-%d), $(nproc) cores,"
	echo "$(uname -sr). Each number is the median of $RUNS runs of one request made with"
	echo "curl over loopback (time to the last byte), after one warm-up request. livecard runs"
	echo "behind nginx with 2 FastCGI workers and its private MariaDB (conf/stack defaults);"
	echo "Radicale $("$PY" -c 'import radicale; print(radicale.VERSION)') (Debian's python3-radicale) serves the same"
	echo "cards from its file store, \`--auth-type none\`. Cards are generated: FN, N, ORG,"
	echo "TITLE, EMAIL, TEL, ADR (about 300 bytes of vCard each)."
	echo
	echo "## $N_SMALL cards, side by side"
	echo
	echo "| request | Radicale | livecard | livecard is | target |"
	echo "|---|---:|---:|---:|---|"
	echo "| Depth-1 PROPFIND listing (getetag, getcontenttype, resourcetype) | $(ms "$R_LIST") ms | $(ms "$L_LIST") ms | $(ratio "$R_LIST" "$L_LIST")× faster | ≥ 100× |"
	echo "| addressbook-multiget of all $N_SMALL cards | $(ms "$R_MG") ms | $(ms "$L_MG") ms | $(ratio "$R_MG" "$L_MG")× faster | ≥ 5× |"
	echo "| sync-collection after one change ($R_N / $L_N responses) | $(ms "$R_SYNC") ms | $(ms "$L_SYNC") ms | $(ratio "$R_SYNC" "$L_SYNC")× faster | ≥ 50× |"
	echo "| one PUT (new card, If-None-Match: *) | $(ms "$R_PUT") ms | $(ms "$L_PUT") ms | | ≤ 5 ms |"
	echo "| addressbook-multiget of 100 cards | $(ms "$R_MG100") ms | $(ms "$L_MG100") ms | $(ratio "$R_MG100" "$L_MG100")× faster | |"
	echo "| GET of one card | $(ms "$R_GET") ms | $(ms "$L_GET") ms | $(ratio "$R_GET" "$L_GET")× faster | |"
	echo
	echo "## livecard at $LC_TOTAL cards"
	echo
	echo "| request | $N_SMALL cards | $LC_TOTAL cards |"
	echo "|---|---:|---:|"
	echo "| Depth-1 PROPFIND listing | $(ms "$L_LIST") ms | $(ms "$B_LIST") ms |"
	echo "| addressbook-multiget of all cards | $(ms "$L_MG") ms | $(ms "$B_MG") ms |"
	echo "| sync-collection after one change | $(ms "$L_SYNC") ms | $(ms "$B_SYNC") ms |"
	echo "| one PUT | $(ms "$L_PUT") ms | $(ms "$B_PUT") ms |"
	echo "| addressbook-multiget of 100 cards | $(ms "$L_MG100") ms | $(ms "$B_MG100") ms |"
	echo "| GET of one card | $(ms "$L_GET") ms | $(ms "$B_GET") ms |"
	echo "| carddav worker, largest resident size so far (VmHWM) / now (VmRSS) | $L_HWM / $L_RSS MB | $B_HWM / $B_RSS MB |"
	echo
	echo "At $LC_TOTAL cards, $LC_PHOTOS of them with a photo (a 48 × 48 PNG of noise each,"
	echo "stored as the card's image and sent inline as PHOTO): the multiget of all cards"
	echo "is a $(awk -v b="$B_MG_BODY" 'BEGIN {printf "%.1f", b / 1048576}') MB request body (within \`Limits.DAVReportBytes\`, 8 MiB, which"
	echo "only REPORT bodies get) and a $(awk -v b="$B_MG_BYTES" 'BEGIN {printf "%.1f", b / 1048576}') MB answer, streamed in pieces of 256 KiB."
	echo
	echo "## vdirsyncer with the $LC_TOTAL-card book"
	echo
	echo "vdirsyncer $(vdirsyncer --version 2>/dev/null | awk '{print $NF}') (Debian), configured with the site's root URL only,"
	echo "a filesystem storage on the other side."
	echo
	echo "| step | result |"
	echo "|---|---|"
	echo "| discover, then a first sync of every card | $VD_FIRST s; $VD_FILES files written, $VD_PHOTOS of them with a PHOTO; requests: $VD_REQS; non-2xx: $VD_ERRORS |"
	echo "| one card added on the server, then a second sync | $VD_SECOND s; $VD_COPIED card copied; $VD_FILES2 files |"
	echo "| carddav worker after both (VmHWM / VmRSS) | $V_HWM / $V_RSS MB |"
	echo
	echo "## Why"
	echo
	echo "- The listing reads three columns of the folder's rows through the"
	echo "  \`(holder_id, uid)\` index and writes the multistatus by hand; no card is"
	echo "  read or parsed. The ETag is the entry's \`change_seq\`."
	echo "- The incremental sync reads only the change-log rows past the token"
	echo "  (\`folder_changes\`, primary key \`(holder_id, seq)\`) and the entries they"
	echo "  name: its cost follows the number of changes, not the folder's size,"
	echo "  which the $N_SMALL and $LC_TOTAL columns show. Radicale compares the"
	echo "  state of the whole collection with the one stored for the token."
	echo "- A multiget naming most of the folder (a first sync) scans the folder"
	echo "  once in UID order, 500 rows a query; smaller ones look the names up 500"
	echo "  at a time through the unique \`(holder_id, uid)\` index. Cards are read"
	echo "  from their stored JSON by \`dav_card_load\` and written by \`vcard_write\`."
	echo "- A PUT is about ten short statements (the entry, its keys, the change"
	echo "  log, the member flags: indexed, whatever the folder's size) and one"
	echo "  commit; on this machine the commit's fsync is most of its time, and it"
	echo "  varies with the disk's other load."
	echo "- The machine is shared: its load average was $LOAD when the run ended,"
	echo "  so single numbers vary by tens of percent between runs; the ratios hold."
	echo "- Answers above 256 KiB are streamed as they are written (no"
	echo "  Content-Length; nginx sends them chunked), so the worker's memory does not"
	echo "  grow with the answer: what it holds for a multiget of every card is the"
	echo "  parsed request (the names asked for) and one batch of 500 cards. vdirsyncer"
	echo "  asks for all cards in one multiget; its incremental sync is a Depth-1"
	echo "  listing compared with its status (it does not use sync-collection), so its"
	echo "  time follows the book's size on the client's side."
} >"$OUT"
say "wrote $OUT"
cat "$OUT"
