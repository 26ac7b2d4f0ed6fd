/* foldertile.h: the folder list's tiles written in C, byte for byte what templates/folder_macros.cs folder_item renders. */
#ifndef LIVECARD_FOLDERTILE_H
#define LIVECARD_FOLDERTILE_H

#include <stddef.h>

#include <ClearSilver.h>

#include "arena.h"
#include "err.h"
#include "folder.h"

/* folder_tiles_html: append to out, for each of the n entries, what
 * `<?cs each:e = Entries ?><?cs call:folder_item(e) ?>\n<?cs /each ?>`
 * renders (templates/folder_macros.cs, escaping on) with Entries built
 * from them and the strings of locale: the tile, its thumbnail link, the
 * badges and the tags, the values HTML-escaped and the tag links
 * URL-escaped by ClearSilver's own escaping functions, and ClearSilver's
 * truth of a value (empty or numeric zero is false). The folder list page
 * (500 tiles) spent most of its instructions evaluating the macros per
 * tile; tests/unit/t_foldertile.c compares this with the template.
 * a holds the phone numbers' display form. ERR_OK, or ERR_INTERNAL when
 * memory runs out. */
enum err folder_tiles_html(STRING *out, const struct folder_entry *entries, size_t n,
			   const char *locale, struct arena *a);

#endif
