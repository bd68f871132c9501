-- 0003: admin broadcasts (to learners or to the channel) with per-recipient delivery state.

CREATE TABLE broadcasts (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    admin_id           INTEGER NOT NULL,
    target             TEXT NOT NULL CHECK (target IN ('users', 'channel')),
    source_chat_id     INTEGER NOT NULL,      -- the admin's chat holding the message to copy
    source_message_id  INTEGER NOT NULL,
    button_series      TEXT,                  -- optional deep-link button opening a series
    audience           TEXT NOT NULL DEFAULT '{}',  -- JSON: languages, series, idle_days
    status             TEXT NOT NULL CHECK (status IN
                         ('draft', 'scheduled', 'queued', 'running', 'paused', 'done',
                          'cancelled')),
    run_at             TEXT,                  -- scheduled start (UTC)
    progress_chat_id   INTEGER,               -- the admin's progress message, edited in place
    progress_message_id INTEGER,
    total              INTEGER NOT NULL DEFAULT 0,
    created_at         TEXT NOT NULL,
    started_at         TEXT,
    finished_at        TEXT
);
CREATE INDEX broadcasts_status ON broadcasts (status, run_at);

-- One row per recipient, fixed when the broadcast is confirmed. 'sending' is written just
-- before the Bot API call: after a hard kill such rows are "unconfirmed" and never resent.
CREATE TABLE broadcast_recipients (
    broadcast_id  INTEGER NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
    chat_id       INTEGER NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN
                    ('pending', 'sending', 'sent', 'blocked', 'failed', 'unconfirmed')),
    error         TEXT,
    sent_at       TEXT,
    PRIMARY KEY (broadcast_id, chat_id)
) WITHOUT ROWID;
CREATE INDEX broadcast_recipients_status ON broadcast_recipients (broadcast_id, status);
