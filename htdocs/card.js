/* card.js: progressive enhancement of the own-card pages: the editor's live
 * preview (/card), and image preview with upload progress (/card/images).
 * Without it the preview shows the saved card and uploads are plain form
 * posts. Every visible word comes from the page (labels, legends, option
 * texts, data-* attributes filled from the lang files). */
(function () {
	"use strict";

	function $(sel, root) { return (root || document).querySelector(sel); }
	function $all(sel, root) { return (root || document).querySelectorAll(sel); }
	function val(form, name) {
		var el = form.elements.namedItem(name);
		return el && typeof el.value === "string" ? el.value.trim() : "";
	}
	function el(tag, cls, text) {
		var e = document.createElement(tag);
		if (cls) e.className = cls;
		if (text != null) e.textContent = text;
		return e;
	}
	/* the visible text of the selected option of a type <select> */
	function typeText(form, name) {
		var s = form.elements.namedItem(name);
		if (!s || !s.options || s.selectedIndex < 0) return "";
		return s.options[s.selectedIndex].text;
	}
	function legendOf(form, inputName) {
		var c = form.elements.namedItem(inputName);
		var fs = c && c.closest ? c.closest("fieldset") : null;
		var lg = fs ? $("legend", fs) : null;
		return lg ? lg.textContent : "";
	}
	function labelOf(id) {
		var l = $('label[for="' + id + '"]');
		return l ? l.textContent : "";
	}

	/* rows(form, field, parts): the filled rows of a repeated field */
	function rows(form, field, parts) {
		var out = [];
		for (var i = 0; i < 50; i++) {
			if (!form.elements.namedItem(field + "." + i + "." + parts[0])) break;
			var row = { type: typeText(form, field + "." + i + ".type") }, any = false;
			for (var j = 0; j < parts.length; j++) {
				row[parts[j]] = val(form, field + "." + i + "." + parts[j]);
				if (row[parts[j]]) any = true;
			}
			if (any) out.push(row);
		}
		return out;
	}

	function addItems(dl, title, list, render) {
		if (!list.length) return;
		dl.appendChild(el("dt", null, title));
		for (var i = 0; i < list.length; i++) {
			var dd = el("dd");
			if (list[i].type) { dd.appendChild(el("span", "card-type", list[i].type)); dd.appendChild(document.createTextNode(" ")); }
			render(dd, list[i]);
			dl.appendChild(dd);
		}
	}

	function renderPreview(form, box) {
		var face = el("div", "card-face bcard");
		var name = val(form, "full_name");
		face.appendChild(el("p", "card-name" + (name ? "" : " card-empty"), name || box.getAttribute("data-empty") || ""));
		var title = val(form, "title"), dep = val(form, "department"), org = val(form, "organization");
		if (title || dep || org) {
			var line = title;
			if (title && (dep || org)) line += " · ";
			if (dep) line += dep + (org ? ", " : "");
			line += org;
			face.appendChild(el("p", "card-org", line));
		}
		var dl = el("dl", "card-fields");
		var np = ["prefix", "given", "additional", "family", "suffix"], parts = [];
		for (var i = 0; i < np.length; i++) { var v = val(form, "name." + np[i]); if (v) parts.push(v); }
		if (parts.length) { dl.appendChild(el("dt", null, legendOf(form, "name.given"))); dl.appendChild(el("dd", "card-structured-name", parts.join(" "))); }
		addItems(dl, legendOf(form, "emails.0.value"), rows(form, "emails", ["value"]), function (dd, r) { dd.appendChild(el("span", null, r.value)); });
		addItems(dl, legendOf(form, "phones.0.value"), rows(form, "phones", ["value"]), function (dd, r) { dd.appendChild(el("span", null, r.value)); });
		addItems(dl, legendOf(form, "addresses.0.street"), rows(form, "addresses", ["street", "locality", "region", "postal_code", "country"]), function (dd, r) {
			var a = el("span", "card-address"), first = true;
			function line(t) { if (!t) return; if (!first) a.appendChild(document.createElement("br")); a.appendChild(document.createTextNode(t)); first = false; }
			line(r.street);
			line([r.postal_code, r.locality].filter(Boolean).join(" ") + (r.region ? ", " + r.region : ""));
			line(r.country);
			dd.appendChild(a);
		});
		addItems(dl, legendOf(form, "urls.0.value"), rows(form, "urls", ["value"]), function (dd, r) { dd.appendChild(el("span", null, r.value)); });
		var note = val(form, "note");
		if (note) { dl.appendChild(el("dt", null, labelOf("note"))); dl.appendChild(el("dd", "card-note", note)); }
		face.appendChild(dl);
		box.textContent = "";
		box.appendChild(face);
	}

	function livePreview() {
		var form = document.getElementById("card-form"), box = document.getElementById("card-preview");
		if (!form || !box) return;
		var note = document.getElementById("preview-note"), pending = 0;
		function update() {
			pending = 0;
			renderPreview(form, box);
			if (note && note.getAttribute("data-live")) note.textContent = note.getAttribute("data-live");
		}
		function schedule() { if (!pending) pending = window.requestAnimationFrame ? window.requestAnimationFrame(update) : setTimeout(update, 50); }
		form.addEventListener("input", schedule);
		form.addEventListener("change", schedule);
		/* a form shown again after an error holds the typed values: show those */
		if (document.querySelector("#edit [role=alert]")) update();
	}

	/* image preview and upload progress on /card/images */
	function uploads() {
		var forms = $all("form[data-upload]");
		for (var i = 0; i < forms.length; i++) enhance(forms[i]);
	}

	function enhance(form) {
		var input = $("input[type=file]", form), preview = $(".image-preview", form),
			bar = $("progress", form), status = $(".upload-status", form);
		if (!input) return;
		/* a data: URL (the site's CSP allows data: images, not blob:) */
		input.addEventListener("change", function () {
			var f = input.files && input.files[0];
			if (!preview || !window.FileReader) return;
			if (!f || !/^image\/(jpeg|png|webp)$/.test(f.type)) { preview.hidden = true; return; }
			var rd = new FileReader();
			rd.addEventListener("load", function () { preview.src = rd.result; preview.hidden = false; });
			rd.readAsDataURL(f);
		});
		if (!window.FormData || !window.XMLHttpRequest) return;
		form.addEventListener("submit", function (ev) {
			if (!input.files || !input.files.length) return;
			ev.preventDefault();
			var xhr = new XMLHttpRequest(), btn = $("button[type=submit]", form);
			xhr.open("POST", form.action);
			xhr.upload.addEventListener("progress", function (e) {
				if (!e.lengthComputable) return;
				var pct = Math.round(e.loaded * 100 / e.total);
				if (bar) { bar.hidden = false; bar.value = pct; }
				if (status) status.textContent = (status.getAttribute("data-progress") || "") + " " + pct + " %";
			});
			xhr.addEventListener("load", function () {
				if (xhr.status >= 200 && xhr.status < 400 && xhr.responseURL) {
					window.location.assign(xhr.responseURL);
					return;
				}
				/* an error page: show it as the plain form post would */
				document.open();
				document.write(xhr.responseText);
				document.close();
			});
			xhr.addEventListener("error", function () {
				if (btn) btn.disabled = false;
				if (status) status.textContent = status.getAttribute("data-failed") || "";
			});
			if (btn) btn.disabled = true;
			if (bar) { bar.hidden = false; bar.value = 0; }
			if (status) status.textContent = status.getAttribute("data-progress") || "";
			xhr.send(new FormData(form));
		});
	}

	function start() { livePreview(); uploads(); }
	if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
	else start();
})();
