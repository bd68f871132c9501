-- 0005: recipient claims with leases (several replicas share a broadcast safely).
ALTER TABLE broadcast_recipients ADD COLUMN owner TEXT, ADD COLUMN claimed_at TIMESTAMPTZ;
CREATE INDEX broadcast_recipients_claim ON broadcast_recipients (broadcast_id, status, chat_id);
