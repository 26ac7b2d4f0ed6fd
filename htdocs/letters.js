/* letters.js: new in-site letters appear within seconds, without a reload
 * (progressive enhancement: every page works without it). Polls
 * GET /api/v1/notifications?unread=1&since_id=N every 3 s while the page is
 * visible, keeps #letter-count and #letter-badge (and any [data-letter-count])
 * at the unread count, and announces new letters in a polite live region. */
(function () {
	"use strict";

	var INTERVAL = 3000, MAX_INTERVAL = 60000;
	var lastId = null, interval = INTERVAL, timer = null, region = null;

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
			list[i].textContent = String(n);
			if (list[i].id === "letter-badge") list[i].hidden = n === 0;
		}
	}

	function liveRegion() {
		if (region) return region;
		region = document.createElement("div");
		region.id = "letters-live";
		region.className = "notice";
		region.setAttribute("role", "status");
		region.setAttribute("aria-live", "polite");
		region.hidden = true;
		var main = document.getElementById("main") || document.body;
		main.insertBefore(region, main.firstChild);
		return region;
	}

	function announce(letters) {
		var box = liveRegion();
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
		box.hidden = false;
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
			if (lastId !== null && data.notifications && data.notifications.length) announce(data.notifications);
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
		document.addEventListener("visibilitychange", function () {
			if (!document.hidden && !timer) poll();
		});
		poll();
	}

	if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
	else start();
})();
