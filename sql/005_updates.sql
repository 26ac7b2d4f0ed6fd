-- 005_updates.sql: module 104, updates reach every copy: one fan-out job per coalesced change of a card, worked through in chunks by livecard-outbox.

-- A card save (lib/owncard.c) records at most one *waiting* job per card:
-- edits within Updates.CoalesceSeconds of the first one only move its
-- to_revision (the generated waiting_card column makes "one waiting job per
-- card" a unique key, so the hook is one INSERT ... ON DUPLICATE KEY UPDATE).
-- The worker claims a due job (claim + claimed_until, like outbox rows),
-- works through it in bounded chunks and commits cursor_id with each chunk's
-- rows, so a killed worker's successor resumes at the cursor.
CREATE TABLE fanout_jobs (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  card_id BIGINT UNSIGNED NOT NULL,
  owner_id BIGINT UNSIGNED NOT NULL,
  from_revision INT UNSIGNED NOT NULL,         -- the revision before the first edit of the window
  to_revision INT UNSIGNED NOT NULL,           -- the newest revision of the window
  status ENUM('waiting', 'running', 'done', 'failed') NOT NULL DEFAULT 'waiting',
  not_before DATETIME NOT NULL,                -- the end of the coalescing window
  phase ENUM('members', 'subscribers', 'done') NOT NULL DEFAULT 'members',
  cursor_id BIGINT UNSIGNED NOT NULL DEFAULT 0,   -- last folder_entries.id / subscribers.id done
  fields VARCHAR(300) CHARACTER SET ascii NULL,   -- shared fields changed, fixed at the first chunk
  claim CHAR(22) CHARACTER SET ascii COLLATE ascii_bin NULL,
  claimed_until DATETIME NULL,
  letters BIGINT UNSIGNED NOT NULL DEFAULT 0,     -- in-site letters written
  messages BIGINT UNSIGNED NOT NULL DEFAULT 0,    -- outbox rows written (e-mail, SMS, webhook)
  applied BIGINT UNSIGNED NOT NULL DEFAULT 0,     -- copies updated automatically
  failures INT NOT NULL DEFAULT 0,                -- steps that failed (a bug, not an outage): 'failed' at Updates.MaxFailures
  last_error VARCHAR(100) NULL,
  waiting_card BIGINT UNSIGNED AS (IF(status = 'waiting', card_id, NULL)) PERSISTENT,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  started_at DATETIME NULL,
  finished_at DATETIME NULL,
  UNIQUE KEY fanout_jobs_waiting (waiting_card),
  KEY fanout_jobs_due (status, not_before),
  KEY fanout_jobs_card (card_id, status),
  CONSTRAINT fanout_jobs_card FOREIGN KEY (card_id) REFERENCES cards (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- the subscriber phase walks one card's confirmed subscribers in id order
ALTER TABLE subscribers ADD KEY subscribers_fanout (card_id, status, id);
