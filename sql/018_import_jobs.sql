-- 018_import_jobs.sql: large vCard imports of the browser form as background jobs (issue 21): the uploaded bytes, the worker's claim and progress, the result.
-- POST /folder/import stores a file of more than Import.AsyncCards cards as a
-- 'queued' row, its bytes in import_job_data in pieces of 1 MiB (in the
-- database, not under var/: any web node's livecard-outbox may take the job;
-- pieces keep each row far below max_allowed_packet and Galera's limits); the worker claims it (claim +
-- claimed_until, renewed with every chunk, so a killed worker's job is taken
-- over when the lease ends) and stores Import.ChunkCards cards of the file
-- per transaction, moving `done` (cards of the file handled) and the counts
-- in the same commit as the chunk's entries: a chunk is stored whole or not
-- at all, so a re-run never doubles one. `report` holds the result page's
-- lists (errors, warnings, duplicates, the first new entries); the bytes are
-- deleted when the job ends.

CREATE TABLE import_jobs (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id BIGINT UNSIGNED NOT NULL,
  status ENUM('queued', 'running', 'done', 'failed') CHARACTER SET ascii NOT NULL DEFAULT 'queued',
  policy ENUM('skip', 'merge', 'keep') CHARACTER SET ascii NOT NULL DEFAULT 'skip',
  total INT UNSIGNED NOT NULL DEFAULT 0,          -- cards in the file, broken ones included
  done INT UNSIGNED NOT NULL DEFAULT 0,           -- cards of the file handled (committed chunks)
  imported INT UNSIGNED NOT NULL DEFAULT 0,
  merged INT UNSIGNED NOT NULL DEFAULT 0,
  skipped INT UNSIGNED NOT NULL DEFAULT 0,
  failed INT UNSIGNED NOT NULL DEFAULT 0,         -- broken or refused cards
  linked INT UNSIGNED NOT NULL DEFAULT 0,
  offered INT UNSIGNED NOT NULL DEFAULT 0,
  report MEDIUMTEXT CHARACTER SET utf8mb4 NULL CHECK (report IS NULL OR JSON_VALID(report)),
  error VARCHAR(400) CHARACTER SET utf8mb4 NULL,
  failures INT NOT NULL DEFAULT 0,                -- failed steps; 'failed' after Import.MaxFailures
  claim VARCHAR(40) CHARACTER SET ascii NULL,
  claimed_until DATETIME NULL,
  created_at DATETIME NOT NULL,
  started_at DATETIME NULL,
  finished_at DATETIME NULL,
  KEY import_jobs_queue (status, id),
  KEY import_jobs_user (user_id, id),
  CONSTRAINT import_jobs_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE import_job_data (
  job_id BIGINT UNSIGNED NOT NULL,
  seq INT UNSIGNED NOT NULL,
  bytes MEDIUMBLOB NOT NULL,
  PRIMARY KEY (job_id, seq),
  CONSTRAINT import_job_data_job FOREIGN KEY (job_id) REFERENCES import_jobs (id) ON DELETE CASCADE
) ENGINE=InnoDB;
