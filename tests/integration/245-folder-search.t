#!/usr/bin/env bash
# 245-folder-search.t: the folder search on its folded text (sql/021_search_fold.sql) finds what the collation's LIKE on search_text finds (mixed case, accents, Chinese, fullwidth forms, combining marks, ß and æ, digits, phone forms, LIKE's wildcards), and the API's search answer is, byte for byte, the entries as GET /api/v1/folder/{id} writes them with jansson.
. "$(dirname "$0")/../lib.sh"
stack_up

signup_verified sam@example.com "Sam"
SAM_ID=$(uid_of sam@example.com)

ACUTE=$(printf '\xcc\x81')	# U+0301, combining acute accent (weightless in the collation)
MUELLER=$(folder_save '{"full_name":"Jürgen MÜLLER","organization":"Müller & Söhne GmbH","emails":[{"type":"work","value":"j.mueller@example.de"}],"phones":[{"type":"work","value":"+49 30 1234567"}]}')
MULLER=$(folder_save '{"full_name":"Anna Muller","organization":"ACME","phones":[{"type":"cell","value":"+1 415 555 0100"}]}')
GARCIA=$(folder_save '{"full_name":"José García","title":"Café owner","emails":[{"type":"work","value":"jose@example.es"}]}')
ZHANG=$(folder_save '{"full_name":"张伟","name":{"family":"张","given":"伟"},"organization":"北京某某科技股份有限公司","phones":[{"type":"cell","value":"+86 138 0013 8000"}]}')
ZHANG2=$(folder_save '{"full_name":"Zhang Wei","organization":"Huawei"}')
WIDE=$(folder_save '{"full_name":"ＡＢＣ Ｔｒａｄｉｎｇ","organization":"Fullwidth Ｌｔｄ １２３"}')
STRASSE=$(folder_save '{"full_name":"Hans Straße","organization":"Ærø Æble"}')
NFD=$(folder_save "{\"full_name\":\"Rene$ACUTE Dupont\",\"organization\":\"Cafe$ACUTE du Nord\"}")
WILD=$(folder_save '{"full_name":"Percy 100% Under_score","organization":"Bang! Inc"}')
api PUT "/api/v1/folder/$WILD" '{"notes":"quote \" back \\ slash / tab\t emoji 😀 sep \u2028 é","tags":["ünïcode","a/b","q\"t"]}'
is "$STATUS" 200 "notes and tags with every kind of escape" || diag "$BODY"
N=9
is "$(sql "SELECT COUNT(*), COUNT(search_fold) FROM folder_entries WHERE holder_id = $SAM_ID")" "$N	$N" \
	"every saved entry has its folded search text"
is "$(sql "SELECT HEX(search_fold) FROM folder_entries WHERE id = $MULLER")" \
	"$(printf '%s' "ANNA MULLER ACME +14155550100 4155550100" | od -An -tx1 | tr -d ' \n' | tr a-f A-F)" \
	"folded: the collation's smallest character of each (here: capitals)"

# find QUERY: the ids the API search finds, sorted
find() {
	req GET /api/v1/folder -G --data-urlencode "q=$1" --data-urlencode limit=500
	[ "$STATUS" = 200 ] || diag "search $1: $STATUS $BODY"
	jqb -c '[.entries[].id]|sort'
}
set_of() { printf '%s\n' "$@" | sort -n | paste -sd, | sed 's/^/[/;s/$/]/'; }

is "$(find muller)" "$(set_of "$MUELLER" "$MULLER")" "muller finds Müller and Muller"
is "$(find MÜLLER)" "$(set_of "$MUELLER" "$MULLER")" "MÜLLER: the same"
is "$(find garcia)" "[$GARCIA]" "garcia finds García"
is "$(find 张)" "[$ZHANG]" "a Chinese character"
is "$(find zhang)" "[$ZHANG2]" "its pinyin is another word"
is "$(find abc)" "[$WIDE]" "ASCII finds fullwidth letters"
is "$(find １２３)" "$(set_of "$MUELLER" "$WIDE")" "fullwidth digits find ASCII ones (+49 30 1234567) and themselves"
is "$(find ss)" "[]" "ß is not ss (LIKE compares character by character)"
is "$(find straße)" "[$STRASSE]" "ß finds ß"
is "$(find ae)" "[]" "æ is not ae"
is "$(find "rené")" "[$NFD]" "é is e to the collation: rené finds Rene+U+0301"
is "$(find "rene${ACUTE}d")" "[]" "but U+0301 is a character of its own: not rened"
is "$(find "cafe")" "$(set_of "$GARCIA" "$NFD")" "cafe finds Café and Cafe+U+0301"
is "$(find "100%")" "[$WILD]" "% is taken literally"
is "$(find "und_r")" "[]" "_ is taken literally (no und_r in Under_score)"
is "$(find "r_s")" "[$WILD]" "and finds itself"
is "$(find "bang!")" "[$WILD]" "! (LIKE's escape here) is taken literally"
is "$(find "+49 30 1234567")" "[$MUELLER]" "a phone number as typed"
is "$(find "138-0013-8000")" "[$ZHANG]" "a national number"
is "$(find "acme ANNA")" "[$MULLER]" "every word must match"

# The same queries with the folded texts gone: the collation's LIKE on
# search_text (the search before 021, and the path of entries without a
# fold) finds exactly the same.
QUERIES=(muller MÜLLER Muller müLLer garcia GARCÍA José 张 张伟 伟 zhang abc ＡＢＣ 123 １２３ ss straße STRASSE ß ae æ Æ
	"rené" "rene" "cafe" "café" "$ACUTE" "100%" "%" "_" "r_s" "!" "bang!" "+49 30 1234567" "030 1234567" "1234567"
	"138-0013-8000" "+86 138 0013 8000" "0013 8000" "415" "und_r" "r_s" "acme ANNA" "gmbh söhne" "😀" "example" "j.mueller@" "")
# results NAME: every query's answer now, into the array NAME
results() { local -n into=$1; into=(); for q in "${QUERIES[@]}"; do into+=("$(find "$q")"); done; }
# same_as NAME DESCRIPTION: every query finds now what it found in NAME
same_as() {
	local -n was=$1
	local same=1 got
	for i in "${!QUERIES[@]}"; do
		got=$(find "${QUERIES[$i]}")
		[ "$got" = "${was[$i]}" ] || { same=0; diag "q=${QUERIES[$i]}: was ${was[$i]}, now $got"; }
	done
	is "$same" 1 "$2"
}
results WITH
FOLDS=$(sql "SELECT id, HEX(search_fold) FROM folder_entries WHERE holder_id = $SAM_ID AND id <> $MULLER ORDER BY id")
sql "UPDATE folder_entries SET search_fold = NULL WHERE holder_id = $SAM_ID"
same_as WITH "${#QUERIES[@]} queries: the folded search finds what the collation's LIKE finds"

# A write fills the fold again.
api PUT "/api/v1/folder/$MULLER" '{"card":{"full_name":"Anna Müller-Lüdenscheidt","organization":"ACME"}}'
is "$STATUS" 200 "an edit"
is "$(sql "SELECT search_fold IS NOT NULL FROM folder_entries WHERE id = $MULLER")" 1 "writes the fold"
is "$(find lüdenscheidt)" "[$MULLER]" "which the search finds"

# livecardctl fold-search gives the others theirs, the very bytes a write
# stores, and the search on them finds what it found before (by the collation)
results BEFORE
out=$(LIVECARD_CONF=$VARDIR/livecard.hdf "$BUILD/batch/livecardctl" fold-search 2>&1)
is "$out" "fold-search: $((N - 1)) entries folded" "livecardctl fold-search folds the entries without a fold"
is "$(sql "SELECT id, HEX(search_fold) FROM folder_entries WHERE holder_id = $SAM_ID AND id <> $MULLER ORDER BY id")" \
	"$FOLDS" "each fold is the one the write path stored"
same_as BEFORE "and the ${#QUERIES[@]} queries find the same entries"
is "$(LIVECARD_CONF=$VARDIR/livecard.hdf "$BUILD/batch/livecardctl" fold-search 2>&1)" "fold-search: 0 entries folded" \
	"run again, it has nothing to do"

# The answer's bytes: each entry as GET /api/v1/folder/{id} writes it
# (folder_entry_json, dumped by jansson with JSON_ENSURE_ASCII).
bytes_ok=1
for q in "" muller cafe 100%; do
	req GET /api/v1/folder -G --data-urlencode "q=$q" --data-urlencode limit=500
	list=$BODY
	want='{"entries":['
	sep=
	for id in $(jqb '.entries[].id'); do
		req GET "/api/v1/folder/$id"
		e=${BODY#'{"entry":'}
		want+="$sep${e%'}'}"
		sep=,
	done
	want+='],"next_cursor":null}'
	[ "$list" = "$want" ] || { bytes_ok=0; diag "q=$q: $list"; diag "want: $want"; }
done
is "$bytes_ok" 1 "the search answer holds each entry's bytes as jansson writes them"
req GET /api/v1/folder -G --data-urlencode "q=100%"
like "$BODY" '"notes":"quote \\" back \\\\ slash / tab\\t emoji \\uD83D\\uDE00 sep \\u2028 \\u00E9"' \
	"escapes: quote, backslash, slash as it is, tab, a surrogate pair, U+2028, non-ASCII"
like "$BODY" '"tags":\["a/b","q\\"t","\\u00FCn\\u00EFcode"\]' "tags escaped, in order"

done_testing
