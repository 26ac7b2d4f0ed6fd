/* foldertile.c: the folder list's tiles written straight into the page, as templates/folder_macros.cs folder_item would render them. */
#include "foldertile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contact.h"
#include "tmpl.h"

/* cs_true: ClearSilver's truth of a value (arg_eval_bool): missing or
 * empty is false, a value that is a number as a whole (strtol, base 0) is
 * its number, anything else is true */
static int cs_true(const char *s)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return 0;
	v = strtol(s, &end, 0);
	return *end == '\0' ? v != 0 : 1;
}

/* struct tw: a tile's text gathered in a buffer and appended to the page
 * in large pieces (ClearSilver's string_append measures and checks the
 * page's STRING on every call: 60 calls a tile were a sixth of the
 * 500-entry page). err: a string_append failed (memory). */
struct tw {
	STRING *out;
	size_t n;
	int err;
	char buf[4096];
};

static void tw_flush(struct tw *w)
{
	if (w->n) {
		NEOERR *err = string_appendn(w->out, w->buf, (int)w->n);
		if (err != STATUS_OK) {
			nerr_ignore(&err);
			w->err = -1;
		}
		w->n = 0;
	}
}

/* putn: append n bytes of s as they are */
static void putn(struct tw *w, const char *s, size_t n)
{
	if (w->n + n > sizeof(w->buf)) {
		tw_flush(w);
		if (n > sizeof(w->buf)) {
			NEOERR *err = string_appendn(w->out, s, (int)n);
			if (err != STATUS_OK) {
				nerr_ignore(&err);
				w->err = -1;
			}
			return;
		}
	}
	memcpy(w->buf + w->n, s, n);
	w->n += n;
}

/* put: append s as it is */
static void put(struct tw *w, const char *s)
{
	putn(w, s, strlen(s));
}

/* PUT: append a string literal (its length known at compile time) */
#define PUT(w, lit) putn((w), "" lit, sizeof(lit) - 1)

/* put_escaped: append *esc, what an escaping function that returned err
 * wrote, and free it */
static void put_escaped(struct tw *w, NEOERR *err, char **esc)
{
	if (err == STATUS_OK)
		put(w, *esc ? *esc : "");
	else
		w->err = -1;
	nerr_ignore(&err);
	free(*esc);
	*esc = NULL;
}

/* put_html: append s as <?cs var:s ?> does with Config.VarEscapeMode html
 * (NULL appends nothing) */
static void put_html(struct tw *w, const char *s)
{
	char *esc = NULL;

	if (s == NULL)
		return;
	/* most values need no escaping: copy them */
	if (strpbrk(s, "&<>\"'\r\n") == NULL) {
		put(w, s);
		return;
	}
	put_escaped(w, neos_var_escape(NEOS_ESCAPE_HTML, s, &esc), &esc);
}

/* put_url: append s as <?cs var:url_escape(s) ?> does */
static void put_url(struct tw *w, const char *s)
{
	char *esc = NULL;

	put_escaped(w, cgi_url_escape(s ? s : "", &esc), &esc);
}

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
static void tile(struct tw *w, const struct folder_entry *e, const struct tile_lang *L,
		 struct arena *a)
{
	char id[32];
	const char *title = e->card.title ? e->card.title : "";
	const char *org = e->card.organization ? e->card.organization : "";
	size_t id_n = (size_t)snprintf(id, sizeof(id), "%lld", e->id);

	PUT(w, "<li class=\"folder-entry\" id=\"entry-");
	putn(w, id, id_n);
	PUT(w, "\">\n<a class=\"card-face bcard compact\" href=\"/folder/");
	putn(w, id, id_n);
	PUT(w, "\">\n<span class=\"card-name\">");
	put_html(w, e->card.full_name ? e->card.full_name : "");
	PUT(w, "</span>\n");
	if (cs_true(title) || cs_true(org)) {
		PUT(w, "<span class=\"card-org\">");
		put_html(w, title);
		if (cs_true(title) && cs_true(org))
			PUT(w, " · ");
		put_html(w, org);
		PUT(w, "</span>");
	}
	PUT(w, "\n");
	if (e->card.n_phones) {
		const char *v = e->card.phones[0].value ? e->card.phones[0].value : "";
		if (cs_true(v)) {
			char buf[128];
			size_t pos = 0;
			const char *d = phone_shown_next(e->phone_shown, &pos, v, buf, sizeof(buf));
			if (d == NULL)
				d = phone_display(v, a);
			PUT(w, "<span class=\"card-line\">");
			put_html(w, cs_true(d) ? d : v);
			PUT(w, "</span>");
		}
	}
	PUT(w, "\n");
	if (e->card.n_emails) {
		const char *v = e->card.emails[0].value ? e->card.emails[0].value : "";
		if (cs_true(v)) {
			PUT(w, "<span class=\"card-line\">");
			put_html(w, v);
			PUT(w, "</span>");
		}
	}
	PUT(w, "\n</a>\n");
	if (cs_true(e->image[FOLDER_FRONT])) {
		PUT(w, "<img class=\"card-thumb folder-thumb\" src=\"/api/v1/folder/");
		putn(w, id, id_n);
		PUT(w, "/images/front?thumb=1&amp;v=");
		put_html(w, e->image[FOLDER_FRONT]);
		PUT(w, "\" alt=\"\" loading=\"lazy\">");
	}
	/* badges(e) */
	PUT(w, "\n<div class=\"folder-meta\"><span class=\"badges\">");
	if (e->owner_is_member) {
		PUT(w, "<span class=\"badge badge-member\">");
		put(w, L->member);
	} else {
		PUT(w, "<span class=\"badge badge-nonmember\">");
		put(w, L->not_member);
	}
	PUT(w, "</span>\n");
	if (e->owner_saved_my_card) {
		PUT(w, " <span class=\"badge badge-saved\">");
		put(w, L->saved);
		PUT(w, "</span>");
	}
	PUT(w, "\n");
	if (e->source_card_id) {
		PUT(w, " <span class=\"badge badge-linked\">");
		put(w, L->linked);
		PUT(w, "</span>");
	}
	PUT(w, "\n");
	if (e->source_card_id && e->latest_revision > e->synced_revision &&
	    (e->declined_revision < 0 || e->declined_revision < e->latest_revision)) {
		PUT(w, " <a class=\"badge badge-update\" href=\"/updates#update-");
		putn(w, id, id_n);
		PUT(w, "\">");
		put(w, L->pending);
		PUT(w, "</a>");
	}
	PUT(w, "\n");
	if (e->link_offer) {
		PUT(w, " <a class=\"badge badge-offer\" href=\"/folder/");
		putn(w, id, id_n);
		PUT(w, "#keep-updated\">");
		put(w, L->offer);
		PUT(w, "</a>");
	}
	PUT(w, "</span>\n");
	if (e->n_tags) {
		PUT(w, "<span class=\"folder-tags\">");
		for (size_t k = 0; k < e->n_tags; k++) {
			PUT(w, "<a href=\"/folder?tag=");
			put_url(w, e->tags[k]);
			PUT(w, "\">#");
			put_html(w, e->tags[k]);
			PUT(w, "</a> ");
		}
		PUT(w, "</span>");
	}
	PUT(w, "</div>\n</li>\n");
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
		struct tw *w = arena_alloc(a, sizeof(*w));
		w->out = out;
		for (size_t i = 0; i < n && w->err == 0; i++)
			tile(w, &entries[i], &L, a);
		tw_flush(w);
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
