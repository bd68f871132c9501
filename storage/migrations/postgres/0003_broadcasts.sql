-- 0003: admin broadcasts with per-recipient delivery state (PostgreSQL).

CREATE TABLE broadcasts (
    id                  BIGSERIAL PRIMARY KEY,
    admin_id            BIGINT NOT NULL,
    target              TEXT NOT NULL CHECK (target IN ('users', 'channel')),
    source_chat_id      BIGINT NOT NULL,
    source_message_id   BIGINT NOT NULL,
    button_series       TEXT,
    audience            TEXT NOT NULL DEFAULT '{}',
    status              TEXT NOT NULL CHECK (status IN
                          ('draft', 'scheduled', 'queued', 'running', 'paused', 'done',
                           'cancelled')),
    run_at              TIMESTAMPTZ,
    progress_chat_id    BIGINT,
    progress_message_id BIGINT,
    total               INTEGER NOT NULL DEFAULT 0,
    created_at          TIMESTAMPTZ NOT NULL,
    started_at          TIMESTAMPTZ,
    finished_at         TIMESTAMPTZ
);
CREATE INDEX broadcasts_status ON broadcasts (status, run_at);

CREATE TABLE broadcast_recipients (
    broadcast_id  BIGINT NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
    chat_id       BIGINT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN
                    ('pending', 'sending', 'sent', 'blocked', 'failed', 'unconfirmed')),
    error         TEXT,
    sent_at       TIMESTAMPTZ,
    PRIMARY KEY (broadcast_id, chat_id)
);
CREATE INDEX broadcast_recipients_status ON broadcast_recipients (broadcast_id, status);
