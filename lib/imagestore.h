/* imagestore.h: card images kept in MariaDB by content hash, and served from there. */
#ifndef LIVECARD_IMAGESTORE_H
#define LIVECARD_IMAGESTORE_H

#include <stddef.h>
#include <stdio.h>

#include "arena.h"
#include "db.h"
#include "err.h"

struct req;

/* imagestore_put: check and re-encode an uploaded image (lib/image.c:
 * JPEG/PNG/WebP only, metadata stripped, at most 2048 px, thumbnail) and
 * store it in `images` unless that hash is there already. *hash (64 hex
 * chars, in the request arena) names it. Errors: ERR_MEDIA_TYPE (not an
 * image), ERR_TOO_LARGE, ERR_BAD_REQUEST (absurd dimensions, corrupt),
 * with r->ei filled; database errors as db_exec. */
enum err imagestore_put(struct req *r, const void *data, size_t len, const char **hash);

/* imagestore_put_db: imagestore_put for callers without a request (the
 * import jobs of livecard-outbox): *hash in a, the refusal's detail in
 * *ei (ei->err set to the error) instead of r->ei. */
enum err imagestore_put_db(struct db *db, struct arena *a, const void *data, size_t len, const char **hash,
			   struct errinfo *ei);

/* imagestore_put_file: the same for an uploaded file (multipart form field). */
enum err imagestore_put_file(struct req *r, FILE *f, const char **hash);

/* imagestore_serve: answer with the stored image (thumb: its thumbnail),
 * with a strong ETag (the hash), `Cache-Control: private, max-age=...`,
 * `X-Content-Type-Options: nosniff`, and 304 for a matching
 * If-None-Match. The caller has already decided the requester may see it.
 * ERR_NOT_FOUND when the hash is unknown. */
enum err imagestore_serve(struct req *r, const char *hash, int thumb);

/* imagestore_get: the stored bytes of an image (thumb: its thumbnail) and
 * their MIME type, copied into a (for embedding in a vCard). ERR_NOT_FOUND
 * when the hash is unknown; database errors as db_query. */
enum err imagestore_get(struct db *db, struct arena *a, const char *hash, int thumb,
			const void **data, size_t *len, const char **mime);

#endif
