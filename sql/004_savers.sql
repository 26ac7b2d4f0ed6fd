-- 004_savers.sql: module 103, who saved my card: member savers and
-- non-member subscribers.

-- member D saved member A's card (found by saving, by search or by the nightly job)
CREATE TABLE savers (
  owner_id BIGINT UNSIGNED NOT NULL,           -- A
  saver_id BIGINT UNSIGNED NOT NULL,           -- D
  how ENUM('saved', 'search', 'reconcile') NOT NULL,
  since DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (owner_id, saver_id),
  KEY savers_saver (saver_id),
  CONSTRAINT savers_owner FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT savers_saver FOREIGN KEY (saver_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB;

-- a non-member who asked, on A's public page, to be told of updates
CREATE TABLE subscribers (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  card_id BIGINT UNSIGNED NOT NULL,
  owner_id BIGINT UNSIGNED NOT NULL,
  full_name VARCHAR(200) NOT NULL,
  email VARCHAR(254) CHARACTER SET ascii COLLATE ascii_bin NULL,
  phone VARCHAR(20) CHARACTER SET ascii NULL,
  status ENUM('pending', 'confirmed', 'unsubscribed') NOT NULL DEFAULT 'pending',
  confirm_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,   -- mailed link
  code_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,      -- SMS code
  code_expires_at DATETIME NULL,
  code_attempts INT NOT NULL DEFAULT 0,
  unsubscribe_token VARCHAR(43) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  user_id BIGINT UNSIGNED NULL,                -- set when the subscriber became a member
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  confirmed_at DATETIME NULL,
  UNIQUE KEY subscribers_email (card_id, email),
  UNIQUE KEY subscribers_phone (card_id, phone),
  UNIQUE KEY subscribers_unsubscribe (unsubscribe_token),
  KEY subscribers_owner (owner_id, status),
  CONSTRAINT subscribers_card FOREIGN KEY (card_id) REFERENCES cards (id) ON DELETE CASCADE,
  CONSTRAINT subscribers_owner FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
