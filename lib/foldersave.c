/* foldersave.c: saving one card in a folder: a new entry, or what on_duplicate says when its e-mail or phone is there already; then its owner's saver record and the automatic link. */
#include "folder.h"

#include <string.h>

#include "autolink.h"
#include "savers.h"

enum err folder_save_card(struct db *db, struct arena *a, long long holder_id, const struct card *c,
			  const char *notes, const char *const *tags, size_t n_tags,
			  const char *const img[FOLDER_SIDE__MAX], enum folder_dup policy, long long *id,
			  const char **action, long long *dup)
{
	const struct card *cards[1] = {c};
	enum err e;

	*action = NULL;
	*dup = 0;
	if ((e = db_begin(db)) != ERR_OK || (e = folder_lock(db, holder_id)) != ERR_OK)
		return e;
	if ((e = folder_find_duplicates(db, a, holder_id, cards, NULL, 1, dup)) != ERR_OK)
		return e;
	if (*dup && policy == FOLDER_DUP_SKIP) {
		*id = *dup;
		*action = "skipped";
		db_rollback(db);
		return ERR_OK;
	}
	if (*dup && policy == FOLDER_DUP_MERGE) {
		struct folder_entry cur;
		struct folder_change ch = {0};
		const char **all;
		size_t n_all;
		struct errinfo ei = {0};
		if ((e = folder_entry_get(db, a, holder_id, *dup, 1, &cur)) != ERR_OK)
			return e;
		folder_card_merge(&cur.card, c, a);
		ch.card = &cur.card;
		if (notes && *notes && !strstr(cur.notes, notes))
			ch.notes = *cur.notes ? arena_printf(a, "%s\n%s", cur.notes, notes) : notes;
		if (ch.notes && strlen(ch.notes) > FOLDER_MAX_NOTES)
			ch.notes = NULL;
		/* the tags of both */
		if (folder_tags_union(a, (const char *const *)cur.tags, cur.n_tags, tags, n_tags, &all,
				      &n_all, &ei) == ERR_OK) {
			ch.set_tags = 1;
			ch.tags = all;
			ch.n_tags = n_all;
		}
		for (int s = 0; s < FOLDER_SIDE__MAX; s++)
			if (img[s] && cur.image[s] == NULL) {
				ch.set_image[s] = 1;
				ch.image[s] = img[s];
			}
		if ((e = folder_entry_update(db, a, holder_id, *dup, &ch)) != ERR_OK ||
		    (e = savers_on_entry(db, a, *dup, 1)) != ERR_OK ||
		    (e = autolink_entries(db, a, holder_id, dup, 1, 1, NULL, NULL)) != ERR_OK)
			return e;
		*id = *dup;
		*action = "merged";
		return db_commit(db);
	}
	struct folder_new nw = {.card = c, .notes = notes, .tags = tags, .n_tags = n_tags};
	for (int s = 0; s < FOLDER_SIDE__MAX; s++)
		nw.image[s] = img[s];
	/* step C1: the members whose card this is learn that it was saved */
	if ((e = folder_entry_insert(db, a, holder_id, &nw, id)) != ERR_OK ||
	    (e = savers_on_entry(db, a, *id, 1)) != ERR_OK ||
	    (e = autolink_entries(db, a, holder_id, id, 1, 1, NULL, NULL)) != ERR_OK)
		return e;
	if (*dup)
		*action = "kept";
	return db_commit(db);
}
