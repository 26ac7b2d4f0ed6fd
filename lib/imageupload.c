/* imageupload.c: new card images: checked, re-encoded (lib/image.c) and stored by hash.
 * Kept apart from imagestore.c so that programs which only serve images do
 * not link libvips. */
#include "imagestore.h"

#include <string.h>

#include "config.h"
#include "http.h"
#include "image.h"
#include "log.h"

enum err imagestore_put_db(struct db *db, struct arena *a, const void *data, size_t len, const char **hash,
			   struct errinfo *ei)
{
	struct image_limits lim = {.max_bytes = cfg.image_max};
	struct image_out out = {0};
	enum err e;

	e = image_process(data, len, &lim, &out, ei);
	if (e != ERR_OK) {
		image_out_free(&out);
		if (ei->field == NULL)
			ei->field = "image";
		ei->err = e;
		return e;
	}
	/* the same bytes stored twice are one row; the first one stays */
	e = db_exec(db,
		"INSERT INTO images (hash, mime, width, height, data, thumb_mime, thumb, created_at) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP()) ON DUPLICATE KEY UPDATE hash = hash",
		"ssiibsb", out.sha256, out.mime, (long long)out.width, (long long)out.height,
		(const void *)out.data, out.len, out.thumb_mime, (const void *)out.thumb, out.thumb_len);
	if (e == ERR_OK)
		*hash = arena_strdup(a, out.sha256);
	image_out_free(&out);
	return e;
}

enum err imagestore_put(struct req *r, const void *data, size_t len, const char **hash)
{
	struct errinfo ei = {0};
	enum err e = imagestore_put_db(r->db, &r->arena, data, len, hash, &ei);

	if (e != ERR_OK && ei.err == e)
		return req_fail(r, e, ei.code, ei.field, ei.message);
	return e;
}

enum err imagestore_put_file(struct req *r, FILE *f, const char **hash)
{
	size_t cap = cfg.image_max + 1, len = 0;
	unsigned char *buf;

	if (f == NULL)
		return req_fail(r, ERR_BAD_REQUEST, "required", "image", "no file was uploaded");
	buf = arena_alloc(&r->arena, cap);
	rewind(f);
	while (len < cap) {
		size_t n = fread(buf + len, 1, cap - len, f);
		if (n == 0)
			break;
		len += n;
	}
	if (ferror(f))
		return req_fail(r, ERR_BAD_REQUEST, "bad_body", "image", "the upload could not be read");
	if (len > cfg.image_max)
		return req_fail(r, ERR_TOO_LARGE, "image_too_large", "image", "the image file is too large");
	if (len == 0)
		return req_fail(r, ERR_BAD_REQUEST, "required", "image", "no file was uploaded");
	return imagestore_put(r, buf, len, hash);
}

/* etag_matches: whether If-None-Match lists etag (or is "*"). */
