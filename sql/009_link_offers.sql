-- 009_link_offers.sql: issue 18, matched copies become linkable: a copy in D's folder that carries member A's verified e-mail or phone (owner_user_id, set by matching on every path and by the nightly job) is offered to D to keep up to date from A's card, until D links it or dismisses the offer.

-- the member whose offer the holder dismissed: the offer stays away while
-- the copy matches that member, and comes back when it matches another
ALTER TABLE folder_entries
  ADD COLUMN dismissed_owner_id BIGINT UNSIGNED NULL AFTER owner_saved_my_card;
