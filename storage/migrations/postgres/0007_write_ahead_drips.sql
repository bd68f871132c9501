-- 0007: drips are written ahead like broadcast sends. A delivery is 'sending' from just
-- before its request goes out; if the process dies then, recovery makes it 'unconfirmed'
-- (Telegram may have it) and the learner's next slot is planned without resending it.
ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check CHECK (status IN
    ('pending', 'sending', 'unconfirmed', 'sent', 'empty', 'deferred', 'blocked', 'failed'));
DROP INDEX deliveries_pending;
-- the unfinished ones: pending, sending, and unconfirmed until the engine plans on
CREATE INDEX deliveries_open ON deliveries (status, claimed_at) WHERE finished_at IS NULL;
