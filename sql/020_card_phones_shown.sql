-- 020_card_phones_shown.sql: issue 19, phones in their display form stored when a card is written (a member card's phones, a saved card's first phone), so that the pages showing them need no libphonenumber.

-- One line per phone of data.phones, "VALUE<TAB>DISPLAY" (lib/owncard.c
-- owncard_phones_shown: DISPLAY is phone_display of VALUE, "+86 138 0013
-- 9999"), written by every write of cards.data (lib/owncard.c). NULL: not
-- written since this migration (rows from before it, `livecardctl seed`):
-- the pages then work the forms out as before; the next save fills it.
ALTER TABLE cards ADD COLUMN phones_shown TEXT NULL;

-- The same for the first phone of a saved card, the one its folder tile
-- shows (lib/folder.c tile_phone_shown: one "VALUE<TAB>DISPLAY" line, ""
-- without a phone), written with search_text by folder_entries_insert and
-- folder_entry_update (every path that writes an entry's card). NULL: the
-- list works it out as before. A nullable column at the end: no table copy.
ALTER TABLE folder_entries ADD COLUMN tile_phone_shown TEXT NULL;
