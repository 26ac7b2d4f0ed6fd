/* folder.js: the vCard import page uploads with a progress bar when scripts run; without them the form posts as it is. */
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
			ul.appendChild(el("li", text.cardno + " " + (it.index + 1) + ": " + it.message));
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
		xhr.open("POST", text.api + "?on_duplicate=" + encodeURIComponent(dup ? dup.value : "skip"));
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
			if (xhr.status === 200 && res) {
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
