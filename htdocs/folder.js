/* folder.js: the folder pages with scripts: search as you type on the list, upload progress on the import page, a large import's progress on its job page; without scripts every form posts as it is. */
(function () {
	"use strict";

	var form = document.getElementById("import-form");
	var meta = document.querySelector('meta[name="csrf-token"]');
	if (!form || !meta || !window.XMLHttpRequest || !window.File) {
		return;
	}
	var box = document.getElementById("import-progress");
	var status = document.getElementById("import-status");
	var bar = document.getElementById("import-bar");
	var out = document.getElementById("import-result");
	var text = form.dataset;

	function el(tag, content) {
		var e = document.createElement(tag);
		if (content !== undefined) {
			e.textContent = content;
		}
		return e;
	}

	function issues(title, list) {
		if (!list || !list.length) {
			return;
		}
		out.appendChild(el("h3", title));
		var ul = el("ul");
		list.forEach(function (it) {
			/* what is wrong in the page's language; the parser's detail is English */
			var key = "issue" + String(it.code || "unreadable").split("_").map(function (w) {
				return w.charAt(0).toUpperCase() + w.slice(1);
			}).join("");
			var li = el("li", text.cardno + " " + (it.index + 1) + ": " + (text[key] || text.issueUnreadable));
			if (it.code !== "no_identity" && it.message) {
				var detail = el("span", "hint", " (" + it.message + ")");
				detail.lang = "en";
				li.appendChild(detail);
			}
			ul.appendChild(li);
		});
		out.appendChild(ul);
	}

	function show(res) {
		out.textContent = "";
		out.appendChild(el("h2", text.done));
		var ul = el("ul");
		ul.className = "plain";
		[[res.imported, text.imported], [res.merged, text.merged], [res.skipped, text.skipped]].forEach(function (p) {
			var li = el("li");
			li.appendChild(el("strong", String(p[0])));
			li.appendChild(document.createTextNode(" " + p[1]));
			ul.appendChild(li);
		});
		out.appendChild(ul);
		/* cards of members: linked at once, or offered on /updates */
		if (res.linked > 0 || res.offered > 0) {
			var members = el("ul");
			members.className = "plain";
			[[res.linked, text.linked], [res.offered, text.offered]].forEach(function (p) {
				if (!(p[0] > 0)) {
					return;
				}
				var li = el("li");
				li.appendChild(el("strong", String(p[0])));
				li.appendChild(document.createTextNode(" " + p[1]));
				if (p[1] === text.offered) {
					var a = el("a", text.updates);
					a.href = "/updates";
					li.appendChild(document.createTextNode(" "));
					li.appendChild(a);
				}
				members.appendChild(li);
			});
			out.appendChild(members);
		}
		issues(text.errors, res.errors);
		issues(text.warnings, res.warnings);
	}

	form.addEventListener("submit", function (ev) {
		var input = form.querySelector("input[type=file]");
		var file = input && input.files && input.files[0];
		if (!file) {
			return;	/* the browser's own check, or the plain post */
		}
		ev.preventDefault();
		var dup = form.querySelector("[name=on_duplicate]");
		var xhr = new XMLHttpRequest();
		/* async=1: a large file becomes a job (202 with its page's url) */
		xhr.open("POST", text.api + "?async=1&on_duplicate=" + encodeURIComponent(dup ? dup.value : "skip"));
		xhr.setRequestHeader("Content-Type", "text/vcard");
		xhr.setRequestHeader("X-CSRF-Token", meta.content);
		box.hidden = false;
		bar.value = 0;
		status.textContent = text.uploading + " 0 %";
		out.textContent = "";
		form.querySelector("button[type=submit]").disabled = true;
		xhr.upload.addEventListener("progress", function (e) {
			if (e.lengthComputable) {
				bar.value = Math.round(e.loaded * 100 / e.total);
				status.textContent = text.uploading + " " + bar.value + " %";
			}
		});
		xhr.upload.addEventListener("load", function () {
			bar.removeAttribute("value");	/* indeterminate while the server saves */
			status.textContent = text.processing;
		});
		xhr.addEventListener("load", function () {
			var res = null;
			form.querySelector("button[type=submit]").disabled = false;
			box.hidden = true;
			try {
				res = JSON.parse(xhr.responseText);
			} catch (e) {
				res = null;
			}
			if (xhr.status === 202 && res && res.url) {
				window.location.assign(res.url);
			} else if (xhr.status === 200 && res) {
				show(res);
			} else {
				out.textContent = "";
				out.appendChild(el("p", text.failed + " " +
					(res && res.error && res.error.message ? res.error.message : xhr.status)));
				out.firstChild.className = "error";
			}
		});
		xhr.addEventListener("error", function () {
			form.querySelector("button[type=submit]").disabled = false;
			box.hidden = true;
			out.textContent = "";
			out.appendChild(el("p", text.failed));
			out.firstChild.className = "error";
		});
		xhr.send(file);
	});
})();

/* A large import's job page (folder_import_job.cs): poll its JSON route
 * every second and move the bar; when the job ends, load the page again,
 * which then shows the result (without scripts the page refreshes itself). */
(function () {
	"use strict";

	var box = document.getElementById("import-job");
	if (!box || !window.XMLHttpRequest || !window.JSON) {
		return;
	}
	var status = document.getElementById("job-status");
	var bar = document.getElementById("job-bar");
	var text = box.dataset;

	function grouped(n) {
		return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
	}

	function poll() {
		var xhr = new XMLHttpRequest();
		xhr.open("GET", text.api);
		xhr.setRequestHeader("Accept", "application/json");
		xhr.addEventListener("load", function () {
			var job = null;
			try {
				job = JSON.parse(xhr.responseText);
			} catch (e) {
				job = null;
			}
			if (xhr.status !== 200 || !job) {
				window.setTimeout(poll, 2000);
				return;
			}
			if (job.status === "done" || job.status === "failed") {
				window.location.reload();
				return;
			}
			bar.max = job.total;
			bar.value = job.done;
			bar.textContent = grouped(job.done) + " / " + grouped(job.total);
			status.textContent = job.status === "queued" && !job.done ? text.queued :
				[text.before, grouped(job.done), text.middle, grouped(job.total), text.after].join(" ");
			window.setTimeout(poll, 1000);
		});
		xhr.addEventListener("error", function () {
			window.setTimeout(poll, 2000);
		});
		xhr.send();
	}
	window.setTimeout(poll, 1000);
})();

/* Search as you type on the folder page: the search form's fields fetch
 * GET /api/v1/folder (debounced, the previous request aborted) and the list
 * is redrawn in place; the page's own strings come from data-* attributes of
 * #folder-results (lang files), never from this script. Without scripts the
 * form submits as it is. */
(function () {
	"use strict";

	var form = document.getElementById("folder-search");
	var results = document.getElementById("folder-results");
	if (!form || !results || !window.XMLHttpRequest || !window.JSON) {
		return;
	}
	var q = form.querySelector("[name=q]");
	var tag = form.querySelector("[name=tag]");
	var status = document.getElementById("folder-status");
	var pages = document.getElementById("folder-pages");
	var text = results.dataset;
	var DELAY = 250;
	var timer = null, xhr = null, last = null;

	function el(tagName, cls, content) {
		var e = document.createElement(tagName);
		if (cls) {
			e.className = cls;
		}
		if (content !== undefined && content !== null) {
			e.textContent = content;
		}
		return e;
	}

	function badge(kind, label) {
		return el("span", "badge badge-" + kind, label);
	}

	/* entry: one list item, the markup of folder_item() in folder_macros.cs */
	function entry(en) {
		var c = en.card || {};
		var li = el("li", "folder-entry");
		li.id = "entry-" + en.id;
		var tile = el("a", "card-face bcard compact");
		tile.href = "/folder/" + en.id;
		tile.appendChild(el("span", "card-name", c.full_name || ""));
		if (c.title || c.organization) {
			tile.appendChild(el("span", "card-org", [c.title, c.organization].filter(Boolean).join(" \u00b7 ")));
		}
		if (c.phones && c.phones.length) {
			tile.appendChild(el("span", "card-line", c.phones[0].value));
		}
		if (c.emails && c.emails.length) {
			tile.appendChild(el("span", "card-line", c.emails[0].value));
		}
		li.appendChild(tile);
		if (en.images && en.images.front) {
			var img = el("img", "card-thumb folder-thumb");
			img.src = en.images.front + "&thumb=1";
			img.alt = "";
			img.loading = "lazy";
			li.appendChild(img);
		}
		var meta = el("div", "folder-meta");
		var badges = el("span", "badges");
		badges.appendChild(en.owner_is_member ? badge("member", text.member) : badge("nonmember", text.nonmember));
		if (en.owner_saved_my_card) {
			badges.appendChild(badge("saved", text.savedMy));
		}
		if (en.linked) {
			badges.appendChild(badge("linked", text.linked));
		}
		if (en.update_pending) {
			var up = el("a", "badge badge-update", text.pending);
			up.href = "/updates#update-" + en.id;
			badges.appendChild(up);
		}
		if (en.link_offer) {
			var offer = el("a", "badge badge-offer", text.offer);
			offer.href = "/folder/" + en.id + "#keep-updated";
			badges.appendChild(offer);
		}
		meta.appendChild(badges);
		if (en.tags && en.tags.length) {
			var tags = el("span", "folder-tags");
			en.tags.forEach(function (t) {
				var a = el("a", null, "#" + t);
				a.href = "/folder?tag=" + encodeURIComponent(t);
				tags.appendChild(a);
				tags.appendChild(document.createTextNode(" "));
			});
			meta.appendChild(tags);
		}
		li.appendChild(meta);
		return li;
	}

	function params() {
		return "q=" + encodeURIComponent(q.value) + "&tag=" + encodeURIComponent(tag ? tag.value : "");
	}

	function show(data, filtered) {
		var list = data.entries || [];
		results.textContent = "";
		if (list.length) {
			var ul = el("ul", "folder-list");
			list.forEach(function (en) {
				ul.appendChild(entry(en));
			});
			results.appendChild(ul);
		} else {
			results.appendChild(el("p", "empty folder-none", filtered ? text.noMatch : text.empty));
		}
		if (status) {
			status.textContent = filtered ? text.found + " " + list.length + (data.next_cursor ? "+" : "") : "";
		}
		if (pages) {
			pages.textContent = "";
			if (data.next_cursor) {
				var next = el("a", null, text.next);
				next.rel = "next";
				next.href = "/folder?" + params() + "&cursor=" + encodeURIComponent(data.next_cursor);
				pages.appendChild(next);
			}
		}
	}

	function run() {
		timer = null;
		var p = params();
		if (p === last) {
			return;
		}
		last = p;
		if (xhr) {
			xhr.abort();
		}
		var filtered = q.value.trim() !== "" || (tag && tag.value !== "");
		xhr = new XMLHttpRequest();
		xhr.open("GET", "/api/v1/folder?" + p + "&limit=50");
		xhr.setRequestHeader("Accept", "application/json");
		results.setAttribute("aria-busy", "true");
		xhr.addEventListener("load", function () {
			var data = null;
			results.removeAttribute("aria-busy");
			try {
				data = JSON.parse(xhr.responseText);
			} catch (e) {
				data = null;
			}
			if (xhr.status === 200 && data) {
				show(data, filtered);
				if (window.history && history.replaceState) {
					history.replaceState(null, "", filtered ? "/folder?" + p : "/folder");
				}
			} else {
				last = null;	/* the next keystroke tries again; the form still works */
			}
		});
		xhr.addEventListener("error", function () {
			results.removeAttribute("aria-busy");
			last = null;
		});
		xhr.send();
	}

	function later() {
		if (timer) {
			clearTimeout(timer);
		}
		timer = setTimeout(run, DELAY);
	}

	last = params();	/* what the page already shows */
	q.addEventListener("input", later);
	if (tag) {
		tag.addEventListener("change", later);
	}
	form.addEventListener("submit", function (ev) {
		ev.preventDefault();
		if (timer) {
			clearTimeout(timer);
		}
		last = null;
		run();
	});
})();
