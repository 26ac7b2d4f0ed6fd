/* livecard.js: progressive enhancement only; every page works without it. */
(function () {
	"use strict";
})();
