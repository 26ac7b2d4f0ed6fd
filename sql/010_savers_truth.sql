-- 010_savers_truth.sql: issue 18, the owner's savers list tells the truth: savers the owner removed stay removed (the web path and the nightly job respect it), a subscriber by e-mail and by phone is one person, and update messages over a recipient's daily limit are held back and sent later as one, never dropped.

-- owner A removed member D from A's savers list: D's copies were unlinked
-- (they stay D's, receive nothing more and are not offered for linking to A
-- again), and no path (saving, search, a verification, the nightly job)
-- makes D A's saver again while this row exists
CREATE TABLE savers_removed (
  owner_id BIGINT UNSIGNED NOT NULL,           -- A
  saver_id BIGINT UNSIGNED NOT NULL,           -- D
  removed_at DATETIME NOT NULL,
  PRIMARY KEY (owner_id, saver_id),
  KEY savers_removed_saver (saver_id),
  CONSTRAINT savers_removed_owner FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT savers_removed_saver FOREIGN KEY (saver_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB;

ALTER TABLE subscribers
  -- the person: the subscriptions of one card with the same name, one by
  -- e-mail and one by phone, share the id of the first one confirmed
  -- (set on confirmation); the owner sees and is told of one person
  ADD COLUMN person_id BIGINT UNSIGNED NULL AFTER user_id,
  -- update messages held back by Savers.MaxPerRecipientPerDay: how many
  -- changes, since when (the first held change's save), and when the
  -- recipient's window opens again (then one message tells them all)
  ADD COLUMN held_changes INT NOT NULL DEFAULT 0 AFTER person_id,
  ADD COLUMN held_since DATETIME NULL AFTER held_changes,
  ADD COLUMN held_until DATETIME NULL AFTER held_since,
  ADD KEY subscribers_person (person_id),
  ADD KEY subscribers_held (held_until);

-- every subscription confirmed so far is a person of its own
UPDATE subscribers SET person_id = id WHERE status = 'confirmed';
