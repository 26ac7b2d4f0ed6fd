-- 011_auto_link.sql: issue 18, a member may link the cards of members automatically: every copy in their folder that becomes a link offer is linked at once (lib/autolink.c), and the nightly job links what a request left over.

-- the member setting "Link cards of members automatically" (0: ask, the
-- default); the index lets the nightly job walk only the members who chose it
ALTER TABLE users
  ADD COLUMN auto_link_members TINYINT(1) NOT NULL DEFAULT 0 AFTER auto_update_default,
  ADD KEY users_auto_link (auto_link_members, id);

-- what the nightly job linked, beside its other counts
ALTER TABLE batch_runs
  ADD COLUMN copies_linked BIGINT UNSIGNED NOT NULL DEFAULT 0 AFTER savers_removed;
