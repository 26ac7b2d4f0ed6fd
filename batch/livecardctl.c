/* livecardctl.c: administration: apply schema migrations, fill a database with synthetic data. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"

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
 * (seq_1_to_N, built in), SEED_CHUNK rows per statement; the values are
 * derived from the row number by CRC32, so the same arguments give the same
 * data (only share tokens are random). Flags and savers lists are left for
 * livecard-reconcile to compute, as after a restore. */

#define SEED_CHUNK 20000LL
#define SEED_SEQ "seq_1_to_4000000000"

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
 * from the member's link; the others are non-members, half with a phone */
#define E_HOLDER "(? + 1 + FLOOR(? * POW(" H("h", "s.seq") " / 4294967296, 2)))"
#define E_TARGET "(? + 1 + " H("g", "s.seq") " % ?)"
static const char seed_entries_sql[] =
	"INSERT IGNORE INTO folder_entries (id, holder_id, uid, data, full_name, search_text, notes, source_card_id, "
	"synced_revision, change_seq, created_at, updated_at) "
	"SELECT ? + x.seq, x.holder, CONCAT('seed-', ? + x.seq), "
	"JSON_OBJECT('full_name', x.name, 'organization', x.org, 'title', x.title, "
	"'emails', JSON_ARRAY(JSON_OBJECT('type', 'work', 'value', x.email)), "
	"'phones', IF(x.phone IS NULL, JSON_ARRAY(), JSON_ARRAY(JSON_OBJECT('type', 'cell', 'value', x.phone)))), "
	"x.name, LOWER(CONCAT_WS(' ', x.name, x.org, x.email, x.phone)), '', x.card, IF(x.card IS NULL, NULL, 1), "
	"? + x.seq, x.t, x.t FROM ("
	"SELECT s.seq, " E_HOLDER " AS holder, "
	"IF(m.id IS NULL, CONCAT(" FIRST_EN ", ' ', " LAST_EN "), m.full_name) AS name, " ORG " AS org, "
	TITLE " AS title, IF(m.id IS NULL, CONCAT('contact', s.seq, '@', " DOMAIN(H("d", "s.seq")) "), m.email) AS email, "
	"IF(m.id IS NULL, IF(" H("q", "s.seq") " % 2 = 0, CONCAT('+1555', LPAD(s.seq % 10000000, 7, '0')), NULL), "
	"(SELECT MIN(p.phone) FROM user_phones p WHERE p.user_id = m.id)) AS phone, "
	"IF(m.id IS NOT NULL AND " H("k", "s.seq") " % 6 = 0, (SELECT c.id FROM cards c WHERE c.user_id = m.id), NULL) AS card, "
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
	long long v[7];
	const char *str;
	int twice;
	long long offset;
};

/* seed_step: run sql over rows 1..n, SEED_CHUNK rows per statement.
 * Returns 0, or 1 with a message. */
static int seed_step(struct db *db, const char *label, const char *sql, long long n,
		     const struct seed_args *sa)
{
	double t0 = seed_now(), last = t0;
	unsigned long long rows = 0;
	const long long *v = sa->v;

	for (long long lo = 1; lo <= n; lo += SEED_CHUNK) {
		long long hi = lo + SEED_CHUNK - 1 < n ? lo + SEED_CHUNK - 1 : n;
		long long a = lo + sa->offset, b = hi + sa->offset;
		enum err e;

		if (sa->str)
			e = db_exec(db, sql, "iisii", v[0], v[1], sa->str, a, b);
		else if (sa->twice)
			e = db_exec(db, sql, "iiii", a, b, a, b);
		else if (sa->n == 0)
			e = db_exec(db, sql, "ii", a, b);
		else if (sa->n == 1)
			e = db_exec(db, sql, "iii", v[0], a, b);
		else if (sa->n == 2)
			e = db_exec(db, sql, "iiii", v[0], v[1], a, b);
		else if (sa->n == 7)
			e = db_exec(db, sql, "iiiiiiiii", v[0], v[1], v[2], v[3], v[4], v[5], v[6], a, b);
		else
			e = ERR_INTERNAL;
		if (e != ERR_OK) {
			fprintf(stderr, "livecardctl: seed: %s failed at rows %lld..%lld\n", label, lo, hi);
			return 1;
		}
		rows += db_affected(db);
		if (seed_now() - last > 5.0) {
			last = seed_now();
			fprintf(stderr, "livecardctl: seed: %s %lld%%\n", label, hi * 100 / n);
		}
	}
	printf("  %-14s %10llu rows  %6.1f s\n", label, rows, seed_now() - t0);
	fflush(stdout);
	return 0;
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

/* seed: --users N --cards M: N new members and M saved cards spread over
 * the folders of the new members; ids continue after the existing rows. */
static int seed(int argc, char **argv)
{
	long long users = -1, cards = -1, ubase, ebase;
	struct db *db = NULL;
	struct arena a;
	struct db_result res;
	const char *password = "seed-password";
	char *hash;
	double t0 = seed_now();
	int status = 0;

	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--users") == 0 && i + 1 < argc) {
			if (parse_count(argv[++i], 100000000LL, &users) != 0)
				users = -2;
		} else if (strcmp(argv[i], "--cards") == 0 && i + 1 < argc) {
			if (parse_count(argv[++i], 2000000000LL, &cards) != 0)
				cards = -2;
		} else {
			users = -2;
		}
	}
	if (users < 1 || cards < 0) {
		fprintf(stderr, "usage: livecardctl seed --users N --cards M   (N >= 1; 100k and 2M work too)\n");
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
	/* bulk loading: the rows are consistent by construction (every id they
	 * name is made first), so the foreign-key lookups are skipped; unique
	 * checks stay (INSERT IGNORE relies on them) */
	db_exec(db, "SET SESSION foreign_key_checks = 0", "");
	printf("seeding %lld users and %lld saved cards (users %lld.., entries %lld..)\n", users, cards,
	       ubase + 1, ebase + 1);
	{
		struct seed_args u = { .n = 2, .v = { ubase, ubase }, .str = hash };
		struct seed_args p = { .n = 2, .v = { ubase, ubase } };
		struct seed_args k = { .offset = ubase };
		struct seed_args c = { .n = 1, .v = { ubase } };
		/* entry ids, uids and change_seq; the holder's (base, n); the member's (base, n) */
		struct seed_args e = { .n = 7, .v = { ebase, ebase, ebase, ubase, users, ubase, users } };
		struct seed_args kk = { .twice = 1, .offset = ebase };
		struct seed_args f = { .offset = ebase };

		status = seed_step(db, "users", seed_users_sql, users, &u) ||
			 seed_step(db, "phones", seed_phones_sql, users, &p) ||
			 seed_step(db, "e-mail keys", seed_keys_email_sql, users, &k) ||
			 seed_step(db, "phone keys", seed_keys_phone_sql, users, &k) ||
			 seed_step(db, "own cards", seed_cards_sql, users, &c) ||
			 seed_step(db, "revisions", seed_revisions_sql, users, &k) ||
			 (cards > 0 && seed_step(db, "saved cards", seed_entries_sql, cards, &e)) ||
			 (cards > 0 && seed_step(db, "card keys", seed_card_keys_sql, cards, &kk)) ||
			 (cards > 0 && seed_step(db, "folders", seed_folders_sql, cards, &f));
	}
	if (status == 0) {
		printf("seeded in %.1f s; every seeded member's password is \"%s\"\n", seed_now() - t0, password);
		printf("member flags and savers lists are not set: run livecard-reconcile\n");
	}
	db_close(db);
	arena_reset(&a);
	return status;
}

static void usage(void)
{
	fprintf(stderr, "usage: livecardctl COMMAND\n"
		"  migrate                   create or upgrade the schema (sql/NNN_*.sql in order)\n"
		"  seed --users N --cards M  add N synthetic members and M saved cards (demos, benchmarks)\n");
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
	usage();
	return 2;
}
