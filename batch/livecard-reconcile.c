/* livecard-reconcile.c: the nightly job: rebuild contact_keys, every saved card's member flags and every savers list, in checkpointed chunks; then link the offers of members who link cards of members automatically. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "batchrun.h"
#include "autolink.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "folder.h"
#include "log.h"
#include "savers.h"
#include "updates.h"

#define JOB_NAME "reconcile"
#define SINCE_MARGIN 60		/* seconds: web transactions in flight when a pass starts */
#define CHUNK_RETRIES 5		/* deadlocks, lock waits, a lost server */
#define EXIT_FAILED 1
#define EXIT_USAGE 2
#define EXIT_LOCKED 75		/* EX_TEMPFAIL: another run holds the lock */

/* The steps of a pass, in order; the name is stored in reconcile_state.phase. */
enum phase {
	PH_KEYS,	/* contact_keys from verified e-mails and phones (users by id) */
	PH_MATCH,	/* the scratch table rc_match: entry -> owner (members' keys by user id) */
	PH_ENTRIES,	/* owner, owner_is_member (owners by id, against rc_match) */
	PH_SAVERS,	/* savers lists (owners by id) */
	PH_FLAGS,	/* owner_saved_my_card (owners by id, against the savers lists) */
	PH_RECHECK,	/* a --since pass over what changed while the full pass ran */
	PH_SINCE,	/* a --since pass */
	PH_DONE,
	PH__MAX
};

static const char *const phase_names[PH__MAX] = {
	"keys", "match", "entries", "savers", "flags", "recheck", "since", "done",
};

/* What a run counts; stored in batch_runs. */
enum counter {
	C_SCANNED,
	C_KEYS_ADDED,
	C_KEYS_REMOVED,
	C_OWNERS,
	C_SET,
	C_CLEARED,
	C_SAVERS_ADDED,
	C_SAVERS_REMOVED,
	C_LINKED,	/* copies linked for members who link cards of members automatically */
	C__MAX
};

static const char *const counter_labels[C__MAX] = {
	"rows scanned", "keys added", "keys removed", "owners changed",
	"flags set", "flags cleared", "savers added", "savers removed", "copies linked",
};

/* How a chunk's rows are chosen: a primary-key range, or the ids of a
 * dirty set copied into rc_ids (the --since pass). */
enum filter {
	F_RANGE,
	F_SET,
	F__MAX
};

struct opts {
	int dry_run;
	const char *since;	/* NULL: full pass */
	long long chunk;
	long stale_minutes;
	long wait_seconds;
	long sleep_ms;
	int quiet;
	int progress;		/* -1 auto (a terminal), 0 lines, 1 bar */
	int jobs;		/* processes for a large --since pass: 1 or 2 */
	long long parallel_min;	/* changed entries from which a second one helps */
};

struct job {
	struct db *db;
	struct arena a;		/* reset per chunk */
	struct opts o;
	long long run_id, resumed_from, conn_id;
	long long walk_last;	/* the last id the current walk completed */
	char holder[200], host[100];
	long long n[C__MAX];	/* committed totals */
	long long d[C__MAX];	/* the chunk in progress */
	double t0;
	int since_mode;		/* this pass is a --since pass */
	int count_ids;		/* walk() counts the ids it walks as rows scanned */
	int rebuilding;		/* rc_match is rebuilt for a resumed pass: keep the checkpoint */
	int helper;		/* the second process of a --since pass: no checkpoints, no progress */
	long long match_rows;	/* rows of rc_match when the match phase ended (-1: not built) */
	char since_at[32], keys_at[32], started_at[32];
	char match_at[32];	/* when the match phase began (UTC) */
	/* progress */
	int tty;
	const char *label;
	long long lo_id, hi_id, done_rows;
	double ph_t0, last_draw;
	int drawn;
};

static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --- SQL --------------------------------------------------------------------
 * Every statement is a literal (the statement cache keys on the pointer);
 * the two filters are spliced in by macros, never from input. Both take the
 * parameters (lo, hi). */

#define F_RANGE_SQL(col) col " BETWEEN ? AND ?"
#define F_SET_SQL(col) col " IN (SELECT id FROM rc_ids WHERE id BETWEEN ? AND ?)"

/* the scratch tables live in memory (the session's max_heap_table_size is
 * raised): a chunk's are bounded by --chunk, rc_match and the dirty sets of
 * a --since pass by the rows of users and folder_entries */
static const char *const sql_scratch[] = {
	"SET SESSION max_heap_table_size = 8589934592",
	"CREATE TEMPORARY TABLE IF NOT EXISTS rc_ids (id BIGINT UNSIGNED NOT NULL, "
	"PRIMARY KEY USING BTREE (id)) ENGINE=MEMORY",
	"CREATE TEMPORARY TABLE IF NOT EXISTS rc_keys (ckey VARCHAR(260) CHARACTER SET ascii "
	"COLLATE ascii_bin NOT NULL PRIMARY KEY, old_user BIGINT UNSIGNED NULL, "
	"new_user BIGINT UNSIGNED NULL, verified_at DATETIME NULL) ENGINE=MEMORY",
	"CREATE TEMPORARY TABLE IF NOT EXISTS rc_own (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, "
	"holder_id BIGINT UNSIGNED NOT NULL, old_owner BIGINT UNSIGNED NULL, "
	"new_owner BIGINT UNSIGNED NULL, old_member TINYINT NOT NULL, old_saved TINYINT NOT NULL DEFAULT 0) ENGINE=MEMORY",
	/* the per-run scratch table of a full pass: every saved card that
	 * belongs to a member, with that member (linked: by its source card).
	 * It lives as long as the session; a resumed pass or a new connection
	 * builds it again from the beginning (it is a function of the tables) */
	"CREATE TEMPORARY TABLE IF NOT EXISTS rc_match (entry_id BIGINT UNSIGNED NOT NULL, "
	"owner BIGINT UNSIGNED NOT NULL, linked TINYINT NOT NULL DEFAULT 0, "
	"PRIMARY KEY USING HASH (entry_id), KEY USING BTREE (owner)) ENGINE=MEMORY",
	"CREATE TEMPORARY TABLE IF NOT EXISTS rc_rev (owner BIGINT UNSIGNED NOT NULL, holder BIGINT UNSIGNED NOT NULL, "
	"PRIMARY KEY USING HASH (owner, holder)) ENGINE=MEMORY",
	"CREATE TEMPORARY TABLE IF NOT EXISTS rc_have (owner BIGINT UNSIGNED NOT NULL, saver BIGINT UNSIGNED NOT NULL, "
	"sub TINYINT NOT NULL, PRIMARY KEY USING HASH (owner, saver)) ENGINE=MEMORY",
	"CREATE TEMPORARY TABLE IF NOT EXISTS rc_seen (id BIGINT UNSIGNED NOT NULL, owner BIGINT UNSIGNED NOT NULL, "
	"member TINYINT NOT NULL, PRIMARY KEY USING HASH (id)) ENGINE=MEMORY",
	/* a flag to write, with the owner it was computed for */
	"CREATE TEMPORARY TABLE IF NOT EXISTS rc_flag (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, "
	"old_v TINYINT NOT NULL, new_v TINYINT NOT NULL, owner BIGINT UNSIGNED NULL) ENGINE=MEMORY",
	/* a --since chunk's entries with the owner each should have */
	"CREATE TEMPORARY TABLE IF NOT EXISTS rc_ent (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, "
	"holder_id BIGINT UNSIGNED NOT NULL, old_owner BIGINT UNSIGNED NULL, "
	"new_owner BIGINT UNSIGNED NULL, old_member TINYINT NOT NULL, old_saved TINYINT NOT NULL) ENGINE=MEMORY",
	"CREATE TEMPORARY TABLE IF NOT EXISTS rc_sav (owner_id BIGINT UNSIGNED NOT NULL, "
	"saver_id BIGINT UNSIGNED NOT NULL, op TINYINT NOT NULL, PRIMARY KEY (owner_id, saver_id)) ENGINE=MEMORY",
	/* the dirty sets of a --since pass: users, keys, entries, holders, owners */
	"CREATE TEMPORARY TABLE IF NOT EXISTS rc_du (id BIGINT UNSIGNED NOT NULL, PRIMARY KEY USING BTREE (id)) ENGINE=MEMORY",
	"CREATE TEMPORARY TABLE IF NOT EXISTS rc_dk (ckey VARCHAR(260) CHARACTER SET ascii "
	"COLLATE ascii_bin NOT NULL PRIMARY KEY)",
	"CREATE TEMPORARY TABLE IF NOT EXISTS rc_de (id BIGINT UNSIGNED NOT NULL, PRIMARY KEY USING BTREE (id)) ENGINE=MEMORY",
	"CREATE TEMPORARY TABLE IF NOT EXISTS rc_dh (id BIGINT UNSIGNED NOT NULL, PRIMARY KEY USING BTREE (id)) ENGINE=MEMORY",
	"CREATE TEMPORARY TABLE IF NOT EXISTS rc_do (id BIGINT UNSIGNED NOT NULL, PRIMARY KEY USING BTREE (id)) ENGINE=MEMORY",
};

/* the phone number a key "t:+..." belongs to: the latest verification wins
 * (as member_key_verified moves a key to whoever proved it last) */
#define PHONE_WINS(P) \
	"NOT EXISTS (SELECT 1 FROM user_phones q WHERE q.phone = " P ".phone " \
	"AND q.verified_at IS NOT NULL AND (q.verified_at > " P ".verified_at " \
	"OR (q.verified_at = " P ".verified_at AND q.user_id > " P ".user_id)))"

/* keys that the users of the chunk should hold and do not (new or moved) */
#define SQL_KEYS_EMAIL(F) \
	"INSERT IGNORE INTO rc_keys (ckey, old_user, new_user, verified_at) " \
	"SELECT CONCAT('e:', LOWER(u.email)), k.user_id, u.id, u.email_verified_at FROM users u " \
	"LEFT JOIN contact_keys k ON k.ckey = CONCAT('e:', LOWER(u.email)) " \
	"WHERE " F("u.id") " AND u.email_verified_at IS NOT NULL AND NOT (k.user_id <=> u.id) ORDER BY u.id"
#define SQL_KEYS_PHONE(F) \
	"INSERT IGNORE INTO rc_keys (ckey, old_user, new_user, verified_at) " \
	"SELECT CONCAT('t:', p.phone), k.user_id, p.user_id, p.verified_at FROM user_phones p " \
	"LEFT JOIN contact_keys k ON k.ckey = CONCAT('t:', p.phone) " \
	"WHERE " F("p.user_id") " AND p.verified_at IS NOT NULL AND " PHONE_WINS("p") " " \
	"AND NOT (k.user_id <=> p.user_id)"
/* keys the users of the chunk hold and should not */
#define SQL_KEYS_STALE(F) \
	"INSERT IGNORE INTO rc_keys (ckey, old_user, new_user, verified_at) " \
	"SELECT k.ckey, k.user_id, NULL, NULL FROM contact_keys k WHERE " F("k.user_id") " " \
	"AND NOT ((k.ckey LIKE 'e:%' AND EXISTS (SELECT 1 FROM users u WHERE u.id = k.user_id " \
	"AND u.email_verified_at IS NOT NULL AND CONCAT('e:', LOWER(u.email)) = k.ckey)) " \
	"OR (k.ckey LIKE 't:%' AND EXISTS (SELECT 1 FROM user_phones p WHERE p.user_id = k.user_id " \
	"AND p.phone = SUBSTRING(k.ckey, 3) AND p.verified_at IS NOT NULL AND " PHONE_WINS("p") ")))"

static const char *const sql_keys_email[F__MAX] = { SQL_KEYS_EMAIL(F_RANGE_SQL), SQL_KEYS_EMAIL(F_SET_SQL) };
static const char *const sql_keys_phone[F__MAX] = { SQL_KEYS_PHONE(F_RANGE_SQL), SQL_KEYS_PHONE(F_SET_SQL) };
static const char *const sql_keys_stale[F__MAX] = { SQL_KEYS_STALE(F_RANGE_SQL), SQL_KEYS_STALE(F_SET_SQL) };

/* the key changes are stamped now, so that a later --since pass finds the
 * saved cards that carry them */
static const char sql_keys_del[] =
	"DELETE k FROM rc_keys r STRAIGHT_JOIN contact_keys k ON k.ckey = r.ckey "
	"WHERE r.new_user IS NULL AND k.user_id = r.old_user";
static const char sql_keys_put[] =
	"INSERT INTO contact_keys (ckey, user_id, verified_at) "
	"SELECT r.ckey, r.new_user, UTC_TIMESTAMP() FROM rc_keys r WHERE r.new_user IS NOT NULL "
	"ON DUPLICATE KEY UPDATE user_id = VALUES(user_id), verified_at = VALUES(verified_at)";

/* a dry run applies key changes to its copy rc_ck, which the entries read */
static const char sql_keys_del_dry[] =
	"DELETE k FROM rc_keys r STRAIGHT_JOIN rc_ck k ON k.ckey = r.ckey "
	"WHERE r.new_user IS NULL AND k.user_id = r.old_user";
static const char sql_keys_put_dry[] =
	"INSERT INTO rc_ck (ckey, user_id) SELECT r.ckey, r.new_user FROM rc_keys r "
	"WHERE r.new_user IS NOT NULL ON DUPLICATE KEY UPDATE user_id = VALUES(user_id)";

/* --since: every entry of the chunk (rc_ids) with the owner it should
 * have: the owner of its source card when linked, else the lowest member
 * id among the members whose verified keys it carries. Each entry is read
 * once: its owners, flags and savers pairs are worked out from rc_ent.
 * An entry comes once per member key it carries (or once with none): the
 * upsert keeps the lowest (a linked entry's rows all name its card's
 * owner; no user id is NULL, so a row with a key never meets one without). */
#define SQL_ENT_FIND(KEYS) \
	"INSERT INTO rc_ent (id, holder_id, old_owner, new_owner, old_member, old_saved) " \
	"SELECT e.id, e.holder_id, e.owner_user_id, COALESCE(c.user_id, k.user_id), e.owner_is_member, " \
	"e.owner_saved_my_card FROM rc_ids i STRAIGHT_JOIN folder_entries e ON e.id = i.id " \
	"LEFT JOIN cards c ON c.id = e.source_card_id " \
	"LEFT JOIN (card_keys ck JOIN " KEYS " k ON k.ckey = ck.ckey) ON ck.entry_id = e.id " \
	"WHERE i.id BETWEEN ? AND ? ON DUPLICATE KEY UPDATE new_owner = LEAST(new_owner, VALUES(new_owner))"

/* [dry run]: a dry run matches against its own copy of the keys */
static const char *const sql_ent_find[2] = { SQL_ENT_FIND("contact_keys"), SQL_ENT_FIND("rc_ck") };

/* an entry whose owner or owner_is_member is not what it should be */
#define ENT_CHANGED(T) "NOT (" T ".old_owner <=> " T ".new_owner AND " T ".old_member = (" T ".new_owner IS NOT NULL))"
static const char sql_ent_changed[] =
	"INSERT INTO rc_own (id, holder_id, old_owner, new_owner, old_member, old_saved) "
	"SELECT id, holder_id, old_owner, new_owner, old_member, old_saved FROM rc_ent t WHERE " ENT_CHANGED("t");

/* only rows still as they were read are written (the web path may have
 * changed one in between: it knows better) */
/* an entry left without an owner has owner_saved_my_card 0 as well */
static const char sql_own_apply[] =
	"UPDATE rc_own o STRAIGHT_JOIN folder_entries e ON e.id = o.id "
	"SET e.owner_user_id = o.new_owner, e.owner_is_member = (o.new_owner IS NOT NULL), "
	"e.owner_saved_my_card = IF(o.new_owner IS NULL, 0, e.owner_saved_my_card) "
	"WHERE e.owner_user_id <=> o.old_owner AND e.owner_is_member = o.old_member";
static const char sql_own_count[] =
	"SELECT COUNT(*), COALESCE(SUM(old_member = 0 AND new_owner IS NOT NULL), 0), "
	"COALESCE(SUM(old_member <> 0 AND new_owner IS NULL), 0), "
	"COALESCE(SUM(old_saved <> 0 AND new_owner IS NULL), 0) FROM rc_own";

/* --- the full pass: match from the small side ---------------------------------
 * As the bare join does: members' verified keys (contact_keys by user id) ->
 * card_keys by key -> entries, and members' own cards -> the copies linked
 * to them; per chunk of user ids, into rc_match. Several members on one
 * card: the lowest id wins; a linked copy belongs to its card's owner. The
 * upserts make the result independent of the order of the chunks. */
#define SQL_MATCH_KEYS(KEYS) \
	"INSERT INTO rc_match (entry_id, owner) SELECT ck.entry_id, k.user_id FROM " KEYS " " \
	"STRAIGHT_JOIN card_keys ck FORCE INDEX (card_keys_key) ON ck.ckey = k.ckey " \
	"WHERE k.user_id BETWEEN ? AND ? " \
	"ON DUPLICATE KEY UPDATE owner = IF(linked, owner, LEAST(owner, VALUES(owner)))"
static const char *const sql_match_keys[2] = {
	SQL_MATCH_KEYS("contact_keys k FORCE INDEX (contact_keys_user)"), SQL_MATCH_KEYS("rc_ck k"),
};
static const char sql_match_linked[] =
	"INSERT INTO rc_match (entry_id, owner, linked) SELECT e.id, c.user_id, 1 FROM cards c "
	"STRAIGHT_JOIN folder_entries e FORCE INDEX (folder_entries_source_card) ON e.source_card_id = c.id "
	"WHERE c.user_id BETWEEN ? AND ? ON DUPLICATE KEY UPDATE owner = VALUES(owner), linked = 1";

/* the entries the chunk's members own now, from the owner index
 * (owner_user_id, holder_id, owner_is_member, owner_saved_my_card) alone */
static const char sql_own_seen[] =
	"INSERT INTO rc_seen (id, owner, member) SELECT e.id, e.owner_user_id, e.owner_is_member "
	"FROM folder_entries e FORCE INDEX (folder_entries_owner) WHERE e.owner_user_id BETWEEN ? AND ?";
/* rc_match is as old as the match phase: an entry the web path saved or
 * edited since, or whose owner verified a key since, is left to the web
 * path (and to the closing recheck), never set back to the older match */
#define OWN_UNTOUCHED \
	"e.updated_at < ? AND NOT EXISTS (SELECT 1 FROM contact_keys k FORCE INDEX (contact_keys_user) " \
	"WHERE k.user_id = e.owner_user_id AND k.verified_at >= ?)"
/* those they own and should not (rows are read only for a difference) ... */
static const char sql_own_stale[] =
	"INSERT IGNORE INTO rc_own (id, holder_id, old_owner, new_owner, old_member, old_saved) "
	"SELECT e.id, e.holder_id, e.owner_user_id, m.owner, e.owner_is_member, e.owner_saved_my_card "
	"FROM rc_seen s LEFT JOIN rc_match m ON m.entry_id = s.id STRAIGHT_JOIN folder_entries e ON e.id = s.id "
	"WHERE NOT (m.owner <=> s.owner AND s.member = 1) AND " OWN_UNTOUCHED;
/* ... and those they should own and do not */
static const char sql_own_should[] =
	"INSERT IGNORE INTO rc_own (id, holder_id, old_owner, new_owner, old_member, old_saved) "
	"SELECT e.id, e.holder_id, e.owner_user_id, m.owner, e.owner_is_member, e.owner_saved_my_card "
	"FROM rc_match m LEFT JOIN rc_seen s ON s.id = m.entry_id STRAIGHT_JOIN folder_entries e ON e.id = m.entry_id "
	"WHERE m.owner BETWEEN ? AND ? AND NOT (s.owner <=> m.owner AND s.member = 1) AND " OWN_UNTOUCHED;
/* entries without an owner whose flags say otherwise (an account deleted
 * behind the web path's back: the foreign key only clears the owner) */
static const char sql_own_orphans[] =
	"INSERT IGNORE INTO rc_own (id, holder_id, old_owner, new_owner, old_member, old_saved) "
	"SELECT e.id, e.holder_id, NULL, NULL, e.owner_is_member, e.owner_saved_my_card "
	"FROM folder_entries e FORCE INDEX (folder_entries_owner) WHERE e.owner_user_id IS NULL "
	"AND (e.owner_is_member <> 0 OR e.owner_saved_my_card <> 0) "
	"AND NOT EXISTS (SELECT 1 FROM rc_match m WHERE m.entry_id = e.id)";

/* owner_saved_my_card of entry E: its owner's folder holds an entry whose
 * owner is E's holder (index folder_entries_owner): the web path's rule */
#define SAVED(E) FOLDER_SAVED_MY_CARD(E)
/* --since: owner_saved_my_card of the chunk's entries, once their owners
 * are written (an owner cleared clears the flag too); the write checks
 * that the owner is still the one it was worked out for */
static const char sql_ent_flag[] =
	"INSERT IGNORE INTO rc_flag (id, old_v, new_v, owner) SELECT t.id, "
	"IF(t.new_owner IS NULL AND " ENT_CHANGED("t") ", 0, t.old_saved) AS old_v, "
	"(t.new_owner IS NOT NULL AND EXISTS (SELECT 1 FROM folder_entries g FORCE INDEX (folder_entries_owner) "
	"WHERE g.owner_user_id = t.holder_id AND g.holder_id = t.new_owner)) AS new_v, t.new_owner "
	"FROM rc_ent t HAVING old_v <> new_v";

/* an entry of holder D whose owner changed from X to Y changes the flag of
 * the entries of X and Y whose owner is D, wherever they are */
#define SQL_FLAG_FOLLOW(COL) \
	"INSERT IGNORE INTO rc_flag (id, old_v, new_v, owner) SELECT e.id, e.owner_saved_my_card AS old_v, " \
	SAVED("e") " AS new_v, e.owner_user_id FROM rc_own o STRAIGHT_JOIN folder_entries e FORCE INDEX (folder_entries_owner) " \
	"ON e.owner_user_id = o.holder_id " \
	"AND e.holder_id = o." COL " HAVING old_v <> new_v"
static const char sql_flag_follow_old[] = SQL_FLAG_FOLLOW("old_owner");
static const char sql_flag_follow_new[] = SQL_FLAG_FOLLOW("new_owner");

/* --since: every copy of the card of a holder whose folder changed */
static const char sql_flag_reverse[] =
	"INSERT IGNORE INTO rc_flag (id, old_v, new_v, owner) SELECT e.id, e.owner_saved_my_card AS old_v, "
	SAVED("e") " AS new_v, e.owner_user_id FROM folder_entries e FORCE INDEX (folder_entries_owner) "
	"WHERE " F_SET_SQL("e.owner_user_id") " HAVING old_v <> new_v";

/* the full pass: owner_saved_my_card of every entry of the chunk's owners,
 * read from the owner index alone */
static const char sql_flag_owned[] =
	"INSERT IGNORE INTO rc_flag (id, old_v, new_v, owner) SELECT e.id, e.owner_saved_my_card, g.id IS NOT NULL, "
	"e.owner_user_id "
	"FROM folder_entries e FORCE INDEX (folder_entries_owner) LEFT JOIN folder_entries g "
	"FORCE INDEX (folder_entries_owner) ON g.owner_user_id = e.holder_id AND g.holder_id = e.owner_user_id "
	"WHERE e.owner_user_id BETWEEN ? AND ? AND e.owner_saved_my_card <> (g.id IS NOT NULL)";

/* ... the same, once the savers lists are right: the owner's folder holds
 * a copy of the holder's card when the holder's savers list names the
 * owner (savers_saver: one range of the chunk's members as savers); a hit
 * is confirmed on the owner index (a 'subscribed' row needs no copy).
 * Owning a copy of one's own card is holding it. */
static const char sql_rev_fill[] =
	"INSERT IGNORE INTO rc_rev (owner, holder) SELECT owner_id, saver_id FROM savers FORCE INDEX (savers_saver) "
	"WHERE saver_id BETWEEN ? AND ?";
static const char sql_flag_rev[] =
	"INSERT IGNORE INTO rc_flag (id, old_v, new_v, owner) SELECT e.id, e.owner_saved_my_card AS old_v, "
	"(e.holder_id = e.owner_user_id OR (r.owner IS NOT NULL AND EXISTS (SELECT 1 FROM folder_entries g "
	"FORCE INDEX (folder_entries_owner) WHERE g.owner_user_id = e.holder_id AND g.holder_id = e.owner_user_id))) "
	"AS new_v, e.owner_user_id FROM folder_entries e FORCE INDEX (folder_entries_owner) LEFT JOIN rc_rev r "
	"ON r.owner = e.holder_id AND r.holder = e.owner_user_id WHERE e.owner_user_id BETWEEN ? AND ? "
	"HAVING old_v <> new_v";

static const char sql_flag_apply[] =
	"UPDATE rc_flag f STRAIGHT_JOIN folder_entries e ON e.id = f.id SET e.owner_saved_my_card = f.new_v "
	"WHERE e.owner_saved_my_card = f.old_v AND e.owner_user_id <=> f.owner";
static const char sql_flag_count[] =
	"SELECT COUNT(*), COALESCE(SUM(new_v <> 0), 0) FROM rc_flag";

/* savers of the chunk's owners: every member holding an entry whose owner
 * they are (never oneself).
 * A row found by a confirmed subscription with an address the saver later
 * verified (how 'subscribed') needs no folder entry: the savers module
 * keeps it, and so does this job */
#define SAVER_GONE(S) \
	"(" S ".owner_id = " S ".saver_id OR (" S ".how <> 'subscribed' AND NOT " \
	FOLDER_HOLDS(S ".owner_id", S ".saver_id") "))"

/* a dry run sees the owners it would have changed through rc_dov (the
 * entries whose owner it would change, with the new owner) */
#define SQL_SAV_ADD_FIND_DRY(F) \
	"INSERT IGNORE INTO rc_sav (owner_id, saver_id, op) SELECT DISTINCT f.owner_user_id, f.holder_id, 1 " \
	"FROM folder_entries f FORCE INDEX (folder_entries_owner) WHERE " F("f.owner_user_id") " " \
	"AND f.holder_id <> f.owner_user_id AND NOT EXISTS (SELECT 1 FROM rc_dov o WHERE o.id = f.id) " \
	"AND NOT EXISTS (SELECT 1 FROM savers s WHERE s.owner_id = f.owner_user_id AND s.saver_id = f.holder_id) " \
	"AND " SAVERS_NOT_REMOVED("f.owner_user_id", "f.holder_id") " " \
	"UNION SELECT o.owner, o.holder_id, 1 FROM rc_dov o WHERE " F("o.owner") " AND o.holder_id <> o.owner " \
	"AND NOT EXISTS (SELECT 1 FROM savers s WHERE s.owner_id = o.owner AND s.saver_id = o.holder_id) " \
	"AND " SAVERS_NOT_REMOVED("o.owner", "o.holder_id")
#define SAVER_GONE_DRY(S) \
	"(" S ".owner_id = " S ".saver_id OR (" S ".how <> 'subscribed' AND NOT EXISTS (SELECT 1 " \
	"FROM folder_entries f FORCE INDEX (folder_entries_owner) WHERE f.owner_user_id = " S ".owner_id " \
	"AND f.holder_id = " S ".saver_id AND NOT EXISTS (SELECT 1 FROM rc_dov o WHERE o.id = f.id)) " \
	"AND NOT EXISTS (SELECT 1 FROM rc_dov o WHERE o.owner = " S ".owner_id AND o.holder_id = " S ".saver_id)))"
#define SQL_SAV_DEL_FIND_DRY(F) \
	"INSERT IGNORE INTO rc_sav (owner_id, saver_id, op) SELECT s.owner_id, s.saver_id, 0 " \
	"FROM savers s WHERE " F("s.owner_id") " AND " SAVER_GONE_DRY("s")

/* [filter] */
static const char *const sql_sav_add_find_dry[F__MAX] = {
	SQL_SAV_ADD_FIND_DRY(F_RANGE_SQL), SQL_SAV_ADD_FIND_DRY(F_SET_SQL),
};
static const char *const sql_sav_del_find_dry[F__MAX] = {
	SQL_SAV_DEL_FIND_DRY(F_RANGE_SQL), SQL_SAV_DEL_FIND_DRY(F_SET_SQL),
};

/* the chunk's (owner, holder) pairs from the owner index (rc_rev) against
 * its savers rows (rc_have), each side read in index order */
#define SQL_PAIRS_FILL(F) \
	"INSERT IGNORE INTO rc_rev (owner, holder) SELECT owner_user_id, holder_id FROM folder_entries " \
	"FORCE INDEX (folder_entries_owner) WHERE " F("owner_user_id") " AND holder_id <> owner_user_id"
#define SQL_HAVE_FILL(F) \
	"INSERT INTO rc_have (owner, saver, sub) SELECT owner_id, saver_id, how = 'subscribed' FROM savers " \
	"WHERE " F("owner_id")
static const char *const sql_pairs_fill[F__MAX] = { SQL_PAIRS_FILL(F_RANGE_SQL), SQL_PAIRS_FILL(F_SET_SQL) };
static const char *const sql_have_fill[F__MAX] = { SQL_HAVE_FILL(F_RANGE_SQL), SQL_HAVE_FILL(F_SET_SQL) };
/* a pair the owner removed from their list (savers_removed) is never added
 * again: the owner's decision outlives the copy the saver keeps */
static const char sql_pairs_add[] =
	"INSERT IGNORE INTO rc_sav (owner_id, saver_id, op) SELECT p.owner, p.holder, 1 FROM rc_rev p "
	"LEFT JOIN rc_have h ON h.owner = p.owner AND h.saver = p.holder WHERE h.owner IS NULL "
	"AND " SAVERS_NOT_REMOVED("p.owner", "p.holder");
static const char sql_pairs_del[] =
	"INSERT IGNORE INTO rc_sav (owner_id, saver_id, op) SELECT h.owner, h.saver, 0 FROM rc_have h "
	"LEFT JOIN rc_rev p ON p.owner = h.owner AND p.holder = h.saver "
	"WHERE h.owner = h.saver OR (h.sub = 0 AND p.owner IS NULL)";

/* since: when the saver's first copy of the card was saved */
static const char sql_sav_add[] =
	"INSERT IGNORE INTO savers (owner_id, saver_id, how, since) "
	"SELECT r.owner_id, r.saver_id, 'reconcile', COALESCE((SELECT MIN(f.created_at) "
	"FROM folder_entries f FORCE INDEX (folder_entries_owner) WHERE f.owner_user_id = r.owner_id AND f.holder_id = r.saver_id), "
	"UTC_TIMESTAMP()) FROM rc_sav r WHERE r.op = 1";
static const char sql_sav_del[] =
	"DELETE s FROM rc_sav r STRAIGHT_JOIN savers s ON s.owner_id = r.owner_id AND s.saver_id = r.saver_id "
	"WHERE r.op = 0 AND " SAVER_GONE("s");
static const char sql_sav_count[] =
	"SELECT COALESCE(SUM(op = 1), 0), COALESCE(SUM(op = 0), 0) FROM rc_sav";

/* --- chunk sources -------------------------------------------------------- */

/* Where a phase's chunks come from: a table walked by primary key, or a
 * dirty set walked by id (copied chunk by chunk into rc_ids). */
struct source {
	enum filter filter;
	const char *next;	/* (after, limit) -> MAX(id), COUNT(*) of the next chunk */
	const char *fill;	/* F_SET: (after, limit) copies the next ids into rc_ids */
	const char *bounds;	/* MIN(id), MAX(id): for the progress display */
};

#define SQL_NEXT(T) "SELECT MAX(id), COUNT(*) FROM (SELECT id FROM " T " WHERE id > ? ORDER BY id LIMIT ?) t"
#define SQL_BOUNDS(T) "SELECT MIN(id), MAX(id) FROM " T
#define SQL_FILL(T) "INSERT INTO rc_ids (id) SELECT id FROM " T " WHERE id > ? ORDER BY id LIMIT ?"

static const struct source src_users = { F_RANGE, SQL_NEXT("users"), NULL, SQL_BOUNDS("users") };
static const struct source src_du = { F_SET, "SELECT MAX(id), COUNT(*) FROM rc_ids", SQL_FILL("rc_du"), SQL_BOUNDS("rc_du") };
static const struct source src_de = { F_SET, "SELECT MAX(id), COUNT(*) FROM rc_ids", SQL_FILL("rc_de"), SQL_BOUNDS("rc_de") };
static const struct source src_dh = { F_SET, "SELECT MAX(id), COUNT(*) FROM rc_ids", SQL_FILL("rc_dh"), SQL_BOUNDS("rc_dh") };
static const struct source src_do = { F_SET, "SELECT MAX(id), COUNT(*) FROM rc_ids", SQL_FILL("rc_do"), SQL_BOUNDS("rc_do") };

/* --- output ---------------------------------------------------------------- */

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "livecard-reconcile: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* progress_draw: a bar on a terminal (at most 10 times a second), else a
 * plain line every 10 seconds; final closes the phase's line. */
static void progress_draw(struct job *j, long long at_id, int final)
{
	double t = now_s(), el = t - j->ph_t0, frac = 1.0;

	if (j->o.quiet || j->label == NULL)
		return;
	if (!final && t - j->last_draw < (j->tty ? 0.1 : 10.0))
		return;
	j->last_draw = t;
	if (!final && j->hi_id > j->lo_id)
		frac = (double)(at_id - j->lo_id) / (double)(j->hi_id - j->lo_id);
	if (frac < 0)
		frac = 0;
	if (frac > 1)
		frac = 1;
	if (j->tty) {
		char bar[31];
		int fill = (int)(frac * 30.0);
		for (int i = 0; i < 30; i++)
			bar[i] = i < fill ? '#' : '-';
		bar[30] = '\0';
		fprintf(stderr, "\r%-16s [%s] %3d%%  %lld rows  %.1f s\033[K%s", j->label, bar,
			(int)(frac * 100.0), j->done_rows, el, final ? "\n" : "");
		j->drawn = !final;
	} else if (final) {
		fprintf(stderr, "livecard-reconcile: %s: %lld rows in %.1f s\n", j->label, j->done_rows, el);
	} else {
		fprintf(stderr, "livecard-reconcile: %s %d%% (%lld rows, %.1f s)\n", j->label,
			(int)(frac * 100.0), j->done_rows, el);
	}
	fflush(stderr);
}

static void progress_start(struct job *j, const char *label, const struct source *src)
{
	struct db_result res;

	j->label = label;
	if (j->o.quiet)
		return;
	j->lo_id = j->hi_id = 0;
	j->done_rows = 0;
	j->ph_t0 = now_s();
	j->last_draw = j->ph_t0;
	arena_reset(&j->a);
	if (db_query(j->db, &j->a, &res, src->bounds, "") == ERR_OK && res.nrows) {
		j->lo_id = db_cell_int(&res, 0, 0, 0);
		j->hi_id = db_cell_int(&res, 0, 1, 0);
	}
}

/* --- the lock ---------------------------------------------------------------- */

/* lock_take: the batch_locks row of the job, waiting up to wait_seconds.
 * Returns 0, EXIT_LOCKED (message printed) or EXIT_FAILED. */
static int lock_take(struct job *j)
{
	double until = now_s() + (double)j->o.wait_seconds;
	int told = 0, conflicts = 0;

	for (;;) {
		struct db_result res;
		enum err e;

		arena_reset(&j->a);
		unsigned before = db_retryable(j->db);
		e = db_exec(j->db, "INSERT INTO batch_locks (name, holder, acquired_at, heartbeat_at) "
			    "VALUES (?, ?, UTC_TIMESTAMP(), UTC_TIMESTAMP())", "ss", JOB_NAME, j->holder);
		if (e == ERR_OK)
			return 0;
		if (e == ERR_UNAVAILABLE && db_retryable(j->db) != before && conflicts++ < 5) {
			/* on a Galera cluster, a run starting at the same moment on
			 * another node took the lock (1213): look again */
			usleep(100000);
			continue;
		}
		if (e != ERR_CONFLICT) {
			say("cannot take the lock (database error)");
			return EXIT_FAILED;
		}
		e = db_query(j->db, &j->a, &res,
			     "SELECT holder, TIMESTAMPDIFF(SECOND, heartbeat_at, UTC_TIMESTAMP()) "
			     "FROM batch_locks WHERE name = ?", "s", JOB_NAME);
		if (e != ERR_OK) {
			say("cannot read the lock (database error)");
			return EXIT_FAILED;
		}
		if (res.nrows == 0)
			continue;	/* released in between */
		const char *other = db_cell(&res, 0, 0);
		long long age = db_cell_int(&res, 0, 1, 0);
		int dead = batchrun_holder_dead(other, j->host);
		if (dead || age > j->o.stale_minutes * 60) {
			e = db_exec(j->db, "UPDATE batch_locks SET holder = ?, acquired_at = UTC_TIMESTAMP(), "
				    "heartbeat_at = UTC_TIMESTAMP() WHERE name = ? AND holder = ?", "sss",
				    j->holder, JOB_NAME, other);
			if (e == ERR_OK && db_affected(j->db) == 1) {
				say("took over the lock of %s (%s, last heartbeat %lld s ago)", other,
				    dead ? "its process is gone" : "stale", age);
				return 0;
			}
			continue;
		}
		if (now_s() >= until) {
			say("another run holds the lock (%s, last heartbeat %lld s ago); exiting without "
			    "changes (a lock whose heartbeat stops for %ld minutes is taken over)",
			    other, age, j->o.stale_minutes);
			return EXIT_LOCKED;
		}
		if (!told && !j->o.quiet)
			say("another run holds the lock (%s); waiting up to %ld s", other, j->o.wait_seconds);
		told = 1;
		sleep(1);
	}
}

static void lock_release(struct job *j)
{
	db_rollback(j->db);
	if (db_exec(j->db, "DELETE FROM batch_locks WHERE name = ? AND holder = ?", "ss", JOB_NAME,
		    j->holder) != ERR_OK)
		say("could not release the lock; the next run takes it over when it is stale");
}

/* --- chunks -------------------------------------------------------------------- */

/* conn_fresh: after a lost connection (db.c reconnects by itself) the
 * session's temporary tables and settings are gone: set them up again.
 * *lost tells whether that happened. */
static enum err conn_fresh(struct job *j, int *lost)
{
	struct db_result res;
	enum err e = db_query(j->db, &j->a, &res, "SELECT CONNECTION_ID()", "");

	*lost = 0;
	if (e != ERR_OK)
		return e;
	long long id = db_cell_int(&res, 0, 0, 0);
	if (id == j->conn_id)
		return ERR_OK;
	*lost = j->conn_id != 0;
	j->conn_id = id;
	/* read committed: the job's reads take no locks and see the newest
	 * committed rows; its short chunk transactions lock only what they write */
	e = db_exec(j->db, "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", "");
	/* a chunk's matches are grouped once per chunk, not once per entry */
	if (e == ERR_OK)
		e = db_exec(j->db, "SET SESSION optimizer_switch = 'split_materialized=off'", "");
	for (size_t i = 0; e == ERR_OK && i < sizeof(sql_scratch) / sizeof(sql_scratch[0]); i++)
		e = db_exec(j->db, sql_scratch[i], "");
	if (e != ERR_OK || !j->o.dry_run)
		return e;
	/* a dry run's key changes live in its copy of contact_keys: a new
	 * connection would start from the real one and count wrong */
	if (*lost) {
		say("the connection was lost during the dry run; run it again");
		return ERR_INTERNAL;
	}
	e = db_exec(j->db, "CREATE TEMPORARY TABLE IF NOT EXISTS rc_ck (ckey VARCHAR(260) CHARACTER SET ascii "
		    "COLLATE ascii_bin NOT NULL PRIMARY KEY, user_id BIGINT UNSIGNED NOT NULL, KEY (user_id))", "");
	if (e == ERR_OK)
		e = db_exec(j->db, "INSERT IGNORE INTO rc_ck (ckey, user_id) SELECT ckey, user_id FROM contact_keys", "");
	if (e == ERR_OK)
		e = db_exec(j->db, "CREATE TEMPORARY TABLE IF NOT EXISTS rc_dov (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, "
			    "holder_id BIGINT UNSIGNED NOT NULL, owner BIGINT UNSIGNED NULL, KEY (owner, holder_id))", "");
	return e;
}

static enum err count2(struct job *j, const char *sql, long long *a, long long *b, long long *c)
{
	struct db_result res;
	enum err e = db_query(j->db, &j->a, &res, sql, "");
	if (e != ERR_OK)
		return e;
	*a = db_cell_int(&res, 0, 0, 0);
	*b = db_cell_int(&res, 0, 1, 0);
	if (c)
		*c = db_cell_int(&res, 0, 2, 0);
	return ERR_OK;
}

/* own_apply: count and write (or, in a dry run, remember) what rc_own holds. */
static enum err own_apply(struct job *j)
{
	struct db_result res;
	enum err e = db_query(j->db, &j->a, &res, sql_own_count, "");
	long long all, set, cleared, saved;

	if (e != ERR_OK)
		return e;
	all = db_cell_int(&res, 0, 0, 0);
	set = db_cell_int(&res, 0, 1, 0);
	cleared = db_cell_int(&res, 0, 2, 0);
	saved = db_cell_int(&res, 0, 3, 0);
	if (all == 0)
		return ERR_OK;
	j->d[C_SET] += set;
	j->d[C_CLEARED] += cleared + saved;
	j->d[C_OWNERS] += all - set - cleared;
	if (!j->o.dry_run)
		return db_exec(j->db, sql_own_apply, "");
	return db_exec(j->db, "INSERT INTO rc_dov (id, holder_id, owner) SELECT id, holder_id, new_owner "
		       "FROM rc_own ON DUPLICATE KEY UPDATE owner = VALUES(owner)", "");
}

/* match_check: ERR_UNAVAILABLE (and *lost) when rc_match is not the table
 * the match phase built (a new connection starts with an empty one). */
static enum err match_check(struct job *j, int *lost)
{
	struct db_result res;
	enum err e = db_query(j->db, &j->a, &res, "SELECT COUNT(*) FROM rc_match", "");

	if (e != ERR_OK)
		return e;
	if (j->match_rows < 0 || db_cell_int(&res, 0, 0, -1) != j->match_rows) {
		*lost = 1;
		return ERR_UNAVAILABLE;
	}
	return ERR_OK;
}

/* chunk_match: rc_match for the members lo..hi (their keys and cards). */
static enum err chunk_match(struct job *j, enum filter f, long long lo, long long hi)
{
	struct db_result res;
	enum err e = db_exec(j->db, sql_match_keys[j->o.dry_run], "ii", lo, hi);

	(void)f;
	if (e == ERR_OK)
		e = db_exec(j->db, sql_match_linked, "ii", lo, hi);
	if (e == ERR_OK)
		e = db_query(j->db, &j->a, &res, "SELECT COUNT(*) FROM rc_match", "");
	if (e == ERR_OK) {
		long long n = db_cell_int(&res, 0, 0, 0);
		j->d[C_SCANNED] += n - j->match_rows;
		j->match_rows = n;
	}
	return e;
}

/* chunk_owners: owner and owner_is_member of every entry that belongs, or
 * should belong, to the members lo..hi (the full pass; rc_match is built). */
static enum err chunk_owners(struct job *j, enum filter f, long long lo, long long hi)
{
	enum err e = db_exec(j->db, "DELETE FROM rc_own", "");

	(void)f;
	if (e == ERR_OK)
		e = db_exec(j->db, "DELETE FROM rc_seen", "");
	if (e == ERR_OK)
		e = db_exec(j->db, sql_own_seen, "ii", lo, hi);
	if (e == ERR_OK)
		e = db_exec(j->db, sql_own_stale, "ss", j->match_at, j->match_at);
	if (e == ERR_OK)
		e = db_exec(j->db, sql_own_should, "iiss", lo, hi, j->match_at, j->match_at);
	if (e == ERR_OK)
		e = own_apply(j);
	return e;
}

/* chunk_keys: contact_keys of the users lo..hi (or of rc_ids). */
static enum err chunk_keys(struct job *j, enum filter f, long long lo, long long hi)
{
	enum err e = db_exec(j->db, "DELETE FROM rc_keys", "");
	unsigned long long found = 0;
	long long all = 0, removed = 0;

	if (e == ERR_OK && (e = db_exec(j->db, sql_keys_email[f], "ii", lo, hi)) == ERR_OK)
		found += db_affected(j->db);
	if (e == ERR_OK && (e = db_exec(j->db, sql_keys_phone[f], "ii", lo, hi)) == ERR_OK)
		found += db_affected(j->db);
	if (e == ERR_OK && (e = db_exec(j->db, sql_keys_stale[f], "ii", lo, hi)) == ERR_OK)
		found += db_affected(j->db);
	if (e != ERR_OK || found == 0)
		return e;
	e = count2(j, "SELECT COUNT(*), COALESCE(SUM(new_user IS NULL), 0) FROM rc_keys", &all, &removed, NULL);
	if (e != ERR_OK)
		return e;
	j->d[C_KEYS_ADDED] += all - removed;
	j->d[C_KEYS_REMOVED] += removed;
	/* a --since pass re-matches the saved cards carrying these keys */
	if (j->since_mode)
		e = db_exec(j->db, "INSERT IGNORE INTO rc_dk (ckey) SELECT ckey FROM rc_keys", "");
	if (e == ERR_OK)
		e = db_exec(j->db, j->o.dry_run ? sql_keys_del_dry : sql_keys_del, "");
	if (e == ERR_OK)
		e = db_exec(j->db, j->o.dry_run ? sql_keys_put_dry : sql_keys_put, "");
	return e;
}

/* flags_apply: count and write what rc_flag holds. */
static enum err flags_apply(struct job *j)
{
	long long all = 0, set = 0;
	enum err e = count2(j, sql_flag_count, &all, &set, NULL);

	if (e != ERR_OK || all == 0)
		return e;
	j->d[C_SET] += set;
	j->d[C_CLEARED] += all - set;
	return j->o.dry_run ? ERR_OK : db_exec(j->db, sql_flag_apply, "");
}

/* chunk_entries (--since): owner, owner_is_member and owner_saved_my_card
 * of the entries rc_ids, and the flags their new owners change; the
 * owners they had and have are the owners whose savers lists are checked. */
static enum err chunk_entries(struct job *j, enum filter f, long long lo, long long hi)
{
	unsigned long long changed = 0;
	static const char *const clear[] = { "DELETE FROM rc_ent", "DELETE FROM rc_own", "DELETE FROM rc_flag" };
	enum err e = ERR_OK;

	(void)f;
	for (size_t i = 0; e == ERR_OK && i < sizeof(clear) / sizeof(clear[0]); i++)
		e = db_exec(j->db, clear[i], "");
	if (e == ERR_OK)
		e = db_exec(j->db, sql_ent_find[j->o.dry_run], "ii", lo, hi);
	if (e == ERR_OK && (e = db_exec(j->db, sql_ent_changed, "")) == ERR_OK)
		changed = db_affected(j->db);
	if (e == ERR_OK && changed)
		e = own_apply(j);
	if (e == ERR_OK)
		e = db_exec(j->db, "INSERT IGNORE INTO rc_do (id) SELECT new_owner FROM rc_ent "
			    "WHERE new_owner IS NOT NULL", "");
	if (e == ERR_OK && changed)
		e = db_exec(j->db, "INSERT IGNORE INTO rc_do (id) SELECT old_owner FROM rc_own "
			    "WHERE old_owner IS NOT NULL", "");
	if (e == ERR_OK)
		e = db_exec(j->db, sql_ent_flag, "");
	if (e == ERR_OK && changed)
		e = db_exec(j->db, sql_flag_follow_old, "");
	if (e == ERR_OK && changed)
		e = db_exec(j->db, sql_flag_follow_new, "");
	if (e == ERR_OK)
		e = flags_apply(j);
	return e;
}

/* chunk_reverse: the flags of every copy of the cards of holders rc_ids. */
static enum err chunk_reverse(struct job *j, enum filter f, long long lo, long long hi)
{
	enum err e = db_exec(j->db, "DELETE FROM rc_flag", "");
	(void)f;
	if (e == ERR_OK)
		e = db_exec(j->db, sql_flag_reverse, "ii", lo, hi);
	if (e == ERR_OK)
		e = flags_apply(j);
	return e;
}

/* chunk_savers: the savers lists of the owners lo..hi (or of rc_ids). */
static enum err chunk_savers(struct job *j, enum filter f, long long lo, long long hi)
{
	unsigned long long found = 0;
	long long add = 0, del = 0;
	enum err e = ERR_OK;

	e = db_exec(j->db, "DELETE FROM rc_sav", "");

	if (e == ERR_OK && !j->o.dry_run) {
		/* both sides of the chunk read once, in index order, and
		 * compared in memory */
		const char *const sql[] = {
			"DELETE FROM rc_rev", "DELETE FROM rc_have", sql_pairs_fill[f], sql_have_fill[f],
		};
		for (size_t i = 0; e == ERR_OK && i < sizeof(sql) / sizeof(sql[0]); i++)
			e = db_exec(j->db, sql[i], i < 2 ? "" : "ii", lo, hi);
		if (e == ERR_OK && (e = db_exec(j->db, sql_pairs_add, "")) == ERR_OK)
			found += db_affected(j->db);
		if (e == ERR_OK && (e = db_exec(j->db, sql_pairs_del, "")) == ERR_OK)
			found += db_affected(j->db);
	} else if (e == ERR_OK) {
		/* a dry run sees the owners it would have changed (rc_dov) */
		if ((e = db_exec(j->db, sql_sav_add_find_dry[f], "iiii", lo, hi, lo, hi)) == ERR_OK)
			found += db_affected(j->db);
		if (e == ERR_OK && (e = db_exec(j->db, sql_sav_del_find_dry[f], "ii", lo, hi)) == ERR_OK)
			found += db_affected(j->db);
	}
	if (e != ERR_OK || found == 0)
		return e;
	if (j->o.dry_run) {
		e = count2(j, sql_sav_count, &add, &del, NULL);
		j->d[C_SAVERS_ADDED] += add;
		j->d[C_SAVERS_REMOVED] += del;
		return e;
	}
	e = count2(j, sql_sav_count, &add, &del, NULL);
	if (e == ERR_OK && add && (e = db_exec(j->db, sql_sav_add, "")) == ERR_OK)
		j->d[C_SAVERS_ADDED] += (long long)db_affected(j->db);
	if (e == ERR_OK && del && (e = db_exec(j->db, sql_sav_del, "")) == ERR_OK)
		j->d[C_SAVERS_REMOVED] += (long long)db_affected(j->db);
	return e;
}

/* chunk_flags: owner_saved_my_card of every entry of the owners lo..hi
 * (the full pass, after the savers phase; a dry run, which fixed no
 * savers list, probes the owner index for every entry). */
static enum err chunk_flags(struct job *j, enum filter f, long long lo, long long hi)
{
	enum err e = db_exec(j->db, "DELETE FROM rc_flag", "");

	(void)f;
	if (e == ERR_OK && j->o.dry_run) {
		e = db_exec(j->db, sql_flag_owned, "ii", lo, hi);
	} else if (e == ERR_OK) {
		e = db_exec(j->db, "DELETE FROM rc_rev", "");
		if (e == ERR_OK)
			e = db_exec(j->db, sql_rev_fill, "ii", lo, hi);
		if (e == ERR_OK)
			e = db_exec(j->db, sql_flag_rev, "ii", lo, hi);
	}
	if (e == ERR_OK)
		e = flags_apply(j);
	return e;
}

typedef enum err (*chunk_fn)(struct job *j, enum filter f, long long lo, long long hi);

/* checkpoint: in the chunk's transaction: the progress row, the heartbeat
 * (ERR_CONFLICT when another run took the lock over) and the run's counts. */
static enum err checkpoint(struct job *j, enum phase ph, long long last_id)
{
	long long t[C__MAX];
	enum err e;

	if (j->o.dry_run || j->helper)
		return ERR_OK;
	e = db_exec(j->db, "UPDATE batch_locks SET heartbeat_at = UTC_TIMESTAMP() WHERE name = ? AND holder = ?",
		    "ss", JOB_NAME, j->holder);
	if (e == ERR_OK && db_affected(j->db) != 1) {
		say("lost the lock to another run; stopping");
		return ERR_CONFLICT;
	}
	if (e == ERR_OK && !j->rebuilding)
		e = db_exec(j->db, "UPDATE reconcile_state SET phase = ?, last_id = ?, "
			    "updated_at = UTC_TIMESTAMP() WHERE id = 1", "si", phase_names[ph], last_id);
	for (int i = 0; i < C__MAX; i++)
		t[i] = j->n[i] + j->d[i];
	if (e == ERR_OK)
		e = db_exec(j->db, "UPDATE batch_runs SET rows_scanned = ?, keys_added = ?, keys_removed = ?, "
			    "owners_changed = ?, flags_set = ?, flags_cleared = ?, savers_added = ?, "
			    "savers_removed = ? WHERE id = ?", "iiiiiiiii", t[C_SCANNED], t[C_KEYS_ADDED],
			    t[C_KEYS_REMOVED], t[C_OWNERS], t[C_SET], t[C_CLEARED], t[C_SAVERS_ADDED],
			    t[C_SAVERS_REMOVED], j->run_id);
	return e;
}

/* walk: run fn over src in chunks after start_id, one transaction per
 * chunk (with its checkpoint), retrying a chunk that hit a deadlock, a lock
 * wait or a lost connection. *lost_set is set when a lost connection took
 * the dirty sets of a --since pass with it. */
static enum err walk(struct job *j, enum phase ph, const char *label, const struct source *src,
		     chunk_fn fn, long long start_id, int *lost_set)
{
	long long last = start_id;
	enum err e = ERR_OK;

	j->walk_last = last;
	progress_start(j, label, src);
	for (;;) {
		long long hi = 0, count = 0;
		int tries = 0, lost = 0;

		if (stopping) {
			say("stopped by a signal in %s after id %lld; the next run resumes", label, last);
			return ERR_UNAVAILABLE;
		}
		for (;;) {
			struct db_result res;

			arena_reset(&j->a);
			memset(j->d, 0, sizeof(j->d));
			e = conn_fresh(j, &lost);
			if (e == ERR_OK && lost && (src->filter == F_SET || ph == PH_MATCH)) {
				*lost_set = 1;
				return ERR_UNAVAILABLE;
			}
			/* the owners of a full pass are checked against rc_match: never
			 * against an empty one after a lost connection */
			if (e == ERR_OK && ph == PH_ENTRIES && src->filter == F_RANGE &&
			    match_check(j, lost_set) != ERR_OK)
				return ERR_UNAVAILABLE;
			if (e == ERR_OK)
				e = db_begin(j->db);
			if (e == ERR_OK && src->fill) {
				e = db_exec(j->db, "DELETE FROM rc_ids", "");
				if (e == ERR_OK)
					e = db_exec(j->db, src->fill, "ii", last, j->o.chunk);
			}
			if (e == ERR_OK && src->fill)
				e = db_query(j->db, &j->a, &res, src->next, "");
			else if (e == ERR_OK)
				e = db_query(j->db, &j->a, &res, src->next, "ii", last, j->o.chunk);
			if (e == ERR_OK) {
				hi = db_cell_int(&res, 0, 0, 0);
				count = db_cell_int(&res, 0, 1, 0);
			}
			if (e == ERR_OK && count > 0)
				e = fn(j, src->filter, last + 1, hi);
			if (e == ERR_OK && count > 0)
				e = checkpoint(j, ph, hi);
			if (e == ERR_OK)
				e = db_commit(j->db);
			if (e == ERR_OK)
				break;
			db_rollback(j->db);
			if (e != ERR_UNAVAILABLE || ++tries > CHUNK_RETRIES) {
				say("%s failed after id %lld (database error; see the log above); the next run "
				    "resumes there", label, last);
				return e;
			}
			log_warn("%s: chunk after id %lld failed, retrying (%d)", label, last, tries);
			sleep((unsigned)tries);
		}
		if (count == 0)
			break;
		if (j->count_ids)
			j->d[C_SCANNED] += count;
		for (int i = 0; i < C__MAX; i++)
			j->n[i] += j->d[i];
		memset(j->d, 0, sizeof(j->d));
		j->done_rows += count;
		last = hi;
		j->walk_last = last;
		progress_draw(j, last, 0);
		if (j->o.sleep_ms > 0)
			usleep((useconds_t)(j->o.sleep_ms * 1000));
	}
	progress_draw(j, last, 1);
	return ERR_OK;
}

/* --- passes ---------------------------------------------------------------------- */

static enum err state_set(struct job *j, enum phase ph, long long last_id)
{
	if (j->o.dry_run)
		return ERR_OK;
	return db_exec(j->db, "UPDATE reconcile_state SET phase = ?, last_id = ?, updated_at = UTC_TIMESTAMP() "
		       "WHERE id = 1", "si", phase_names[ph], last_id);
}

/* since_sets: the dirty sets of a --since pass: users changed since T,
 * then (after their keys) entries, holders and owners to look at again. */
static enum err since_users(struct job *j)
{
	static const char *const sql[] = {
		"DELETE FROM rc_du", "DELETE FROM rc_dk", "DELETE FROM rc_de", "DELETE FROM rc_dh",
		"DELETE FROM rc_do",
	};
	int lost;
	enum err e = conn_fresh(j, &lost);

	for (size_t i = 0; e == ERR_OK && i < sizeof(sql) / sizeof(sql[0]); i++)
		e = db_exec(j->db, sql[i], "");
	if (e == ERR_OK)
		e = db_exec(j->db, "INSERT IGNORE INTO rc_du (id) SELECT id FROM users WHERE updated_at >= ?",
			    "s", j->since_at);
	if (e == ERR_OK)
		e = db_exec(j->db, "INSERT IGNORE INTO rc_du (id) SELECT user_id FROM user_phones "
			    "WHERE updated_at >= ?", "s", j->since_at);
	return e;
}

/* the entries of a share: all of them (1, 0), or half of them (2, 0 and
 * 2, 1: the two processes of a large pass), split by a hash of the id
 * (changed ids can follow any pattern: all odd, say) */
#define SHARE(COL) " AND CRC32(" COL ") % ? = ?"

/* since_entries: the entries to look at again (rc_de) that any connection
 * can find, this process's share (parts, part) of them. */
static enum err since_entries(struct job *j, int parts, int part)
{
	enum err e;

	/* saved, edited or re-synced entries */
	e = db_exec(j->db, "INSERT IGNORE INTO rc_de (id) SELECT id FROM folder_entries WHERE updated_at >= ?"
		    SHARE("id"), "sii", j->since_at, parts, part);
	if (e == ERR_OK)
		e = db_exec(j->db, "INSERT IGNORE INTO rc_de (id) SELECT c.entry_id FROM folder_changes c "
			    "JOIN folder_entries e ON e.id = c.entry_id WHERE c.created_at >= ? AND c.deleted = 0"
			    SHARE("c.entry_id"), "sii", j->since_at, parts, part);
	/* entries carrying a key verified or moved since (by anyone) */
	if (e == ERR_OK)
		e = db_exec(j->db, "INSERT IGNORE INTO rc_de (id) SELECT ck.entry_id FROM contact_keys k "
			    "JOIN card_keys ck ON ck.ckey = k.ckey WHERE k.verified_at >= ?" SHARE("ck.entry_id"),
			    "sii", j->keys_at, parts, part);
	return e;
}

/* since_local: the first process's part, whole: what only its connection
 * knows (the entries carrying the keys it changed, the copies of the cards
 * of the users it looked at: rc_de) and the holders whose entries are gone
 * (rc_dh, whose copies and savers rows it walks). */
static enum err since_local(struct job *j)
{
	enum err e = db_exec(j->db, "INSERT IGNORE INTO rc_de (id) SELECT ck.entry_id FROM rc_dk d "
			     "JOIN card_keys ck ON ck.ckey = d.ckey", "");
	/* copies of the cards of users who changed (a key they lost) */
	if (e == ERR_OK)
		e = db_exec(j->db, "INSERT IGNORE INTO rc_de (id) SELECT e.id FROM rc_du u "
			    "JOIN folder_entries e ON e.owner_user_id = u.id", "");
	/* holders who deleted entries: the entry, and with it its owner, is
	 * gone, so every copy of the holder's card and every savers row naming
	 * the holder is looked at again. (An entry the web path edited is
	 * matched again above; the owner it had before is the web path's to
	 * fix, and the nightly full pass's.) */
	if (e == ERR_OK)
		e = db_exec(j->db, "INSERT IGNORE INTO rc_dh (id) SELECT DISTINCT holder_id FROM folder_changes "
			    "WHERE created_at >= ? AND deleted = 1", "s", j->since_at);
	return e;
}

/* since_owners: the owners whose savers lists are checked: those of the
 * entries (added by chunk_entries) and those the holders in rc_dh saved */
static enum err since_owners(struct job *j)
{
	return db_exec(j->db, "INSERT IGNORE INTO rc_do (id) SELECT s.owner_id FROM rc_dh h "
		       "JOIN savers s ON s.saver_id = h.id", "");
}

/* --- a --since pass on two connections ------------------------------------------
 * The server runs each connection's statements on its own thread: when
 * many entries were saved or edited since, a second process (a fork, with
 * a connection of its own) finds and checks half of the changed entries
 * (share 1 of 2), then the savers lists of their owners, while this one
 * does the other half and the rest. It writes no checkpoint (a --since pass
 * starts again from its beginning when interrupted), dies with its parent,
 * and reports its counts through a pipe. */
struct helper {
	pid_t pid;
	int fd;			/* read end of the counts pipe */
};

/* helper_run: in the forked process: its half of the changed entries
 * and their owners' savers lists, on a new connection; exits 0 or 1 after
 * writing its counts. */
static void helper_run(struct job *j, enum phase ph, int fd)
{
	enum err e;
	int lost = 0;

	/* the parent's connection is the parent's: never touched here */
	j->db = NULL;
	j->conn_id = 0;
	j->helper = 1;		/* no checkpoints */
	j->o.quiet = 1;		/* no progress */
	memset(j->n, 0, sizeof(j->n));
	memset(j->d, 0, sizeof(j->d));
	e = db_open(&j->db);
	if (e == ERR_OK)
		e = conn_fresh(j, &lost);
	if (e == ERR_OK)
		e = since_entries(j, 2, 1);
	if (e == ERR_OK)
		e = walk(j, ph, "entries", &src_de, chunk_entries, 0, &lost);
	if (e == ERR_OK)
		e = walk(j, ph, "savers", &src_do, chunk_savers, 0, &lost);
	if (write(fd, j->n, sizeof(j->n)) != (ssize_t)sizeof(j->n))
		e = ERR_INTERNAL;
	_exit(e == ERR_OK ? 0 : 1);
}

/* helper_start: with jobs 2 and at least parallel_min entries saved or
 * edited since, start the second process (h->pid > 0) and set *parts to 2;
 * otherwise this one does it all (h->pid = 0, *parts 1). */
static enum err helper_start(struct job *j, enum phase ph, struct helper *h, int *parts)
{
	struct db_result res;
	long long n;
	int fds[2];
	pid_t parent = getpid(), pid;
	enum err e;

	h->pid = 0;
	h->fd = -1;
	*parts = 1;
	if (j->o.jobs < 2 || j->o.dry_run)
		return ERR_OK;
	arena_reset(&j->a);
	e = db_query(j->db, &j->a, &res, "SELECT COUNT(*) FROM folder_entries WHERE updated_at >= ?",
		     "s", j->since_at);
	if (e != ERR_OK)
		return e;
	n = db_cell_int(&res, 0, 0, 0);
	if (n < j->o.parallel_min || n < 2)
		return ERR_OK;
	if (pipe(fds) != 0)
		return ERR_OK;	/* one process does it all */
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return ERR_OK;
	}
	if (pid == 0) {
		close(fds[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		helper_run(j, ph, fds[1]);
	}
	close(fds[1]);
	h->pid = pid;
	h->fd = fds[0];
	*parts = 2;
	if (!j->o.quiet)
		say("%lld entries changed since: half of them go to a second process", n);
	return ERR_OK;
}

/* helper_finish: wait for the second process (stopped first when this one
 * failed) and add its counts; ERR_UNAVAILABLE and *lost when it did not
 * finish (the pass starts again). */
static enum err helper_finish(struct job *j, struct helper *h, enum err e, int *lost)
{
	long long n[C__MAX];
	int status = 0;
	ssize_t got;

	if (h->pid <= 0)
		return e;
	if (e != ERR_OK)
		kill(h->pid, SIGTERM);
	got = read(h->fd, n, sizeof(n));
	while (waitpid(h->pid, &status, 0) < 0 && errno == EINTR)
		;
	close(h->fd);
	h->pid = 0;
	if (got == (ssize_t)sizeof(n))
		for (int i = 0; i < C__MAX; i++)
			j->n[i] += n[i];
	if (e == ERR_OK && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		say("the second process of the --since pass failed (see the log above)");
		*lost = !stopping;
		return ERR_UNAVAILABLE;
	}
	return e;
}

/* pass_since: everything that changed since j->since_at (keys: j->keys_at),
 * restarted from its beginning when the connection (and with it the dirty
 * sets) was lost. */
static enum err pass_since(struct job *j, enum phase ph)
{
	for (int attempt = 0; attempt < 3; attempt++) {
		int lost = 0;
		enum err e = state_set(j, ph, 0);

		j->since_mode = 1;
		j->count_ids = 1;
		if (e == ERR_OK)
			e = since_users(j);
		if (e == ERR_OK)
			e = walk(j, ph, ph == PH_RECHECK ? "recheck keys" : "keys", &src_du, chunk_keys, 0, &lost);
		struct helper h = { 0, -1 };
		int parts = 1;
		if (e == ERR_OK)
			e = helper_start(j, ph, &h, &parts);
		if (e == ERR_OK)
			e = since_entries(j, parts, 0);
		if (e == ERR_OK)
			e = since_local(j);
		if (e == ERR_OK)
			e = walk(j, ph, ph == PH_RECHECK ? "recheck entries" : "entries", &src_de, chunk_entries, 0, &lost);
		if (e == ERR_OK)
			e = walk(j, ph, ph == PH_RECHECK ? "recheck copies" : "copies", &src_dh, chunk_reverse, 0, &lost);
		if (e == ERR_OK)
			e = since_owners(j);
		if (e == ERR_OK)
			e = walk(j, ph, ph == PH_RECHECK ? "recheck savers" : "savers", &src_do, chunk_savers, 0, &lost);
		e = helper_finish(j, &h, e, &lost);
		j->since_mode = 0;
		if (e == ERR_OK || !lost)
			return e;
		say("the connection was lost during the --since pass; starting it again");
	}
	return ERR_UNAVAILABLE;
}

/* build_match: rc_match from the beginning (rebuilding: for a resumed
 * pass, whose checkpoint stays where it is). */
static enum err build_match(struct job *j, int rebuilding, int *lost)
{
	int fresh_lost = 0;
	struct db_result res;
	enum err e = conn_fresh(j, &fresh_lost);

	if (e == ERR_OK)
		e = db_exec(j->db, "DELETE FROM rc_match", "");
	if (e == ERR_OK)
		e = db_query(j->db, &j->a, &res, "SELECT DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-%d %H:%i:%s')", "");
	if (e == ERR_OK && res.nrows && db_cell(&res, 0, 0))
		snprintf(j->match_at, sizeof(j->match_at), "%s", db_cell(&res, 0, 0));
	j->match_rows = 0;
	j->rebuilding = rebuilding;
	if (e == ERR_OK)
		e = walk(j, PH_MATCH, rebuilding ? "match (again)" : "match", &src_users, chunk_match, 0, lost);
	j->rebuilding = 0;
	if (e != ERR_OK)
		j->match_rows = -1;
	return e;
}

/* own_orphans: entries without an owner whose flags are set, in one short
 * transaction (before the entries walk; idempotent). */
static enum err own_orphans(struct job *j)
{
	int lost = 0;
	enum err e;

	arena_reset(&j->a);
	memset(j->d, 0, sizeof(j->d));
	e = conn_fresh(j, &lost);
	if (e == ERR_OK && lost)
		return ERR_UNAVAILABLE;
	if (e == ERR_OK)
		e = db_begin(j->db);
	if (e == ERR_OK)
		e = db_exec(j->db, "DELETE FROM rc_own", "");
	if (e == ERR_OK)
		e = db_exec(j->db, sql_own_orphans, "");
	if (e == ERR_OK)
		e = own_apply(j);
	if (e == ERR_OK)
		e = db_commit(j->db);
	if (e != ERR_OK) {
		db_rollback(j->db);
		return e;
	}
	for (int i = 0; i < C__MAX; i++)
		j->n[i] += j->d[i];
	memset(j->d, 0, sizeof(j->d));
	return ERR_OK;
}

/* pass_full: keys, entries, savers, then a recheck of what changed while
 * they ran; from (ph, last_id) when resuming. */
static enum err pass_full(struct job *j, enum phase ph, long long last_id)
{
	int lost = 0;
	enum err e = ERR_OK;

	j->count_ids = 1;
	if (ph == PH_KEYS) {
		e = walk(j, PH_KEYS, "keys", &src_users, chunk_keys, last_id, &lost);
		if (e == ERR_OK && !j->o.dry_run)
			e = db_exec(j->db, "UPDATE reconcile_state SET keys_done_at = UTC_TIMESTAMP() WHERE id = 1", "");
		if (e == ERR_OK)
			e = state_set(j, PH_MATCH, 0);
		ph = PH_MATCH;
		last_id = 0;
	}
	/* the match lives in the session: a pass resumed in the entries phase,
	 * or one whose connection was lost, builds it again first */
	j->count_ids = 0;
	for (int attempt = 0; e == ERR_OK && (ph == PH_MATCH || ph == PH_ENTRIES); attempt++) {
		lost = 0;
		if (attempt == 3) {
			say("the connection was lost three times while matching; the next run resumes");
			e = ERR_UNAVAILABLE;
			break;
		}
		e = build_match(j, ph == PH_ENTRIES, &lost);
		if (e == ERR_OK && ph == PH_MATCH) {
			e = state_set(j, PH_ENTRIES, 0);
			ph = PH_ENTRIES;
			last_id = 0;
		}
		if (e == ERR_OK && last_id == 0)
			e = own_orphans(j);
		if (e == ERR_OK)
			e = walk(j, PH_ENTRIES, "entries", &src_users, chunk_owners, last_id, &lost);
		if (e == ERR_OK) {
			e = state_set(j, PH_SAVERS, 0);
			ph = PH_SAVERS;
			last_id = 0;
			break;
		}
		if (!lost)
			break;
		say("the connection was lost while matching; matching again");
		if (ph == PH_ENTRIES)
			last_id = j->walk_last;
		e = ERR_OK;
	}
	if (e == ERR_OK && ph == PH_SAVERS) {
		e = walk(j, PH_SAVERS, "savers", &src_users, chunk_savers, last_id, &lost);
		if (e == ERR_OK)
			e = state_set(j, PH_FLAGS, 0);
		ph = PH_FLAGS;
		last_id = 0;
	}
	if (e == ERR_OK && ph == PH_FLAGS) {
		e = walk(j, PH_FLAGS, "flags", &src_users, chunk_flags, last_id, &lost);
		ph = PH_RECHECK;
	}
	/* the web path keeps flags current as things happen; this catches what
	 * changed behind chunks already done (a dry run changed nothing) */
	if (e == ERR_OK && ph == PH_RECHECK && !j->o.dry_run) {
		struct db_result res;
		arena_reset(&j->a);
		/* keys: those recorded after the key phase (the web path's; the
		 * job's own were matched by the entries phase) */
		e = db_query(j->db, &j->a, &res,
			     "SELECT DATE_FORMAT(started_at - INTERVAL ? SECOND, '%Y-%m-%d %H:%i:%s'), "
			     "DATE_FORMAT(COALESCE(keys_done_at, started_at), '%Y-%m-%d %H:%i:%s') "
			     "FROM reconcile_state WHERE id = 1", "i", (long long)SINCE_MARGIN);
		if (e == ERR_OK && res.nrows && db_cell(&res, 0, 0) && db_cell(&res, 0, 1)) {
			snprintf(j->since_at, sizeof(j->since_at), "%s", db_cell(&res, 0, 0));
			snprintf(j->keys_at, sizeof(j->keys_at), "%s", db_cell(&res, 0, 1));
			e = pass_since(j, PH_RECHECK);
		}
	}
	return e;
}

/* --- linking the cards of members automatically (issue 18) ----------------------- */

/* autolink_pass: after the pass has made the member flags true, the members
 * who chose "link cards of members automatically" have every copy still
 * offered for linking in their folder linked (autolink_entries: the web
 * paths link at most AUTOLINK_MAX per request, and a copy becomes an offer
 * when the owner's card is first made too). Members by user id (index
 * users_auto_link), AUTOLINK_MAX copies per transaction; no message is
 * sent. Idempotent: a second run finds no offer left. A dry run counts the
 * offers it would link. */
static enum err autolink_pass(struct job *j)
{
	struct arena la;
	long long after = 0, members = 0;
	enum err e = ERR_OK;

	arena_init(&la);
	while (e == ERR_OK) {
		struct db_result res;
		arena_reset(&j->a);
		e = db_query(j->db, &j->a, &res, "SELECT id FROM users FORCE INDEX (users_auto_link) "
			     "WHERE auto_link_members = 1 AND id > ? ORDER BY id LIMIT 1000", "i", after);
		if (e != ERR_OK || res.nrows == 0)
			break;
		for (size_t i = 0; e == ERR_OK && i < res.nrows; i++) {
			long long uid = db_cell_int(&res, i, 0, 0), linked = 0, left = 0;
			after = uid;
			members++;
			if (stopping) {
				e = ERR_UNAVAILABLE;
				break;
			}
			if (j->o.dry_run) {
				arena_reset(&la);
				e = updates_offer_count(j->db, &la, uid, &left);
				j->n[C_LINKED] += left;
				continue;
			}
			do {
				arena_reset(&la);
				e = db_begin(j->db);
				if (e == ERR_OK)
					e = autolink_entries(j->db, &la, uid, NULL, 0, AUTOLINK_MAX, &linked, &left);
				if (e == ERR_OK)
					e = db_commit(j->db);
				if (e != ERR_OK)
					db_rollback(j->db);
				else
					j->n[C_LINKED] += linked;
			} while (e == ERR_OK && linked > 0 && left > 0);
		}
	}
	arena_reset(&la);
	if (e == ERR_OK && !j->o.quiet && members)
		say("autolink: %lld member%s link cards of members automatically; %lld cop%s %slinked",
		    members, members == 1 ? "" : "s", j->n[C_LINKED], j->n[C_LINKED] == 1 ? "y" : "ies",
		    j->o.dry_run ? "would be " : "");
	if (e != ERR_OK)
		say("autolink: failed after user %lld; the next run links the rest", after);
	return e;
}

/* --- runs ------------------------------------------------------------------------ */

/* since_resolve: --since TIME into j->since_at (UTC, "YYYY-MM-DD HH:MM:SS").
 * TIME: "last" (the watermark of the last completed pass), an age ("90m",
 * "6h", "2d", "3600s") or a UTC date-time ("2024-05-01 03:00[:00]",
 * "2024-05-01T03:00:00Z", "2024-05-01"). Returns 0 or -1 (message printed). */
static int since_resolve(struct job *j, const char *s)
{
	struct db_result res;
	enum err e;
	char *end;
	long long n;

	arena_reset(&j->a);
	if (strcmp(s, "last") == 0) {
		e = db_query(j->db, &j->a, &res, "SELECT DATE_FORMAT(watermark, '%Y-%m-%d %H:%i:%s') "
			     "FROM reconcile_state WHERE id = 1", "");
		if (e != ERR_OK || res.nrows == 0 || db_cell(&res, 0, 0) == NULL) {
			say("--since last: no completed pass yet (run a full pass first)");
			return -1;
		}
		snprintf(j->since_at, sizeof(j->since_at), "%s", db_cell(&res, 0, 0));
		return 0;
	}
	n = strtoll(s, &end, 10);
	if (end != s && n >= 0 && n < 100LL * 365 * 86400 && end[0] && !end[1] && strchr("smhd", end[0])) {
		long long mult = end[0] == 's' ? 1 : end[0] == 'm' ? 60 : end[0] == 'h' ? 3600 : 86400;
		e = db_query(j->db, &j->a, &res, "SELECT DATE_FORMAT(UTC_TIMESTAMP() - INTERVAL ? SECOND, "
			     "'%Y-%m-%d %H:%i:%s')", "i", n * mult);
	} else {
		int y, mo, d, h = 0, mi = 0, sec = 0, used = 0;
		char buf[32];
		size_t len = strlen(s);
		if (len < 10 || len >= sizeof(buf) ||
		    sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3 || used != 10)
			goto bad;
		if (len > 10) {
			int used2 = 0;
			if ((s[10] != ' ' && s[10] != 'T') ||
			    (sscanf(s + 11, "%2d:%2d:%2d%n", &h, &mi, &sec, &used2) != 3 &&
			     sscanf(s + 11, "%2d:%2d%n", &h, &mi, &used2) != 2))
				goto bad;
			if (s[11 + used2] != '\0' && strcmp(s + 11 + used2, "Z") != 0)
				goto bad;
		}
		snprintf(buf, sizeof(buf), "%04d-%02d-%02d %02d:%02d:%02d", y, mo, d, h, mi, sec);
		e = db_query(j->db, &j->a, &res, "SELECT DATE_FORMAT(CAST(? AS DATETIME), '%Y-%m-%d %H:%i:%s')",
			     "s", buf);
	}
	if (e != ERR_OK || res.nrows == 0 || db_cell(&res, 0, 0) == NULL)
		goto bad;
	snprintf(j->since_at, sizeof(j->since_at), "%s", db_cell(&res, 0, 0));
	return 0;
bad:
	say("--since %s: not a time (use last, an age like 6h or 2d, or a UTC time like "
	    "'2024-05-01 03:00:00')", s);
	return -1;
}

static void summary(struct job *j, const char *what, int interrupted, double secs)
{
	struct rusage ru;
	long long changes = 0;

	for (int i = C_KEYS_ADDED; i < C__MAX; i++)
		changes += j->n[i];
	getrusage(RUSAGE_SELF, &ru);
	printf("livecard-reconcile: %s%s in %.3f s%s\n", j->o.dry_run ? "dry run of a " : "", what, secs,
	       j->o.dry_run ? " (nothing written)" : "");
	for (int i = 0; i < C__MAX; i++)
		printf("  %-16s %12lld\n", counter_labels[i], j->n[i]);
	printf("  %-16s %12.0f\n", "rows per second", secs > 0 ? (double)j->n[C_SCANNED] / secs : 0.0);
	printf("  %-16s %12ld KiB\n", "peak memory", ru.ru_maxrss);
	if (changes == 0 && interrupted)
		printf("nothing changed before the interruption\n");
	else if (changes == 0)
		printf("nothing to change: everything was already consistent\n");
	else
		printf("%s %lld row%s\n", j->o.dry_run ? "would change" : "changed", changes,
		       changes == 1 ? "" : "s");
	fflush(stdout);
}

static enum err run_record(struct job *j, const char *status, double secs, const char *msg)
{
	long long *t = j->n;

	if (j->o.dry_run || j->run_id == 0)
		return ERR_OK;
	db_rollback(j->db);
	return db_exec(j->db, "UPDATE batch_runs SET status = ?, finished_at = UTC_TIMESTAMP(), "
		       "seconds = ? / 1000, rows_scanned = ?, keys_added = ?, keys_removed = ?, "
		       "owners_changed = ?, flags_set = ?, flags_cleared = ?, savers_added = ?, "
		       "savers_removed = ?, copies_linked = ?, message = ? WHERE id = ?", "siiiiiiiiiisi", status,
		       (long long)(secs * 1000.0), t[C_SCANNED], t[C_KEYS_ADDED], t[C_KEYS_REMOVED],
		       t[C_OWNERS], t[C_SET], t[C_CLEARED], t[C_SAVERS_ADDED], t[C_SAVERS_REMOVED],
		       t[C_LINKED], msg, j->run_id);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: livecard-reconcile [--dry-run] [--since TIME] [--chunk N] [--wait SECONDS]\n"
		"                          [--stale-minutes N] [--sleep-ms N] [--progress|--no-progress] [--quiet]\n"
		"Rebuild contact_keys, the member flags of every saved card and the savers lists,\n"
		"then link the offers of members who link cards of members automatically.\n"
		"  --dry-run          count what would change; write nothing\n"
		"  --since TIME       only what changed since TIME: last, an age (6h, 2d) or a UTC\n"
		"                     time ('2024-05-01 03:00:00'); default: a full pass\n"
		"  --chunk N          rows per chunk and transaction (default Reconcile.Chunk, 10000)\n"
		"  --wait SECONDS     wait that long for another run to finish (default 0: exit 75)\n"
		"  --stale-minutes N  take over a lock whose heartbeat stopped N minutes ago (default 10)\n"
		"  --sleep-ms N       pause between chunks, to spare replicas (default 0)\n"
		"  --progress         a progress bar even when stderr is not a terminal\n"
		"  --no-progress      plain progress lines even on a terminal\n"
		"  --quiet            no progress, only the summary and errors\n"
		"  --jobs N           processes for a large --since pass, 1 or 2 (default Reconcile.Jobs, 2)\n"
		"  --parallel-min N   entries saved or edited since, from which a --since pass\n"
		"                     takes a second process (default Reconcile.ParallelMin, 10000)\n");
}

/* parse_long: a whole number in [min, max] or -1 with a message. */
static int parse_long(const char *opt, const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (end == s || *end || v < min || v > max) {
		fprintf(stderr, "livecard-reconcile: %s: expected a number from %lld to %lld\n", opt, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longs[] = {
		{"dry-run", no_argument, NULL, 'n'},
		{"since", required_argument, NULL, 's'},
		{"chunk", required_argument, NULL, 'c'},
		{"wait", required_argument, NULL, 'w'},
		{"stale-minutes", required_argument, NULL, 'S'},
		{"sleep-ms", required_argument, NULL, 'z'},
		{"progress", no_argument, NULL, 'p'},
		{"no-progress", no_argument, NULL, 'P'},
		{"quiet", no_argument, NULL, 'q'},
		{"jobs", required_argument, NULL, 'j'},
		{"parallel-min", required_argument, NULL, 'm'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;
	long long v;

	while ((c = getopt_long(argc, argv, "nqh", longs, NULL)) != -1) {
		switch (c) {
		case 'n': o->dry_run = 1; break;
		case 's': o->since = optarg; break;
		case 'c':
			if (parse_long("--chunk", optarg, 1, 1000000, &v))
				return -1;
			o->chunk = v;
			break;
		case 'w':
			if (parse_long("--wait", optarg, 0, 86400, &v))
				return -1;
			o->wait_seconds = (long)v;
			break;
		case 'S':
			if (parse_long("--stale-minutes", optarg, 1, 10080, &v))
				return -1;
			o->stale_minutes = (long)v;
			break;
		case 'j':
			if (parse_long("--jobs", optarg, 1, 2, &v))
				return -1;
			o->jobs = (int)v;
			break;
		case 'm':
			if (parse_long("--parallel-min", optarg, 1, 1000000000, &v))
				return -1;
			o->parallel_min = v;
			break;
		case 'z':
			if (parse_long("--sleep-ms", optarg, 0, 60000, &v))
				return -1;
			o->sleep_ms = (long)v;
			break;
		case 'p': o->progress = 1; break;
		case 'P': o->progress = 0; break;
		case 'q': o->quiet = 1; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "livecard-reconcile: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return -1;
	}
	return 0;
}

/* run_start: the batch_runs row, and the pass to do: a fresh one, or the
 * interrupted full pass the checkpoint describes. */
static int run_start(struct job *j, enum phase *ph, long long *last_id)
{
	struct db_result res;
	enum err e;

	arena_reset(&j->a);
	e = db_query(j->db, &j->a, &res, "SELECT run_id, mode, phase, last_id, "
		     "DATE_FORMAT(since_at, '%Y-%m-%d %H:%i:%s') FROM reconcile_state WHERE id = 1", "");
	if (e != ERR_OK || res.nrows == 0) {
		say("cannot read reconcile_state (is the schema migrated? run livecardctl migrate)");
		return -1;
	}
	const char *mode = db_cell(&res, 0, 1), *phase = db_cell(&res, 0, 2), *old_since = db_cell(&res, 0, 4);
	long long old_run = db_cell_int(&res, 0, 0, 0), old_last = db_cell_int(&res, 0, 3, 0);
	enum phase old_ph = PH_DONE;
	for (int i = 0; i < PH__MAX; i++)
		if (phase && strcmp(phase, phase_names[i]) == 0)
			old_ph = (enum phase)i;

	*ph = j->o.since ? PH_SINCE : PH_KEYS;
	*last_id = 0;
	if (!j->o.dry_run && old_ph != PH_DONE && mode && strcmp(mode, "full") == 0) {
		/* an interrupted full pass is finished first, whatever was asked */
		*ph = old_ph;
		*last_id = old_last;
		j->resumed_from = old_run;
		j->o.since = NULL;
		say("resuming the full pass of run %lld at %s after id %lld", old_run, phase, old_last);
	} else if (!j->o.dry_run && old_ph != PH_DONE && j->o.since && old_since &&
		   strcmp(old_since, j->since_at) < 0) {
		/* an interrupted --since pass: start again from the older time */
		snprintf(j->since_at, sizeof(j->since_at), "%s", old_since);
		j->resumed_from = old_run;
		say("the --since pass of run %lld was interrupted; starting again from %s", old_run, old_since);
	}
	if (j->o.dry_run)
		return 0;
	e = db_exec(j->db, "INSERT INTO batch_runs (job, mode, since_at, resumed_run_id, host, pid, status, "
		    "started_at) VALUES (?, ?, ?, ?, ?, ?, 'running', UTC_TIMESTAMP())", "sssssi", JOB_NAME,
		    j->o.since ? "since" : "full", j->o.since ? j->since_at : NULL,
		    j->resumed_from ? arena_printf(&j->a, "%lld", j->resumed_from) : NULL, j->host,
		    (long long)getpid());
	if (e != ERR_OK) {
		say("cannot record the run in batch_runs");
		return -1;
	}
	j->run_id = (long long)db_insert_id(j->db);
	/* runs that died holding the lock we now hold */
	e = db_exec(j->db, "UPDATE batch_runs SET status = 'abandoned', finished_at = UTC_TIMESTAMP() "
		    "WHERE job = ? AND status = 'running' AND id <> ?", "si", JOB_NAME, j->run_id);
	if (e == ERR_OK && j->resumed_from)
		e = db_exec(j->db, "UPDATE reconcile_state SET run_id = ? WHERE id = 1", "i", j->run_id);
	else if (e == ERR_OK)
		e = db_exec(j->db, "UPDATE reconcile_state SET run_id = ?, mode = ?, since_at = ?, "
			    "started_at = UTC_TIMESTAMP(), keys_done_at = NULL, phase = ?, last_id = 0, "
			    "updated_at = UTC_TIMESTAMP() WHERE id = 1", "isss", j->run_id,
			    j->o.since ? "since" : "full", j->o.since ? j->since_at : NULL, phase_names[*ph]);
	if (e != ERR_OK) {
		say("cannot write the checkpoint row");
		return -1;
	}
	return 0;
}

/* run_finish: the pass is complete: the checkpoint says so and the
 * watermark moves to its start (for a --since pass only when it started
 * at or before the old watermark, so that no gap is left). */
static enum err run_finish(struct job *j)
{
	if (j->o.dry_run)
		return ERR_OK;
	return db_exec(j->db, "UPDATE reconcile_state SET phase = 'done', last_id = 0, "
		       "watermark = CASE WHEN mode = 'full' OR (watermark IS NOT NULL AND since_at <= watermark) "
		       "THEN GREATEST(COALESCE(watermark, '1970-01-01'), started_at - INTERVAL ? SECOND) "
		       "ELSE watermark END, updated_at = UTC_TIMESTAMP() WHERE id = 1", "i",
		       (long long)SINCE_MARGIN);
}

int main(int argc, char **argv)
{
	struct job j;
	enum phase ph;
	long long last_id;
	enum err e;
	int rc;

	memset(&j, 0, sizeof(j));
	arena_init(&j.a);
	log_set_ident("livecard-reconcile");
	j.o.progress = -1;
	j.match_rows = -1;
	j.o.chunk = 0;
	j.o.stale_minutes = 0;
	if (parse_args(argc, argv, &j.o) != 0)
		return EXIT_USAGE;
	if (config_load(NULL) != 0 || crypto_init() != 0)
		return EXIT_FAILED;
	log_set_level(log_level_parse(cfg.log_level));
	if (j.o.chunk == 0)
		j.o.chunk = config_get_int("Reconcile.Chunk", 10000);
	if (j.o.chunk < 1)
		j.o.chunk = 10000;
	if (j.o.stale_minutes == 0)
		j.o.stale_minutes = config_get_int("Reconcile.LockStaleMinutes", 10);
	if (j.o.jobs == 0)
		j.o.jobs = config_get_int("Reconcile.Jobs", 2) >= 2 ? 2 : 1;
	if (j.o.parallel_min == 0)
		j.o.parallel_min = config_get_int("Reconcile.ParallelMin", 10000);
	if (j.o.parallel_min < 1)
		j.o.parallel_min = 10000;
	j.tty = j.o.progress == -1 ? isatty(2) : j.o.progress;
	signal(SIGINT, on_stop);
	signal(SIGTERM, on_stop);
	signal(SIGPIPE, SIG_IGN);

	if (gethostname(j.host, sizeof(j.host) - 1) != 0)
		snprintf(j.host, sizeof(j.host), "localhost");
	for (char *p = j.host; *p; p++)
		if (*p == ':')
			*p = '_';
	snprintf(j.holder, sizeof(j.holder), "%s:%ld:%s", j.host, (long)getpid(), token_new(&j.a, 6));

	if (db_open(&j.db) != ERR_OK) {
		say("cannot connect to the database (see DB.* in %s)",
		    getenv("LIVECARD_CONF") ? getenv("LIVECARD_CONF") : "the configuration");
		db_close(j.db);
		return EXIT_FAILED;
	}
	j.t0 = now_s();
	if (j.o.since && since_resolve(&j, j.o.since) != 0) {
		db_close(j.db);
		return EXIT_USAGE;
	}
	if (j.o.since)
		snprintf(j.keys_at, sizeof(j.keys_at), "%s", j.since_at);
	if (!j.o.dry_run) {
		rc = lock_take(&j);
		if (rc != 0) {
			db_close(j.db);
			arena_reset(&j.a);
			return rc;
		}
	}
	if (run_start(&j, &ph, &last_id) != 0) {
		if (!j.o.dry_run)
			lock_release(&j);
		db_close(j.db);
		arena_reset(&j.a);
		return EXIT_FAILED;
	}
	if (!j.o.quiet && !j.o.dry_run && j.resumed_from == 0)
		say("run %lld: %s%s%s", j.run_id, j.o.since ? "changes since " : "full pass",
		    j.o.since ? j.since_at : "", "");
	if (ph == PH_SINCE)
		e = pass_since(&j, PH_SINCE);
	else
		e = pass_full(&j, ph, last_id);
	if (e == ERR_OK)
		e = run_finish(&j);
	if (e == ERR_OK)
		e = autolink_pass(&j);

	double secs = now_s() - j.t0;
	if (e == ERR_OK) {
		run_record(&j, "done", secs, NULL);
		summary(&j, j.o.since ? "--since pass" : j.resumed_from ? "full pass (resumed)" : "full pass", 0, secs);
		rc = 0;
	} else {
		run_record(&j, "failed", secs, stopping ? "stopped by a signal; the next run resumes"
			   : "failed; the next run resumes");
		summary(&j, "interrupted pass", 1, secs);
		say("failed: the work done so far is kept and the next run resumes it");
		rc = EXIT_FAILED;
	}
	if (!j.o.dry_run)
		lock_release(&j);
	db_close(j.db);
	arena_reset(&j.a);
	return rc;
}
