-- 0007: drips are written ahead like broadcast sends. A delivery is 'sending' from just
-- before its request goes out; if the process dies then, recovery makes it 'unconfirmed'
-- (Telegram may have it) and the learner's next slot is planned without resending it.
CREATE TABLE deliveries_new (
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    slot_at      TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'unconfirmed', 'sent',
                                                 'empty', 'deferred', 'blocked', 'failed')),
    kind         TEXT,               -- drip, review, reminder
    lessons      TEXT,               -- comma-separated lesson ids delivered
    claimed_at   TEXT NOT NULL,      -- when claimed; when marked 'sending' from then on
    finished_at  TEXT,
    PRIMARY KEY (user_id, slot_at)
) WITHOUT ROWID;
INSERT INTO deliveries_new (user_id, slot_at, status, kind, lessons, claimed_at, finished_at)
    SELECT user_id, slot_at, status, kind, lessons, claimed_at, finished_at FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_new RENAME TO deliveries;
-- the unfinished ones: pending, sending, and unconfirmed until the engine plans on
CREATE INDEX deliveries_open ON deliveries (status, claimed_at) WHERE finished_at IS NULL;
