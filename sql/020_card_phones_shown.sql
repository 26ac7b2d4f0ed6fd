-- 020_card_phones_shown.sql: issue 19, a member card's phones in their display form, stored when the card is written, so that the pages showing it need no libphonenumber.

-- One line per phone of data.phones, "VALUE<TAB>DISPLAY" (lib/owncard.c
-- owncard_phones_shown: DISPLAY is phone_display of VALUE, "+86 138 0013
-- 9999"), written by every write of cards.data (lib/owncard.c). NULL: not
-- written since this migration (rows from before it, `livecardctl seed`):
-- the pages then work the forms out as before; the next save fills it.
ALTER TABLE cards ADD COLUMN phones_shown TEXT NULL;
