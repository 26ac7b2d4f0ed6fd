/* member.c: the verified-contact index (contact_keys) that decides who is a member. */
#include "member.h"

#include "http.h"
#include "netguard.h"

enum err member_key_verified(struct db *db, struct arena *a, long long user_id, const char *ckey)
{
	(void)a;
	return db_exec(db,
		"INSERT INTO contact_keys (ckey, user_id, verified_at) VALUES (?, ?, UTC_TIMESTAMP()) "
		"ON DUPLICATE KEY UPDATE user_id = VALUES(user_id), verified_at = VALUES(verified_at)",
		"si", ckey, user_id);
}

int member_webhook_allowed(const char *url)
{
	return netguard_url_allowed(url);
}

void member_home_counts(struct req *r)
{
	(void)r;
}
