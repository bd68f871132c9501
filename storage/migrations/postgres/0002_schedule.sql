-- 0002: subscriptions, the daily slot, review cards, activity days (PostgreSQL).

ALTER TABLE users
    ADD COLUMN tz_chosen BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN delivery_time INTEGER NOT NULL DEFAULT 540,
    ADD COLUMN delivery_days INTEGER NOT NULL DEFAULT 31,
    ADD COLUMN quiet_start INTEGER DEFAULT 1320,
    ADD COLUMN quiet_end INTEGER DEFAULT 480,
    ADD COLUMN next_slot_at TIMESTAMPTZ,
    ADD COLUMN last_slot_at TIMESTAMPTZ,
    ADD COLUMN last_nudge_at TIMESTAMPTZ,
    ADD COLUMN ignored_nudges INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN returned BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN awaiting TEXT;
CREATE INDEX users_next_slot ON users (next_slot_at) WHERE next_slot_at IS NOT NULL;

CREATE TABLE subscriptions (
    user_id        BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    series_id      TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('active', 'paused', 'finished')),
    subscribed_at  TIMESTAMPTZ NOT NULL,
    changed_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, series_id)
);

CREATE TABLE deliveries (
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    slot_at      TIMESTAMPTZ NOT NULL,
    status       TEXT NOT NULL CHECK (status IN
                   ('pending', 'sent', 'empty', 'deferred', 'blocked', 'failed')),
    kind         TEXT,
    lessons      TEXT,
    claimed_at   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ,
    PRIMARY KEY (user_id, slot_at)
);
CREATE INDEX deliveries_pending ON deliveries (status) WHERE status = 'pending';

CREATE TABLE review_cards (
    id              BIGSERIAL PRIMARY KEY,
    user_id         BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    lesson_id       TEXT NOT NULL,
    question        INTEGER NOT NULL,
    fsrs            TEXT NOT NULL,
    due_at          TIMESTAMPTZ NOT NULL,
    reviews         INTEGER NOT NULL DEFAULT 0,
    created_at      TIMESTAMPTZ NOT NULL,
    last_review_at  TIMESTAMPTZ,
    UNIQUE (user_id, lesson_id, question)
);
CREATE INDEX review_cards_due ON review_cards (user_id, due_at);

CREATE TABLE review_log (
    card_id      BIGINT NOT NULL REFERENCES review_cards (id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL,
    rating       INTEGER NOT NULL,
    correct      BOOLEAN NOT NULL,
    source       TEXT NOT NULL,
    seconds      DOUBLE PRECISION,
    reviewed_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX review_log_user ON review_log (user_id, reviewed_at);

CREATE TABLE activity_days (
    user_id  BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day      DATE NOT NULL,
    PRIMARY KEY (user_id, day)
);

ALTER TABLE quiz_attempts ADD COLUMN asked_at TIMESTAMPTZ;
CREATE OR REPLACE FUNCTION quiz_answers_advance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE quiz_attempts
       SET current = current + 1,
           correct = correct + NEW.correct,
           asked_at = NEW.answered_at,
           finished_at = CASE WHEN current + 1 >= total THEN NEW.answered_at END
     WHERE id = NEW.attempt_id;
    RETURN NEW;
END $$;
