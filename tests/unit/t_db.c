/* t_db.c: lib/db.c against a real MariaDB (the statement cache keyed by SQL text); skipped without LIVECARD_CONF, run by tests/integration/005-db-cache.t. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "arena.h"
#include "config.h"
#include "db.h"

int main(void)
{
	struct arena A;
	struct db *db = NULL;
	struct db_result res;
	char buf[128];

	if (getenv("LIVECARD_CONF") == NULL) {
		printf("1..0 # SKIP needs a database: tests/integration/005-db-cache.t runs it\n");
		return 0;
	}
	if (config_load(NULL) != 0 || db_open(&db) != ERR_OK) {
		printf("Bail out! no database\n");
		return 1;
	}
	arena_init(&A);

	/* one buffer, two statements: the second must not run the first */
	snprintf(buf, sizeof(buf), "SELECT ? + 1");
	ok(db_query(db, &A, &res, buf, "i", 41LL) == ERR_OK && res.nrows == 1, "first statement runs");
	is_str(db_cell(&res, 0, 0), "42", "first statement's answer");
	snprintf(buf, sizeof(buf), "SELECT CONCAT(?, 'x'), ?");
	ok(db_query(db, &A, &res, buf, "si", "a", 7LL) == ERR_OK && res.nrows == 1 && res.ncols == 2,
	   "a different text in the same buffer is prepared anew (two columns)");
	is_str(db_cell(&res, 0, 0), "ax", "second statement's first column");
	is_str(db_cell(&res, 0, 1), "7", "second statement's second column");

	/* the same text from another buffer finds the cached statement and is right */
	char other[128];
	snprintf(other, sizeof(other), "SELECT ? + 1");
	ok(db_query(db, &A, &res, other, "i", 1LL) == ERR_OK, "the first text again, from another buffer");
	is_str(db_cell(&res, 0, 0), "2", "its answer");
	snprintf(buf, sizeof(buf), "SELECT ? + 1");
	ok(db_query(db, &A, &res, buf, "i", 99LL) == ERR_OK, "and from the reused buffer");
	is_str(db_cell(&res, 0, 0), "100", "its answer");

	/* more statements than the cache holds, then the first ones again */
	int wrong = -1;
	for (int i = 0; i < 80 && wrong < 0; i++) {
		snprintf(buf, sizeof(buf), "SELECT ? + %d", i);
		if (db_query(db, &A, &res, buf, "i", 1LL) != ERR_OK ||
		    db_cell_int(&res, 0, 0, -1) != 1 + i)
			wrong = i;
	}
	is_int(wrong, -1, "80 statements through one buffer, each with its own answer");
	snprintf(buf, sizeof(buf), "SELECT ? + 3");
	ok(db_query(db, &A, &res, buf, "i", 1LL) == ERR_OK, "an evicted text is prepared again");
	is_int(db_cell_int(&res, 0, 0, -1), 4, "its answer");

	arena_reset(&A);
	db_close(db);
	return done_testing();
}
