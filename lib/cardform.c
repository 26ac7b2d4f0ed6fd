/* cardform.c: the card editor form: rows of lists in and out of Form.* / Query.*. */
#include "cardform.h"

#include <string.h>

#include "card.h"

/* The lists of the card object, the parts of each row, and the item types
 * the editor offers (the first is the default; a stored type outside these
 * is offered too by the templates, so it survives an edit). */
enum group { G_EMAILS, G_PHONES, G_ADDRESSES, G_URLS, G__MAX };

static const struct {
	const char *name;		/* JSON key and form name */
	const char *const *parts;	/* members of each row */
	const char *value;		/* the part that makes a row non-blank, or NULL: any */
	const char *const *types;	/* offered types */
} groups[G__MAX] = {
	[G_EMAILS] = {"emails", (const char *const[]){"type", "value", NULL}, "value",
		      (const char *const[]){"work", "home", "other", NULL}},
	[G_PHONES] = {"phones", (const char *const[]){"type", "value", NULL}, "value",
		      (const char *const[]){"cell", "work", "home", "fax", "pager", "voice", "main", "other", NULL}},
	[G_ADDRESSES] = {"addresses",
			 (const char *const[]){"type", "street", "locality", "region", "postal_code", "country", NULL},
			 NULL, (const char *const[]){"work", "home", "other", NULL}},
	[G_URLS] = {"urls", (const char *const[]){"type", "value", NULL}, "value",
		    (const char *const[]){"work", "home", "other", NULL}},
};

static const char *const name_parts[] = {"family", "given", "additional", "prefix", "suffix", NULL};
static const char *const text_keys[] = {"full_name", "organization", "department", "title", "note", NULL};

static const char *jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

void cardform_fill(struct req *r, const json_t *card)
{
	for (size_t i = 0; text_keys[i]; i++)
		req_set(r, arena_printf(&r->arena, "Form.%s", text_keys[i]), jstr(card, text_keys[i]));
	for (size_t i = 0; name_parts[i]; i++)
		req_set(r, arena_printf(&r->arena, "Form.name.%s", name_parts[i]),
			jstr(json_object_get(card, "name"), name_parts[i]));
	for (int g = 0; g < G__MAX; g++) {
		const json_t *rows = json_object_get(card, groups[g].name);
		size_t n = json_array_size(rows), total = n + CARDFORM_BLANK_ROWS;
		if (total > CARD_MAX_ITEMS)
			total = n > CARD_MAX_ITEMS ? n : CARD_MAX_ITEMS;
		for (size_t i = 0; i < total; i++) {
			const json_t *row = json_array_get(rows, i);
			for (size_t k = 0; groups[g].parts[k]; k++) {
				const char *part = groups[g].parts[k];
				const char *v = row ? jstr(row, part) : "";
				if (strcmp(part, "type") == 0 && *v == '\0')
					v = groups[g].types[0];
				req_set(r, arena_printf(&r->arena, "Form.%s.%zu.%s", groups[g].name, i, part), v);
			}
		}
		for (size_t k = 0; groups[g].types[k]; k++)
			req_set(r, arena_printf(&r->arena, "Choices.%s.%zu", groups[g].name, k), groups[g].types[k]);
	}
}

/* json_text: a JSON string of form text without surrounding white space;
 * NULL when it is not UTF-8. */
static json_t *json_text(const char *s)
{
	size_t n;
	if (s == NULL)
		return json_string("");
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return json_stringn(s, n);
}

/* form_rows: the rows of one list from Query.<list>.<i>.<part> (browsers
 * send them in page order), blank ones dropped. */
static json_t *form_rows(struct req *r, int g)
{
	HDF *node = hdf_get_obj(r->hdf, arena_printf(&r->arena, "Query.%s", groups[g].name));
	json_t *rows = json_array();
	size_t seen = 0;

	for (HDF *row = node ? hdf_obj_child(node) : NULL; row && seen < CARDFORM_MAX_ROWS;
	     row = hdf_obj_next(row), seen++) {
		json_t *item = json_object();
		int blank = 1;
		for (size_t k = 0; groups[g].parts[k]; k++) {
			const char *part = groups[g].parts[k];
			json_t *s = json_text(hdf_get_value(row, part, ""));
			if (s == NULL) {
				json_decref(item);
				json_decref(rows);
				return NULL;
			}
			if (strcmp(part, "type") != 0 && json_string_length(s) > 0 &&
			    (groups[g].value == NULL || strcmp(part, groups[g].value) == 0))
				blank = 0;
			json_object_set_new(item, part, s);
		}
		if (blank)
			json_decref(item);
		else
			json_array_append_new(rows, item);
	}
	return rows;
}

json_t *cardform_json(struct req *r, size_t base)
{
	json_t *card = json_object(), *name = json_object();

	for (size_t i = 0; text_keys[i]; i++) {
		const struct value *v = &r->in[base + CFI_FULL_NAME + i];
		json_object_set_new(card, text_keys[i], json_text(v->present ? v->str : ""));
	}
	for (size_t i = 0; name_parts[i]; i++) {
		const struct value *v = &r->in[base + CFI_FAMILY + i];
		json_object_set_new(name, name_parts[i], json_text(v->present ? v->str : ""));
	}
	json_object_set_new(card, "name", name);
	for (int g = 0; g < G__MAX; g++) {
		json_t *rows = form_rows(r, g);
		if (rows == NULL) {
			json_decref(card);
			return NULL;
		}
		json_object_set_new(card, groups[g].name, rows);
	}
	return card;
}
