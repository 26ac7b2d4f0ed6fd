-- 002_cards.sql: module 101, a member's own card, its revisions and images.

-- card images by content hash (SHA-256 of the re-encoded bytes), with a thumbnail
CREATE TABLE images (
  hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  mime VARCHAR(20) CHARACTER SET ascii NOT NULL,
  width INT UNSIGNED NOT NULL,
  height INT UNSIGNED NOT NULL,
  data MEDIUMBLOB NOT NULL,
  thumb_mime VARCHAR(20) CHARACTER SET ascii NOT NULL,
  thumb MEDIUMBLOB NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;

-- one card per member; revision 0 means never saved
CREATE TABLE cards (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id BIGINT UNSIGNED NOT NULL,
  revision INT UNSIGNED NOT NULL DEFAULT 0,
  data JSON NOT NULL,                       -- the card object of API.md
  front_image CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
  back_image CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
  share_token VARCHAR(43) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,  -- /c/{token}, >= 128 random bits
  visible_fields VARCHAR(300) CHARACTER SET ascii NOT NULL
    DEFAULT 'full_name,name,organization,department,title,emails,phones,addresses,urls,note,front_image,back_image',
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY cards_user (user_id),
  UNIQUE KEY cards_share (share_token),
  CONSTRAINT cards_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT cards_front FOREIGN KEY (front_image) REFERENCES images (hash),
  CONSTRAINT cards_back FOREIGN KEY (back_image) REFERENCES images (hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- every saved revision, whole (a revision is written in the same
-- transaction as the cards row, so none is ever half-written)
CREATE TABLE card_revisions (
  card_id BIGINT UNSIGNED NOT NULL,
  revision INT UNSIGNED NOT NULL,
  data JSON NOT NULL,
  front_image CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
  back_image CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
  changed_fields VARCHAR(300) CHARACTER SET ascii NOT NULL DEFAULT '',
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (card_id, revision),
  CONSTRAINT card_revisions_card FOREIGN KEY (card_id) REFERENCES cards (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
