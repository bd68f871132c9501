-- 0002: subscriptions, the daily slot (drip, review nudge, idle reminder), review cards,
-- activity days for streaks. The schedule's truth lives here; jobs are rebuilt from it.

-- Delivery preferences and the per-user slot. Minutes count from local midnight; days are a
-- bit mask with bit 0 = Monday ... bit 6 = Sunday. A NULL next_slot_at means "nothing
-- scheduled" (not training, blocked, or being delivered right now).
ALTER TABLE users ADD COLUMN tz_chosen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN delivery_time INTEGER NOT NULL DEFAULT 540;      -- 09:00
ALTER TABLE users ADD COLUMN delivery_days INTEGER NOT NULL DEFAULT 31;       -- Mon-Fri
ALTER TABLE users ADD COLUMN quiet_start INTEGER DEFAULT 1320;                -- 22:00
ALTER TABLE users ADD COLUMN quiet_end INTEGER DEFAULT 480;                   -- 08:00
ALTER TABLE users ADD COLUMN next_slot_at TEXT;
ALTER TABLE users ADD COLUMN last_slot_at TEXT;       -- when the last slot was delivered
ALTER TABLE users ADD COLUMN last_nudge_at TEXT;      -- last review nudge or idle reminder
ALTER TABLE users ADD COLUMN ignored_nudges INTEGER NOT NULL DEFAULT 0;  -- since last seen
ALTER TABLE users ADD COLUMN returned INTEGER NOT NULL DEFAULT 0;  -- set by touch: was blocked
ALTER TABLE users ADD COLUMN awaiting TEXT;           -- typed input the bot asked for
CREATE INDEX users_next_slot ON users (next_slot_at) WHERE next_slot_at IS NOT NULL;

CREATE TABLE subscriptions (
    user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    series_id      TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('active', 'paused', 'finished')),
    subscribed_at  TEXT NOT NULL,
    changed_at     TEXT NOT NULL,
    PRIMARY KEY (user_id, series_id)
) WITHOUT ROWID;

-- One row per slot a user was due: at most one delivery per (user, slot), whatever happens.
-- 'pending' rows are claimed and being delivered; a crash leaves them for recovery.
CREATE TABLE deliveries (
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    slot_at      TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'empty', 'deferred', 'blocked', 'failed')),
    kind         TEXT,               -- drip, review, reminder
    lessons      TEXT,               -- comma-separated lesson ids delivered
    claimed_at   TEXT NOT NULL,
    finished_at  TEXT,
    PRIMARY KEY (user_id, slot_at)
) WITHOUT ROWID;
CREATE INDEX deliveries_pending ON deliveries (status) WHERE status = 'pending';

-- A quiz question a learner has answered, scheduled for review by FSRS.
CREATE TABLE review_cards (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    lesson_id       TEXT NOT NULL,
    question        INTEGER NOT NULL,
    fsrs            TEXT NOT NULL,   -- fsrs.Card as JSON
    due_at          TEXT NOT NULL,
    reviews         INTEGER NOT NULL DEFAULT 0,  -- answers counted into the card so far
    created_at      TEXT NOT NULL,
    last_review_at  TEXT,
    UNIQUE (user_id, lesson_id, question)
);
CREATE INDEX review_cards_due ON review_cards (user_id, due_at);

CREATE TABLE review_log (
    card_id      INTEGER NOT NULL REFERENCES review_cards (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL,
    rating       INTEGER NOT NULL,   -- fsrs.Rating: 1 Again, 2 Hard, 3 Good, 4 Easy
    correct      INTEGER NOT NULL,
    source       TEXT NOT NULL,      -- quiz or review
    seconds      REAL,               -- response time
    reviewed_at  TEXT NOT NULL
);
CREATE INDEX review_log_user ON review_log (user_id, reviewed_at);

-- Days (in the learner's time zone) with a lesson opened, a quiz answer or a review.
CREATE TABLE activity_days (
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day      TEXT NOT NULL,          -- YYYY-MM-DD local
    PRIMARY KEY (user_id, day)
) WITHOUT ROWID;

-- When each quiz question was put to the learner (response times rate review cards).
ALTER TABLE quiz_attempts ADD COLUMN asked_at TEXT;
DROP TRIGGER quiz_answers_advance;
CREATE TRIGGER quiz_answers_advance AFTER INSERT ON quiz_answers
BEGIN
    UPDATE quiz_attempts
       SET current = current + 1,
           correct = correct + NEW.correct,
           asked_at = NEW.answered_at,
           finished_at = CASE WHEN current + 1 >= total THEN NEW.answered_at END
     WHERE id = NEW.attempt_id;
END;
