/* letters.h: a member's in-site letters (the notifications table): reading a page, counting, marking read. Letters are written where their event happens (savers_record, updates, autolink). */
#ifndef LIVECARD_LETTERS_H
#define LIVECARD_LETTERS_H

#include "arena.h"
#include "db.h"
#include "err.h"

/* The columns of a letters_page row. */
enum letters_col { LETTERS_ID, LETTERS_KIND, LETTERS_PAYLOAD, LETTERS_CREATED, LETTERS_READ };

/* letters_page: up to limit of user_id's letters, newest first, with id
 * above since_id and below before (0: no bound), only unread ones when
 * unread_only: rows of enum letters_col in *rows (in a). */
enum err letters_page(struct db *db, struct arena *a, long long user_id, int unread_only,
		      long long since_id, long long before, long long limit, struct db_result *rows);

/* letters_counts: how many of user_id's letters are unread, and the id of
 * the newest (0 when none). */
enum err letters_counts(struct db *db, struct arena *a, long long user_id, long long *unread,
			long long *last_id);

/* letters_mark_read: letter id of user_id is read (0: every letter);
 * ERR_NOT_FOUND when user_id has no letter id. */
enum err letters_mark_read(struct db *db, struct arena *a, long long user_id, long long id);

/* letters_update_done: user_id's unread letters asking about entry_id's
 * update ("card.update") are read (the update was accepted or declined). */
enum err letters_update_done(struct db *db, long long user_id, long long entry_id);

#endif
