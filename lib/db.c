/* db.c: MariaDB Connector/C prepared statements, a statement cache and reconnect. */
#include "db.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>

#include "config.h"
#include "log.h"

#define DB_CACHE 64
#define DB_MAX_PARAMS 64

/* A cached statement keeps its own copy of the SQL text: the cache is keyed
 * by the text, never by the caller's pointer (a buffer reused for another
 * statement must not find the old one). */
struct db_cached {
	char *sql;
	MYSQL_STMT *stmt;
};

struct db {
	MYSQL *conn;
	int in_tx;
	unsigned long long affected, insert_id;
	struct db_cached cache[DB_CACHE];
	size_t cache_next;
	size_t node;		/* DB.Nodes: the entry connected to (or tried last) */
	unsigned retryable;	/* failures that make the whole transaction worth re-running */
};

/* One bound parameter set, decoded from the type string and va_list. */
struct db_params {
	size_t n;
	MYSQL_BIND bind[DB_MAX_PARAMS];
	long long ints[DB_MAX_PARAMS];
	unsigned long lens[DB_MAX_PARAMS];
	char nulls[DB_MAX_PARAMS];
};

static void cache_clear(struct db *db)
{
	for (size_t i = 0; i < DB_CACHE; i++) {
		if (db->cache[i].stmt)
			mysql_stmt_close(db->cache[i].stmt);
		db->cache[i].stmt = NULL;
		free(db->cache[i].sql);
		db->cache[i].sql = NULL;
	}
	db->cache_next = 0;
}

/* node_connect: connect db->conn (initialised) to entry k of DB.Nodes, a
 * comma-separated list of host:port or socket paths (0 when it answered). */
static int node_connect(struct db *db, const char *nodes, size_t k)
{
	char entry[256];
	const char *p = nodes;
	unsigned port = 0;

	for (size_t i = 0; i < k && p; i++) {
		p = strchr(p, ',');
		if (p)
			p++;
	}
	if (p == NULL)
		return -1;
	p += strspn(p, " \t");
	snprintf(entry, sizeof(entry), "%.*s", (int)strcspn(p, ", \t"), p);
	if (entry[0] == '/')
		return mysql_real_connect(db->conn, NULL, cfg.db_user, cfg.db_password, cfg.db_name, 0,
					  entry, CLIENT_MULTI_STATEMENTS | CLIENT_FOUND_ROWS) ? 0 : -1;
	char *colon = strrchr(entry, ':');
	if (colon) {
		*colon = '\0';
		port = (unsigned)strtoul(colon + 1, NULL, 10);
	}
	return mysql_real_connect(db->conn, entry, cfg.db_user, cfg.db_password, cfg.db_name, port,
				  NULL, CLIENT_MULTI_STATEMENTS | CLIENT_FOUND_ROWS) ? 0 : -1;
}

/* db_connect: a fresh connection. With DB.Nodes, the nodes are tried in
 * turn from the one used last, or from the next one when move_on (the last
 * one failed): a lost node's clients move to the next node that answers. */
static enum err db_connect(struct db *db, int move_on)
{
	unsigned int timeout = 5;
	my_bool off = 0;
	const char *nodes = config_get("DB.Nodes", "");
	size_t n = *nodes ? 1 : 0;

	for (const char *c = nodes; *c; c++)
		n += *c == ',';
	if (n) {
		timeout = 2;	/* a node that does not answer is skipped soon */
		for (size_t i = 0; i < n; i++) {
			size_t k = (db->node + (move_on ? 1 : 0) + i) % n;
			if (db->conn) {
				cache_clear(db);
				mysql_close(db->conn);
			}
			db->conn = mysql_init(NULL);
			if (db->conn == NULL)
				return ERR_INTERNAL;
			mysql_options(db->conn, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
			mysql_options(db->conn, MYSQL_OPT_RECONNECT, &off);
			mysql_options(db->conn, MYSQL_SET_CHARSET_NAME, "utf8mb4");
			mysql_options(db->conn, MYSQL_INIT_COMMAND,
				      "SET time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,"
				      "NO_ENGINE_SUBSTITUTION,ERROR_FOR_DIVISION_BY_ZERO'");
			if (node_connect(db, nodes, k) == 0) {
				if (k != db->node || move_on)
					log_warn("db: connected to node %zu of DB.Nodes", k + 1);
				db->node = k;
				db->in_tx = 0;
				return ERR_OK;
			}
			log_warn("db: node %zu of DB.Nodes: %s", k + 1, mysql_error(db->conn));
		}
		log_error("db: no node of DB.Nodes answers");
		mysql_close(db->conn);
		db->conn = NULL;
		return ERR_UNAVAILABLE;
	}

	if (db->conn) {
		cache_clear(db);
		mysql_close(db->conn);
	}
	db->conn = mysql_init(NULL);
	if (db->conn == NULL)
		return ERR_INTERNAL;
	mysql_options(db->conn, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(db->conn, MYSQL_OPT_RECONNECT, &off);
	mysql_options(db->conn, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(db->conn, MYSQL_INIT_COMMAND,
		      "SET time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,"
		      "NO_ENGINE_SUBSTITUTION,ERROR_FOR_DIVISION_BY_ZERO'");
	if (!mysql_real_connect(db->conn, cfg.db_host, cfg.db_user, cfg.db_password,
				cfg.db_name, cfg.db_port, cfg.db_socket,
				CLIENT_MULTI_STATEMENTS | CLIENT_FOUND_ROWS)) {
		log_error("db: connect failed: %s", mysql_error(db->conn));
		mysql_close(db->conn);
		db->conn = NULL;
		return ERR_UNAVAILABLE;
	}
	db->in_tx = 0;
	return ERR_OK;
}

enum err db_open(struct db **out)
{
	struct db *db = calloc(1, sizeof(*db));
	if (db == NULL)
		return ERR_INTERNAL;
	*out = db;
	return db_connect(db, 0);
}

void db_close(struct db *db)
{
	if (db == NULL)
		return;
	cache_clear(db);
	if (db->conn)
		mysql_close(db->conn);
	free(db);
}

static int is_gone(unsigned int code)
{
	return code == CR_SERVER_GONE_ERROR || code == CR_SERVER_LOST ||
	       code == CR_CONNECTION_ERROR || code == CR_CONN_HOST_ERROR ||
	       code == CR_SERVER_LOST_EXTENDED || code == ER_CONNECTION_KILLED ||
	       code == ER_SERVER_SHUTDOWN || code == CR_COMMANDS_OUT_OF_SYNC ||
	       code == ER_UNKNOWN_COM_ERROR;	/* 1047: a Galera node outside the primary component */
}

static enum err map_error(struct db *db, unsigned int code, const char *msg, const char *sql)
{
	if (code == ER_DUP_ENTRY || code == ER_DUP_KEY)
		return ERR_CONFLICT;
	if (code == ER_LOCK_DEADLOCK || (is_gone(code) && db->in_tx && strcmp(sql, "COMMIT") != 0))
		db->retryable++;	/* lost certification, or a node lost before COMMIT */
	if (is_gone(code)) {
		log_warn("db: server gone (%u): %s", code, msg);
		db->in_tx = 0;
		return ERR_UNAVAILABLE;
	}
	if (code == ER_LOCK_DEADLOCK || code == ER_LOCK_WAIT_TIMEOUT) {
		log_warn("db: %s (%u) in: %.80s", msg, code, sql);
		return ERR_UNAVAILABLE;
	}
	log_error("db: error %u: %s in: %.120s", code, msg, sql);
	return ERR_INTERNAL;
}

/* stmt_get: the cached prepared statement whose SQL text equals sql,
 * preparing (and caching a copy of the text) if new. Sets *code on failure. */
static MYSQL_STMT *stmt_get(struct db *db, const char *sql, unsigned int *code, const char **msg)
{
	size_t i;
	MYSQL_STMT *st;

	for (i = 0; i < DB_CACHE; i++)
		if (db->cache[i].stmt && strcmp(db->cache[i].sql, sql) == 0)
			return db->cache[i].stmt;
	if (db->conn == NULL) {
		*code = CR_SERVER_GONE_ERROR;
		*msg = "not connected";
		return NULL;
	}
	st = mysql_stmt_init(db->conn);
	if (st == NULL) {
		*code = mysql_errno(db->conn);
		*msg = mysql_error(db->conn);
		return NULL;
	}
	if (mysql_stmt_prepare(st, sql, (unsigned long)strlen(sql)) != 0) {
		*code = mysql_stmt_errno(st);
		*msg = mysql_stmt_error(st);
		/* keep the message alive past the close */
		static char last[256];
		snprintf(last, sizeof(last), "%s", *msg);
		*msg = last;
		mysql_stmt_close(st);
		return NULL;
	}
	my_bool on = 1;
	mysql_stmt_attr_set(st, STMT_ATTR_UPDATE_MAX_LENGTH, &on);
	char *copy = strdup(sql);
	if (copy == NULL) {
		mysql_stmt_close(st);
		*code = CR_OUT_OF_MEMORY;
		*msg = "out of memory";
		return NULL;
	}
	i = db->cache_next++ % DB_CACHE;
	if (db->cache[i].stmt)
		mysql_stmt_close(db->cache[i].stmt);
	free(db->cache[i].sql);
	db->cache[i].sql = copy;
	db->cache[i].stmt = st;
	return st;
}

static int params_decode(struct db_params *p, const char *types, va_list ap)
{
	size_t n = strlen(types);
	if (n > DB_MAX_PARAMS)
		return -1;
	memset(p->bind, 0, sizeof(MYSQL_BIND) * n);
	p->n = n;
	for (size_t i = 0; i < n; i++) {
		MYSQL_BIND *b = &p->bind[i];
		switch (types[i]) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			b->buffer_type = MYSQL_TYPE_STRING;
			if (s == NULL) {
				b->buffer_type = MYSQL_TYPE_NULL;
			} else {
				b->buffer = (void *)s;
				p->lens[i] = (unsigned long)strlen(s);
				b->buffer_length = p->lens[i];
				b->length = &p->lens[i];
			}
			break;
		}
		case 'i':
			p->ints[i] = va_arg(ap, long long);
			b->buffer_type = MYSQL_TYPE_LONGLONG;
			b->buffer = &p->ints[i];
			break;
		case 'b': {
			const void *v = va_arg(ap, const void *);
			size_t len = va_arg(ap, size_t);
			if (v == NULL) {
				b->buffer_type = MYSQL_TYPE_NULL;
			} else {
				b->buffer_type = MYSQL_TYPE_BLOB;
				b->buffer = (void *)v;
				p->lens[i] = (unsigned long)len;
				b->buffer_length = p->lens[i];
				b->length = &p->lens[i];
			}
			break;
		}
		default:
			return -1;
		}
	}
	return 0;
}

/* run: prepare (cached), bind and execute; on a lost server outside a
 * transaction, reconnect and try once more. */
static enum err run(struct db *db, const char *sql, struct db_params *p, MYSQL_STMT **out)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		unsigned int code = 0;
		const char *msg = "";
		MYSQL_STMT *st = stmt_get(db, sql, &code, &msg);

		if (st) {
			if (mysql_stmt_param_count(st) != p->n) {
				log_error("db: %lu placeholders but %zu parameters in: %.120s",
					  mysql_stmt_param_count(st), p->n, sql);
				return ERR_INTERNAL;
			}
			if ((p->n && mysql_stmt_bind_param(st, p->bind)) || mysql_stmt_execute(st)) {
				code = mysql_stmt_errno(st);
				msg = mysql_stmt_error(st);
			} else {
				*out = st;
				return ERR_OK;
			}
		}
		if (!is_gone(code) || db->in_tx || attempt == 1)
			return map_error(db, code, msg, sql);
		log_warn("db: connection lost (%u), reconnecting", code);
		if (db_connect(db, 1) != ERR_OK)
			return ERR_UNAVAILABLE;
	}
	return ERR_UNAVAILABLE;
}

enum err db_exec(struct db *db, const char *sql, const char *types, ...)
{
	struct db_params p;
	MYSQL_STMT *st;
	va_list ap;
	enum err e;

	va_start(ap, types);
	int bad = params_decode(&p, types, ap);
	va_end(ap);
	if (bad) {
		log_error("db: bad parameter types '%s'", types);
		return ERR_INTERNAL;
	}
	e = run(db, sql, &p, &st);
	if (e != ERR_OK)
		return e;
	db->affected = mysql_stmt_affected_rows(st);
	db->insert_id = mysql_stmt_insert_id(st);
	/* a statement that returned rows anyway must be drained */
	if (mysql_stmt_field_count(st) > 0)
		mysql_stmt_free_result(st);
	return ERR_OK;
}

enum err db_query(struct db *db, struct arena *a, struct db_result *res,
		  const char *sql, const char *types, ...)
{
	struct db_params p;
	MYSQL_STMT *st;
	MYSQL_RES *meta;
	va_list ap;
	enum err e;

	memset(res, 0, sizeof(*res));
	va_start(ap, types);
	int bad = params_decode(&p, types, ap);
	va_end(ap);
	if (bad) {
		log_error("db: bad parameter types '%s'", types);
		return ERR_INTERNAL;
	}
	e = run(db, sql, &p, &st);
	if (e != ERR_OK)
		return e;
	if (mysql_stmt_store_result(st) != 0)
		return map_error(db, mysql_stmt_errno(st), mysql_stmt_error(st), sql);
	meta = mysql_stmt_result_metadata(st);
	if (meta == NULL) {
		mysql_stmt_free_result(st);
		return ERR_OK;
	}
	size_t ncols = mysql_num_fields(meta);
	size_t nrows = (size_t)mysql_stmt_num_rows(st);
	MYSQL_FIELD *fields = mysql_fetch_fields(meta);
	MYSQL_BIND *binds = arena_alloc(a, sizeof(MYSQL_BIND) * (ncols ? ncols : 1));
	unsigned long *lens = arena_alloc(a, sizeof(unsigned long) * (ncols ? ncols : 1));
	my_bool *nulls = arena_alloc(a, sizeof(my_bool) * (ncols ? ncols : 1));
	char **bufs = arena_alloc(a, sizeof(char *) * (ncols ? ncols : 1));

	for (size_t c = 0; c < ncols; c++) {
		/* numbers print in at most 64 characters; text and blobs report
		 * their longest value thanks to STMT_ATTR_UPDATE_MAX_LENGTH */
		unsigned long cap = fields[c].max_length + 1;
		if (cap < 64)
			cap = 64;
		bufs[c] = arena_alloc(a, cap);
		binds[c].buffer_type = MYSQL_TYPE_STRING;
		binds[c].buffer = bufs[c];
		binds[c].buffer_length = cap;
		binds[c].length = &lens[c];
		binds[c].is_null = &nulls[c];
	}
	mysql_free_result(meta);
	res->ncols = ncols;
	res->cells = arena_alloc(a, sizeof(char *) * (nrows * ncols + 1));
	res->lens = arena_alloc(a, sizeof(unsigned long) * (nrows * ncols + 1));
	if (ncols && mysql_stmt_bind_result(st, binds)) {
		e = map_error(db, mysql_stmt_errno(st), mysql_stmt_error(st), sql);
		mysql_stmt_free_result(st);
		return e;
	}
	size_t r = 0;
	for (;;) {
		int rc = mysql_stmt_fetch(st);
		if (rc == MYSQL_NO_DATA)
			break;
		if (rc == 1) {
			e = map_error(db, mysql_stmt_errno(st), mysql_stmt_error(st), sql);
			mysql_stmt_free_result(st);
			return e;
		}
		if (r >= nrows)
			break;
		for (size_t c = 0; c < ncols; c++) {
			size_t i = r * ncols + c;
			if (nulls[c]) {
				res->cells[i] = NULL;
				res->lens[i] = 0;
			} else {
				unsigned long len = lens[c];
				if (len >= binds[c].buffer_length)
					len = binds[c].buffer_length - 1;	/* cannot happen with max_length */
				res->cells[i] = arena_memdup(a, bufs[c], len);
				res->lens[i] = len;
			}
		}
		r++;
	}
	res->nrows = r;
	mysql_stmt_free_result(st);
	return ERR_OK;
}

unsigned long long db_affected(const struct db *db)
{
	return db->affected;
}

unsigned long long db_insert_id(const struct db *db)
{
	return db->insert_id;
}

enum err db_begin(struct db *db)
{
	enum err e;
	if (db->in_tx) {
		log_error("db: nested transaction");
		return ERR_INTERNAL;
	}
	e = db_exec(db, "START TRANSACTION", "");
	if (e == ERR_OK)
		db->in_tx = 1;
	return e;
}

enum err db_commit(struct db *db)
{
	enum err e = db_exec(db, "COMMIT", "");
	db->in_tx = 0;
	return e;
}

void db_rollback(struct db *db)
{
	if (db->in_tx && db->conn) {
		if (mysql_rollback(db->conn))
			log_warn("db: rollback failed: %s", mysql_error(db->conn));
	}
	db->in_tx = 0;
}

int db_in_transaction(const struct db *db)
{
	return db->in_tx;
}

const char *db_cell(const struct db_result *r, size_t row, size_t col)
{
	if (row >= r->nrows || col >= r->ncols)
		return NULL;
	return r->cells[row * r->ncols + col];
}

long long db_cell_int(const struct db_result *r, size_t row, size_t col, long long def)
{
	const char *s = db_cell(r, row, col);
	char *end;
	long long v;
	if (s == NULL || *s == '\0')
		return def;
	v = strtoll(s, &end, 10);
	return *end == '\0' ? v : def;
}

enum err db_exec_script(struct db *db, const char *sql)
{
	if (db->conn == NULL && db_connect(db, 0) != ERR_OK)
		return ERR_UNAVAILABLE;
	cache_clear(db);
	if (mysql_real_query(db->conn, sql, (unsigned long)strlen(sql)) != 0)
		return map_error(db, mysql_errno(db->conn), mysql_error(db->conn), sql);
	do {
		MYSQL_RES *r = mysql_store_result(db->conn);
		if (r)
			mysql_free_result(r);
		else if (mysql_errno(db->conn))
			return map_error(db, mysql_errno(db->conn), mysql_error(db->conn), sql);
	} while (mysql_next_result(db->conn) == 0);
	if (mysql_errno(db->conn))
		return map_error(db, mysql_errno(db->conn), mysql_error(db->conn), sql);
	return ERR_OK;
}

enum err db_ping(struct db *db)
{
	if (db->conn && mysql_ping(db->conn) == 0)
		return ERR_OK;
	if (db->in_tx)
		return ERR_UNAVAILABLE;
	return db_connect(db, db->conn != NULL);
}

unsigned db_retryable(const struct db *db)
{
	return db->retryable;
}
