#!/usr/bin/env bash
# 950-browser.t: the whole method in headless Chromium (tests/browser/walk.mjs), English and Chinese each on a desktop and a phone (Chinese also without JavaScript), axe-core on every page.
. "$(dirname "$0")/../lib.sh"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
BROWSER_DIR=$TOP/tests/browser
ARTIFACTS=${ARTIFACTS:-$BUILD/artifacts/browser}
export CHROMIUM ARTIFACTS

# What the walk needs. `make test` installs it all (DEB_TEST and browser-deps in
# tests/browser/browser.mk); run alone, the test installs what it can and skips
# only when Chromium or the npm modules cannot be had at all.
if [ ! -x "$CHROMIUM" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	echo "# installing Debian's chromium"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 ||
		{ apt-get update -qq >/dev/null 2>&1 &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1; }
fi
if [ ! -x "$CHROMIUM" ]; then
	echo "1..0 # SKIP no Chromium at $CHROMIUM and it cannot be installed here (Debian package chromium: make deps)"
	exit 0
fi
if ! command -v node >/dev/null; then
	echo "1..0 # SKIP no node (Debian package nodejs: make deps)"
	exit 0
fi
if [ ! -f "$BROWSER_DIR/node_modules/.installed" ] || [ "$BROWSER_DIR/package-lock.json" -nt "$BROWSER_DIR/node_modules/.installed" ]; then
	echo "# installing the npm modules (make browser-deps)"
	if ! make -s -C "$TOP" browser-deps 2>&1 | sed 's/^/# /'; then :; fi
	if [ ! -f "$BROWSER_DIR/node_modules/.installed" ]; then
		echo "1..0 # SKIP the npm modules of tests/browser cannot be installed (npm ci failed)"
		exit 0
	fi
fi

# The non-member's update mail is queued at once (no coalescing window), so the
# walk need not wait a minute for it.
EXTRA_CONF=$'Updates.CoalesceSeconds = 0'
# A large import (step 13) is saved in small chunks with a pause, so that the
# walk sees (and photographs) its wait page before the result.
EXTRA_CONF+=$'\nImport.ChunkCards = 50\nImport.ChunkPauseMillis = 250'
export EXTRA_CONF
stack_up
diag "Chromium: $("$CHROMIUM" --version 2>/dev/null | head -1); screenshots: $ARTIFACTS/<lang>/NN-step.png"

# The walk prints TAP lines without numbers; number them here (lib.sh's ok).
started=$SECONDS
while IFS= read -r line; do
	case $line in
	"ok - "*) ok 0 "${line#ok - }" ;;
	"not ok - "*) ok 1 "${line#not ok - }" ;;
	"Bail out!"*) echo "$line"; exit 255 ;;
	"walk-exit "*)
		rc=${line#walk-exit }
		if [ "$T_N" -eq 0 ] || { [ "$rc" != 0 ] && [ "$T_FAILED" -eq 0 ]; }; then
			ok 1 "the walk (node tests/browser/walk.mjs) ran: exit $rc after $T_N checks"
		fi ;;
	*) echo "$line" ;;
	esac
done < <(cd "$TOP" && BASE_URL=$B MAILDIR=$MAILDIR SMSDIR=$SMSDIR timeout 900 nice node "$BROWSER_DIR/walk.mjs" 2>&1; echo "walk-exit $?")
diag "the browser walk took $((SECONDS - started)) s"
done_testing
