-- 017_folder_tile.sql: issue 19, the folder list reads columns, not JSON: the four card values a folder tile shows besides full_name, kept by MariaDB from data on every write.

-- The list pages (/folder, its search and tag views) show of each entry its
-- full name (full_name, kept by the application), title, organisation,
-- first phone and first e-mail. Reading those with JSON_VALUE on every
-- listed row cost MariaDB about a third of the 500-entry page
-- (bench/findings.md); as stored generated columns they are computed once
-- per write, by every path that writes data (folder_entries_insert,
-- folder_entry_update: web, API, import, CardDAV PUT, applied updates) and
-- any later one, and this ALTER fills them for the rows there are. TEXT:
-- imported values are not cut to the API's limits. The expressions are the
-- ones the list query used, so the pages show exactly what they showed.
-- Adding stored generated columns copies the table (writes to the folder
-- wait meanwhile): 20,000 rows took 2 s here; run it at a quiet time on a
-- big installation.
ALTER TABLE folder_entries
  ADD COLUMN tile_title TEXT AS (JSON_VALUE(data, '$.title')) PERSISTENT,
  ADD COLUMN tile_org TEXT AS (JSON_VALUE(data, '$.organization')) PERSISTENT,
  ADD COLUMN tile_phone TEXT AS (JSON_VALUE(data, '$.phones[0].value')) PERSISTENT,
  ADD COLUMN tile_email TEXT AS (JSON_VALUE(data, '$.emails[0].value')) PERSISTENT;
