-- 003_folder.sql: module 102, the card folder: saved copies, matching keys,
-- tags and the per-folder change log (CardDAV sync tokens, tombstones).

-- one row per folder: the change counter behind ctag and sync-token
CREATE TABLE folders (
  holder_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  seq BIGINT UNSIGNED NOT NULL DEFAULT 0,
  CONSTRAINT folders_holder FOREIGN KEY (holder_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB;

CREATE TABLE folder_entries (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  holder_id BIGINT UNSIGNED NOT NULL,          -- D, whose folder this is
  uid VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,  -- vCard UID / CardDAV name
  data JSON NOT NULL,                          -- the holder's copy (card object)
  extras JSON NULL,                            -- vCard properties kept verbatim (array of lines)
  full_name VARCHAR(200) NOT NULL,             -- copy of data.full_name, for order
  search_text TEXT NOT NULL,                   -- lower-cased names, org, e-mails, phones
  notes TEXT NOT NULL,
  front_image CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
  back_image CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
  source_card_id BIGINT UNSIGNED NULL,         -- linked: saved from a member's public link
  synced_revision INT UNSIGNED NULL,           -- the source revision this copy holds
  declined_revision INT UNSIGNED NULL,         -- newest source revision the holder declined
  auto_update TINYINT(1) NULL,                 -- NULL: the holder's default
  owner_user_id BIGINT UNSIGNED NULL,          -- the member whose card this is, when matched
  owner_is_member TINYINT(1) NOT NULL DEFAULT 0,
  owner_saved_my_card TINYINT(1) NOT NULL DEFAULT 0,
  change_seq BIGINT UNSIGNED NOT NULL DEFAULT 0,  -- folders.seq of the last change: the ETag
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY folder_entries_uid (holder_id, uid),
  UNIQUE KEY folder_entries_source (holder_id, source_card_id),
  -- keyset paging: ORDER BY full_name, id within one folder
  KEY folder_entries_order (holder_id, full_name, id),
  -- "the entries of holder H whose owner is O" (reverse flags), and
  -- "every copy of O's card" (savers, updates)
  KEY folder_entries_owner (owner_user_id, holder_id),
  KEY folder_entries_source_card (source_card_id),
  CONSTRAINT folder_entries_holder FOREIGN KEY (holder_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT folder_entries_card FOREIGN KEY (source_card_id) REFERENCES cards (id) ON DELETE SET NULL,
  CONSTRAINT folder_entries_owner FOREIGN KEY (owner_user_id) REFERENCES users (id) ON DELETE SET NULL,
  CONSTRAINT folder_entries_front FOREIGN KEY (front_image) REFERENCES images (hash),
  CONSTRAINT folder_entries_back FOREIGN KEY (back_image) REFERENCES images (hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- normalised e-mails ("e:...") and phones ("t:+...") of every saved card:
-- matching is an indexed join with contact_keys, never a text scan
CREATE TABLE card_keys (
  entry_id BIGINT UNSIGNED NOT NULL,
  ckey VARCHAR(260) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  holder_id BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (entry_id, ckey),
  KEY card_keys_key (ckey, entry_id),
  KEY card_keys_holder (holder_id, ckey),
  CONSTRAINT card_keys_entry FOREIGN KEY (entry_id) REFERENCES folder_entries (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;

CREATE TABLE entry_tags (
  holder_id BIGINT UNSIGNED NOT NULL,
  tag VARCHAR(100) NOT NULL,
  entry_id BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (holder_id, tag, entry_id),
  KEY entry_tags_entry (entry_id),
  CONSTRAINT entry_tags_entry FOREIGN KEY (entry_id) REFERENCES folder_entries (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- every change of a folder, with tombstones for deletions: a sync costs in
-- proportion to the changes since a token, not to the folder's size
CREATE TABLE folder_changes (
  holder_id BIGINT UNSIGNED NOT NULL,
  seq BIGINT UNSIGNED NOT NULL,
  entry_id BIGINT UNSIGNED NOT NULL,
  uid VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  deleted TINYINT(1) NOT NULL DEFAULT 0,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (holder_id, seq),
  KEY folder_changes_entry (holder_id, entry_id)
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;
