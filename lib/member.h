/* member.h: who is a member: the verified-contact index and what follows a verification. */
#ifndef LIVECARD_MEMBER_H
#define LIVECARD_MEMBER_H

#include "arena.h"
#include "db.h"
#include "err.h"

struct req;

/* member_key_verified: user_id proved ckey ("e:<email>" or "t:<E.164>"):
 * record it in contact_keys (moving it from anyone who held it before),
 * then, set-based: every folder entry carrying the key is matched again
 * (owner_user_id: the lowest matching member id; owner_is_member), the
 * owner_saved_my_card flags that the key turns on (or, for the member who
 * lost it, off) are recomputed, and the savers list is told
 * (savers_on_verified); the copies in other folders that become offers
 * for user_id's card are linked at once for holders who chose so, and each
 * of their holders gets one letter (autolink_verified). Call inside the
 * verification's transaction. */
enum err member_key_verified(struct db *db, struct arena *a, long long user_id, const char *ckey);

/* member_phone_remove: user_id gives up phone (E.164, confirmed or not):
 * the number leaves user_phones, so it receives no more SMS for user_id
 * (member letters go to confirmed numbers only), and, when it was user_id's
 * key "t:<phone>", it stops matching: saved cards carrying it are matched
 * again without it, with their flags and savers lists (the inverse of
 * member_key_verified); when another member had verified the same number
 * too, the key goes to them at once (the latest of the remaining
 * verifications, as the nightly job decides), through member_key_verified.
 * ERR_NOT_FOUND when user_id has no such number.
 * Call inside a transaction. */
enum err member_phone_remove(struct db *db, struct arena *a, long long user_id, const char *phone);

/* member_webhook_allowed: whether a webhook URL may be stored (its host
 * resolves only to addresses netguard allows). */
int member_webhook_allowed(const char *url);

/* member_home_counts: fill Home.* counts for the signed-in member's home
 * page (Home.SavedCards: the entries of the member's card folder). */
void member_home_counts(struct req *r);

#endif
