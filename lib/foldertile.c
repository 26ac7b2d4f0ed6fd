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

/* put: append s as it is; -1 when memory runs out */
static int put(STRING *out, const char *s)
{
	NEOERR *err = string_append(out, s);
	if (err != STATUS_OK) {
		nerr_ignore(&err);
		return -1;
	}
	return 0;
}

/* put_all: append the strings of the NULL-terminated list parts */
static int put_all(STRING *out, const char *const *parts)
{
	int r = 0;
	for (; *parts; parts++)
		r |= put(out, *parts);
	return r;
}

/* put_escaped: append *esc, what an escaping function that returned err
 * wrote, and free it; -1 when it failed */
static int put_escaped(STRING *out, NEOERR *err, char **esc)
{
	int rc = -1;

	if (err == STATUS_OK)
		rc = put(out, *esc ? *esc : "");
	nerr_ignore(&err);
	free(*esc);
	*esc = NULL;
	return rc;
}

/* put_html: append s as <?cs var:s ?> does with Config.VarEscapeMode html
 * (NULL appends nothing) */
static int put_html(STRING *out, const char *s)
{
	char *esc = NULL;

	if (s == NULL)
		return 0;
	/* most values need no escaping: copy them */
	if (strpbrk(s, "&<>\"'\r\n") == NULL)
		return put(out, s);
	return put_escaped(out, neos_var_escape(NEOS_ESCAPE_HTML, s, &esc), &esc);
}

/* put_url: append s as <?cs var:url_escape(s) ?> does */
static int put_url(STRING *out, const char *s)
{
	char *esc = NULL;

	return put_escaped(out, cgi_url_escape(s ? s : "", &esc), &esc);
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
static int tile(STRING *out, const struct folder_entry *e, const struct tile_lang *L,
		struct arena *a)
{
	char id[32];
	const char *title = e->card.title ? e->card.title : "";
	const char *org = e->card.organization ? e->card.organization : "";
	int r = 0;

	snprintf(id, sizeof(id), "%lld", e->id);
	r |= put_all(out, (const char *[]){"<li class=\"folder-entry\" id=\"entry-", id,
					  "\">\n<a class=\"card-face bcard compact\" href=\"/folder/", id,
					  "\">\n<span class=\"card-name\">", NULL});
	r |= put_html(out, e->card.full_name ? e->card.full_name : "");
	r |= put(out, "</span>\n");
	if (cs_true(title) || cs_true(org)) {
		r |= put(out, "<span class=\"card-org\">");
		r |= put_html(out, title);
		if (cs_true(title) && cs_true(org))
			r |= put(out, " · ");
		r |= put_html(out, org);
		r |= put(out, "</span>");
	}
	r |= put(out, "\n");
	if (e->card.n_phones) {
		const char *v = e->card.phones[0].value ? e->card.phones[0].value : "";
		if (cs_true(v)) {
			char buf[128];
			size_t pos = 0;
			const char *d = phone_shown_next(e->phone_shown, &pos, v, buf, sizeof(buf));
			if (d == NULL)
				d = phone_display(v, a);
			r |= put(out, "<span class=\"card-line\">");
			r |= put_html(out, cs_true(d) ? d : v);
			r |= put(out, "</span>");
		}
	}
	r |= put(out, "\n");
	if (e->card.n_emails) {
		const char *v = e->card.emails[0].value ? e->card.emails[0].value : "";
		if (cs_true(v)) {
			r |= put(out, "<span class=\"card-line\">");
			r |= put_html(out, v);
			r |= put(out, "</span>");
		}
	}
	r |= put(out, "\n</a>\n");
	if (cs_true(e->image[FOLDER_FRONT])) {
		r |= put(out, "<img class=\"card-thumb folder-thumb\" src=\"/api/v1/folder/");
		r |= put(out, id);
		r |= put(out, "/images/front?thumb=1&amp;v=");
		r |= put_html(out, e->image[FOLDER_FRONT]);
		r |= put(out, "\" alt=\"\" loading=\"lazy\">");
	}
	/* badges(e) */
	r |= put(out, "\n<div class=\"folder-meta\"><span class=\"badges\">");
	if (e->owner_is_member) {
		r |= put(out, "<span class=\"badge badge-member\">");
		r |= put(out, L->member);
	} else {
		r |= put(out, "<span class=\"badge badge-nonmember\">");
		r |= put(out, L->not_member);
	}
	r |= put(out, "</span>\n");
	if (e->owner_saved_my_card)
		r |= put_all(out, (const char *[]){" <span class=\"badge badge-saved\">", L->saved, "</span>", NULL});
	r |= put(out, "\n");
	if (e->source_card_id)
		r |= put_all(out, (const char *[]){" <span class=\"badge badge-linked\">", L->linked, "</span>", NULL});
	r |= put(out, "\n");
	if (e->source_card_id && e->latest_revision > e->synced_revision &&
	    (e->declined_revision < 0 || e->declined_revision < e->latest_revision))
		r |= put_all(out, (const char *[]){" <a class=\"badge badge-update\" href=\"/updates#update-", id,
						  "\">", L->pending, "</a>", NULL});
	r |= put(out, "\n");
	if (e->link_offer)
		r |= put_all(out, (const char *[]){" <a class=\"badge badge-offer\" href=\"/folder/", id,
						  "#keep-updated\">", L->offer, "</a>", NULL});
	r |= put(out, "</span>\n");
	if (e->n_tags) {
		r |= put(out, "<span class=\"folder-tags\">");
		for (size_t k = 0; k < e->n_tags; k++) {
			r |= put(out, "<a href=\"/folder?tag=");
			r |= put_url(out, e->tags[k]);
			r |= put(out, "\">#");
			r |= put_html(out, e->tags[k]);
			r |= put(out, "</a> ");
		}
		r |= put(out, "</span>");
	}
	r |= put(out, "</div>\n</li>\n");
	return r;
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
		r = 0;
		for (size_t i = 0; i < n && r == 0; i++)
			r = tile(out, &entries[i], &L, a);
	}
	free(L.member);
	free(L.not_member);
	free(L.saved);
	free(L.linked);
	free(L.pending);
	free(L.offer);
	return r == 0 ? ERR_OK : ERR_INTERNAL;
}
