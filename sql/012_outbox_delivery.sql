-- 012_outbox_delivery.sql: e-mails that may have been delivered already: an SMTP connection that dropped after the end of DATA, before the server's reply (issue 25).
-- Such an attempt may have left a copy with the recipient (the server can
-- store a message and die before its 250 reaches the worker). The worker
-- counts these attempts and retries with the same Message-ID; a message sent
-- with possibly_delivered > 0 is a "possible duplicate" (livecardctl status).

ALTER TABLE outbox
  ADD COLUMN possibly_delivered INT NOT NULL DEFAULT 0 AFTER attempts,      -- attempts that dropped after the end of DATA, before the reply
  ADD COLUMN possibly_delivered_at DATETIME NULL AFTER possibly_delivered;  -- the last of them
