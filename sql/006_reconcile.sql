-- 006_reconcile.sql: the nightly job (batch/livecard-reconcile): its lock, checkpoint and run log, and the timestamps and indexes its --since pass reads.

-- one row per job name: who runs it now. A row lock instead of GET_LOCK(),
-- which Galera does not support. A holder whose heartbeat stopped for
-- longer than the stale limit (or whose process on this host is gone) is
-- taken over by the next run.
CREATE TABLE batch_locks (
  name VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  holder VARCHAR(200) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,  -- host:pid:run id
  acquired_at DATETIME NOT NULL,
  heartbeat_at DATETIME NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;

-- what each run did (the closing summary), one row per run
CREATE TABLE batch_runs (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  job VARCHAR(40) CHARACTER SET ascii NOT NULL,
  mode ENUM('full', 'since') NOT NULL,
  since_at DATETIME NULL,                      -- --since: the watermark used
  resumed_run_id BIGINT UNSIGNED NULL,         -- the interrupted run this one finished
  host VARCHAR(100) CHARACTER SET ascii NOT NULL DEFAULT '',
  pid INT NOT NULL DEFAULT 0,
  status ENUM('running', 'done', 'failed', 'abandoned') NOT NULL DEFAULT 'running',
  started_at DATETIME NOT NULL,
  finished_at DATETIME NULL,
  seconds DECIMAL(12, 3) NULL,
  rows_scanned BIGINT UNSIGNED NOT NULL DEFAULT 0,
  keys_added BIGINT UNSIGNED NOT NULL DEFAULT 0,     -- contact_keys rows written (new or moved)
  keys_removed BIGINT UNSIGNED NOT NULL DEFAULT 0,
  owners_changed BIGINT UNSIGNED NOT NULL DEFAULT 0, -- matched member replaced by another
  flags_set BIGINT UNSIGNED NOT NULL DEFAULT 0,      -- owner_is_member / owner_saved_my_card 0 -> 1
  flags_cleared BIGINT UNSIGNED NOT NULL DEFAULT 0,  -- 1 -> 0
  savers_added BIGINT UNSIGNED NOT NULL DEFAULT 0,
  savers_removed BIGINT UNSIGNED NOT NULL DEFAULT 0,
  message VARCHAR(500) NULL,
  KEY batch_runs_job (job, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- the checkpoint: the pass in progress (phase, last primary key done) so
-- that a killed run is completed by the next one; and the watermark of the
-- last completed pass, for --since last
CREATE TABLE reconcile_state (
  id TINYINT UNSIGNED NOT NULL PRIMARY KEY,    -- always 1
  run_id BIGINT UNSIGNED NULL,                 -- batch_runs.id working on the pass
  mode ENUM('full', 'since') NOT NULL DEFAULT 'full',
  since_at DATETIME NULL,
  started_at DATETIME NULL,                    -- when the pass began
  keys_done_at DATETIME NULL,                  -- when its key phase ended
  phase VARCHAR(20) CHARACTER SET ascii NOT NULL DEFAULT 'done',
  last_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  watermark DATETIME NULL,                     -- a completed pass covered changes before this
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;

INSERT INTO reconcile_state (id) VALUES (1);

-- --since reads what changed: users and phones by updated_at, keys by
-- verified_at, entries by updated_at and the folder change log (deletions)
ALTER TABLE user_phones
  ADD COLUMN updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  ADD KEY user_phones_updated (updated_at);
ALTER TABLE users ADD KEY users_updated (updated_at);
ALTER TABLE contact_keys ADD KEY contact_keys_verified (verified_at);
ALTER TABLE folder_entries ADD KEY folder_entries_updated (updated_at);
ALTER TABLE folder_changes ADD KEY folder_changes_created (created_at);
