/* db.h: MariaDB through prepared statements only, with reconnect. */
#ifndef LIVECARD_DB_H
#define LIVECARD_DB_H

#include <stddef.h>

#include "arena.h"
#include "err.h"

struct db;

/* A materialised result: cell (r, c) is cells[r * ncols + c], NULL for SQL
 * NULL, always NUL-terminated (binary columns too; lens gives the length).
 * Owned by the arena passed to db_query. */
struct db_result {
	size_t nrows, ncols;
	char **cells;
	unsigned long *lens;
};

/* db_open: connect with the settings in cfg. Returns ERR_OK and *out, or
 * ERR_UNAVAILABLE (logged). The handle reconnects by itself later. */
enum err db_open(struct db **out);

/* db_close: close the connection and free the handle (NULL is fine). */
void db_close(struct db *db);

/* Statement cache: each handle keeps up to 64 prepared statements, found by
 * their SQL text (compared with strcmp, a copy of the text is kept), so a
 * caller may pass SQL from a literal or from a buffer it builds and reuses:
 * the same text reuses the prepared statement, a different text in the same
 * buffer is prepared anew. SQL text is never assembled from input (bind it).
 *
 * Parameter types, one letter per '?' in the SQL:
 *   's'  const char *        text (NULL binds SQL NULL)
 *   'i'  long long           integer
 *   'b'  const void *, size_t  binary bytes (NULL binds SQL NULL)
 * A statement that fails because the server went away is retried once on
 * a new connection when no transaction is open. A duplicate key gives
 * ERR_CONFLICT; a lost server ERR_UNAVAILABLE; anything else ERR_INTERNAL
 * (all logged, without parameter values). */

/* db_exec: run a statement without a result set. */
enum err db_exec(struct db *db, const char *sql, const char *types, ...);

/* db_query: run a statement and materialise its rows into *res (in a). */
enum err db_query(struct db *db, struct arena *a, struct db_result *res,
		  const char *sql, const char *types, ...);

/* db_affected: rows changed by the last db_exec. */
unsigned long long db_affected(const struct db *db);

/* db_insert_id: AUTO_INCREMENT value made by the last db_exec. */
unsigned long long db_insert_id(const struct db *db);

/* db_begin / db_commit / db_rollback: transactions (REPEATABLE READ).
 * db_rollback is safe to call when no transaction is open. */
enum err db_begin(struct db *db);
enum err db_commit(struct db *db);
void db_rollback(struct db *db);

/* db_in_transaction: whether a transaction is open. */
int db_in_transaction(const struct db *db);

/* db_cell: text of cell (row, col), or NULL (SQL NULL or out of range). */
const char *db_cell(const struct db_result *r, size_t row, size_t col);

/* db_cell_int: integer value of cell (row, col), def when NULL/invalid. */
long long db_cell_int(const struct db_result *r, size_t row, size_t col, long long def);

/* db_exec_script: run trusted multi-statement SQL text (migrations only:
 * never text that contains input). */
enum err db_exec_script(struct db *db, const char *sql);

/* db_ping: check the connection, reconnecting when it was lost. */
enum err db_ping(struct db *db);

/* db_retryable: how many failures this handle has met that make the whole
 * unit of work worth re-running from its start (a 1213 deadlock, which is
 * also how Galera reports a write that lost certification; a connection
 * lost inside a transaction before its COMMIT). A caller compares the
 * count before and after the unit. */
unsigned db_retryable(const struct db *db);

#endif
