-- 0001: users, lesson progress and quiz attempts with every answer.
-- Times are ISO-8601 UTC strings ("2026-11-23T12:00:00.000000+00:00"), which sort correctly.

CREATE TABLE users (
    id           INTEGER PRIMARY KEY,           -- Telegram user id
    language     TEXT,                          -- chosen interface language, NULL until chosen
    tg_language  TEXT,                          -- Telegram's language_code, last seen
    first_name   TEXT NOT NULL DEFAULT '',
    timezone     TEXT NOT NULL DEFAULT 'UTC',
    first_seen   TEXT NOT NULL,
    last_seen    TEXT NOT NULL,
    visits       INTEGER NOT NULL DEFAULT 1,    -- updates received from the user
    blocked      INTEGER NOT NULL DEFAULT 0,
    blocked_at   TEXT
);
CREATE INDEX users_last_seen ON users (last_seen);

CREATE TABLE lesson_progress (
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    lesson_id     TEXT NOT NULL,
    opened_at     TEXT NOT NULL,
    completed_at  TEXT,
    PRIMARY KEY (user_id, lesson_id)
) WITHOUT ROWID;
CREATE INDEX lesson_progress_completed ON lesson_progress (completed_at);

-- One run through a lesson's quiz. Only a user's latest attempt at a lesson takes answers.
CREATE TABLE quiz_attempts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    lesson_id    TEXT NOT NULL,
    total        INTEGER NOT NULL,
    current      INTEGER NOT NULL DEFAULT 0,    -- maintained by quiz_answers_advance
    correct      INTEGER NOT NULL DEFAULT 0,    -- maintained by quiz_answers_advance
    started_at   TEXT NOT NULL,
    finished_at  TEXT                           -- set when the last question is answered
);
CREATE INDEX quiz_attempts_user_lesson ON quiz_attempts (user_id, lesson_id, id);

CREATE TABLE quiz_answers (
    attempt_id   INTEGER NOT NULL REFERENCES quiz_attempts (id) ON DELETE CASCADE,
    question     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    lesson_id    TEXT NOT NULL,
    chosen       INTEGER NOT NULL,
    correct      INTEGER NOT NULL,
    answered_at  TEXT NOT NULL,
    PRIMARY KEY (attempt_id, question)
);
CREATE INDEX quiz_answers_user ON quiz_answers (user_id, lesson_id);
CREATE INDEX quiz_answers_question ON quiz_answers (lesson_id, question);

-- An answer advances its attempt in the same statement (so in the same transaction): a crash
-- can never leave an answer without its effect, or the other way round.
CREATE TRIGGER quiz_answers_advance AFTER INSERT ON quiz_answers
BEGIN
    UPDATE quiz_attempts
       SET current = current + 1,
           correct = correct + NEW.correct,
           finished_at = CASE WHEN current + 1 >= total THEN NEW.answered_at END
     WHERE id = NEW.attempt_id;
END;

-- Finishing an attempt completes the lesson (the first completion time is kept).
CREATE TRIGGER quiz_attempts_complete_lesson AFTER UPDATE OF finished_at ON quiz_attempts
WHEN NEW.finished_at IS NOT NULL AND OLD.finished_at IS NULL
BEGIN
    INSERT INTO lesson_progress (user_id, lesson_id, opened_at, completed_at)
    VALUES (NEW.user_id, NEW.lesson_id, NEW.finished_at, NEW.finished_at)
    ON CONFLICT (user_id, lesson_id) DO UPDATE
       SET completed_at = COALESCE(lesson_progress.completed_at, excluded.completed_at);
END;
