-- 022_folder_view.sql: issue 19, the folder view counter: folder_views.view_seq of a holder changes, bumped by MariaDB's triggers, whenever anything a folder list page shows may have changed, so that a worker may keep a rendered list page keyed by it (lib/foldercache.c).

-- One row per folder that was ever changed (a missing row reads as 0). Its
-- own table, not a column of folders: folders.seq is locked FOR UPDATE by
-- every folder write and CardDAV sync (seq_reserve, folder_lock), and a
-- card's update bumps the counters of all its holders; keeping them apart
-- keeps those two from waiting on each other's row.
CREATE TABLE folder_views (
  holder_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  view_seq BIGINT UNSIGNED NOT NULL DEFAULT 0,
  CONSTRAINT folder_views_holder FOREIGN KEY (holder_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB;

-- Every trigger skips its work when the session set @livecard_no_view_bump
-- (livecardctl seed only: it loads many folders at once from two
-- connections and bumps each folder it filled once at the end).

-- folder_entries: a new entry, a deleted entry, and an update of a column a
-- tile or the list's order shows (the name and the stored tile columns, the
-- front image, the link and its revisions, the owner's match and flags, a
-- dismissed offer); a moved entry bumps both folders. Notes, search text,
-- the back image, auto-update and the change counter are not shown.
CREATE TRIGGER folder_view_entry_insert AFTER INSERT ON folder_entries FOR EACH ROW
  IF @livecard_no_view_bump IS NULL THEN
    INSERT INTO folder_views (holder_id, view_seq) VALUES (NEW.holder_id, 1)
      ON DUPLICATE KEY UPDATE view_seq = view_seq + 1;
  END IF;

CREATE TRIGGER folder_view_entry_delete AFTER DELETE ON folder_entries FOR EACH ROW
  IF @livecard_no_view_bump IS NULL THEN
    INSERT INTO folder_views (holder_id, view_seq) VALUES (OLD.holder_id, 1)
      ON DUPLICATE KEY UPDATE view_seq = view_seq + 1;
  END IF;

CREATE TRIGGER folder_view_entry_update AFTER UPDATE ON folder_entries FOR EACH ROW
  IF @livecard_no_view_bump IS NULL AND NOT (
       NEW.holder_id <=> OLD.holder_id AND NEW.full_name <=> OLD.full_name
       AND NEW.tile_title <=> OLD.tile_title AND NEW.tile_org <=> OLD.tile_org
       AND NEW.tile_phone <=> OLD.tile_phone AND NEW.tile_email <=> OLD.tile_email
       AND NEW.tile_phone_shown <=> OLD.tile_phone_shown AND NEW.front_image <=> OLD.front_image
       AND NEW.source_card_id <=> OLD.source_card_id AND NEW.synced_revision <=> OLD.synced_revision
       AND NEW.declined_revision <=> OLD.declined_revision AND NEW.owner_user_id <=> OLD.owner_user_id
       AND NEW.owner_is_member <=> OLD.owner_is_member
       AND NEW.owner_saved_my_card <=> OLD.owner_saved_my_card
       AND NEW.dismissed_owner_id <=> OLD.dismissed_owner_id) THEN
    BEGIN
      INSERT INTO folder_views (holder_id, view_seq) VALUES (NEW.holder_id, 1)
        ON DUPLICATE KEY UPDATE view_seq = view_seq + 1;
      IF NOT (NEW.holder_id <=> OLD.holder_id) THEN
        INSERT INTO folder_views (holder_id, view_seq) VALUES (OLD.holder_id, 1)
          ON DUPLICATE KEY UPDATE view_seq = view_seq + 1;
      END IF;
    END;
  END IF;

-- entry_tags: the tiles' tags, the tag counts and a tag's page.
CREATE TRIGGER folder_view_tag_insert AFTER INSERT ON entry_tags FOR EACH ROW
  IF @livecard_no_view_bump IS NULL THEN
    INSERT INTO folder_views (holder_id, view_seq) VALUES (NEW.holder_id, 1)
      ON DUPLICATE KEY UPDATE view_seq = view_seq + 1;
  END IF;

CREATE TRIGGER folder_view_tag_delete AFTER DELETE ON entry_tags FOR EACH ROW
  IF @livecard_no_view_bump IS NULL THEN
    INSERT INTO folder_views (holder_id, view_seq) VALUES (OLD.holder_id, 1)
      ON DUPLICATE KEY UPDATE view_seq = view_seq + 1;
  END IF;

CREATE TRIGGER folder_view_tag_update AFTER UPDATE ON entry_tags FOR EACH ROW
  IF @livecard_no_view_bump IS NULL THEN
    BEGIN
      INSERT INTO folder_views (holder_id, view_seq) VALUES (NEW.holder_id, 1)
        ON DUPLICATE KEY UPDATE view_seq = view_seq + 1;
      IF NOT (NEW.holder_id <=> OLD.holder_id) THEN
        INSERT INTO folder_views (holder_id, view_seq) VALUES (OLD.holder_id, 1)
          ON DUPLICATE KEY UPDATE view_seq = view_seq + 1;
      END IF;
    END;
  END IF;

-- cards: a linked copy shows "update pending" from the card's revision
-- (the holders of a copy linked to it); a link offer needs the owner to
-- have a card (the holders of a copy matched to its user), so a new or
-- deleted card, or one given to another user, bumps both kinds. Other
-- changes of the card row (its text, images, share token) are not shown.
CREATE TRIGGER folder_view_card_insert AFTER INSERT ON cards FOR EACH ROW
  IF @livecard_no_view_bump IS NULL THEN
    INSERT INTO folder_views (holder_id, view_seq)
      SELECT holder_id, 1 FROM folder_entries WHERE source_card_id = NEW.id
      UNION SELECT holder_id, 1 FROM folder_entries WHERE owner_user_id = NEW.user_id
      ON DUPLICATE KEY UPDATE view_seq = folder_views.view_seq + 1;
  END IF;

CREATE TRIGGER folder_view_card_delete AFTER DELETE ON cards FOR EACH ROW
  IF @livecard_no_view_bump IS NULL THEN
    INSERT INTO folder_views (holder_id, view_seq)
      SELECT holder_id, 1 FROM folder_entries WHERE source_card_id = OLD.id
      UNION SELECT holder_id, 1 FROM folder_entries WHERE owner_user_id = OLD.user_id
      ON DUPLICATE KEY UPDATE view_seq = folder_views.view_seq + 1;
  END IF;

CREATE TRIGGER folder_view_card_update AFTER UPDATE ON cards FOR EACH ROW
  IF @livecard_no_view_bump IS NULL THEN
    IF NOT (NEW.user_id <=> OLD.user_id) THEN
      INSERT INTO folder_views (holder_id, view_seq)
        SELECT holder_id, 1 FROM folder_entries WHERE source_card_id = NEW.id
        UNION SELECT holder_id, 1 FROM folder_entries WHERE owner_user_id = NEW.user_id
        UNION SELECT holder_id, 1 FROM folder_entries WHERE owner_user_id = OLD.user_id
        ON DUPLICATE KEY UPDATE view_seq = folder_views.view_seq + 1;
    ELSEIF NOT (NEW.revision <=> OLD.revision) THEN
      INSERT INTO folder_views (holder_id, view_seq)
        SELECT DISTINCT holder_id, 1 FROM folder_entries WHERE source_card_id = NEW.id
        ON DUPLICATE KEY UPDATE view_seq = folder_views.view_seq + 1;
    END IF;
  END IF;

-- savers_removed: a member who removes a saver withdraws their link offers
-- from the saver's folder (FOLDER_LINK_OFFER); taking it back restores them.
CREATE TRIGGER folder_view_removed_insert AFTER INSERT ON savers_removed FOR EACH ROW
  IF @livecard_no_view_bump IS NULL THEN
    INSERT INTO folder_views (holder_id, view_seq) VALUES (NEW.saver_id, 1)
      ON DUPLICATE KEY UPDATE view_seq = view_seq + 1;
  END IF;

CREATE TRIGGER folder_view_removed_delete AFTER DELETE ON savers_removed FOR EACH ROW
  IF @livecard_no_view_bump IS NULL THEN
    INSERT INTO folder_views (holder_id, view_seq) VALUES (OLD.saver_id, 1)
      ON DUPLICATE KEY UPDATE view_seq = view_seq + 1;
  END IF;

-- users: foreign-key actions fire no triggers. Deleting a member deletes
-- their card (ON DELETE CASCADE) and so sets source_card_id of every copy
-- linked to it to NULL (ON DELETE SET NULL), and sets owner_user_id of
-- every copy matched to them to NULL: bump those holders before the row
-- goes (users_delete_owned, run after this one, clears the owner columns
-- with an UPDATE that bumps them once more). savers_removed rows of the
-- member go by cascade too: as a saver their own folder goes with them; as
-- an owner their copies lose the owner, bumped here.
CREATE TRIGGER folder_view_user_delete BEFORE DELETE ON users FOR EACH ROW PRECEDES users_delete_owned
  IF @livecard_no_view_bump IS NULL THEN
    INSERT INTO folder_views (holder_id, view_seq)
      SELECT e.holder_id, 1 FROM cards c JOIN folder_entries e ON e.source_card_id = c.id
      WHERE c.user_id = OLD.id AND e.holder_id <> OLD.id
      UNION SELECT holder_id, 1 FROM folder_entries WHERE owner_user_id = OLD.id AND holder_id <> OLD.id
      ON DUPLICATE KEY UPDATE view_seq = folder_views.view_seq + 1;
  END IF;
