-- 013_declined_fields.sql: issue 18, nothing declined is lost: which fields of a linked copy the holder declined, so that a declined change stays listed ("updates you declined") until the holder accepts it or the owner changes that field again, even after later revisions were accepted or applied automatically.

-- declined_fields: bit (1 << enum card_field) per field the holder declined
-- and has not taken since; declined_base: the source revision the copy held
-- when the first of them was declined (the base of the list-field merge).
-- A field counts as declined while it changed in (declined_base,
-- declined_revision] and not after declined_revision (lib/updates.c).
ALTER TABLE folder_entries
  ADD COLUMN declined_fields INT UNSIGNED NOT NULL DEFAULT 0 AFTER declined_revision,
  ADD COLUMN declined_base INT UNSIGNED NULL AFTER declined_fields;

-- copies declined before this migration: every field changed since the
-- copy's revision up to the declined one counts as declined
UPDATE folder_entries SET declined_fields = 4095, declined_base = COALESCE(synced_revision, 0)
  WHERE declined_revision IS NOT NULL AND declined_revision > COALESCE(synced_revision, 0);
