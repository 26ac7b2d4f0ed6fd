/* imagestore.c: card images kept in MariaDB by content hash, and served from there. */
#include "imagestore.h"

#include <string.h>

#include "config.h"
#include "http.h"
#include "log.h"

/* A URL that names the bytes (?v=<hash>) may be cached for a year; any
 * other (a side of a card, which changes) is revalidated with the ETag. */
#define CACHE_IMMUTABLE "Cache-Control: private, max-age=31536000, immutable"
#define CACHE_REVALIDATE "Cache-Control: private, max-age=0, must-revalidate"

static int hash_valid(const char *h)
{
	if (h == NULL || strlen(h) != 64)
		return 0;
	for (const char *p = h; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return 0;
	return 1;
}

static int etag_matches(const char *inm, const char *etag)
{
	size_t n = strlen(etag);

	if (inm == NULL)
		return 0;
	while (*inm) {
		while (*inm == ' ' || *inm == ',')
			inm++;
		if (*inm == '*')
			return 1;
		if (inm[0] == 'W' && inm[1] == '/')
			inm += 2;
		size_t len = strcspn(inm, ",");
		while (len && inm[len - 1] == ' ')
			len--;
		if (len == n && memcmp(inm, etag, n) == 0)
			return 1;
		inm += strcspn(inm, ",");
	}
	return 0;
}

enum err imagestore_serve(struct req *r, const char *hash, int thumb)
{
	struct db_result res;
	enum err e;

	if (!hash_valid(hash))
		return req_fail(r, ERR_NOT_FOUND, NULL, NULL, "no such image");
	/* the thumbnail is other bytes, so another entity tag */
	const char *etag = arena_printf(&r->arena, "\"%s%s\"", hash, thumb ? "-thumb" : "");
	const char *v = hdf_get_value(r->hdf, "Query.v", NULL);
	size_t keep = r->n_headers;
	req_add_header(r, "ETag: %s", etag);
	req_add_header(r, "%s", v && strcmp(v, hash) == 0 ? CACHE_IMMUTABLE : CACHE_REVALIDATE);
	if (etag_matches(req_env(r, "HTTP_IF_NONE_MATCH"), etag)) {
		/* only known hashes reach here: the caller looked it up */
		return req_raw(r, 304, NULL, "", 0);
	}
	e = db_query(r->db, &r->arena, &res,
		     thumb ? "SELECT thumb_mime, thumb FROM images WHERE hash = ?"
			   : "SELECT mime, data FROM images WHERE hash = ?", "s", hash);
	if (e != ERR_OK)
		return e;
	if (res.nrows == 0) {
		r->n_headers = keep;
		return req_fail(r, ERR_NOT_FOUND, NULL, NULL, "no such image");
	}
	req_add_header(r, "Content-Disposition: inline");
	return req_raw(r, 200, db_cell(&res, 0, 0), db_cell(&res, 0, 1), res.lens[1]);
}

enum err imagestore_get(struct db *db, struct arena *a, const char *hash, int thumb,
			const void **data, size_t *len, const char **mime)
{
	struct db_result res;
	enum err e;

	if (!hash_valid(hash))
		return ERR_NOT_FOUND;
	e = db_query(db, a, &res,
		     thumb ? "SELECT thumb_mime, thumb FROM images WHERE hash = ?"
			   : "SELECT mime, data FROM images WHERE hash = ?", "s", hash);
	if (e != ERR_OK)
		return e;
	if (res.nrows == 0)
		return ERR_NOT_FOUND;
	*mime = db_cell(&res, 0, 0);
	*data = db_cell(&res, 0, 1);
	*len = res.lens[1];
	return ERR_OK;
}
