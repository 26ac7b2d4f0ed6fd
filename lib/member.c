/* member.c: the verified-contact index (contact_keys) that decides who is a member. */
#include "member.h"

#include "autolink.h"
#include "folder.h"
#include "http.h"
#include "updates.h"
#include "netguard.h"
#include "savers.h"

/* flags_of_loser: lost_id no longer holds ckey: the owner_saved_my_card
 * flags of lost_id's entries for the members who saved a card with it. */
static enum err flags_of_loser(struct db *db, const char *ckey, long long lost_id)
{
	return folder_key_holder_flags(db, ckey, lost_id);
}

/* savers_of_loser: lost_id no longer holds ckey: the savers who held
 * lost_id's card only through it leave lost_id's list (subscribers stay). */
static enum err savers_of_loser(struct db *db, const char *ckey, long long lost_id)
{
	return db_exec(db,
		"DELETE s FROM savers s JOIN (SELECT DISTINCT holder_id FROM card_keys WHERE ckey = ?) h "
		"ON s.owner_id = ? AND s.saver_id = h.holder_id WHERE s.how <> 'subscribed' AND NOT "
		SAVERS_HOLDS("s"), "si", ckey, lost_id);
}

enum err member_key_verified(struct db *db, struct arena *a, long long user_id, const char *ckey)
{
	struct db_result res;
	long long before = 0, *cands = NULL;
	size_t n_cands = 0;
	enum err e;

	/* whoever proved the key before loses it (an address changes hands) */
	e = db_query(db, a, &res, "SELECT user_id FROM contact_keys WHERE ckey = ? FOR UPDATE", "s", ckey);
	if (e != ERR_OK)
		return e;
	if (res.nrows)
		before = db_cell_int(&res, 0, 0, 0);
	e = db_exec(db,
		"INSERT INTO contact_keys (ckey, user_id, verified_at) VALUES (?, ?, UTC_TIMESTAMP()) "
		"ON DUPLICATE KEY UPDATE user_id = VALUES(user_id), verified_at = VALUES(verified_at)",
		"si", ckey, user_id);
	if (e != ERR_OK)
		return e;

	/* the unlinked copies in other folders carrying the key that are not
	 * user_id's yet: those the matching gives to user_id become offers,
	 * linked at once for holders who chose so, and their holders get one
	 * letter (autolink_verified) */
	e = folder_key_candidates(db, a, ckey, user_id, &cands, &n_cands);
	if (e != ERR_OK)
		return e;

	/* every saved card carrying the key: its owner is matched again over
	 * all its keys (the lowest member id wins, as in folder_match); linked
	 * entries keep their source card's owner */
	e = folder_key_match_owners(db, ckey);
	/* ... and whether that owner holds the holder's card */
	if (e == ERR_OK)
		e = folder_key_saved_flags(db, ckey);
	/* the other way round: user_id's own entries for members who saved a
	 * card with this key: their owner may now hold user_id's card (when
	 * that copy's owner is user_id: a lower member id on it wins) */
	if (e == ERR_OK)
		e = folder_key_holder_flags(db, ckey, user_id);
	/* the member who lost the key may have lost those flags */
	if (e == ERR_OK && before && before != user_id)
		e = flags_of_loser(db, ckey, before);
	/* step C: the savers list learns who holds this member's card */
	if (e == ERR_OK)
		e = savers_on_verified(db, a, user_id, ckey);
	/* the lists follow the owners, as the nightly job keeps them: a holder
	 * of the key whose copy belongs to someone else (a lower member id, a
	 * linked card) is not user_id's saver, and the member who lost the key
	 * loses the savers who held it only through it */
	if (e == ERR_OK)
		e = db_exec(db,
			"DELETE s FROM savers s JOIN (SELECT DISTINCT holder_id FROM card_keys WHERE ckey = ?) h "
			"ON s.owner_id = ? AND s.saver_id = h.holder_id WHERE s.how = 'search' AND NOT "
			SAVERS_HOLDS("s"), "si", ckey, user_id);
	if (e == ERR_OK && before && before != user_id)
		e = savers_of_loser(db, ckey, before);
	if (e == ERR_OK)
		e = autolink_verified(db, a, user_id, cands, n_cands);
	return e;
}

int member_webhook_allowed(const char *url)
{
	return netguard_url_allowed(url);
}

void member_home_counts(struct req *r)
{
	long long n = 0;

	if (r->user && folder_saved_count(r->db, &r->arena, r->user->id, &n) == ERR_OK)
		req_setf(r, "Home.SavedCards", "%lld", n);
	updates_home_counts(r);
}

/* key_lost: user_id no longer proves ckey: the key leaves contact_keys (if
 * user_id held it), the unlinked copies user_id owned through it are
 * matched again over their other keys (or lose their member), and the
 * flags and savers that followed from it go (the inverse of
 * member_key_verified; member_phone_remove then gives a phone's key back
 * to another member who verified the same number earlier). */
static enum err key_lost(struct db *db, long long user_id, const char *ckey)
{
	enum err e = db_exec(db, "DELETE FROM contact_keys WHERE ckey = ? AND user_id = ?", "si", ckey, user_id);
	if (e != ERR_OK || db_affected(db) == 0)
		return e;
	e = folder_key_unmatch(db, ckey, user_id);
	if (e == ERR_OK)
		e = folder_key_saved_flags(db, ckey);
	if (e == ERR_OK)
		e = flags_of_loser(db, ckey, user_id);
	if (e == ERR_OK)
		e = savers_of_loser(db, ckey, user_id);
	return e;
}

enum err member_phone_remove(struct db *db, struct arena *a, long long user_id, const char *phone)
{
	struct db_result res;
	const char *ckey = arena_printf(a, "t:%s", phone);
	enum err e = db_exec(db, "DELETE FROM user_phones WHERE user_id = ? AND phone = ?", "is", user_id, phone);
	if (e != ERR_OK)
		return e;
	if (db_affected(db) == 0)
		return ERR_NOT_FOUND;
	if ((e = key_lost(db, user_id, ckey)) != ERR_OK)
		return e;
	/* another member who verified the number too (earlier: the key had
	 * moved to user_id, who proved it last) gets it back at once, by the
	 * rule of the nightly job (livecard-reconcile's PHONE_WINS): the latest
	 * verification of those left wins, the higher member id on a tie */
	e = db_query(db, a, &res,
		"SELECT p.user_id, DATE_FORMAT(p.verified_at, '%Y-%m-%d %H:%i:%s') FROM user_phones p "
		"WHERE p.phone = ? AND p.verified_at IS NOT NULL "
		"AND NOT EXISTS (SELECT 1 FROM contact_keys k WHERE k.ckey = ?) "
		"ORDER BY p.verified_at DESC, p.user_id DESC LIMIT 1 FOR UPDATE", "ss", phone, ckey);
	if (e != ERR_OK || res.nrows == 0)
		return e;
	if ((e = member_key_verified(db, a, db_cell_int(&res, 0, 0, 0), ckey)) != ERR_OK)
		return e;
	/* the key keeps the time that member proved it, as the nightly job records it */
	return db_exec(db, "UPDATE contact_keys SET verified_at = ? WHERE ckey = ?", "ss", db_cell(&res, 0, 1), ckey);
}
