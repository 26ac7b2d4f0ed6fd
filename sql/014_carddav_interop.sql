-- 014_carddav_interop.sql: issue 22, CardDAV that every client trusts: the resource names clients choose, the vCard bytes they sent, and each address book's own display name.

-- A resource name a client chose that is not the one derived from the
-- entry's UID ("<uid>.vcf" or "_<id>.vcf", lib/dav.c): the entry keeps the
-- client's UID and is found under this name. No key to folder_entries: the
-- row outlives the entry, so a sync reports the deletion under the name
-- the client knows (the change log keeps entry ids); a new entry that
-- takes the name replaces the row.
CREATE TABLE dav_names (
  entry_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  holder_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  UNIQUE KEY dav_names_name (holder_id, name),
  CONSTRAINT dav_names_holder FOREIGN KEY (holder_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;

-- The vCard exactly as a client PUT it, served (with the ETag given on
-- the PUT) as long as the entry is unchanged since: change_seq is the
-- entry's change_seq the PUT left; any later change (web, API, update)
-- makes the row stale and the card is rendered from the folder again.
CREATE TABLE dav_raw (
  entry_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  change_seq BIGINT UNSIGNED NOT NULL,
  version TINYINT UNSIGNED NOT NULL,           -- 3 or 4: the vCard version sent
  vcard MEDIUMBLOB NOT NULL,
  CONSTRAINT dav_raw_entry FOREIGN KEY (entry_id) REFERENCES folder_entries (id) ON DELETE CASCADE
) ENGINE=InnoDB;

-- The address book's display name, set by PROPPATCH (a client renaming
-- the book); without a row the name comes from the language files.
CREATE TABLE dav_books (
  holder_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  display_name VARCHAR(200) NOT NULL,
  CONSTRAINT dav_books_holder FOREIGN KEY (holder_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
