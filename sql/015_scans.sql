-- 015_scans.sql: cards photographed for the folder (issue 24): the uploaded images, the OCR worker's claim and the fields it read.
-- A request stores the re-encoded images and a 'pending' row and answers at
-- once; batch/livecard-ocr claims pending rows (claim + claimed_until, so a
-- killed worker's scan is taken over), reads them with Tesseract and writes
-- the proposed fields (JSON: value + confidence per field) with 'done', or
-- 'failed' with the reason. Saving the reviewed fields makes a normal folder
-- entry (entry_id) and marks the scan 'saved'.

CREATE TABLE scans (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id BIGINT UNSIGNED NOT NULL,
  front_image CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  back_image CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
  status ENUM('pending', 'working', 'done', 'failed', 'saved') CHARACTER SET ascii NOT NULL DEFAULT 'pending',
  claim VARCHAR(40) CHARACTER SET ascii NULL,
  claimed_until DATETIME NULL,
  attempts INT NOT NULL DEFAULT 0,
  fields MEDIUMTEXT CHARACTER SET utf8mb4 NULL CHECK (fields IS NULL OR JSON_VALID(fields)),
  error VARCHAR(255) CHARACTER SET ascii NULL,         -- an error code, e.g. unreadable_image
  ocr_ms INT UNSIGNED NULL,                             -- the worker's time on this scan
  entry_id BIGINT UNSIGNED NULL,                        -- the folder entry saved from it
  created_at DATETIME NOT NULL,
  done_at DATETIME NULL,
  KEY scans_queue (status, id),
  KEY scans_user (user_id, id),
  CONSTRAINT scans_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT scans_front FOREIGN KEY (front_image) REFERENCES images (hash),
  CONSTRAINT scans_back FOREIGN KEY (back_image) REFERENCES images (hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
