# browser.mk: what the browser tests (tests/integration/950-browser.t) need: Debian's Chromium, Node and the npm modules.
# Included by the GNUmakefile as its last line, so nothing here becomes the default goal.

# Debian 12 packages: the browser, Node (the machine's nodejs 20 from NodeSource
# already counts; it ships npm itself and conflicts with Debian's npm package, so
# npm is asked for only when there is no npm command), and a CJK font so that the
# Chinese screenshots show Chinese rather than boxes.
DEB_TEST += chromium nodejs fonts-wqy-microhei
ifeq ($(shell command -v npm 2>/dev/null),)
DEB_TEST += npm
endif

BROWSER_DIR = tests/browser

.PHONY: browser-deps test-browser

# browser-deps: the pinned npm modules (playwright-core, axe-core) from
# package-lock.json, installed again when node_modules is missing or older than
# the lock file.
browser-deps: $(BROWSER_DIR)/node_modules/.installed

$(BROWSER_DIR)/node_modules/.installed: $(BROWSER_DIR)/package-lock.json $(BROWSER_DIR)/package.json
	cd $(BROWSER_DIR) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# make test-browser: the browser walk alone (screenshots in $(BUILD)/artifacts/browser/)
test-browser: deps
	@$(SUBMAKE) all browser-deps
	BUILD=$(abspath $(BUILD)) prove -v --timer tests/integration/950-browser.t

# make test (and the other integration runs) need the modules before prove
# starts: they build them in their second make, after deps installed npm
BROWSER_DEPS = browser-deps
