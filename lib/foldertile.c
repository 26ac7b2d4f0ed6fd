/* foldertile.c: the folder list's tiles written straight into the page, as templates/folder_macros.cs folder_item would render them. */
#include "foldertile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contact.h"
#include "htmlw.h"
#include "tmpl.h"

/* The strings of the badges, escaped once per page. */
struct tile_lang {
	char *member, *not_member, *saved, *linked, *pending, *offer;
};

static char *lang_html(HDF *lang, const char *key)
{
	const char *v = lang ? hdf_get_value(lang, key, NULL) : NULL;
	char *esc = NULL;

	if (v == NULL)
		return strdup("");
	NEOERR *err = neos_var_escape(NEOS_ESCAPE_HTML, v, &esc);
	if (err != STATUS_OK) {
		nerr_ignore(&err);
		return NULL;
	}
	return esc;
}

/* tile: one entry, as folder_item(e) and the list's newline after it */
static void tile(struct htmlw *w, const struct folder_entry *e, const struct tile_lang *L,
		 struct arena *a)
{
	char id[32];
	const char *title = e->card.title ? e->card.title : "";
	const char *org = e->card.organization ? e->card.organization : "";
	size_t id_n = (size_t)snprintf(id, sizeof(id), "%lld", e->id);

	HTMLW_LIT(w, "<li class=\"folder-entry\" id=\"entry-");
	htmlw_putn(w, id, id_n);
	HTMLW_LIT(w, "\">\n<a class=\"card-face bcard compact\" href=\"/folder/");
	htmlw_putn(w, id, id_n);
	HTMLW_LIT(w, "\">\n<span class=\"card-name\">");
	htmlw_html(w, e->card.full_name ? e->card.full_name : "");
	HTMLW_LIT(w, "</span>\n");
	if (htmlw_true(title) || htmlw_true(org)) {
		HTMLW_LIT(w, "<span class=\"card-org\">");
		htmlw_html(w, title);
		if (htmlw_true(title) && htmlw_true(org))
			HTMLW_LIT(w, " · ");
		htmlw_html(w, org);
		HTMLW_LIT(w, "</span>");
	}
	HTMLW_LIT(w, "\n");
	if (e->card.n_phones) {
		const char *v = e->card.phones[0].value ? e->card.phones[0].value : "";
		if (htmlw_true(v)) {
			char buf[128];
			size_t pos = 0;
			const char *d = phone_shown_next(e->phone_shown, &pos, v, buf, sizeof(buf));
			if (d == NULL)
				d = phone_display(v, a);
			HTMLW_LIT(w, "<span class=\"card-line\">");
			htmlw_html(w, htmlw_true(d) ? d : v);
			HTMLW_LIT(w, "</span>");
		}
	}
	HTMLW_LIT(w, "\n");
	if (e->card.n_emails) {
		const char *v = e->card.emails[0].value ? e->card.emails[0].value : "";
		if (htmlw_true(v)) {
			HTMLW_LIT(w, "<span class=\"card-line\">");
			htmlw_html(w, v);
			HTMLW_LIT(w, "</span>");
		}
	}
	HTMLW_LIT(w, "\n</a>\n");
	if (htmlw_true(e->image[FOLDER_FRONT])) {
		HTMLW_LIT(w, "<img class=\"card-thumb folder-thumb\" src=\"/api/v1/folder/");
		htmlw_putn(w, id, id_n);
		HTMLW_LIT(w, "/images/front?thumb=1&amp;v=");
		htmlw_html(w, e->image[FOLDER_FRONT]);
		HTMLW_LIT(w, "\" alt=\"\" loading=\"lazy\">");
	}
	/* badges(e) */
	HTMLW_LIT(w, "\n<div class=\"folder-meta\"><span class=\"badges\">");
	if (e->owner_is_member) {
		HTMLW_LIT(w, "<span class=\"badge badge-member\">");
		htmlw_put(w, L->member);
	} else {
		HTMLW_LIT(w, "<span class=\"badge badge-nonmember\">");
		htmlw_put(w, L->not_member);
	}
	HTMLW_LIT(w, "</span>\n");
	if (e->owner_saved_my_card) {
		HTMLW_LIT(w, " <span class=\"badge badge-saved\">");
		htmlw_put(w, L->saved);
		HTMLW_LIT(w, "</span>");
	}
	HTMLW_LIT(w, "\n");
	if (e->source_card_id) {
		HTMLW_LIT(w, " <span class=\"badge badge-linked\">");
		htmlw_put(w, L->linked);
		HTMLW_LIT(w, "</span>");
	}
	HTMLW_LIT(w, "\n");
	if (e->source_card_id && e->latest_revision > e->synced_revision &&
	    (e->declined_revision < 0 || e->declined_revision < e->latest_revision)) {
		HTMLW_LIT(w, " <a class=\"badge badge-update\" href=\"/updates#update-");
		htmlw_putn(w, id, id_n);
		HTMLW_LIT(w, "\">");
		htmlw_put(w, L->pending);
		HTMLW_LIT(w, "</a>");
	}
	HTMLW_LIT(w, "\n");
	if (e->link_offer) {
		HTMLW_LIT(w, " <a class=\"badge badge-offer\" href=\"/folder/");
		htmlw_putn(w, id, id_n);
		HTMLW_LIT(w, "#keep-updated\">");
		htmlw_put(w, L->offer);
		HTMLW_LIT(w, "</a>");
	}
	HTMLW_LIT(w, "</span>\n");
	if (e->n_tags) {
		HTMLW_LIT(w, "<span class=\"folder-tags\">");
		for (size_t k = 0; k < e->n_tags; k++) {
			HTMLW_LIT(w, "<a href=\"/folder?tag=");
			htmlw_url(w, e->tags[k]);
			HTMLW_LIT(w, "\">#");
			htmlw_html(w, e->tags[k]);
			HTMLW_LIT(w, "</a> ");
		}
		HTMLW_LIT(w, "</span>");
	}
	HTMLW_LIT(w, "</div>\n</li>\n");
}

enum err folder_tiles_html(STRING *out, const struct folder_entry *entries, size_t n,
			   const char *locale, struct arena *a)
{
	HDF *lang = tmpl_lang(locale);
	struct tile_lang L = {
		lang_html(lang, "Folder.Badge.Member"), lang_html(lang, "Folder.Badge.NotMember"),
		lang_html(lang, "Folder.Badge.SavedMyCard"), lang_html(lang, "Folder.Badge.Linked"),
		lang_html(lang, "Folder.Badge.UpdatePending"), lang_html(lang, "Folder.Badge.LinkOffer"),
	};
	int r = -1;

	if (L.member && L.not_member && L.saved && L.linked && L.pending && L.offer) {
		struct htmlw *w = arena_alloc(a, sizeof(*w));
		w->out = out;
		for (size_t i = 0; i < n && w->err == 0; i++)
			tile(w, &entries[i], &L, a);
		htmlw_flush(w);
		r = w->err;
	}
	free(L.member);
	free(L.not_member);
	free(L.saved);
	free(L.linked);
	free(L.pending);
	free(L.offer);
	return r == 0 ? ERR_OK : ERR_INTERNAL;
}
