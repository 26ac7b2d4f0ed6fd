-- 008_account_hardening.sql: every API token has an expiry, and sign-in throttle keys name a client and an account together.

-- tokens made before expiry existed get the default lifetime (Auth.APITokenDays, 90 days)
-- from now; from here on a token without an expiry cannot be stored
UPDATE api_tokens SET expires_at = UTC_TIMESTAMP() + INTERVAL 90 DAY WHERE expires_at IS NULL;
ALTER TABLE api_tokens MODIFY expires_at DATETIME NOT NULL;

-- "acct:<e-mail>|<client address>" is up to 5 + 254 + 1 + 45 characters
ALTER TABLE throttle MODIFY tkey VARCHAR(400) CHARACTER SET ascii COLLATE ascii_bin NOT NULL;

-- app passwords of addresses nobody proved: CardDAV refuses them from now
-- on; drop the ones already made (finding 2 of issue 17)
DELETE a FROM app_passwords a JOIN users u ON u.id = a.user_id WHERE u.email_verified_at IS NULL;
