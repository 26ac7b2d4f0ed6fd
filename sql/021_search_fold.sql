-- 021_search_fold.sql: issue 19, the folder search compares bytes: each entry's search text folded as utf8mb4_unicode_ci's LIKE compares it, in an index with the folder's order.

-- search_fold is search_text with every character replaced by the smallest
-- one LIKE under utf8mb4_unicode_ci takes as equal (lib/searchfold.h; "a",
-- "A", "á" all become "A"), written with search_text by folder_entries_insert
-- and folder_entry_update (every path that writes an entry's card). A binary
-- LIKE on it finds exactly what the collation's LIKE finds on search_text,
-- without the collation's per-character weight lookups (most of MariaDB's
-- 1.8 ms per search of a 500-entry folder, bench/findings.md). NULL: not
-- written since this migration (rows from before it, `livecardctl seed`'s),
-- or longer than 1,000 bytes: such entries are searched by search_text as
-- before (lib/folder.c LIST_WHERE), so nothing needs filling now; the next
-- write of an entry fills it.
--
-- folder_entries_search replaces folder_entries_order (holder_id, full_name,
-- id) with the same columns and search_fold after them: the list's keyset
-- order is served as before, and the search's conditions on search_fold are
-- tested on the index entries (index condition pushdown), so only matching
-- rows are read.
--
-- The nullable column at the end is added in place without copying the
-- table (instant); the index is built in place, in its own statement (writes
-- to folder_entries wait for the build in Galera's TOI: on a large
-- installation run it in RSU, node by node, as 006/007; docs/scale.md);
-- the old index goes only after the new one serves the order.
ALTER TABLE folder_entries ADD COLUMN search_fold VARBINARY(1000) NULL;
ALTER TABLE folder_entries ADD KEY folder_entries_search (holder_id, full_name, id, search_fold);
ALTER TABLE folder_entries DROP KEY folder_entries_order;
