-- 004_savers.sql: module 103, who saved my card: member savers, non-member
-- subscribers and the send quotas that keep messages to non-members rare.

-- member D holds member A's card: found when D saved it (saved), by A's
-- search or a verification (search), by the nightly job (reconcile), or D
-- subscribed on A's public page with an address D later verified (subscribed)
CREATE TABLE savers (
  owner_id BIGINT UNSIGNED NOT NULL,           -- A
  saver_id BIGINT UNSIGNED NOT NULL,           -- D
  how ENUM('saved', 'search', 'reconcile', 'subscribed') NOT NULL,
  since DATETIME NOT NULL,                     -- the earliest known; never moved later
  PRIMARY KEY (owner_id, saver_id),
  -- the list, newest first, in keyset pages
  KEY savers_list (owner_id, since, saver_id),
  KEY savers_saver (saver_id),
  CONSTRAINT savers_owner FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT savers_saver FOREIGN KEY (saver_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB;

-- a non-member who asked, on A's public page, to be told of updates; one
-- row per address (an e-mail or a phone, never both), confirmed on its own
-- channel: a mailed link or an SMS code
CREATE TABLE subscribers (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  card_id BIGINT UNSIGNED NOT NULL,
  owner_id BIGINT UNSIGNED NOT NULL,
  full_name VARCHAR(200) NOT NULL,
  email VARCHAR(254) CHARACTER SET ascii COLLATE ascii_bin NULL,
  phone VARCHAR(20) CHARACTER SET ascii COLLATE ascii_bin NULL,   -- E.164
  status ENUM('pending', 'confirmed', 'unsubscribed') NOT NULL DEFAULT 'pending',
  -- SHA-256 of the mailed link's token, or of "sub:<id>:<code>" for an SMS code
  confirm_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
  confirm_expires_at DATETIME NULL,
  confirm_attempts INT NOT NULL DEFAULT 0,
  unsubscribe_token VARCHAR(43) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  locale VARCHAR(10) CHARACTER SET ascii NOT NULL DEFAULT 'en',   -- of the page they subscribed on
  user_id BIGINT UNSIGNED NULL,                -- the member who verified this address since
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  confirmed_at DATETIME NULL,
  UNIQUE KEY subscribers_card_email (card_id, email),
  UNIQUE KEY subscribers_card_phone (card_id, phone),
  UNIQUE KEY subscribers_unsubscribe (unsubscribe_token),
  UNIQUE KEY subscribers_confirm (confirm_hash),
  KEY subscribers_list (owner_id, status, confirmed_at, id),
  KEY subscribers_email (email),
  KEY subscribers_phone (phone),
  CONSTRAINT subscribers_card FOREIGN KEY (card_id) REFERENCES cards (id) ON DELETE CASCADE,
  CONSTRAINT subscribers_owner FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT subscribers_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- fixed-window counters: messages per non-member recipient, per sender
-- (client address or card owner), SMS codes per member, searches per member
CREATE TABLE send_quota (
  qkey VARCHAR(300) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  window_start DATETIME NOT NULL,
  n INT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;
