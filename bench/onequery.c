/* onequery.c: `make bench`'s bare one-query page: libfcgi, one prepared SELECT by share token on MariaDB and a ClearSilver render of a 5-field card template, no livecard code. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ClearSilver.h>
#include <fcgiapp.h>
#include <mysql.h>

/* The page: five fields of the card, escaped as livecard's templates are. */
static const char page_cs[] =
	"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	"<title><?cs var:Card.FullName ?></title></head><body>\n"
	"<article class=\"card\">\n<h1><?cs var:Card.FullName ?></h1>\n"
	"<p class=\"title\"><?cs var:Card.Title ?></p>\n"
	"<p class=\"org\"><?cs var:Card.Organization ?></p>\n"
	"<p><a href=\"mailto:<?cs var:Card.Email ?>\"><?cs var:Card.Email ?></a></p>\n"
	"<p><?cs var:Card.Phone ?></p>\n</article>\n</body></html>\n";

/* The one query: the five values by token, in MariaDB (no JSON parsing in C). */
static const char query[] =
	"SELECT JSON_VALUE(data, '$.full_name'), JSON_VALUE(data, '$.title'), "
	"JSON_VALUE(data, '$.organization'), JSON_VALUE(data, '$.emails[0].value'), "
	"JSON_VALUE(data, '$.phones[0].value') FROM cards WHERE share_token = ?";

#define NF 5
static const char *const names[NF] = {
	"Card.FullName", "Card.Title", "Card.Organization", "Card.Email", "Card.Phone",
};

struct dbconf {
	const char *socket, *host, *user, *password, *name;
	unsigned port;
};

static MYSQL *conn;
static MYSQL_STMT *stmt;

static int db_up(const struct dbconf *c)
{
	conn = mysql_init(NULL);
	mysql_options(conn, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	if (!mysql_real_connect(conn, c->host, c->user, c->password, c->name, c->port, c->socket, 0)) {
		fprintf(stderr, "onequery: %s\n", mysql_error(conn));
		return -1;
	}
	stmt = mysql_stmt_init(conn);
	if (stmt == NULL || mysql_stmt_prepare(stmt, query, sizeof(query) - 1) != 0) {
		fprintf(stderr, "onequery: %s\n", mysql_error(conn));
		return -1;
	}
	return 0;
}

static NEOERR *out_cb(void *ctx, char *s)
{
	return string_append((STRING *)ctx, s);
}

/* answer: one request: the token is the last path segment of /bench/onequery/{token}. */
static void answer(FCGX_Request *fr)
{
	const char *uri = FCGX_GetParam("DOCUMENT_URI", fr->envp);
	const char *token = uri ? strrchr(uri, '/') : NULL;
	char vals[NF][1024];
	unsigned long lens[NF];
	my_bool nulls[NF];
	MYSQL_BIND in, out[NF];
	HDF *hdf = NULL;
	CSPARSE *cs = NULL;
	STRING page;
	NEOERR *nerr;
	int found = 0;

	token = token ? token + 1 : "";
	memset(&in, 0, sizeof(in));
	in.buffer_type = MYSQL_TYPE_STRING;
	in.buffer = (void *)token;
	in.buffer_length = strlen(token);
	memset(out, 0, sizeof(out));
	for (int i = 0; i < NF; i++) {
		out[i].buffer_type = MYSQL_TYPE_STRING;
		out[i].buffer = vals[i];
		out[i].buffer_length = sizeof(vals[i]) - 1;
		out[i].length = &lens[i];
		out[i].is_null = &nulls[i];
	}
	if (mysql_stmt_bind_param(stmt, &in) == 0 && mysql_stmt_execute(stmt) == 0 &&
	    mysql_stmt_bind_result(stmt, out) == 0) {
		int rc = mysql_stmt_fetch(stmt);
		found = rc == 0 || rc == MYSQL_DATA_TRUNCATED;
		while (rc == 0 || rc == MYSQL_DATA_TRUNCATED)
			rc = mysql_stmt_fetch(stmt);
		mysql_stmt_free_result(stmt);
	}
	if (!found) {
		FCGX_PutS("Status: 404 Not Found\r\nContent-Type: text/plain\r\n\r\nno such card\n", fr->out);
		return;
	}
	string_init(&page);
	nerr = hdf_init(&hdf);
	if (nerr == STATUS_OK)
		nerr = hdf_set_value(hdf, "Config.VarEscapeMode", "html");
	for (int i = 0; i < NF && nerr == STATUS_OK; i++) {
		size_t n = lens[i] < sizeof(vals[i]) - 1 ? lens[i] : sizeof(vals[i]) - 1;
		vals[i][n] = '\0';
		nerr = hdf_set_value(hdf, names[i], nulls[i] ? "" : vals[i]);
	}
	if (nerr == STATUS_OK)
		nerr = cs_init(&cs, hdf);
	if (nerr == STATUS_OK) {
		char *copy = strdup(page_cs);	/* cs_parse_string takes it */
		nerr = copy ? cs_parse_string(cs, copy, sizeof(page_cs) - 1) : nerr_raise(NERR_NOMEM, "copy");
	}
	if (nerr == STATUS_OK)
		nerr = cs_render(cs, &page, out_cb);
	if (nerr == STATUS_OK) {
		FCGX_FPrintF(fr->out, "Status: 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
			     "Content-Length: %d\r\n\r\n", page.len);
		FCGX_PutStr(page.buf, page.len, fr->out);
	} else {
		nerr_ignore(&nerr);
		FCGX_PutS("Status: 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\nerror\n", fr->out);
	}
	cs_destroy(&cs);
	hdf_destroy(&hdf);
	string_clear(&page);
}

static int worker(int fd, const struct dbconf *c)
{
	FCGX_Request fr;

	signal(SIGPIPE, SIG_IGN);
	if (db_up(c) != 0 || FCGX_InitRequest(&fr, fd, 0) != 0)
		return 1;
	while (FCGX_Accept_r(&fr) >= 0) {
		answer(&fr);
		FCGX_Finish_r(&fr);
	}
	return 0;
}

/* `--socket PATH [--workers N]`, the database from $LIVECARD_CONF's DB.*:
 * listen on PATH (0660) and run N workers until SIGTERM. */
int main(int argc, char **argv)
{
	const char *sockpath = NULL, *conf = getenv("LIVECARD_CONF");
	int workers = 2, fd;
	pid_t pids[64];
	struct dbconf c;
	HDF *hdf = NULL;
	mode_t old;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--socket") == 0 && i + 1 < argc)
			sockpath = argv[++i];
		else if (strcmp(argv[i], "--workers") == 0 && i + 1 < argc)
			workers = atoi(argv[++i]);
	}
	if (sockpath == NULL || conf == NULL || workers < 1 || workers > 64) {
		fprintf(stderr, "usage: LIVECARD_CONF=FILE %s --socket PATH [--workers N]\n", argv[0]);
		return 2;
	}
	if (hdf_init(&hdf) != STATUS_OK || hdf_read_file(hdf, conf) != STATUS_OK) {
		fprintf(stderr, "onequery: cannot read %s\n", conf);
		return 1;
	}
	c.socket = hdf_get_value(hdf, "DB.Socket", NULL);
	c.host = hdf_get_value(hdf, "DB.Host", NULL);
	c.user = hdf_get_value(hdf, "DB.User", "root");
	c.password = hdf_get_value(hdf, "DB.Password", NULL);
	c.name = hdf_get_value(hdf, "DB.Name", "livecard");
	c.port = (unsigned)hdf_get_int_value(hdf, "DB.Port", 0);
	if (c.socket && !*c.socket)
		c.socket = NULL;
	if (c.host && !*c.host)
		c.host = NULL;
	if (c.password && !*c.password)
		c.password = NULL;
	if (FCGX_Init() != 0)
		return 1;
	old = umask(0117);
	unlink(sockpath);
	fd = FCGX_OpenSocket(sockpath, 128);
	umask(old);
	if (fd < 0) {
		fprintf(stderr, "onequery: cannot listen on %s\n", sockpath);
		return 1;
	}
	chmod(sockpath, 0660);
	for (int i = 0; i < workers; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(worker(fd, &c));
	}
	sigset_t set;
	int sig;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigwait(&set, &sig);
	for (int i = 0; i < workers; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	for (int i = 0; i < workers; i++)
		if (pids[i] > 0)
			waitpid(pids[i], NULL, 0);
	unlink(sockpath);
	return 0;
}
