/* scan.js: the page of a card being read, with scripts: asks the API every second and shows the result as soon as the OCR worker is done; without scripts the page refreshes itself (Refresh header). */
(function () {
	"use strict";

	var el = document.getElementById("scan-status");
	if (!el || !window.fetch)
		return;
	var id = el.getAttribute("data-scan");

	function poll() {
		fetch("/api/v1/folder/scan/" + encodeURIComponent(id), {credentials: "same-origin"})
			.then(function (r) { return r.ok ? r.json() : null; })
			.then(function (j) {
				if (j && j.status !== "pending" && j.status !== "working")
					window.location.replace("/folder/scan/" + encodeURIComponent(id));
				else
					setTimeout(poll, 1000);
			})
			.catch(function () { setTimeout(poll, 2000); });
	}
	setTimeout(poll, 1000);
}());
