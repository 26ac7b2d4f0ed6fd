/* updates.c: module 104: the save hook, pending updates of linked copies, accepting/declining them, and the set-based fan-out the outbox worker runs. */
#include "updates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "contact.h"
#include "crypto.h"
#include "http.h"
#include "log.h"
#include "outbox.h"
#include "savers.h"
#include "tmpl.h"

/* --- settings -------------------------------------------------------------*/

static long setting(const char *key, long def, long min, long max)
{
	long v = config_get_int(key, def);
	return v < min ? min : v > max ? max : v;
}

static long long coalesce_seconds(void)
{
	return setting("Updates.CoalesceSeconds", UPDATES_COALESCE_SECONDS, 0, 86400);
}

static long long chunk_rows(void)
{
	return setting("Updates.ChunkRows", UPDATES_CHUNK_ROWS, 1, 100000);
}

static long long lease_seconds(void)
{
	return setting("Updates.LeaseSeconds", UPDATES_LEASE_SECONDS, 1, 86400);
}

/* --- the save hook ----------------------------------------------------------*/

enum err updates_card_changed(struct db *db, long long card_id, long long owner_id, long long revision)
{
	if (card_id <= 0 || revision <= 0)
		return ERR_OK;
	/* fanout_jobs.waiting_card is unique: a job still waiting for this
	 * card only has its to_revision moved (the edits coalesce) */
	return db_exec(db,
		"INSERT INTO fanout_jobs (card_id, owner_id, from_revision, to_revision, status, not_before, "
		"created_at, updated_at) VALUES (?, ?, ?, ?, 'waiting', UTC_TIMESTAMP() + INTERVAL ? SECOND, "
		"UTC_TIMESTAMP(), UTC_TIMESTAMP()) "
		"ON DUPLICATE KEY UPDATE to_revision = GREATEST(to_revision, VALUES(to_revision)), "
		"updated_at = UTC_TIMESTAMP()",
		"iiiii", card_id, owner_id, revision - 1, revision, coalesce_seconds());
}

/* --- computing one entry's update ----------------------------------------*/

static int is_image(enum card_field f)
{
	return f == CF_FRONT_IMAGE || f == CF_BACK_IMAGE;
}

static enum folder_side side_of(enum card_field f)
{
	return f == CF_BACK_IMAGE ? FOLDER_BACK : FOLDER_FRONT;
}

static int str_same(const char *x, const char *y)
{
	return strcmp(x ? x : "", y ? y : "") == 0;
}

static int item_in(const struct card_item *items, size_t n, const struct card_item *it)
{
	for (size_t i = 0; i < n; i++)
		if (str_same(items[i].value, it->value))
			return 1;
	return 0;
}

static int address_same(const struct card_address *x, const struct card_address *y)
{
	return str_same(x->street, y->street) && str_same(x->locality, y->locality) &&
	       str_same(x->region, y->region) && str_same(x->postal_code, y->postal_code) &&
	       str_same(x->country, y->country);
}

static int address_in(const struct card_address *list, size_t n, const struct card_address *ad)
{
	for (size_t i = 0; i < n; i++)
		if (address_same(&list[i], ad))
			return 1;
	return 0;
}

/* merge_items: the owner's items, then the copy's items that the holder
 * added (in neither the owner's base list nor the new one). */
static void merge_items(struct arena *a, const struct card_item *src, size_t n_src,
			const struct card_item *base, size_t n_base,
			const struct card_item *copy, size_t n_copy,
			struct card_item **out, size_t *n_out)
{
	struct card_item *m = arena_alloc(a, (n_src + n_copy + 1) * sizeof(*m));
	size_t n = 0;

	for (size_t i = 0; i < n_src && n < CARD_MAX_ITEMS; i++)
		m[n++] = src[i];
	for (size_t i = 0; i < n_copy && n < CARD_MAX_ITEMS; i++)
		if (!item_in(base, n_base, &copy[i]) && !item_in(m, n, &copy[i]))
			m[n++] = copy[i];
	*out = m;
	*n_out = n;
}

static void merge_addresses(struct arena *a, const struct card *src, const struct card *base,
			    const struct card *copy, struct card *res)
{
	struct card_address *m = arena_alloc(a, (src->n_addresses + copy->n_addresses + 1) * sizeof(*m));
	size_t n = 0;

	for (size_t i = 0; i < src->n_addresses && n < CARD_MAX_ITEMS; i++)
		m[n++] = src->addresses[i];
	for (size_t i = 0; i < copy->n_addresses && n < CARD_MAX_ITEMS; i++)
		if (!address_in(base->addresses, base->n_addresses, &copy->addresses[i]) &&
		    !address_in(m, n, &copy->addresses[i]))
			m[n++] = copy->addresses[i];
	res->addresses = m;
	res->n_addresses = n;
}

/* merge_field: field f of res (a copy of the holder's card) from the source. */
static void merge_field(struct arena *a, enum card_field f, const struct card *src,
			const struct card *base, const struct card *copy, struct card *res)
{
	switch (f) {
	case CF_EMAILS:
		merge_items(a, src->emails, src->n_emails, base->emails, base->n_emails,
			    copy->emails, copy->n_emails, &res->emails, &res->n_emails);
		break;
	case CF_PHONES:
		merge_items(a, src->phones, src->n_phones, base->phones, base->n_phones,
			    copy->phones, copy->n_phones, &res->phones, &res->n_phones);
		break;
	case CF_URLS:
		merge_items(a, src->urls, src->n_urls, base->urls, base->n_urls,
			    copy->urls, copy->n_urls, &res->urls, &res->n_urls);
		break;
	case CF_ADDRESSES:
		merge_addresses(a, src, base, copy, res);
		break;
	default:
		card_copy_field(res, src, f);
	}
}

/* changed_since: the fields the revisions (from, to] of card_id changed. */
static enum err changed_since(struct db *db, struct arena *a, long long card_id, long long from,
			      long long to, unsigned *mask)
{
	struct db_result res;
	enum err e = db_query(db, a, &res,
		"SELECT changed_fields FROM card_revisions WHERE card_id = ? AND revision > ? AND revision <= ?",
		"iii", card_id, from, to);

	*mask = 0;
	if (e != ERR_OK)
		return e;
	for (size_t i = 0; i < res.nrows; i++)
		*mask |= owncard_fields_parse(db_cell(&res, i, 0));
	return ERR_OK;
}

/* diff_start: out as "nothing changes": entry entry_id of holder's folder
 * (read FOR UPDATE with lock), its copy and images as the result. */
static enum err diff_start(struct db *db, struct arena *a, long long holder_id, long long entry_id,
			   int lock, struct updates_diff *out)
{
	memset(out, 0, sizeof(*out));
	enum err e = folder_entry_get(db, a, holder_id, entry_id, lock, &out->entry);
	if (e != ERR_OK)
		return e;
	out->result = out->entry.card;
	for (int s = 0; s < FOLDER_SIDE__MAX; s++)
		out->image[s] = out->entry.image[s];
	return ERR_OK;
}

/* take_fields: the fields in mask of out->src into the result (an image:
 * the owner's; text and lists: merge_field against base), noting in
 * out->fields those whose value in the copy changes. keep_holders: a field
 * the owner left empty (an image they have not, text equal to base) keeps
 * the holder's value instead of wiping it (linking a copy). */
static void take_fields(struct arena *a, struct updates_diff *out, unsigned mask, const struct card *base,
			int keep_holders)
{
	const struct folder_entry *en = &out->entry;

	for (int f = 0; f < CF__MAX; f++) {
		if (!(mask & (1u << f)))
			continue;
		if (is_image((enum card_field)f)) {
			enum folder_side s = side_of((enum card_field)f);
			const char *img = f == CF_FRONT_IMAGE ? out->src.front_image : out->src.back_image;
			if ((img || !keep_holders) && !str_same(img, en->image[s])) {
				out->image[s] = img;
				out->fields |= 1u << f;
			}
			continue;
		}
		if (keep_holders && card_field_equal(&out->src.card, base, (enum card_field)f))
			continue;
		merge_field(a, (enum card_field)f, &out->src.card, base, &en->card, &out->result);
		if (!card_field_equal(&out->result, &en->card, (enum card_field)f))
			out->fields |= 1u << f;
		else
			card_copy_field(&out->result, &en->card, (enum card_field)f);
	}
}

/* merge_base: revision rev of card_id, the base of a list-field merge; an
 * empty card when that revision is not kept. */
static enum err merge_base(struct db *db, struct arena *a, long long card_id, long long rev,
			   struct owncard *base)
{
	enum err e = owncard_revision(db, a, card_id, rev, base);

	if (e == ERR_NOT_FOUND) {
		memset(base, 0, sizeof(*base));
		card_init(&base->card);
		return ERR_OK;
	}
	return e;
}

/* declined_part: out (from diff_start, linked) as the declined update of
 * its entry: the fields the holder declined that the owner has not changed
 * again since the declined revision (a later change of a field is a new
 * pending update, no longer a declined one), taken from the card's current
 * revision with the merge base of the revision the copy held then. */
static enum err declined_part(struct db *db, struct arena *a, struct updates_diff *out)
{
	const struct folder_entry *en = &out->entry;
	struct owncard base;
	unsigned declined, before, after;
	long long base_rev;
	enum err e;

	out->declined = 1;
	out->from_revision = out->to_revision = out->latest_revision;
	if (en->declined_revision < 0)
		return ERR_OK;
	if ((e = folder_declined(db, a, en->id, &declined, &base_rev)) != ERR_OK)
		return e;
	if (declined == 0 || base_rev < 0)
		return ERR_OK;
	if ((e = changed_since(db, a, en->source_card_id, base_rev, en->declined_revision, &before)) != ERR_OK ||
	    (e = changed_since(db, a, en->source_card_id, en->declined_revision, en->latest_revision,
			       &after)) != ERR_OK)
		return e;
	unsigned mask = declined & before & ~after;
	if (mask == 0)
		return ERR_OK;
	if ((e = owncard_revision(db, a, en->source_card_id, en->latest_revision, &out->src)) != ERR_OK)
		return e == ERR_NOT_FOUND ? ERR_CONFLICT : e;
	owncard_shared_view(&out->src);
	mask &= out->src.visible;
	if (mask == 0)
		return ERR_OK;
	if ((e = merge_base(db, a, en->source_card_id, base_rev, &base)) != ERR_OK)
		return e;
	out->from_revision = base_rev;
	out->considered = mask;
	take_fields(a, out, mask, &base.card, 0);
	return ERR_OK;
}

enum err updates_diff(struct db *db, struct arena *a, long long holder_id, long long entry_id,
		      long long to_revision, int lock, struct updates_diff *out)
{
	struct owncard base;
	unsigned mask;
	enum err e;

	if ((e = diff_start(db, a, holder_id, entry_id, lock, out)) != ERR_OK)
		return e;
	const struct folder_entry *en = &out->entry;
	if (en->source_card_id <= 0 || en->latest_revision < 0)
		return ERR_CONFLICT;
	out->latest_revision = en->latest_revision;
	out->from_revision = en->synced_revision >= 0 ? en->synced_revision : 0;
	out->to_revision = (to_revision <= 0 || to_revision > en->latest_revision) ? en->latest_revision
										    : to_revision;
	/* the holder declined the current revision: what stays declined */
	if (en->declined_revision >= out->to_revision && en->declined_revision > out->from_revision)
		return declined_part(db, a, out);
	/* what the holder declined is not asked about again: a later revision
	 * brings only what changed after it */
	if (en->declined_revision > out->from_revision)
		out->from_revision = en->declined_revision;
	if (out->to_revision <= out->from_revision)
		return ERR_OK;

	if ((e = changed_since(db, a, en->source_card_id, out->from_revision, out->to_revision, &mask)) != ERR_OK)
		return e;
	if ((e = owncard_revision(db, a, en->source_card_id, out->to_revision, &out->src)) != ERR_OK)
		return e == ERR_NOT_FOUND ? ERR_CONFLICT : e;
	owncard_shared_view(&out->src);
	/* a field the owner does not share (now) is never pushed, nor wiped */
	mask &= out->src.visible;
	out->considered = mask;
	if (mask == 0)
		return ERR_OK;
	if ((e = merge_base(db, a, en->source_card_id, out->from_revision, &base)) != ERR_OK)
		return e;
	take_fields(a, out, mask, &base.card, 0);
	return ERR_OK;
}

enum err updates_declined_diff(struct db *db, struct arena *a, long long holder_id, long long entry_id,
			       int lock, struct updates_diff *out)
{
	enum err e = diff_start(db, a, holder_id, entry_id, lock, out);

	if (e != ERR_OK)
		return e;
	if (out->entry.source_card_id <= 0 || out->entry.latest_revision < 0)
		return ERR_CONFLICT;
	out->latest_revision = out->entry.latest_revision;
	return declined_part(db, a, out);
}

/* --- offers: matched copies that may be linked (issue 18) -------------------*/

/* id_page: the ids in column 0 of res (a query for limit + 1 rows, e its
 * result) as one page: at most limit of them in *ids (in a), *more 1 when
 * the query found another. Returns e. */
static enum err id_page(enum err e, struct arena *a, const struct db_result *res, long long limit,
			long long **ids, size_t *n, int *more)
{
	*n = 0;
	*more = 0;
	if (e != ERR_OK)
		return e;
	*ids = arena_alloc(a, (res->nrows + 1) * sizeof(**ids));
	for (size_t i = 0; i < res->nrows && i < (size_t)limit; i++)
		(*ids)[(*n)++] = db_cell_int(res, i, 0, 0);
	*more = res->nrows > (size_t)limit;
	return ERR_OK;
}


enum err updates_offer_diff(struct db *db, struct arena *a, long long holder_id, long long entry_id,
			    int lock, struct updates_diff *out)
{
	struct card empty;
	enum err e;

	if ((e = diff_start(db, a, holder_id, entry_id, lock, out)) != ERR_OK)
		return e;
	if (!out->entry.link_offer)
		return ERR_CONFLICT;
	if ((e = owncard_by_user(db, a, out->entry.owner_user_id, &out->src)) != ERR_OK)
		return e == ERR_NOT_FOUND ? ERR_CONFLICT : e;
	owncard_shared_view(&out->src);
	out->from_revision = 0;
	out->to_revision = out->latest_revision = out->src.revision;
	/* the merge of an update from an empty base: the owner's shared values,
	 * the holder's own list items after them; a field the owner left empty
	 * (or does not share) keeps what the holder typed */
	card_init(&empty);
	take_fields(a, out, out->src.visible, &empty, 1);
	return ERR_OK;
}

enum err updates_link(struct db *db, struct arena *a, struct updates_diff *d)
{
	return updates_link_notify(db, a, d, 1);
}

enum err updates_link_notify(struct db *db, struct arena *a, struct updates_diff *d, int notify)
{
	/* synced_revision 0, not NULL: a card never saved yet (revision 0)
	 * is linked as such, and the fan-out of its first save (which takes
	 * copies with synced_revision < the new one) must reach the copy */
	enum err e = folder_entry_link(db, d->entry.holder_id, d->entry.id, d->src.id);
	if (e != ERR_OK)
		return e;	/* ERR_CONFLICT: another copy of the card is linked */
	d->entry.source_card_id = d->src.id;
	if ((e = updates_apply(db, a, d)) != ERR_OK)
		return e;
	/* the holder now receives the owner's updates: a saver like one who
	 * saved the public link (the owner is told when the holder is new) */
	return savers_on_entry(db, a, d->entry.id, notify);
}

enum err updates_dismiss(struct db *db, struct arena *a, long long holder_id, long long entry_id)
{
	struct folder_entry en;
	enum err e = folder_entry_get(db, a, holder_id, entry_id, 1, &en);

	if (e != ERR_OK)
		return e;
	if (!en.link_offer)
		return ERR_CONFLICT;
	return folder_offer_dismiss(db, holder_id, entry_id);
}

enum err updates_offers(struct db *db, struct arena *a, long long holder_id, long long after_id,
			long long limit, long long **ids, size_t *n, int *more)
{
	struct db_result res;
	enum err e;

	if (limit < 1)
		limit = 1;
	e = folder_offers_after(db, a, &res, holder_id, after_id, limit + 1);
	return id_page(e, a, &res, limit, ids, n, more);
}

enum err updates_offer_count(struct db *db, struct arena *a, long long holder_id, long long *n)
{
	return folder_offer_count(db, a, holder_id, n);
}

/* --- showing an update ------------------------------------------------------*/

static const char *image_old_url(struct arena *a, const struct updates_diff *d, enum folder_side s)
{
	const char *h = d->entry.image[s];
	return h ? folder_image_url(a, d->entry.id, s, h) : NULL;
}

static const char *image_new_url(struct arena *a, const struct updates_diff *d, enum folder_side s)
{
	const char *h = d->image[s];
	if (h == NULL || d->src.share_token == NULL)
		return NULL;
	return arena_printf(a, "/c/%s/images/%s?v=%s", d->src.share_token, folder_side_name(s), h);
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *updates_diff_json(const struct updates_diff *d, struct arena *a)
{
	json_t *changes = json_array();

	for (int f = 0; f < CF__MAX; f++) {
		if (!(d->fields & (1u << f)))
			continue;
		json_t *old, *new;
		if (is_image((enum card_field)f)) {
			old = str_or_null(image_old_url(a, d, side_of((enum card_field)f)));
			new = str_or_null(image_new_url(a, d, side_of((enum card_field)f)));
		} else {
			old = card_field_to_json(&d->entry.card, (enum card_field)f);
			new = card_field_to_json(&d->result, (enum card_field)f);
		}
		json_array_append_new(changes, json_pack("{s:s, s:o, s:o}", "field",
							 card_field_name((enum card_field)f), "old", old, "new", new));
	}
	return json_pack("{s:I, s:{s:s}, s:I, s:I, s:b, s:b, s:o}",
			 "entry_id", (json_int_t)d->entry.id,
			 "owner", "full_name", d->src.card.full_name ? d->src.card.full_name : d->entry.card.full_name,
			 "from_revision", (json_int_t)d->from_revision, "to_revision", (json_int_t)d->to_revision,
			 "declined", d->declined, "auto_update", d->entry.auto_update_effective,
			 "changes", changes);
}

static void hdf_put(HDF *hdf, struct arena *a, const char *prefix, const char *key, const char *value)
{
	hdf_set_value(hdf, arena_printf(a, "%s.%s", prefix, key), value ? value : "");
}

static void line(HDF *hdf, struct arena *a, const char *p, size_t *k, const char *label, const char *text)
{
	if (text == NULL || *text == '\0')
		return;
	hdf_put(hdf, a, p, arena_printf(a, "%zu.Label", *k), label);
	hdf_put(hdf, a, p, arena_printf(a, "%zu.Text", *k), text);
	(*k)++;
}

/* field_lines: the value of field f of c as lines under p (Label, Text). */
static void field_lines(HDF *hdf, struct arena *a, const char *p, const struct card *c, enum card_field f)
{
	size_t k = 0;
	const struct card_item *items = NULL;
	size_t n = 0;

	switch (f) {
	case CF_NAME:
		line(hdf, a, p, &k, "prefix", c->prefix);
		line(hdf, a, p, &k, "given", c->given);
		line(hdf, a, p, &k, "additional", c->additional);
		line(hdf, a, p, &k, "family", c->family);
		line(hdf, a, p, &k, "suffix", c->suffix);
		return;
	case CF_EMAILS:
		items = c->emails, n = c->n_emails;
		break;
	case CF_PHONES:
		for (size_t i = 0; i < c->n_phones; i++)
			line(hdf, a, p, &k, c->phones[i].type, phone_display(c->phones[i].value, a));
		return;
	case CF_URLS:
		items = c->urls, n = c->n_urls;
		break;
	case CF_ADDRESSES:
		for (size_t i = 0; i < c->n_addresses; i++) {
			const struct card_address *ad = &c->addresses[i];
			const char *parts[] = {ad->street, ad->postal_code, ad->locality, ad->region, ad->country};
			const char *text = "";
			for (size_t m = 0; m < sizeof(parts) / sizeof(parts[0]); m++)
				if (parts[m] && *parts[m])
					text = arena_printf(a, "%s%s%s", text, *text ? ", " : "", parts[m]);
			line(hdf, a, p, &k, ad->type, text);
		}
		return;
	default: {
		json_t *j = card_field_to_json(c, f);
		line(hdf, a, p, &k, "", json_string_value(j));
		json_decref(j);
		return;
	}
	}
	for (size_t i = 0; i < n; i++)
		line(hdf, a, p, &k, items[i].type, items[i].value);
}

void updates_diff_hdf(HDF *hdf, const char *prefix, const struct updates_diff *d, struct arena *a)
{
	int k = 0;

	hdf_put(hdf, a, prefix, "EntryId", arena_printf(a, "%lld", d->entry.id));
	hdf_put(hdf, a, prefix, "Owner", d->src.card.full_name ? d->src.card.full_name : d->entry.card.full_name);
	hdf_put(hdf, a, prefix, "From", arena_printf(a, "%lld", d->from_revision));
	hdf_put(hdf, a, prefix, "To", arena_printf(a, "%lld", d->to_revision));
	hdf_put(hdf, a, prefix, "Declined", d->declined ? "1" : "0");
	hdf_put(hdf, a, prefix, "Auto", d->entry.auto_update_effective ? "1" : "0");
	for (int f = 0; f < CF__MAX; f++) {
		if (!(d->fields & (1u << f)))
			continue;
		const char *p = arena_printf(a, "%s.Changes.%d", prefix, k++);
		hdf_put(hdf, a, p, "Field", card_field_name((enum card_field)f));
		if (is_image((enum card_field)f)) {
			enum folder_side s = side_of((enum card_field)f);
			hdf_put(hdf, a, p, "Image", folder_side_name(s));
			if (image_old_url(a, d, s))
				hdf_put(hdf, a, p, "OldImage", image_old_url(a, d, s));
			if (image_new_url(a, d, s))
				hdf_put(hdf, a, p, "NewImage", image_new_url(a, d, s));
			continue;
		}
		field_lines(hdf, a, arena_printf(a, "%s.Old", p), &d->entry.card, (enum card_field)f);
		field_lines(hdf, a, arena_printf(a, "%s.New", p), &d->result, (enum card_field)f);
	}
}

/* --- changing entries -------------------------------------------------------*/

enum err updates_apply(struct db *db, struct arena *a, struct updates_diff *d)
{
	struct folder_change ch;
	unsigned text = d->fields & ~((1u << CF_FRONT_IMAGE) | (1u << CF_BACK_IMAGE));
	/* a declined update taken while a newer one is pending leaves the
	 * copy's revision where it is (the newer one is still to come) */
	long long synced = d->declined && d->entry.declined_revision < d->latest_revision ? 0 : d->to_revision;
	enum err e;

	if (d->to_revision <= d->from_revision)
		return ERR_OK;
	if ((e = folder_declined_taken(db, d->entry.id, d->considered)) != ERR_OK)
		return e;
	if (d->fields == 0)
		/* nothing the holder sees changed: the copy holds this revision */
		return synced == 0 ? ERR_OK :
		       folder_entry_synced(db, d->entry.holder_id, d->entry.id, synced);
	memset(&ch, 0, sizeof(ch));
	if (text)
		ch.card = &d->result;
	if (d->fields & (1u << CF_FRONT_IMAGE)) {
		ch.set_image[FOLDER_FRONT] = 1;
		ch.image[FOLDER_FRONT] = d->image[FOLDER_FRONT];
	}
	if (d->fields & (1u << CF_BACK_IMAGE)) {
		ch.set_image[FOLDER_BACK] = 1;
		ch.image[FOLDER_BACK] = d->image[FOLDER_BACK];
	}
	ch.synced_revision = synced;
	return folder_entry_update(db, a, d->entry.holder_id, d->entry.id, &ch);
}

enum err updates_decline(struct db *db, struct arena *a, long long holder_id, long long entry_id,
			 long long *revision)
{
	struct updates_diff d;
	enum err e = updates_diff(db, a, holder_id, entry_id, 0, 1, &d);

	if (e != ERR_OK)
		return e;
	*revision = d.latest_revision;
	if (d.declined || d.to_revision <= d.from_revision)
		return ERR_OK;	/* declined already, or nothing pending */
	/* the fields this update would change stay declined (and listed) until
	 * taken or changed again; the merge base is the revision the copy held
	 * when the first still-declined field was declined */
	return folder_entry_decline(db, holder_id, entry_id, d.fields, d.latest_revision);
}

enum err updates_set_policy(struct db *db, struct arena *a, long long holder_id, long long entry_id,
			    int auto_update, int *applied)
{
	struct updates_diff d;
	enum err e = updates_diff(db, a, holder_id, entry_id, 0, 1, &d);

	*applied = 0;
	if (e != ERR_OK)
		return e;
	e = folder_entry_auto_update(db, holder_id, entry_id, auto_update);
	if (e != ERR_OK || !auto_update || d.declined || d.to_revision <= d.from_revision)
		return e;
	e = updates_apply(db, a, &d);
	if (e == ERR_OK)
		*applied = d.fields != 0;
	return e;
}

/* --- which entries are behind ------------------------------------------------*/

enum err updates_behind(struct db *db, struct arena *a, long long holder_id, int with_declined,
			long long after_id, long long limit, long long **ids, size_t *n, int *more)
{
	struct db_result res;
	enum err e;

	if (limit < 1)
		limit = 1;
	e = folder_behind_after(db, a, &res, holder_id, with_declined, after_id, limit + 1);
	return id_page(e, a, &res, limit, ids, n, more);
}

enum err updates_pending_count(struct db *db, struct arena *a, long long holder_id, long long *n)
{
	return folder_behind_count(db, a, holder_id, n);
}

void updates_home_counts(struct req *r)
{
	long long n;

	if (r->user && updates_pending_count(r->db, &r->arena, r->user->id, &n) == ERR_OK)
		req_setf(r, "Home.PendingUpdates", "%lld", n);
}

/* --- the fan-out: texts -------------------------------------------------------*/

#define N_LOC 2
static const char *const fan_locales[N_LOC] = {"en", "zh-CN"};

/* The texts of one job step, rendered once per locale: [auto][locale] for
 * the members' letters, mails and SMS; [locale] for subscribers. Per-row
 * values are markers that SQL REPLACE()s with the row's column. */
struct fan_texts {
	const char *name_marker, *unsub_marker, *short_marker;
	const char *letter[2][N_LOC];		/* notifications.payload JSON */
	const char *subject[2][N_LOC], *body[2][N_LOC], *sms[2][N_LOC];
	const char *hook[2];			/* webhook JSON */
	const char *sub_subject[N_LOC], *sub_body[N_LOC], *sub_sms[N_LOC];
	const char *unsub_base;			/* base URL + "/s/unsubscribe/" */
	const char *short_base;			/* base URL + SAVERS_SHORT_PATH */
};

/* render: templates/<name> with data in locale, trimmed; NULL on failure. */
static char *render(struct arena *a, HDF *data, const char *locale, const char *name)
{
	HDF *h = NULL;
	STRING s;
	char *out = NULL;

	if (hdf_init(&h) != STATUS_OK)
		return NULL;
	hdf_copy(h, "", data);
	string_init(&s);
	if (tmpl_render_hdf(h, locale, name, &s) == ERR_OK) {
		const char *p = s.buf ? s.buf : "";
		while (*p == '\n' || *p == ' ' || *p == '\r')
			p++;
		size_t n = strlen(p);
		while (n && (p[n - 1] == '\n' || p[n - 1] == ' ' || p[n - 1] == '\r'))
			n--;
		out = arena_strndup(a, p, n);
	}
	string_clear(&s);
	hdf_destroy(&h);
	return out;
}

/* split_mail: "Subject: ..." first line, then the body. */
static void split_mail(char *text, const char **subject, const char **body)
{
	*subject = "";
	*body = text;
	if (strncmp(text, "Subject: ", 9) != 0)
		return;
	char *nl = strchr(text, '\n');
	*subject = text + 9;
	if (nl == NULL) {
		*body = "";
		return;
	}
	*nl = '\0';
	char *b = nl + 1;
	while (*b == '\n' || *b == '\r')
		b++;
	*body = b;
}

static json_t *fields_json(unsigned mask)
{
	json_t *arr = json_array();
	for (int f = 0; f < CF__MAX; f++)
		if (mask & (1u << f))
			json_array_append_new(arr, json_string(card_field_name((enum card_field)f)));
	return arr;
}

static const char *dumps(struct arena *a, json_t *j)
{
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
	const char *out = s ? arena_strdup(a, s) : NULL;
	free(s);
	json_decref(j);
	return out;
}

static const char *now_iso(struct arena *a)
{
	char buf[32];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return arena_strdup(a, buf);
}

/* one_line: s without control characters, for subjects and SMS. */
static const char *one_line(struct arena *a, const char *s)
{
	char *c = arena_strdup(a, s ? s : "");
	for (char *p = c; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return c;
}

/* replace_once: s with the first `from` replaced by `to` (in a). */
static const char *replace_once(struct arena *a, const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);
	if (at == NULL)
		return s;
	return arena_printf(a, "%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
}

/* fan_texts_make: every text of a job (owner's shared name at to, the
 * shared fields changed, the card's public link) in both locales. */
static enum err fan_texts_make(struct arena *a, const char *owner, unsigned fields, unsigned kept,
			       long long from, long long to, const char *share_token, struct fan_texts *t)
{
	HDF *d = NULL;
	enum err e = ERR_OK;
	const char *card_url = arena_printf(a, "%s/c/%s", cfg.base_url, share_token ? share_token : "");

	memset(t, 0, sizeof(*t));
	t->name_marker = arena_printf(a, "[[lc-name-%s]]", token_new(a, 9));
	t->unsub_marker = arena_printf(a, "[[lc-unsub-%s]]", token_new(a, 9));
	t->unsub_base = arena_printf(a, "%s/s/unsubscribe/", cfg.base_url);
	t->short_marker = arena_printf(a, "[[lc-short-%s]]", token_new(a, 9));
	t->short_base = arena_printf(a, "%s" SAVERS_SHORT_PATH, cfg.base_url);
	/* the SMS fit one message (lib/sms.h) with the real length of the
	 * short link in them: a sample of that length, replaced by the marker
	 * once the owner's name is fitted */
	const char *short_sample = savers_short_link(a, "0123456789012345678901234567890123456789");
	if (hdf_init(&d) != STATUS_OK)
		return ERR_INTERNAL;
	hdf_set_value(d, "Upd.Owner", one_line(a, owner));
	for (int f = 0, k = 0; f < CF__MAX; f++)
		if (fields & (1u << f))
			hdf_set_value(d, arena_printf(a, "Upd.Fields.%d", k++), card_field_name((enum card_field)f));
	for (int f = 0, k = 0; f < CF__MAX; f++)
		if (kept & (1u << f))
			hdf_set_value(d, arena_printf(a, "Upd.Kept.%d", k++), card_field_name((enum card_field)f));
	hdf_set_value(d, "Upd.Link", arena_printf(a, "%s/updates", cfg.base_url));
	hdf_set_value(d, "Upd.FolderURL", arena_printf(a, "%s/folder", cfg.base_url));
	hdf_set_value(d, "Upd.SettingsURL", arena_printf(a, "%s/settings", cfg.base_url));
	hdf_set_value(d, "Upd.CardURL", card_url);
	hdf_set_value(d, "Upd.Name", t->name_marker);
	hdf_set_value(d, "Sub.FullName", t->name_marker);
	hdf_set_value(d, "Sub.Unsubscribe", t->unsub_marker);
	hdf_set_value(d, "Sub.Short", short_sample);
	hdf_set_value(d, "Sub.CardURL", card_url);
	for (int au = 0; au < 2 && e == ERR_OK; au++) {
		hdf_set_int_value(d, "Upd.Auto", au);
		for (int l = 0; l < N_LOC && e == ERR_OK; l++) {
			char *letter = render(a, d, fan_locales[l], "updates_letter.cs");
			char *mail = render(a, d, fan_locales[l], "mail/card_updated.cs");
			const char *sms = NULL;	/* one message: outbox_sms_text fits it */
			if (outbox_sms_text(a, fan_locales[l], "card_updated.cs", d, &sms) != ERR_OK)
				sms = NULL;
			if (letter == NULL || mail == NULL || sms == NULL) {
				e = ERR_INTERNAL;
				break;
			}
			split_mail(mail, &t->subject[au][l], &t->body[au][l]);
			t->sms[au][l] = sms;
			/* "entry_id" and "url" are put in front per row */
			t->letter[au][l] = dumps(a, json_pack("{s:s, s:s, s:o, s:o, s:I, s:I, s:b}",
				"text", one_line(a, letter), "owner", owner, "fields", fields_json(fields),
				"kept", fields_json(kept),
				"from_revision", (json_int_t)from, "to_revision", (json_int_t)to, "auto", au));
		}
		t->hook[au] = dumps(a, json_pack("{s:s, s:s, s:s, s:o, s:o, s:I, s:I, s:b, s:s}",
			"event", au ? "card.updated" : "card.update_available", "at", now_iso(a),
			"owner", owner, "fields", fields_json(fields), "kept", fields_json(kept), "from_revision", (json_int_t)from,
			"to_revision", (json_int_t)to, "applied", au, "card_url", card_url));
	}
	for (int l = 0; l < N_LOC && e == ERR_OK; l++) {
		char *mail = render(a, d, fan_locales[l], "mail/card_updated_sub.cs");
		const char *sms = NULL;
		if (outbox_sms_text(a, fan_locales[l], "card_updated_sub.cs", d, &sms) != ERR_OK)
			sms = NULL;
		if (mail == NULL || sms == NULL) {
			e = ERR_INTERNAL;
			break;
		}
		split_mail(mail, &t->sub_subject[l], &t->sub_body[l]);
		t->sub_sms[l] = replace_once(a, sms, short_sample, t->short_marker);
	}
	hdf_destroy(&d);
	for (int au = 0; au < 2 && e == ERR_OK; au++)
		for (int l = 0; l < N_LOC; l++)
			if (t->letter[au][l] == NULL || t->hook[au] == NULL)
				e = ERR_INTERNAL;
	return e;
}

/* --- the fan-out: steps ------------------------------------------------------*/

/* The texts of the job this worker is on, kept from step to step: they
 * depend only on the job (rendering them for every chunk would cost more
 * than the chunk's SQL). */
static struct {
	long long job_id, to;
	int valid;
	struct arena a;
	struct fan_texts t;
	const char *rev_at;	/* when revision `to` was saved */
} texts_cache;

struct job {
	long long id, card_id, owner_id, from, to, cursor;
	const char *phase, *fields;
};

/* job_texts: the texts of job j (shared fields `fields`), from the cache. */
static enum err job_texts(struct db *db, long long job_id, long long card_id, unsigned fields,
			  long long from, long long to, const struct fan_texts **t, const char **rev_at)
{
	struct owncard at;
	enum err e;

	if (!texts_cache.valid || texts_cache.job_id != job_id || texts_cache.to != to) {
		texts_cache.valid = 0;
		arena_reset(&texts_cache.a);
		if ((e = owncard_revision(db, &texts_cache.a, card_id, to, &at)) != ERR_OK)
			return e;
		texts_cache.rev_at = at.updated_at;
		owncard_shared_view(&at);
		e = fan_texts_make(&texts_cache.a, at.card.full_name, fields, 0, from, to, at.share_token,
				   &texts_cache.t);
		if (e != ERR_OK)
			return e;
		texts_cache.job_id = job_id;
		texts_cache.to = to;
		texts_cache.valid = 1;
	}
	*t = &texts_cache.t;
	*rev_at = texts_cache.rev_at;
	return ERR_OK;
}

/* One channel's messages of a job (texts t) to the holders of the
 * chunk's eligible entries in scope who want that channel: one
 * INSERT ... SELECT into the outbox (lib/folder.c). */
typedef enum err (*fan_fn)(struct db *db, const struct folder_chunk *c, const struct fan_texts *t);

/* e-mail to a verified address the holder wants mail at */
static enum err fan_email(struct db *db, const struct folder_chunk *c, const struct fan_texts *t)
{
	return folder_chunk_email(db, c, t->subject, t->body, t->name_marker);
}

/* SMS to the holder's first verified phone */
static enum err fan_sms(struct db *db, const struct folder_chunk *c, const struct fan_texts *t)
{
	return folder_chunk_sms(db, c, t->sms, t->name_marker);
}

/* webhooks, signed with the holder's secret */
static enum err fan_webhook(struct db *db, const struct folder_chunk *c, const struct fan_texts *t)
{
	return folder_chunk_webhook(db, c, t->hook);
}

/* The fan-out of each channel of enum outbox_channel (t_outbox checks
 * that none is missing). */
static const fan_fn fan_out[OUTBOX__MAX] = {
	[OUTBOX_EMAIL] = fan_email,
	[OUTBOX_SMS] = fan_sms,
	[OUTBOX_WEBHOOK] = fan_webhook,
};

int updates_channel_fans_out(enum outbox_channel c)
{
	return c >= 0 && c < OUTBOX__MAX && fan_out[c] != NULL;
}

/* chunk_of: job j's entries (lo, hi], single as in struct folder_chunk. */
static struct folder_chunk chunk_of(const struct job *j, long long lo, long long hi, long long single)
{
	struct folder_chunk c = {.card_id = j->card_id, .lo = lo, .hi = hi, .to = j->to, .from = j->from,
				 .single = single};
	return c;
}

/* tell: the letters, and the messages of every channel, of job j (texts
 * t) to the holders of the eligible entries (lo, hi] in scope single
 * (struct folder_chunk). *want_auto (when not NULL) gets whether any of
 * them applies updates automatically. */
static enum err tell(struct db *db, struct arena *a, const struct job *j, const struct fan_texts *tp,
		     long long lo, long long hi, long long single, struct updates_step *st, int *want_auto)
{
	const struct fan_texts t = *tp;
	const struct folder_chunk c = chunk_of(j, lo, hi, single);
	enum err e;

	/* in-site letters: "pending" to ask, "updated" after an automatic update */
	e = folder_chunk_letters(db, &c, tp->letter);
	if (e != ERR_OK)
		return e;
	st->letters += (long long)db_affected(db);
	/* one letter per burst (docs/updates.md, "One letter per burst"): the
	 * letter just written replaces the holder's unread letters about the
	 * same copy, so the list shows the latest change once */
	e = folder_chunk_letters_prune(db, &c);
	if (e != ERR_OK)
		return e;

	/* one look at the chunk says which channels or automatic updates are
	 * wanted at all (mostly SMS, webhooks and automatic updates are not) */
	struct db_result probe;
	e = folder_chunk_probe(db, a, &c, &probe);
	if (e != ERR_OK)
		return e;
	if (want_auto)
		*want_auto = db_cell_int(&probe, 0, OUTBOX__MAX, 1) > 0;
	for (int ch = 0; ch < OUTBOX__MAX; ch++) {
		if (db_cell_int(&probe, 0, (size_t)ch, 1) <= 0)
			continue;
		if ((e = fan_out[ch](db, &c, &t)) != ERR_OK)
			return e;
		st->messages += (long long)db_affected(db);
	}
	return ERR_OK;
}

/* auto_apply: apply job j's update to entry id of holder (on automatic
 * update). An entry whose update does not start at the job's from
 * revision is told on its own first (see SCOPE), with what its update
 * changes and which of the job's fields it keeps because its holder
 * declined them. */
static enum err auto_apply(struct db *db, struct arena *a, const struct job *j, unsigned job_fields,
			   long long holder, long long id, struct updates_step *st)
{
	struct updates_diff d;
	struct fan_texts t;
	enum err e = updates_diff(db, a, holder, id, j->to, 1, &d);

	if (e == ERR_NOT_FOUND || e == ERR_CONFLICT)
		return ERR_OK;	/* deleted or unlinked meanwhile */
	if (e != ERR_OK || d.declined || d.to_revision <= d.from_revision)
		return e;
	long long start = d.entry.synced_revision > d.entry.declined_revision ? d.entry.synced_revision
									       : d.entry.declined_revision;
	if ((start < 0 ? 0 : start) != j->from && d.fields) {
		unsigned declined;
		long long base;
		if ((e = folder_declined(db, a, id, &declined, &base)) != ERR_OK)
			return e;
		unsigned kept = job_fields & ~d.considered & declined;
		if ((e = fan_texts_make(a, d.src.card.full_name, d.fields, kept, d.from_revision, d.to_revision,
					d.src.share_token, &t)) != ERR_OK ||
		    (e = tell(db, a, j, &t, id - 1, id, id, st, NULL)) != ERR_OK)
			return e;
	}
	if ((e = updates_apply(db, a, &d)) == ERR_OK)
		st->applied++;
	return e;
}

/* members_chunk: the member phase for entries (lo, hi]. */
static enum err members_chunk(struct db *db, struct arena *a, const struct job *j, long long lo,
			      long long hi, struct updates_step *st)
{
	const struct fan_texts *tp;
	const char *rev_at;
	struct db_result res;
	unsigned fields = owncard_fields_parse(j->fields);
	int want_auto = 0;
	enum err e;

	if (fields == 0) {
		/* nothing a saver sees changed: copies that held the previous
		 * revision hold this one too, and a declined revision stays
		 * declined; nobody is told */
		struct folder_chunk c = chunk_of(j, lo, hi, 0);
		return folder_chunk_hold(db, &c);
	}
	if ((e = job_texts(db, j->id, j->card_id, fields, j->from, j->to, &tp, &rev_at)) != ERR_OK)
		return e;
	if ((e = tell(db, a, j, tp, lo, hi, 0, st, &want_auto)) != ERR_OK || !want_auto)
		return e;

	/* copies on automatic update: applied one by one through the folder,
	 * so the change log (CardDAV), keys and member flags follow */
	struct folder_chunk c = chunk_of(j, lo, hi, 0);
	e = folder_chunk_auto(db, a, &c, &res);
	for (size_t i = 0; e == ERR_OK && i < res.nrows; i++) {
		struct arena sub;
		arena_init(&sub);
		e = auto_apply(db, &sub, j, fields, db_cell_int(&res, i, 1, 0), db_cell_int(&res, i, 0, 0), st);
		arena_reset(&sub);
	}
	return e;
}

/* subscribers_chunk: the subscriber phase for subscribers (lo, hi]. */
static enum err subscribers_chunk(struct db *db, struct arena *a, const struct job *j, long long lo,
				  long long hi, struct updates_step *st)
{
	const struct fan_texts *tp;
	const char *rev_at;
	unsigned fields = owncard_fields_parse(j->fields);
	long long limit = config_get_int("Savers.MaxPerRecipientPerDay", 5);
	long long window = savers_window_seconds();
	const char *dkey = arena_printf(a, ":upd:%lld:%lld", j->card_id, j->to);
	enum err e;

	if (fields == 0)
		return ERR_OK;
	/* a subscription confirmed after the revision was saved began with it
	 * (rev_at) */
	if ((e = job_texts(db, j->id, j->card_id, fields, j->from, j->to, &tp, &rev_at)) != ERR_OK)
		return e;
	const struct fan_texts t = *tp;
#define SUB_CKEY "IF(s.email IS NOT NULL AND s.email <> '', CONCAT('e:', s.email), CONCAT('t:', s.phone))"
#define SUB_WHERE \
	"s.card_id = ? AND s.status = 'confirmed' AND s.id > ? AND s.id <= ? " \
	"AND COALESCE(s.confirmed_at, s.created_at) <= ? " \
	"AND (COALESCE(s.email, '') <> '' OR COALESCE(s.phone, '') <> '') " \
	"AND NOT EXISTS (SELECT 1 FROM do_not_contact d WHERE d.ckey = " SUB_CKEY ") "

	/* the per-recipient quota of update messages to non-members (module
	 * 103's rule, its own count "u:": confirmations and codes do not use
	 * it up), counted once per message: not for one already queued, nor
	 * for a subscriber whose messages are held back already (this change
	 * joins them) */
	e = db_exec(db,
		"INSERT INTO send_quota (qkey, window_start, n) "
		"SELECT CONCAT('u:', " SUB_CKEY "), UTC_TIMESTAMP(), 1 FROM subscribers s WHERE " SUB_WHERE
		"AND s.held_changes = 0 "
		"AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dedupe_key = CONCAT('sub:', s.id, ?)) "
		"ON DUPLICATE KEY UPDATE "
		"n = IF(window_start <= UTC_TIMESTAMP() - INTERVAL ? SECOND, 1, n + 1), "
		"window_start = IF(window_start <= UTC_TIMESTAMP() - INTERVAL ? SECOND, UTC_TIMESTAMP(), window_start)",
		"iiissii", j->card_id, lo, hi, rev_at, dkey, window, window);
	if (e != ERR_OK)
		return e;
	e = db_exec(db,
		"INSERT IGNORE INTO outbox (channel, recipient, subject, body, dedupe_key, status, "
		"next_attempt_at, created_at) "
		"SELECT IF(s.email IS NOT NULL AND s.email <> '', 'email', 'sms'), "
		"IF(s.email IS NOT NULL AND s.email <> '', s.email, s.phone), "
		"IF(s.email IS NOT NULL AND s.email <> '', IF(s.locale = 'zh-CN', ?, ?), ''), "
		"REPLACE(REPLACE(REPLACE(ELT(1 + IF(s.email IS NOT NULL AND s.email <> '', 0, 2) + (s.locale = 'zh-CN'), "
		"?, ?, ?, ?), ?, CONCAT(?, CONVERT(s.unsubscribe_token USING utf8mb4) COLLATE utf8mb4_unicode_ci)), ?, s.full_name), "
		"?, CONCAT(?, CONVERT(LEFT(s.unsubscribe_token, " SAVERS_SHORT_LEN_SQL ") USING utf8mb4) COLLATE utf8mb4_unicode_ci)), "
		"CONCAT('sub:', s.id, ?), 'queued', UTC_TIMESTAMP(), UTC_TIMESTAMP() "
		"FROM subscribers s JOIN send_quota q ON q.qkey = CONCAT('u:', " SUB_CKEY ") WHERE " SUB_WHERE
		"AND s.held_changes = 0 AND q.n <= ?",
		"ssssssssssssiiisi", t.sub_subject[1], t.sub_subject[0], t.sub_body[0], t.sub_body[1],
		t.sub_sms[0], t.sub_sms[1], t.unsub_marker, t.unsub_base, t.name_marker, t.short_marker, t.short_base, dkey,
		j->card_id, lo, hi, rev_at, limit);
	if (e != ERR_OK)
		return e;
	st->messages += (long long)db_affected(db);
	/* over the limit: never dropped. The change is held back and counted;
	 * when the recipient's window opens (held_until), the outbox worker
	 * sends one message for all held changes (savers_held_send) */
	e = db_exec(db,
		"UPDATE subscribers s LEFT JOIN send_quota q ON q.qkey = CONCAT('u:', " SUB_CKEY ") "
		"SET s.held_changes = s.held_changes + 1, s.held_since = COALESCE(s.held_since, ?), "
		"s.held_until = COALESCE(s.held_until, q.window_start + INTERVAL ? SECOND, UTC_TIMESTAMP()) "
		"WHERE " SUB_WHERE "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dedupe_key = CONCAT('sub:', s.id, ?))",
		"siiiiss", rev_at, window, j->card_id, lo, hi, rev_at, dkey);
	return e;
#undef SUB_WHERE
#undef SUB_CKEY
}

/* job_fields: the shared fields the job's revisions changed (fixed at the
 * first step, so every chunk tells the same story). */
static enum err job_fields(struct db *db, struct arena *a, struct job *j)
{
	struct owncard c;
	unsigned mask;
	enum err e;

	if (j->fields)
		return ERR_OK;
	if ((e = changed_since(db, a, j->card_id, j->from, j->to, &mask)) != ERR_OK ||
	    (e = owncard_by_id(db, a, j->card_id, &c)) != ERR_OK)
		return e;
	mask &= c.visible | (1u << CF_FULL_NAME);
	j->fields = owncard_fields_text(mask, a);
	return db_exec(db, "UPDATE fanout_jobs SET fields = ? WHERE id = ?", "si", j->fields, j->id);
}

/* chunk_end: the last id of the next chunk after lo (0: none left). */
static enum err chunk_end(struct db *db, struct arena *a, const struct job *j, int subscribers,
			  long long lo, long long *hi)
{
	struct db_result res;
	enum err e;

	if (!subscribers)
		return folder_linked_chunk_end(db, a, j->card_id, lo, chunk_rows(), hi);
	e = db_query(db, a, &res,
		"SELECT MAX(id) FROM (SELECT id FROM subscribers WHERE card_id = ? AND status = 'confirmed' "
		"AND id > ? ORDER BY id LIMIT ?) t", "iii", j->card_id, lo, chunk_rows());
	*hi = e == ERR_OK && res.nrows ? db_cell_int(&res, 0, 0, 0) : 0;
	return e;
}

/* claim_job: the job this worker holds, or a newly claimed due one. */
static enum err claim_job(struct db *db, struct arena *a, const char *claim, long long *id)
{
	struct db_result res;
	enum err e;

	*id = 0;
	e = db_query(db, a, &res, "SELECT id FROM fanout_jobs WHERE status = 'running' AND claim = ? "
		     "ORDER BY id LIMIT 1", "s", claim);
	if (e != ERR_OK)
		return e;
	if (res.nrows == 0) {
		/* a job whose window closed, or one whose worker stopped
		 * renewing its claim (killed): taken over at its cursor */
		e = db_exec(db,
			"UPDATE fanout_jobs SET status = 'running', claim = ?, "
			"claimed_until = UTC_TIMESTAMP() + INTERVAL ? SECOND, "
			"started_at = COALESCE(started_at, UTC_TIMESTAMP()), updated_at = UTC_TIMESTAMP() "
			"WHERE (status = 'waiting' AND not_before <= UTC_TIMESTAMP()) "
			"OR (status = 'running' AND claimed_until < UTC_TIMESTAMP()) "
			"ORDER BY status = 'running' DESC, not_before, id LIMIT 1",
			"si", claim, lease_seconds());
		if (e != ERR_OK || db_affected(db) == 0)
			return e;
		e = db_query(db, a, &res, "SELECT id FROM fanout_jobs WHERE status = 'running' AND claim = ? "
			     "ORDER BY id LIMIT 1", "s", claim);
		if (e != ERR_OK)
			return e;
	}
	if (res.nrows)
		*id = db_cell_int(&res, 0, 0, 0);
	return ERR_OK;
}

/* job_failed: count a failed step of job id; a job that keeps failing
 * (a bug or bad data, not an outage: then this write fails too) is given up
 * as 'failed' after Updates.MaxFailures steps, so it does not hold up the
 * jobs behind it. */
static void job_failed(struct db *db, long long id, enum err e)
{
	if (db_exec(db, "UPDATE fanout_jobs SET failures = failures + 1, last_error = ?, "
		    "status = IF(failures >= ?, 'failed', status), "
		    "claim = IF(failures >= ?, NULL, claim) WHERE id = ? AND status = 'running'",
		    "siii", err_default_code(e), (long long)setting("Updates.MaxFailures", 20, 1, 1000000),
		    (long long)setting("Updates.MaxFailures", 20, 1, 1000000), id) == ERR_OK &&
	    db_affected(db) > 0)
		log_warn("fan-out job %lld: a step failed (%s)", id, err_default_code(e));
}

enum err updates_fanout_step(struct db *db, struct arena *a, const char *claim, struct updates_step *st)
{
	struct db_result res;
	struct job j;
	long long id, hi = 0;
	enum err e;

	memset(st, 0, sizeof(*st));
	if (tmpl_init() != 0)
		return ERR_INTERNAL;
	if ((e = claim_job(db, a, claim, &id)) != ERR_OK || id == 0)
		return e;
	if ((e = db_begin(db)) != ERR_OK)
		return e;
	e = db_query(db, a, &res,
		"SELECT id, card_id, owner_id, from_revision, to_revision, phase, cursor_id, fields "
		"FROM fanout_jobs WHERE id = ? AND status = 'running' AND claim = ? FOR UPDATE", "is", id, claim);
	if (e != ERR_OK || res.nrows == 0) {
		db_rollback(db);	/* the claim was lost to another worker */
		return e;
	}
	j = (struct job){
		.id = id, .card_id = db_cell_int(&res, 0, 1, 0), .owner_id = db_cell_int(&res, 0, 2, 0),
		.from = db_cell_int(&res, 0, 3, 0), .to = db_cell_int(&res, 0, 4, 0),
		.phase = db_cell(&res, 0, 5), .cursor = db_cell_int(&res, 0, 6, 0), .fields = db_cell(&res, 0, 7),
	};
	st->job_id = id;
	e = job_fields(db, a, &j);
	if (e == ERR_OK && strcmp(j.phase, "members") == 0) {
		e = chunk_end(db, a, &j, 0, j.cursor, &hi);
		if (e == ERR_OK && hi > 0)
			e = members_chunk(db, a, &j, j.cursor, hi, st);
		else if (e == ERR_OK)	/* subscribers next, when they have news */
			j.phase = j.fields && *j.fields ? "subscribers" : "done", hi = 0;
	} else if (e == ERR_OK && strcmp(j.phase, "subscribers") == 0) {
		e = chunk_end(db, a, &j, 1, j.cursor, &hi);
		if (e == ERR_OK && hi > 0)
			e = subscribers_chunk(db, a, &j, j.cursor, hi, st);
		else if (e == ERR_OK)
			j.phase = "done";
	} else if (e == ERR_OK) {
		j.phase = "done";
	}
	if (e != ERR_OK) {
		db_rollback(db);
		job_failed(db, id, e);
		return e;
	}
	st->finished = strcmp(j.phase, "done") == 0;
	/* the cursor moves with the rows of its chunk, in one commit */
	e = db_exec(db,
		"UPDATE fanout_jobs SET phase = ?, cursor_id = ?, letters = letters + ?, messages = messages + ?, "
		"applied = applied + ?, claimed_until = UTC_TIMESTAMP() + INTERVAL ? SECOND, "
		"updated_at = UTC_TIMESTAMP(), status = IF(? = 'done', 'done', 'running'), "
		"finished_at = IF(? = 'done', UTC_TIMESTAMP(), NULL), claim = IF(? = 'done', NULL, claim) "
		"WHERE id = ?",
		"siiiiisssi", j.phase, hi, st->letters, st->messages, st->applied, lease_seconds(), j.phase,
		j.phase, j.phase, id);
	if (e == ERR_OK)
		e = db_commit(db);
	if (e != ERR_OK)
		db_rollback(db);
	if (e == ERR_OK && st->finished &&
	    db_query(db, a, &res, "SELECT letters, messages, applied FROM fanout_jobs WHERE id = ?", "i", id) == ERR_OK &&
	    res.nrows)
		log_info("fan-out job %lld (card %lld, revisions %lld..%lld) done: %s letters, %s messages, "
			 "%s copies updated", id, j.card_id, j.from + 1, j.to, db_cell(&res, 0, 0),
			 db_cell(&res, 0, 1), db_cell(&res, 0, 2));
	return e;
}

enum err updates_entry_current(struct db *db, struct arena *a, long long holder_id, long long entry_id,
			       int *current)
{
	return folder_entry_current(db, a, holder_id, entry_id, current);
}
