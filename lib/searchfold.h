/* searchfold.h: texts folded as MariaDB's LIKE under utf8mb4_unicode_ci compares their characters, so that a binary LIKE on folded texts finds what that LIKE finds (the folder search). */
#ifndef LIVECARD_SEARCHFOLD_H
#define LIVECARD_SEARCHFOLD_H

#include "arena.h"

/* SEARCH_FOLD_MAX: the most bytes folder_entries.search_fold holds
 * (sql/021_search_fold.sql); a longer fold is not stored (NULL) and that
 * entry is searched by the collation as before. */
#define SEARCH_FOLD_MAX 1000

/* search_fold: s (UTF-8) with every character replaced by the smallest
 * code point that LIKE under utf8mb4_unicode_ci takes as equal to it
 * (searchfold_table.h: "a", "A", "á" and fullwidth "ａ" all become "A";
 * every weightless character U+0001; characters above U+FFFF and CJK
 * ideographs stay as they are). Two texts' characters are LIKE-equal under
 * the collation exactly when their folds are the same bytes, and LIKE
 * compares character by character, so `fold(text) LIKE fold(pattern)` as
 * binary strings is `text LIKE pattern` under the collation (the pattern's
 * wildcards and escapes added after folding). Never longer than s; bytes
 * that are not UTF-8 are copied. In a. */
char *search_fold(const char *s, struct arena *a);

#endif
