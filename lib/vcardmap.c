/* vcardmap.c: the one mapping between a livecard card and a vCard (tags <-> CATEGORIES, front image -> PHOTO, REV): import, export, the public card and CardDAV use it. */
#include "vcardmap.h"

#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "contact.h"
#include "folder.h"
#include "imagestore.h"

/* tag_item: one text-list item (n bytes at s, escapes included) as a tag:
 * unescaped, trimmed, cut to FOLDER_MAX_TAG bytes; "" when nothing is left. */
static const char *tag_item(struct arena *a, const char *s, size_t n)
{
	char *out = arena_alloc(a, n + 1), *o = out;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			i++;
			*o++ = (s[i] == 'n' || s[i] == 'N') ? ' ' : s[i];
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	/* trim, cut, trim again (the cut may end on a space) */
	char *p = out;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	size_t len = strlen(p);
	if (len > FOLDER_MAX_TAG)
		len = utf8_cut(p, FOLDER_MAX_TAG);
	while (len && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r' || p[len - 1] == '\n'))
		len--;
	p[len] = '\0';
	return p;
}

/* categories_value: the value of an extras line when it is a CATEGORIES
 * property (grouped or not, parameters quoted or not), else NULL. */
static const char *categories_value(const char *line)
{
	const char *name = line, *p;
	size_t nlen = strcspn(line, ":;");
	const char *dot = memchr(line, '.', nlen);
	int quoted = 0;

	if (dot) {
		nlen -= (size_t)(dot + 1 - name);
		name = dot + 1;
	}
	if (nlen != 10 || strncasecmp(name, "CATEGORIES", 10) != 0)
		return NULL;
	for (p = name + nlen; *p && (quoted || *p != ':'); p++)
		if (*p == '"')
			quoted = !quoted;
	return *p == ':' ? p + 1 : "";
}

void vcardmap_take_tags(struct card *c, struct arena *a, const char ***tags, size_t *n)
{
	const char **t = arena_alloc(a, (FOLDER_MAX_TAGS + 1) * sizeof(*t));
	size_t k = 0, nt = 0;

	for (size_t i = 0; i < c->n_extras; i++) {
		const char *v = c->extras[i].line ? categories_value(c->extras[i].line) : NULL;
		if (v == NULL) {
			c->extras[k++] = c->extras[i];
			continue;
		}
		while (*v) {
			size_t len = 0, j;
			while (v[len] && v[len] != ',') {
				if (v[len] == '\\' && v[len + 1])
					len++;
				len++;
			}
			const char *tag = tag_item(a, v, len);
			v += len;
			if (*v == ',')
				v++;
			if (*tag == '\0' || nt == FOLDER_MAX_TAGS)
				continue;
			for (j = 0; j < nt && strcasecmp(t[j], tag) != 0; j++)
				;
			if (j == nt)
				t[nt++] = tag;
		}
	}
	c->n_extras = k;
	*tags = t;
	*n = nt;
}

const char *vcardmap_categories(struct arena *a, const char *const *tags, size_t n)
{
	size_t len = 12;
	if (n == 0)
		return NULL;
	for (size_t i = 0; i < n; i++)
		len += 2 * strlen(tags[i]) + 1;
	char *s = arena_alloc(a, len + 1), *o = s;
	memcpy(o, "CATEGORIES:", 11);
	o += 11;
	for (size_t i = 0; i < n; i++) {
		if (i)
			*o++ = ',';
		for (const char *p = tags[i]; *p; p++) {
			if (*p == '\n' || *p == '\r') {	/* a line break in a tag: escaped, read back as a space */
				if (*p == '\n') {
					*o++ = '\\';
					*o++ = 'n';
				}
				continue;
			}
			if (*p == ',' || *p == ';' || *p == '\\')
				*o++ = '\\';
			*o++ = *p;
		}
	}
	*o = '\0';
	return s;
}

void vcardmap_tags_json(struct arena *a, const char *json, const char ***tags, size_t *n)
{
	json_error_t jerr;
	json_t *arr = json ? json_loads(json, 0, &jerr) : NULL, *v;
	size_t i;

	*tags = NULL;
	*n = 0;
	if (!json_is_array(arr)) {
		json_decref(arr);
		return;
	}
	*tags = arena_alloc(a, (json_array_size(arr) + 1) * sizeof(**tags));
	json_array_foreach(arr, i, v)
		if (json_is_string(v))
			(*tags)[(*n)++] = arena_strdup(a, json_string_value(v));
	json_decref(arr);
}

const char *vcardmap_rev(struct arena *a, const char *t)
{
	if (t == NULL || strlen(t) < 19)
		return NULL;
	return arena_printf(a, "%.4s%.2s%.2sT%.2s%.2s%.2sZ", t, t + 5, t + 8, t + 11, t + 14, t + 17);
}

/* prepare: the card with its CATEGORIES line, and the write options with
 * REV and the embedded photo. */
static enum err prepare(struct db *db, struct arena *a, const struct vcardmap_card *m,
			struct card *c, struct vcard_write_opts *o)
{
	const char *cat = vcardmap_categories(a, m->tags, m->n_tags);

	*c = *m->card;
	memset(o, 0, sizeof(*o));
	o->version = m->version ? m->version : VCARD_V4;
	o->uid = m->uid;
	o->rev = vcardmap_rev(a, m->updated_at);
	if (cat) {
		struct card_extra *ex = arena_alloc(a, (c->n_extras + 1) * sizeof(*ex));
		if (c->n_extras)
			memcpy(ex, c->extras, c->n_extras * sizeof(*ex));
		ex[c->n_extras++].line = cat;
		c->extras = ex;
	}
	if (m->front) {
		enum err e = imagestore_get(db, a, m->front, m->thumb, &o->photo, &o->photo_len, &o->photo_mime);
		if (e != ERR_OK && e != ERR_NOT_FOUND)
			return e;
	}
	return ERR_OK;
}

enum err vcardmap_append(struct db *db, struct vcard_buf *b, const struct vcardmap_card *m)
{
	struct card c;
	struct vcard_write_opts o;
	enum err e = prepare(db, b->a, m, &c, &o);

	if (e == ERR_OK)
		vcard_append(b, &c, &o);
	return e;
}

enum err vcardmap_write(struct db *db, struct arena *a, const struct vcardmap_card *m,
			char **text, size_t *len)
{
	struct card c;
	struct vcard_write_opts o;
	enum err e = prepare(db, a, m, &c, &o);

	if (e == ERR_OK)
		*text = vcard_write(&c, &o, a, len);
	return e;
}
