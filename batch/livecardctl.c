/* livecardctl.c: administration: apply schema migrations, fill a database with synthetic data, tell the outbox's state. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "batchrun.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "folder.h"
#include "log.h"
#include "outbox.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;
	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = '\0';
	fclose(f);
	return buf;
}

/* migrate: apply every sql/NNN_name.sql not yet in schema_migrations, in order. */
static int migrate(void)
{
	const char *dir = config_get("Paths.SQL", "sql");
	struct db *db = NULL;
	struct arena a;
	DIR *d;
	struct dirent *de;
	char *names[512];
	size_t n = 0;
	int status = 0, applied = 0;

	arena_init(&a);
	if (db_open(&db) != ERR_OK) {
		fprintf(stderr, "livecardctl: cannot connect to the database\n");
		db_close(db);
		return 1;
	}
	if (db_exec_script(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
			   "version INT UNSIGNED NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL, "
			   "applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP) "
			   "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4") != ERR_OK) {
		fprintf(stderr, "livecardctl: cannot create schema_migrations\n");
		db_close(db);
		return 1;
	}
	d = opendir(dir);
	if (d == NULL) {
		fprintf(stderr, "livecardctl: cannot open %s\n", dir);
		db_close(db);
		return 1;
	}
	while ((de = readdir(d)) != NULL && n < 512) {
		size_t len = strlen(de->d_name);
		if (len > 8 && strcmp(de->d_name + len - 4, ".sql") == 0 &&
		    de->d_name[0] >= '0' && de->d_name[0] <= '9')
			names[n++] = arena_strdup(&a, de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (size_t i = 0; i < n && status == 0; i++) {
		long version = strtol(names[i], NULL, 10);
		struct db_result res;
		if (db_query(db, &a, &res, "SELECT 1 FROM schema_migrations WHERE version = ?", "i",
			     (long long)version) != ERR_OK) {
			status = 1;
			break;
		}
		if (res.nrows)
			continue;
		char path[1024];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		char *sql = read_file(path);
		if (sql == NULL) {
			fprintf(stderr, "livecardctl: cannot read %s\n", path);
			status = 1;
			break;
		}
		if (db_exec_script(db, sql) != ERR_OK ||
		    db_exec(db, "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", "is",
			    (long long)version, names[i]) != ERR_OK) {
			fprintf(stderr, "livecardctl: migration %s failed\n", names[i]);
			status = 1;
		} else {
			printf("applied %s\n", names[i]);
			applied++;
		}
		free(sql);
	}
	if (status == 0)
		printf("schema up to date (%d migration%s applied)\n", applied, applied == 1 ? "" : "s");
	db_close(db);
	arena_reset(&a);
	return status;
}

/* --- seed: synthetic data ---------------------------------------------------
 * Every row is made by INSERT ... SELECT from MariaDB's SEQUENCE engine
 * (seq_1_to_N, built in), SEED_CHUNK rows per statement, the large tables by
 * SEED_WORKERS connections at once; the values are derived from the row
 * number by CRC32, so the same arguments give the same data (only share
 * tokens are random). A bulk seed (--cards >= SEED_BULK) drops the
 * non-unique secondary indexes of the tables it fills and builds them again
 * at the end: one sorted build instead of millions of random inserts.
 * By default the member flags and savers lists are left unset, as after a
 * restore; --maintained sets them as the web path keeps them, and
 * --drift PERMILLE then spoils that many of every 1000 saved cards (and a
 * few savers rows) the way missed updates would. */

#define SEED_CHUNK 20000LL
#define SEED_SEQ "seq_1_to_4000000000"
#define SEED_WORKERS 2
#define SEED_BULK 100000LL

/* h(tag, n): a stable pseudo-random number 0..2^32-1 for row n */
#define H(tag, n) "CRC32(CONCAT('" tag "', " n "))"

#define FIRST_EN "ELT(1 + " H("f", "s.seq") " % 16, 'James', 'Mary', 'Wei', 'Anna', 'David', " \
	"'Li', 'Sarah', 'Ming', 'John', 'Emma', 'Paul', 'Yan', 'Laura', 'Chen', 'Peter', 'Julia')"
#define LAST_EN "ELT(1 + " H("l", "s.seq") " % 16, 'Smith', 'Zhang', 'Brown', 'Wang', 'Miller', " \
	"'Li', 'Wilson', 'Liu', 'Taylor', 'Chen', 'Martin', 'Yang', 'Moore', 'Zhao', 'Clark', 'Wu')"
#define NAME_ZH "CONCAT(ELT(1 + " H("l", "s.seq") " % 10, '王', '李', '张', '刘', '陈', '杨', '黄', " \
	"'赵', '吴', '周'), ELT(1 + " H("f", "s.seq") " % 10, '伟', '芳', '娜', '敏', '静', '磊', '洋', " \
	"'艳', '勇', '军'))"
#define DOMAIN(n) "ELT(1 + " n " % 8, 'example.com', 'example.org', 'example.net', 'mail.example', " \
	"'corp.example', 'example.cn', 'post.example', 'inbox.example')"
#define ORG "ELT(1 + " H("o", "s.seq") " % 12, 'Example Ltd.', 'Acme Trading', 'Northwind', " \
	"'Blue Sky Tech', '华东贸易有限公司', 'Contoso', 'Globex', '深圳创新科技', 'Initech', " \
	"'Umbrella Logistics', 'Stark Design', '北京数据服务')"
#define TITLE "ELT(1 + " H("t", "s.seq") " % 8, 'Manager', 'Engineer', 'Sales', 'Director', " \
	"'Consultant', '经理', 'Designer', 'Founder')"

/* users: 85% with a verified e-mail; one in five writes Chinese */
static const char seed_users_sql[] =
	"INSERT INTO users (id, email, email_verified_at, password_hash, full_name, locale, created_at, updated_at) "
	"SELECT ? + s.seq, CONCAT('seed', ? + s.seq, '.', LOWER(" LAST_EN "), '@', " DOMAIN("s.seq") "), "
	"IF(" H("v", "s.seq") " % 100 < 85, '2024-01-01' + INTERVAL (s.seq % 300) DAY + INTERVAL 1 HOUR, NULL), ?, "
	"IF(s.seq % 5 = 0, " NAME_ZH ", CONCAT(" FIRST_EN ", ' ', " LAST_EN ")), IF(s.seq % 5 = 0, 'zh-CN', 'en'), "
	"'2024-01-01' + INTERVAL (s.seq % 300) DAY, '2024-01-01' + INTERVAL (s.seq % 300) DAY + INTERVAL 1 HOUR "
	"FROM " SEED_SEQ " s WHERE s.seq BETWEEN ? AND ?";

/* phones: 40% of users have one, 70% of those verified */
static const char seed_phones_sql[] =
	"INSERT INTO user_phones (user_id, phone, verified_at, created_at, updated_at) "
	"SELECT ? + s.seq, CONCAT('+8613', LPAD(? + s.seq, 9, '0')), "
	"IF(" H("w", "s.seq") " % 100 < 70, '2024-02-01' + INTERVAL (s.seq % 200) DAY, NULL), "
	"'2024-01-15', '2024-02-01' + INTERVAL (s.seq % 200) DAY "
	"FROM " SEED_SEQ " s WHERE s.seq BETWEEN ? AND ? AND " H("p", "s.seq") " % 100 < 40";

/* the verified-contact index, as the web path keeps it */
static const char seed_keys_email_sql[] =
	"INSERT INTO contact_keys (ckey, user_id, verified_at) SELECT CONCAT('e:', email), id, email_verified_at "
	"FROM users WHERE id BETWEEN ? AND ? AND email_verified_at IS NOT NULL";
static const char seed_keys_phone_sql[] =
	"INSERT IGNORE INTO contact_keys (ckey, user_id, verified_at) SELECT CONCAT('t:', phone), user_id, verified_at "
	"FROM user_phones WHERE user_id BETWEEN ? AND ? AND verified_at IS NOT NULL";

/* own cards: 60% of users have one */
static const char seed_cards_sql[] =
	"INSERT INTO cards (user_id, revision, data, share_token, created_at, updated_at) "
	"SELECT u.id, 1, JSON_OBJECT('full_name', u.full_name, 'organization', " ORG ", 'title', " TITLE ", "
	"'emails', JSON_ARRAY(JSON_OBJECT('type', 'work', 'value', u.email)), "
	"'phones', IF(p.phone IS NULL, JSON_ARRAY(), JSON_ARRAY(JSON_OBJECT('type', 'cell', 'value', p.phone)))), "
	"LEFT(REPLACE(REPLACE(TO_BASE64(RANDOM_BYTES(32)), '+', '-'), '/', '_'), 43), u.created_at, u.created_at "
	"FROM " SEED_SEQ " s JOIN users u ON u.id = ? + s.seq LEFT JOIN user_phones p ON p.user_id = u.id "
	"WHERE s.seq BETWEEN ? AND ? AND " H("c", "s.seq") " % 100 < 60";
static const char seed_revisions_sql[] =
	"INSERT INTO card_revisions (card_id, revision, data, changed_fields, created_at) "
	"SELECT c.id, 1, c.data, 'full_name,organization,title,emails,phones', c.created_at FROM cards c "
	"WHERE c.user_id BETWEEN ? AND ?";

/* saved cards: the holder is skewed towards low ids (a few large folders,
 * many small ones); 34% are a member's card (their e-mail, and phone when
 * they have one; some of them unverified members), a sixth of those saved
 * from the member's link; the others are non-members, half with a phone.
 * With --maintained (the first two parameters) an entry's owner is set as
 * the web path sets it: the member, when the copy is linked to the
 * member's card or the member verified the e-mail or phone it carries. */
#define E_HOLDER "(? + 1 + FLOOR(? * POW(" H("h", "s.seq") " / 4294967296, 2)))"
#define E_TARGET "(? + 1 + " H("g", "s.seq") " % ?)"
#define E_OWNED(M) "(" M " <> 0 AND x.member IS NOT NULL AND (x.card IS NOT NULL OR x.mver))"
static const char seed_entries_sql[] =
	"INSERT IGNORE INTO folder_entries (id, holder_id, uid, data, full_name, search_text, notes, source_card_id, "
	"synced_revision, change_seq, created_at, updated_at, owner_user_id, owner_is_member) "
	"SELECT ? + x.seq, x.holder, CONCAT('seed-', ? + x.seq), "
	"JSON_OBJECT('full_name', x.name, 'organization', x.org, 'title', x.title, "
	"'emails', JSON_ARRAY(JSON_OBJECT('type', 'work', 'value', x.email)), "
	"'phones', IF(x.phone IS NULL, JSON_ARRAY(), JSON_ARRAY(JSON_OBJECT('type', 'cell', 'value', x.phone)))), "
	"x.name, LOWER(CONCAT_WS(' ', x.name, x.org, x.email, x.phone)), '', x.card, IF(x.card IS NULL, NULL, 1), "
	"? + x.seq, x.t, x.t, IF(" E_OWNED("?") ", x.member, NULL), " E_OWNED("?") " FROM ("
	"SELECT s.seq, " E_HOLDER " AS holder, "
	"IF(m.id IS NULL, CONCAT(" FIRST_EN ", ' ', " LAST_EN "), m.full_name) AS name, " ORG " AS org, "
	TITLE " AS title, IF(m.id IS NULL, CONCAT('contact', s.seq, '@', " DOMAIN(H("d", "s.seq")) "), m.email) AS email, "
	"IF(m.id IS NULL, IF(" H("q", "s.seq") " % 2 = 0, CONCAT('+1555', LPAD(s.seq % 10000000, 7, '0')), NULL), "
	"(SELECT MIN(p.phone) FROM user_phones p WHERE p.user_id = m.id)) AS phone, "
	"IF(m.id IS NOT NULL AND " H("k", "s.seq") " % 6 = 0, (SELECT c.id FROM cards c WHERE c.user_id = m.id), NULL) AS card, "
	"(m.email_verified_at IS NOT NULL OR EXISTS (SELECT 1 FROM user_phones p WHERE p.user_id = m.id "
	"AND p.verified_at IS NOT NULL)) AS mver, "
	"'2024-03-01' + INTERVAL (s.seq % 250) DAY + INTERVAL (s.seq % 86400) SECOND AS t, m.id AS member "
	"FROM " SEED_SEQ " s LEFT JOIN users m ON " H("r", "s.seq") " % 100 < 34 AND m.id = " E_TARGET " "
	"WHERE s.seq BETWEEN ? AND ?) x WHERE NOT (x.member <=> x.holder)";

static const char seed_card_keys_sql[] =
	"INSERT IGNORE INTO card_keys (entry_id, ckey, holder_id) "
	"SELECT id, CONCAT('e:', JSON_VALUE(data, '$.emails[0].value')), holder_id FROM folder_entries "
	"WHERE id BETWEEN ? AND ? UNION ALL "
	"SELECT id, CONCAT('t:', JSON_VALUE(data, '$.phones[0].value')), holder_id FROM folder_entries "
	"WHERE id BETWEEN ? AND ? AND JSON_VALUE(data, '$.phones[0].value') IS NOT NULL";
static const char seed_folders_sql[] =
	"INSERT INTO folders (holder_id, seq) SELECT holder_id, MAX(change_seq) FROM folder_entries "
	"WHERE id BETWEEN ? AND ? GROUP BY holder_id ON DUPLICATE KEY UPDATE seq = GREATEST(seq, VALUES(seq))";

/* the view counter of every folder the seed filled or changed, raised once
 * at the end (the triggers skipped the seed's rows: seed_session), so that
 * no worker keeps a page of such a folder from before */
static const char seed_views_sql[] =
	"INSERT INTO folder_views (holder_id, view_seq) SELECT holder_id, 1 FROM folder_entries "
	"WHERE id BETWEEN ? AND ? GROUP BY holder_id ON DUPLICATE KEY UPDATE view_seq = view_seq + 1";

/* --maintained: owner_saved_my_card and the savers lists of the new
 * members (by owner id, through the owner index); since is synthetic */
static const char seed_saved_sql[] =
	"UPDATE folder_entries e FORCE INDEX (folder_entries_owner) JOIN folder_entries g "
	"FORCE INDEX (folder_entries_owner) ON g.owner_user_id = e.holder_id AND g.holder_id = e.owner_user_id "
	"SET e.owner_saved_my_card = 1 WHERE e.owner_user_id BETWEEN ? AND ?";
static const char seed_savers_sql[] =
	"INSERT IGNORE INTO savers (owner_id, saver_id, how, since) SELECT owner_user_id, holder_id, 'saved', "
	"'2024-03-01' + INTERVAL ((owner_user_id + holder_id) % 250) DAY FROM folder_entries "
	"FORCE INDEX (folder_entries_owner) WHERE owner_user_id BETWEEN ? AND ? AND holder_id <> owner_user_id";

/* --drift P: of every 1000 saved cards, P (ids 7, 207, ... of each 200 per
 * 1000/P) lose their owner, get another member as owner, have
 * owner_saved_my_card or owner_is_member flipped, in turn; one savers row
 * in 1000 of the new members goes missing and one member in 1000 gets a
 * saver who holds no copy */
static const char seed_drift_entries_sql[] =
	"UPDATE " SEED_SEQ " s STRAIGHT_JOIN folder_entries e ON e.id = ? + 7 + ? * s.seq "
	"SET e.owner_user_id = CASE s.seq % 4 WHEN 0 THEN NULL "
	"WHEN 1 THEN ? + 1 + (e.id * 7919) % ? ELSE e.owner_user_id END, "
	"e.owner_is_member = CASE s.seq % 4 WHEN 0 THEN 0 WHEN 1 THEN 1 WHEN 3 THEN 1 - e.owner_is_member "
	"ELSE e.owner_is_member END, "
	"e.owner_saved_my_card = CASE s.seq % 4 WHEN 0 THEN 0 WHEN 2 THEN 1 - e.owner_saved_my_card "
	"ELSE e.owner_saved_my_card END WHERE s.seq BETWEEN ? AND ?";
static const char seed_drift_lost_sql[] =
	"DELETE FROM savers WHERE owner_id BETWEEN ? AND ? AND (owner_id * 31 + saver_id) % 1000 = 0";
static const char seed_drift_extra_sql[] =
	"INSERT IGNORE INTO savers (owner_id, saver_id, how, since) SELECT ? + s.seq, ? + s.seq + 1, 'saved', "
	"'2024-01-01' FROM " SEED_SEQ " s WHERE s.seq BETWEEN ? AND ? AND s.seq % 1000 = 500";

static double seed_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* seed_args: the parameters of a seed statement: n fixed integers (and,
 * for users, the password hash after the first two), then the chunk's
 * (lo, hi), plus offset; twice: (lo, hi, lo, hi). */
struct seed_args {
	int n;
	long long v[9];
	const char *str;
	int twice;
	long long offset;
};

/* seed_chunk: one statement of a step over rows lo..hi. */
static enum err seed_chunk(struct db *db, const char *sql, const struct seed_args *sa, long long lo, long long hi)
{
	const long long *v = sa->v;
	long long a = lo + sa->offset, b = hi + sa->offset;

	if (sa->str)
		return db_exec(db, sql, "iisii", v[0], v[1], sa->str, a, b);
	if (sa->twice)
		return db_exec(db, sql, "iiii", a, b, a, b);
	switch (sa->n) {
	case 0: return db_exec(db, sql, "ii", a, b);
	case 1: return db_exec(db, sql, "iii", v[0], a, b);
	case 2: return db_exec(db, sql, "iiii", v[0], v[1], a, b);
	case 4: return db_exec(db, sql, "iiiiii", v[0], v[1], v[2], v[3], a, b);
	case 9:
		return db_exec(db, sql, "iiiiiiiiiii", v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], a, b);
	default: return ERR_INTERNAL;
	}
}

/* seed_run: chunks worker, worker + workers, ... of rows 1..n on db;
 * *rows: the rows they wrote. Returns 0, or 1 with a message. */
static int seed_run(struct db *db, const char *label, const char *sql, long long n, const struct seed_args *sa,
		    int worker, int workers, unsigned long long *rows)
{
	double last = seed_now();
	long long k = 0;

	*rows = 0;
	for (long long lo = 1; lo <= n; lo += SEED_CHUNK, k++) {
		long long hi = lo + SEED_CHUNK - 1 < n ? lo + SEED_CHUNK - 1 : n;
		if (k % workers != worker)
			continue;
		int tries = 0;
		/* two workers may deadlock on the rows they both read: once more */
		while (seed_chunk(db, sql, sa, lo, hi) != ERR_OK) {
			if (++tries == 4) {
				fprintf(stderr, "livecardctl: seed: %s failed at rows %lld..%lld\n", label, lo, hi);
				return 1;
			}
			sleep((unsigned)tries);
		}
		*rows += db_affected(db);
		if (worker == 0 && seed_now() - last > 10.0) {
			last = seed_now();
			fprintf(stderr, "livecardctl: seed: %s %lld%%\n", label, hi * 100 / n);
		}
	}
	return 0;
}

/* seed_session: the bulk-loading settings of a seeding connection: the rows
 * are consistent by construction (every id they name is made first), so
 * the foreign-key lookups are skipped; unique checks stay (INSERT IGNORE
 * relies on them). */
static void seed_session(struct db *db)
{
	db_exec(db, "SET SESSION foreign_key_checks = 0", "");
	/* reads of other rows (the --maintained steps) take no locks */
	db_exec(db, "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", "");
	/* the folder view triggers (sql/022_folder_view.sql) skip their work:
	 * two connections bumping the same folders' counters row by row would
	 * wait on each other; seed_views_sql bumps each filled folder once */
	db_exec(db, "SET @livecard_no_view_bump = 1", "");
}

/* seed_step: run sql over rows 1..n, SEED_CHUNK rows per statement, by
 * `workers` connections at once (forked; each opens its own). Returns 0,
 * or 1 with a message. */
static int seed_step(struct db *db, const char *label, const char *sql, long long n,
		     const struct seed_args *sa, int workers)
{
	double t0 = seed_now();
	unsigned long long rows = 0, part;
	int fds[SEED_WORKERS][2], status = 0;
	pid_t pids[SEED_WORKERS];

	if (n <= 0)
		return 0;
	if (workers < 2 || n <= SEED_CHUNK) {
		status = seed_run(db, label, sql, n, sa, 0, 1, &rows);
		goto done;
	}
	if (workers > SEED_WORKERS)
		workers = SEED_WORKERS;
	fflush(stdout);
	fflush(stderr);
	for (int w = 1; w < workers; w++) {
		if (pipe(fds[w]) != 0 || (pids[w] = fork()) < 0) {
			perror("livecardctl: seed");
			return 1;
		}
		if (pids[w] == 0) {
			/* the parent's connection is left alone: its own is opened */
			struct db *cdb = NULL;
			int st = 1;
			close(fds[w][0]);
			part = 0;
			if (db_open(&cdb) == ERR_OK) {
				seed_session(cdb);
				st = seed_run(cdb, label, sql, n, sa, w, workers, &part);
			} else {
				fprintf(stderr, "livecardctl: seed: a worker cannot connect\n");
			}
			if (write(fds[w][1], &part, sizeof(part)) != (ssize_t)sizeof(part))
				st = 1;
			db_close(cdb);
			_exit(st);
		}
		close(fds[w][1]);
	}
	status = seed_run(db, label, sql, n, sa, 0, workers, &rows);
	for (int w = 1; w < workers; w++) {
		int st = 1;
		part = 0;
		if (read(fds[w][0], &part, sizeof(part)) == (ssize_t)sizeof(part))
			rows += part;
		close(fds[w][0]);
		if (waitpid(pids[w], &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			status = 1;
	}
done:
	if (status == 0)
		printf("  %-14s %10llu rows  %6.1f s\n", label, rows, seed_now() - t0);
	fflush(stdout);
	return status;
}

/* seed_indexes: the non-unique secondary indexes of table, as
 * information_schema describes them: "DROP KEY `a`, ..." into *drop and
 * "ADD KEY `a` (`c1`, `c2`), ..." into *add (NULL when there are none). */
static int seed_indexes(struct db *db, struct arena *a, const char *table, char **drop, char **add)
{
	struct db_result res;

	*drop = *add = NULL;
	if (db_query(db, a, &res, "SELECT INDEX_NAME, GROUP_CONCAT(CONCAT('`', COLUMN_NAME, '`', "
		     "IF(SUB_PART IS NULL, '', CONCAT('(', SUB_PART, ')'))) ORDER BY SEQ_IN_INDEX SEPARATOR ', ') "
		     "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? "
		     "AND NON_UNIQUE = 1 AND INDEX_TYPE = 'BTREE' GROUP BY INDEX_NAME ORDER BY INDEX_NAME", "s",
		     table) != ERR_OK)
		return 1;
	for (size_t i = 0; i < res.nrows; i++) {
		const char *name = db_cell(&res, i, 0), *cols = db_cell(&res, i, 1);
		if (name == NULL || cols == NULL || strchr(name, '`'))
			return 1;
		*drop = arena_printf(a, "%s%sDROP KEY `%s`", *drop ? *drop : "", *drop ? ", " : "", name);
		*add = arena_printf(a, "%s%sADD KEY `%s` (%s)", *add ? *add : "", *add ? ", " : "", name, cols);
	}
	return 0;
}

/* The tables a bulk seed fills, with their indexes dropped meanwhile. */
static const char *const seed_bulk_tables[] = { "folder_entries", "card_keys", "savers" };
#define SEED_NBULK (sizeof(seed_bulk_tables) / sizeof(seed_bulk_tables[0]))

/* seed_rebuild: build the dropped indexes again, one table per connection
 * (forked) at once. Returns 0, or 1 with a message. */
static int seed_rebuild(struct db *db, struct arena *a, char *const *add)
{
	double t0 = seed_now();
	pid_t pids[SEED_NBULK];
	int status = 0;

	fflush(stdout);
	fflush(stderr);
	for (size_t i = 0; i < SEED_NBULK; i++) {
		pids[i] = 0;
		if (add[i] == NULL)
			continue;
		const char *sql = arena_printf(a, "ALTER TABLE `%s` %s", seed_bulk_tables[i], add[i]);
		if (i + 1 == SEED_NBULK) {
			if (db_exec_script(db, sql) != ERR_OK) {
				fprintf(stderr, "livecardctl: seed: cannot build the indexes of %s\n", seed_bulk_tables[i]);
				status = 1;
			}
			continue;
		}
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("livecardctl: seed");
			return 1;
		}
		if (pids[i] == 0) {
			struct db *cdb = NULL;
			int st = 1;
			if (db_open(&cdb) == ERR_OK) {
				seed_session(cdb);
				st = db_exec_script(cdb, sql) == ERR_OK ? 0 : 1;
			}
			if (st)
				fprintf(stderr, "livecardctl: seed: cannot build the indexes of %s\n", seed_bulk_tables[i]);
			db_close(cdb);
			_exit(st);
		}
	}
	for (size_t i = 0; i < SEED_NBULK; i++) {
		int st = 1;
		if (pids[i] > 0 && (waitpid(pids[i], &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0))
			status = 1;
	}
	if (status == 0)
		printf("  %-14s %10s       %6.1f s\n", "indexes", "", seed_now() - t0);
	fflush(stdout);
	return status;
}

static int parse_count(const char *s, long long max, long long *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (end == s || (*end && strcmp(end, "k") && strcmp(end, "M")) || v < 0)
		return -1;
	if (*end == 'k')
		v *= 1000;
	else if (*end == 'M')
		v *= 1000000;
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

/* seed: --users N --cards M [--maintained [--drift P]]: N new members and
 * M saved cards spread over the folders of the new members; ids continue
 * after the existing rows. */
static int seed(int argc, char **argv)
{
	long long users = -1, cards = -1, drift = 0, ubase, ebase;
	int maintained = 0, bulk;
	struct db *db = NULL;
	struct arena a;
	struct db_result res;
	const char *password = "seed-password";
	char *hash, *drop[SEED_NBULK], *add[SEED_NBULK];
	double t0 = seed_now();
	int status = 0;

	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--users") == 0 && i + 1 < argc) {
			if (parse_count(argv[++i], 100000000LL, &users) != 0)
				users = -2;
		} else if (strcmp(argv[i], "--cards") == 0 && i + 1 < argc) {
			if (parse_count(argv[++i], 2000000000LL, &cards) != 0)
				cards = -2;
		} else if (strcmp(argv[i], "--maintained") == 0) {
			maintained = 1;
		} else if (strcmp(argv[i], "--drift") == 0 && i + 1 < argc) {
			if (parse_count(argv[++i], 1000, &drift) != 0)
				users = -2;
		} else {
			users = -2;
		}
	}
	if (users < 1 || cards < 0 || (drift > 0 && !maintained)) {
		fprintf(stderr, "usage: livecardctl seed --users N --cards M [--maintained [--drift PERMILLE]]\n"
			"  (N >= 1; 100k and 2M work too; --drift needs --maintained)\n");
		return 2;
	}
	if (crypto_init() != 0)
		return 1;
	arena_init(&a);
	if (db_open(&db) != ERR_OK) {
		fprintf(stderr, "livecardctl: cannot connect to the database\n");
		db_close(db);
		return 1;
	}
	if (db_query(db, &a, &res, "SELECT (SELECT COALESCE(MAX(id), 0) FROM users), "
		     "(SELECT COALESCE(MAX(id), 0) FROM folder_entries), "
		     "(SELECT COUNT(*) FROM " SEED_SEQ " WHERE seq BETWEEN 1 AND 2)", "") != ERR_OK) {
		fprintf(stderr, "livecardctl: seed: cannot read the schema (run livecardctl migrate; "
			"the SEQUENCE engine must be enabled)\n");
		db_close(db);
		return 1;
	}
	ubase = db_cell_int(&res, 0, 0, 0);
	ebase = db_cell_int(&res, 0, 1, 0);
	hash = password_hash(&a, password);
	if (hash == NULL) {
		db_close(db);
		return 1;
	}
	seed_session(db);
	bulk = cards >= SEED_BULK;
	printf("seeding %lld users and %lld saved cards (users %lld.., entries %lld..)%s%s\n", users, cards,
	       ubase + 1, ebase + 1, maintained ? ", flags and savers maintained" : "",
	       bulk ? ", indexes built after the load" : "");
	memset(drop, 0, sizeof(drop));
	memset(add, 0, sizeof(add));
	/* a bulk load without the non-unique indexes (an interrupted one
	 * leaves them dropped: seed a fresh database again) */
	for (size_t i = 0; bulk && status == 0 && i < SEED_NBULK; i++) {
		if (seed_indexes(db, &a, seed_bulk_tables[i], &drop[i], &add[i]) != 0) {
			fprintf(stderr, "livecardctl: seed: cannot read the indexes of %s\n", seed_bulk_tables[i]);
			status = 1;
		} else if (drop[i] && db_exec_script(db, arena_printf(&a, "ALTER TABLE `%s` %s",
								     seed_bulk_tables[i], drop[i])) != ERR_OK) {
			fprintf(stderr, "livecardctl: seed: cannot drop the indexes of %s\n", seed_bulk_tables[i]);
			status = 1;
		}
	}
	if (status == 0) {
		struct seed_args u = { .n = 2, .v = { ubase, ubase }, .str = hash };
		struct seed_args p = { .n = 2, .v = { ubase, ubase } };
		struct seed_args k = { .offset = ubase };
		struct seed_args c = { .n = 1, .v = { ubase } };
		/* entry ids, uids and change_seq; maintained twice; the holder's
		 * (base, n); the member's (base, n) */
		struct seed_args e = { .n = 9, .v = { ebase, ebase, ebase, maintained, maintained, ubase, users,
						       ubase, users } };
		struct seed_args kk = { .twice = 1, .offset = ebase };
		struct seed_args f = { .offset = ebase };
		int w = bulk ? SEED_WORKERS : 1;

		status = seed_step(db, "users", seed_users_sql, users, &u, w) ||
			 seed_step(db, "phones", seed_phones_sql, users, &p, w) ||
			 seed_step(db, "e-mail keys", seed_keys_email_sql, users, &k, w) ||
			 seed_step(db, "phone keys", seed_keys_phone_sql, users, &k, w) ||
			 seed_step(db, "own cards", seed_cards_sql, users, &c, w) ||
			 seed_step(db, "revisions", seed_revisions_sql, users, &k, w) ||
			 seed_step(db, "saved cards", seed_entries_sql, cards, &e, w) ||
			 seed_step(db, "card keys", seed_card_keys_sql, cards, &kk, w) ||
			 seed_step(db, "folders", seed_folders_sql, cards, &f, 1) ||
			 (bulk && seed_rebuild(db, &a, add));
		if (status == 0 && maintained)
			status = seed_step(db, "saved my card", seed_saved_sql, users, &k, w) ||
				 seed_step(db, "savers", seed_savers_sql, users, &k, w);
		if (status == 0 && drift > 0 && cards > 0) {
			/* every (200 / drift)th saved card, cycling through four kinds */
			long long stride = 1000 / drift < 1 ? 1 : 1000 / drift;
			struct seed_args d = { .n = 4, .v = { ebase, stride, ubase, users } };
			struct seed_args dl = { .offset = ubase };
			struct seed_args dx = { .n = 2, .v = { ubase, ubase } };
			status = seed_step(db, "drift: cards", seed_drift_entries_sql, (cards - 8) / stride, &d, 1) ||
				 seed_step(db, "drift: lost", seed_drift_lost_sql, users, &dl, 1) ||
				 seed_step(db, "drift: extra", seed_drift_extra_sql, users - 1, &dx, 1);
		}
		if (status == 0) {
			struct seed_args fv = { .offset = ebase };
			status = seed_step(db, "folder views", seed_views_sql, cards, &fv, 1);
		}
	}
	if (status == 0) {
		printf("seeded in %.1f s; every seeded member's password is \"%s\"\n", seed_now() - t0, password);
		if (!maintained)
			printf("member flags and savers lists are not set: run livecard-reconcile\n");
		else if (drift > 0)
			printf("member flags and savers lists set, %lld in 1000 saved cards spoiled: run livecard-reconcile\n",
			       drift);
	}
	db_close(db);
	arena_reset(&a);
	return status;
}

/* a run of the nightly job whose heartbeat stopped this long ago is taken
 * over by the next run (livecard-reconcile --stale-minutes, default 10) */
#define RECONCILE_STALE_SECONDS 600

/* show_status: the outbox in one line (make status): messages by status, and
 * those sent after an attempt that may have delivered them already
 * (possible duplicates: same Message-ID, docs/outbox.md); then the nightly
 * job's line (batchrun_status). */
static int show_status(void)
{
	struct db *db = NULL;
	struct arena a;
	struct outbox_stats st;
	int rc = 0;

	arena_init(&a);
	if (db_open(&db) != ERR_OK || outbox_stats(db, &a, &st) != ERR_OK) {
		fprintf(stderr, "livecardctl: cannot read the outbox\n");
		rc = 1;
	} else {
		printf("outbox: %lld queued, %lld sending, %lld sent, %lld failed; "
		       "%lld possible duplicate%s (sent after a connection dropped after the end of DATA)",
		       st.queued, st.sending, st.sent, st.failed, st.possible_duplicates,
		       st.possible_duplicates == 1 ? "" : "s");
		if (st.possibly_delivered)
			printf(", %lld more possibly delivered and not yet sent", st.possibly_delivered);
		printf("\n");
	}
	/* the nightly job: its last run, or the one running now (docs/reconcile.md) */
	const char *line;
	if (rc == 0 && batchrun_status(db, &a, "reconcile", RECONCILE_STALE_SECONDS, &line) == ERR_OK) {
		printf("%s\n", line);
	} else if (rc == 0) {
		fprintf(stderr, "livecardctl: cannot read the nightly job's runs\n");
		rc = 1;
	}
	db_close(db);
	arena_reset(&a);
	return rc;
}

/* fold_search: give every folder entry without one its search_fold
 * (folder_fold_backfill), 500 a statement batch, each batch committed by
 * itself: entries written before sql/021_search_fold.sql, or by seed, are
 * then searched on the index like the rest (docs/deploy.md). */
static int fold_search(void)
{
	struct db *db = NULL;
	struct arena a;
	long long after = 0, last, filled, total = 0;
	enum err e = ERR_OK;

	arena_init(&a);
	if (db_open(&db) != ERR_OK) {
		fprintf(stderr, "livecardctl: cannot reach the database\n");
		return 1;
	}
	do {
		e = folder_fold_backfill(db, &a, after, 500, &last, &filled);
		after = last;
		total += filled;
		arena_reset(&a);
		arena_init(&a);
	} while (e == ERR_OK && last > 0);
	if (e == ERR_OK)
		printf("fold-search: %lld entries folded\n", total);
	else
		fprintf(stderr, "livecardctl: fold-search stopped after %lld entries (%s)\n", total, err_reason(e));
	db_close(db);
	arena_reset(&a);
	return e == ERR_OK ? 0 : 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: livecardctl COMMAND\n"
		"  migrate                   create or upgrade the schema (sql/NNN_*.sql in order)\n"
		"  seed --users N --cards M [--maintained [--drift PERMILLE]]\n"
		"                            add N synthetic members and M saved cards (demos, benchmarks);\n"
		"                            --maintained: with the member flags and savers lists set,\n"
		"                            --drift: PERMILLE of every 1000 saved cards spoiled\n"
		"  status                    the outbox: messages by status, possible duplicates;\n"
		"                            the nightly job: its last run, or its progress now\n"
		"  fold-search               give saved cards written before migration 021 (or by seed)\n"
		"                            their search fold, so that search uses its index for them\n");
}

int main(int argc, char **argv)
{
	log_set_ident("livecardctl");
	if (argc < 2) {
		usage();
		return 2;
	}
	if (config_load(NULL) != 0)
		return 1;
	if (strcmp(argv[1], "migrate") == 0)
		return migrate();
	if (strcmp(argv[1], "seed") == 0)
		return seed(argc, argv);
	if (strcmp(argv[1], "status") == 0)
		return show_status();
	if (strcmp(argv[1], "fold-search") == 0)
		return fold_search();
	usage();
	return 2;
}
