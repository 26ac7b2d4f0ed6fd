-- 007_reconcile_owner_index.sql: the owner index carries the member flags (the nightly job checks owners and owner_saved_my_card from the index alone), and deleting an account clears the flags of the saved copies of its card.

-- "every copy of O's card" with its flags: the nightly job's owner walk and
-- owner_saved_my_card check read only this index; lookups by
-- (owner_user_id, holder_id) use it as before
ALTER TABLE folder_entries
  DROP KEY folder_entries_owner,
  ADD KEY folder_entries_owner (owner_user_id, holder_id, owner_is_member, owner_saved_my_card);

-- the foreign key folder_entries_owner only sets owner_user_id to NULL when
-- a member is deleted; the copies of the member's card stop being a
-- member's card altogether (whatever deletes the account: the site, an
-- administrator, a script). Foreign-key cascades do not fire triggers: a
-- user row is always deleted directly.
CREATE TRIGGER users_delete_owned BEFORE DELETE ON users FOR EACH ROW
  UPDATE folder_entries SET owner_user_id = NULL, owner_is_member = 0, owner_saved_my_card = 0
  WHERE owner_user_id = OLD.id;

-- a pass the previous version of the job left unfinished kept its place as
-- an entry id; this version's phases walk users. Drop that place: the next
-- run starts a whole pass (the watermark of the last completed pass stays).
UPDATE reconcile_state SET phase = 'done', last_id = 0, run_id = NULL WHERE id = 1;
