/* letters.js: new in-site letters appear within seconds, without a reload (progressive enhancement: every page works without it). */
/* Polls GET /api/v1/notifications?unread=1&since_id=N every 3 s while the
 * page is visible; keeps #letter-count, #letter-badge and any
 * [data-letter-count] at the unread count; announces new letters in a polite
 * live region at the top of <main>; and redraws every [data-live-refresh]
 * region (the savers list, the inbox) from a fresh copy of the page, so a new
 * saver or letter shows in place. Texts come from the server, never from
 * this script. */
(function () {
	"use strict";

	var INTERVAL = 3000, MAX_INTERVAL = 60000;
	var lastId = null, interval = INTERVAL, timer = null, region = null, refreshing = false;

	function counters() {
		var list = [], ids = ["letter-count", "letter-badge"], i, el;
		for (i = 0; i < ids.length; i++) {
			el = document.getElementById(ids[i]);
			if (el) list.push(el);
		}
		var extra = document.querySelectorAll("[data-letter-count]");
		for (i = 0; i < extra.length; i++) list.push(extra[i]);
		return list;
	}

	function showCount(n) {
		var list = counters();
		for (var i = 0; i < list.length; i++) {
			if (list[i].textContent !== String(n)) list[i].textContent = String(n);
			if (list[i].id === "letter-badge") list[i].hidden = n === 0;
		}
	}

	/* the live region exists (hidden, so it is no status yet) from the
	 * start; it is shown first and filled a moment later, which screen
	 * readers announce */
	function liveRegion() {
		if (region) return region;
		region = document.createElement("div");
		region.id = "letters-live";
		region.className = "notice letters-live";
		region.setAttribute("role", "status");
		region.setAttribute("aria-live", "polite");
		region.hidden = true;
		var main = document.getElementById("main") || document.body;
		main.insertBefore(region, main.firstChild);
		return region;
	}

	function announce(letters) {
		var box = liveRegion();
		if (box.hidden) {
			box.hidden = false;
			setTimeout(function () { fill(box, letters); }, 100);
		} else {
			fill(box, letters);
		}
	}

	function fill(box, letters) {
		box.textContent = "";
		var list = document.createElement("ul");
		list.className = "plain";
		for (var i = 0; i < letters.length && i < 5; i++) {
			var li = document.createElement("li");
			var a = document.createElement("a");
			a.href = "/inbox#letter-" + letters[i].id;
			a.textContent = letters[i].text;	/* text, never HTML */
			li.appendChild(a);
			list.appendChild(li);
		}
		box.appendChild(list);
	}

	/* refresh: replace each [data-live-refresh] region by its copy in a fresh
	 * GET of this page; a region holding the keyboard focus is left alone */
	function refresh() {
		var regions = document.querySelectorAll("[data-live-refresh][id]");
		if (!regions.length || refreshing || !window.DOMParser) return;
		refreshing = true;
		var xhr = new XMLHttpRequest();
		xhr.open("GET", location.pathname + location.search);
		xhr.onload = function () {
			refreshing = false;
			if (xhr.status !== 200) return;
			var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
			for (var i = 0; i < regions.length; i++) {
				var old = regions[i], fresh = doc.getElementById(old.id);
				if (!fresh || old.contains(document.activeElement)) continue;
				old.parentNode.replaceChild(document.importNode(fresh, true), old);
			}
		};
		xhr.onerror = function () {
			refreshing = false;
		};
		xhr.send();
	}

	function schedule() {
		if (timer) clearTimeout(timer);
		timer = setTimeout(poll, interval);
	}

	function poll() {
		timer = null;
		if (document.hidden) return;	/* resumed by visibilitychange */
		var url = "/api/v1/notifications?unread=1&limit=5";
		if (lastId !== null) url += "&since_id=" + encodeURIComponent(lastId);
		var xhr = new XMLHttpRequest();
		xhr.open("GET", url);
		xhr.setRequestHeader("Accept", "application/json");
		xhr.onload = function () {
			if (xhr.status === 401 || xhr.status === 403) return;	/* signed out: stop */
			if (xhr.status !== 200) {
				interval = Math.min(interval * 2, MAX_INTERVAL);
				schedule();
				return;
			}
			interval = INTERVAL;
			var data;
			try { data = JSON.parse(xhr.responseText); } catch (e) { schedule(); return; }
			showCount(data.unread || 0);
			if (lastId !== null && data.notifications && data.notifications.length) {
				announce(data.notifications);
				refresh();
			}
			if (typeof data.last_id === "number" && (lastId === null || data.last_id > lastId)) lastId = data.last_id;
			schedule();
		};
		xhr.onerror = function () {
			interval = Math.min(interval * 2, MAX_INTERVAL);
			schedule();
		};
		xhr.send();
	}

	function start() {
		var list = document.getElementById("letters");
		if (list && list.getAttribute("data-last-id")) lastId = parseInt(list.getAttribute("data-last-id"), 10) || 0;
		/* only signed-in pages carry a counter or the header's sign-out form */
		if (!counters().length && !document.querySelector("form[action='/signout']")) return;
		liveRegion();
		document.addEventListener("visibilitychange", function () {
			if (!document.hidden && !timer) poll();
		});
		poll();
	}

	if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
	else start();
})();
