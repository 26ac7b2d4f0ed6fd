/* cardface.c: a card's face (the card_show macro of templates/card_macros.cs) written in C for the public card page. */
#include "cardface.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#include "contact.h"
#include "htmlw.h"
#include "tmpl.h"
#include "vcardmap.h"

/* lang_value: a language string by name in lang, or NULL */
static const char *lang_value(HDF *lang, const char *name)
{
	return lang ? hdf_get_value(lang, name, NULL) : NULL;
}

/* type_label: as the type_label macro: Lang.Card.Types[t], else
 * Lang.Card.Parts[t] (each only when true), else t itself */
static void type_label(struct htmlw *w, HDF *lang, const char *t, struct arena *a)
{
	const char *v = lang_value(lang, arena_printf(a, "Card.Types.%s", t));
	if (!htmlw_true(v))
		v = lang_value(lang, arena_printf(a, "Card.Parts.%s", t));
	htmlw_html(w, htmlw_true(v) ? v : t);
}

enum items_scheme { SCHEME_MAILTO, SCHEME_TEL, SCHEME_URL };

/* items: as the card_items macro for one list (field: its name in
 * Lang.Card.Fields); displays: the phones' display forms (SCHEME_TEL) */
static void items(struct htmlw *w, HDF *lang, const struct card_item *it, size_t n, const char *field,
		  enum items_scheme scheme, const char *const *displays, struct arena *a)
{
	if (n == 0)
		return;
	HTMLW_LIT(w, "\n<dt>");
	htmlw_html(w, lang_value(lang, arena_printf(a, "Card.Fields.%s", field)));
	HTMLW_LIT(w, "</dt>\n");
	for (size_t i = 0; i < n; i++) {
		const char *v = it[i].value ? it[i].value : "";
		HTMLW_LIT(w, "<dd><span class=\"card-type\">");
		type_label(w, lang, it[i].type ? it[i].type : "", a);
		HTMLW_LIT(w, "</span> ");
		if (scheme == SCHEME_MAILTO) {
			HTMLW_LIT(w, "<a href=\"mailto:");
			htmlw_html(w, v);
			HTMLW_LIT(w, "\">");
			htmlw_html(w, v);
			HTMLW_LIT(w, "</a>");
		} else if (scheme == SCHEME_TEL) {
			HTMLW_LIT(w, "<a href=\"tel:");
			htmlw_html(w, v);
			HTMLW_LIT(w, "\">");
			htmlw_html(w, htmlw_true(displays[i]) ? displays[i] : v);
			HTMLW_LIT(w, "</a>");
		} else if (url_linkable(it[i].value ? it[i].value : "")) {
			HTMLW_LIT(w, "<a href=\"");
			htmlw_html(w, v);
			HTMLW_LIT(w, "\" rel=\"nofollow noopener noreferrer\">");
			htmlw_html(w, v);
			HTMLW_LIT(w, "</a>");
		} else {
			htmlw_html(w, v);
		}
		HTMLW_LIT(w, "</dd>");
	}
	HTMLW_LIT(w, "\n");
}

static const char *s_or_empty(const char *s)
{
	return s ? s : "";
}

enum err card_face_html(STRING *out, const struct card *c, const char *phones_shown, const char *locale,
			struct arena *a)
{
	HDF *lang = tmpl_lang(locale);
	struct htmlw *w = arena_alloc(a, sizeof(*w));
	struct card none;
	const char *title = s_or_empty(c->title), *dept = s_or_empty(c->department),
		   *org = s_or_empty(c->organization);

	w->out = out;
	card_init(&none);
	HTMLW_LIT(w, "\n<div class=\"card-face bcard\">\n<p class=\"card-name\">");
	htmlw_html(w, s_or_empty(c->full_name));
	HTMLW_LIT(w, "</p>\n");
	if (htmlw_true(title) || htmlw_true(dept) || htmlw_true(org)) {
		HTMLW_LIT(w, "<p class=\"card-org\">");
		if (htmlw_true(title))
			htmlw_html(w, title);
		if (htmlw_true(title) && (htmlw_true(dept) || htmlw_true(org)))
			HTMLW_LIT(w, " · ");
		if (htmlw_true(dept)) {
			htmlw_html(w, dept);
			if (htmlw_true(org))
				HTMLW_LIT(w, ", ");
		}
		htmlw_html(w, org);
		HTMLW_LIT(w, "</p>");
	}
	HTMLW_LIT(w, "\n<dl class=\"card-fields\">\n");
	if (!card_field_equal(c, &none, CF_NAME)) {
		HTMLW_LIT(w, "<dt>");
		htmlw_html(w, lang_value(lang, "Card.Fields.name"));
		HTMLW_LIT(w, "</dt><dd class=\"card-structured-name\">");
		if (htmlw_true(c->prefix)) {
			htmlw_html(w, c->prefix);
			HTMLW_LIT(w, " ");
		}
		htmlw_html(w, s_or_empty(c->given));
		if (htmlw_true(c->additional)) {
			HTMLW_LIT(w, " ");
			htmlw_html(w, c->additional);
		}
		HTMLW_LIT(w, " ");
		htmlw_html(w, s_or_empty(c->family));
		if (htmlw_true(c->suffix)) {
			HTMLW_LIT(w, " ");
			htmlw_html(w, c->suffix);
		}
		HTMLW_LIT(w, "</dd>");
	}
	HTMLW_LIT(w, "\n");
	items(w, lang, c->emails, c->n_emails, "emails", SCHEME_MAILTO, NULL, a);
	HTMLW_LIT(w, "\n");
	const char **displays = arena_alloc(a, (c->n_phones + 1) * sizeof(*displays));
	size_t pos = 0;
	for (size_t i = 0; i < c->n_phones; i++) {
		const char *v = s_or_empty(c->phones[i].value);
		char *buf = arena_alloc(a, 256);
		const char *d = phone_shown_next(phones_shown, &pos, v, buf, 256);
		displays[i] = d ? d : phone_display(v, a);
	}
	items(w, lang, c->phones, c->n_phones, "phones", SCHEME_TEL, displays, a);
	HTMLW_LIT(w, "\n");
	if (c->n_addresses) {
		HTMLW_LIT(w, "<dt>");
		htmlw_html(w, lang_value(lang, "Card.Fields.addresses"));
		HTMLW_LIT(w, "</dt>\n");
		for (size_t i = 0; i < c->n_addresses; i++) {
			const struct card_address *ad = &c->addresses[i];
			HTMLW_LIT(w, "<dd><span class=\"card-type\">");
			type_label(w, lang, s_or_empty(ad->type), a);
			HTMLW_LIT(w, "</span> <span class=\"card-address\">");
			if (htmlw_true(ad->street)) {
				htmlw_html(w, ad->street);
				HTMLW_LIT(w, "<br>");
			}
			if (htmlw_true(ad->postal_code)) {
				htmlw_html(w, ad->postal_code);
				HTMLW_LIT(w, " ");
			}
			htmlw_html(w, s_or_empty(ad->locality));
			if (htmlw_true(ad->region)) {
				HTMLW_LIT(w, ", ");
				htmlw_html(w, ad->region);
			}
			if (htmlw_true(ad->country)) {
				HTMLW_LIT(w, "<br>");
				htmlw_html(w, ad->country);
			}
			HTMLW_LIT(w, "</span></dd>");
		}
		HTMLW_LIT(w, "\n");
	}
	HTMLW_LIT(w, "\n");
	items(w, lang, c->urls, c->n_urls, "urls", SCHEME_URL, NULL, a);
	HTMLW_LIT(w, "\n");
	if (htmlw_true(c->note)) {
		HTMLW_LIT(w, "<dt>");
		htmlw_html(w, lang_value(lang, "Card.Fields.note"));
		HTMLW_LIT(w, "</dt><dd class=\"card-note\">");
		htmlw_html(w, c->note);
		HTMLW_LIT(w, "</dd>");
	}
	HTMLW_LIT(w, "\n</dl>\n</div>\n");
	htmlw_flush(w);
	return w->err ? ERR_INTERNAL : ERR_OK;
}

/* --- the faces drawn last (cardface.h) ---------------------------------------*/

#define MEMO_ENTRY_MAX (16 * 1024)

struct memo_entry {
	long long id;
	unsigned visible;
	char locale[8];
	char *blob;			/* stored, phones_shown, face, full_name: one malloc */
	const char *stored, *phones_shown, *face, *full_name;
};

static struct memo_entry *memo;
static long memo_size = -1;	/* entries; -1: the setting not read yet */
static long memo_next;		/* the slot the next put replaces */

static long memo_entries(void)
{
	if (memo_size < 0) {
		long n = config_get_int("Limits.CardFaceMemo", 64);
		memo_size = n < 0 ? 0 : n > 4096 ? 4096 : n;
		if (memo_size > 0 && (memo = calloc((size_t)memo_size, sizeof(*memo))) == NULL)
			memo_size = 0;
	}
	return memo_size;
}

const char *card_face_memo_get(long long id, const char *locale, unsigned visible, const char *stored,
			       const char *phones_shown, const char **full_name)
{
	if (stored == NULL || phones_shown == NULL || locale == NULL)
		return NULL;
	for (long i = 0; i < memo_entries(); i++) {
		const struct memo_entry *m = &memo[i];
		if (m->blob && m->id == id && m->visible == visible && strcmp(m->locale, locale) == 0 &&
		    strcmp(m->stored, stored) == 0 && strcmp(m->phones_shown, phones_shown) == 0) {
			*full_name = m->full_name;
			return m->face;
		}
	}
	return NULL;
}

void card_face_memo_put(long long id, const char *locale, unsigned visible, const char *stored,
			const char *phones_shown, const char *face, const char *full_name)
{
	size_t ls, lp, lf, ln;
	struct memo_entry *m;
	char *b;

	if (memo_entries() == 0 || stored == NULL || phones_shown == NULL || face == NULL ||
	    full_name == NULL || locale == NULL || strlen(locale) >= sizeof(m->locale))
		return;
	ls = strlen(stored) + 1;
	lp = strlen(phones_shown) + 1;
	lf = strlen(face) + 1;
	ln = strlen(full_name) + 1;
	if (ls + lp + lf + ln > MEMO_ENTRY_MAX)
		return;
	/* the same key drawn again (the card changed): its slot, else the oldest */
	m = NULL;
	for (long i = 0; i < memo_size && m == NULL; i++)
		if (memo[i].blob && memo[i].id == id && memo[i].visible == visible &&
		    strcmp(memo[i].locale, locale) == 0)
			m = &memo[i];
	if (m == NULL) {
		m = &memo[memo_next];
		memo_next = (memo_next + 1) % memo_size;
	}
	free(m->blob);
	memset(m, 0, sizeof(*m));
	if ((b = malloc(ls + lp + lf + ln)) == NULL)
		return;
	m->blob = b;
	m->id = id;
	m->visible = visible;
	snprintf(m->locale, sizeof(m->locale), "%s", locale);
	m->stored = memcpy(b, stored, ls);
	m->phones_shown = memcpy(b + ls, phones_shown, lp);
	m->face = memcpy(b + ls + lp, face, lf);
	m->full_name = memcpy(b + ls + lp + lf, full_name, ln);
}
