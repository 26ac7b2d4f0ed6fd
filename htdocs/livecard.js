/* livecard.js: progressive enhancement for every page; every page works without it. */
(function () {
	"use strict";

	/* [data-copy]: a "copy" button after the element, copying data-copy to the
	 * clipboard; its words come from data-copy-label and data-copied (the
	 * lang files, via the template). */
	function copyButtons() {
		if (!navigator.clipboard || !navigator.clipboard.writeText) return;
		var list = document.querySelectorAll("[data-copy][data-copy-label]");
		for (var i = 0; i < list.length; i++) addCopy(list[i]);
	}

	function addCopy(el) {
		var btn = document.createElement("button"), label = el.getAttribute("data-copy-label");
		var status = document.createElement("span");
		btn.type = "button";
		btn.className = "secondary copy";
		btn.textContent = label;
		status.className = "hint copy-status";
		status.setAttribute("role", "status");
		btn.addEventListener("click", function () {
			navigator.clipboard.writeText(el.getAttribute("data-copy")).then(function () {
				status.textContent = el.getAttribute("data-copied") || "";
				setTimeout(function () { status.textContent = ""; }, 4000);
			}, function () { /* the link stays selectable by hand */ });
		});
		el.parentNode.insertBefore(status, el.nextSibling);
		el.parentNode.insertBefore(btn, status);
	}

	/* the browser's time zone: the lc_tz cookie (pages, and a new account,
	 * show times in it until the member chooses one in Settings), and the
	 * empty time-zone field of Settings filled with it ([data-tz-guess]) */
	function timeZone() {
		var tz = "";
		try { tz = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return; }
		if (!/^[A-Za-z0-9_+\/-]{1,64}$/.test(tz)) return;
		if (document.cookie.split("; ").indexOf("lc_tz=" + tz) < 0)
			document.cookie = "lc_tz=" + tz + "; path=/; max-age=31536000; SameSite=Lax";
		var fields = document.querySelectorAll("input[data-tz-guess]");
		for (var i = 0; i < fields.length; i++) if (!fields[i].value) fields[i].value = tz;
	}

	function start() { copyButtons(); timeZone(); }
	if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
	else start();
})();
