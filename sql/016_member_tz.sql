-- 016_member_tz.sql: issue 21, each member's own time zone (a name of the system tz database, checked by lib/when.c); NULL: guessed from the browser, else Asia/Shanghai for zh-CN, else UTC.
ALTER TABLE users ADD COLUMN tz VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL AFTER locale;
