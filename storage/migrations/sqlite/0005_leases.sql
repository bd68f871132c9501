-- 0005: recipient claims with leases, so several bot processes share a broadcast safely.
-- A pending recipient with an owner and a recent claimed_at is taken; after the lease
-- expires (its process died) anyone may claim it again.
ALTER TABLE broadcast_recipients ADD COLUMN owner TEXT;
ALTER TABLE broadcast_recipients ADD COLUMN claimed_at TEXT;
CREATE INDEX broadcast_recipients_claim ON broadcast_recipients (broadcast_id, status, chat_id);
