/* livecardctl.c: administration: apply schema migrations (and, later, seed data). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "config.h"
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

static void usage(void)
{
	fprintf(stderr, "usage: livecardctl COMMAND\n"
		"  migrate    create or upgrade the schema (sql/NNN_*.sql in order)\n");
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
	usage();
	return 2;
}
