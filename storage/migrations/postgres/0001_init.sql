-- 0001: users, lesson progress and quiz attempts with every answer (PostgreSQL).

CREATE TABLE users (
    id           BIGINT PRIMARY KEY,               -- Telegram user id
    language     TEXT,
    tg_language  TEXT,
    first_name   TEXT NOT NULL DEFAULT '',
    timezone     TEXT NOT NULL DEFAULT 'UTC',
    first_seen   TIMESTAMPTZ NOT NULL,
    last_seen    TIMESTAMPTZ NOT NULL,
    visits       INTEGER NOT NULL DEFAULT 1,
    blocked      BOOLEAN NOT NULL DEFAULT FALSE,
    blocked_at   TIMESTAMPTZ
);
CREATE INDEX users_last_seen ON users (last_seen);

CREATE TABLE lesson_progress (
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    lesson_id     TEXT NOT NULL,
    opened_at     TIMESTAMPTZ NOT NULL,
    completed_at  TIMESTAMPTZ,
    PRIMARY KEY (user_id, lesson_id)
);
CREATE INDEX lesson_progress_completed ON lesson_progress (completed_at);

CREATE TABLE quiz_attempts (
    id           BIGSERIAL PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    lesson_id    TEXT NOT NULL,
    total        INTEGER NOT NULL,
    current      INTEGER NOT NULL DEFAULT 0,
    correct      INTEGER NOT NULL DEFAULT 0,
    started_at   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ
);
CREATE INDEX quiz_attempts_user_lesson ON quiz_attempts (user_id, lesson_id, id);

CREATE TABLE quiz_answers (
    attempt_id   BIGINT NOT NULL REFERENCES quiz_attempts (id) ON DELETE CASCADE,
    question     INTEGER NOT NULL,
    user_id      BIGINT NOT NULL,
    lesson_id    TEXT NOT NULL,
    chosen       INTEGER NOT NULL,
    correct      INTEGER NOT NULL,
    answered_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (attempt_id, question)
);
CREATE INDEX quiz_answers_user ON quiz_answers (user_id, lesson_id);
CREATE INDEX quiz_answers_question ON quiz_answers (lesson_id, question);

-- An answer advances its attempt, and finishing an attempt completes the lesson, inside
-- the answering statement (as the SQLite triggers do).
CREATE FUNCTION quiz_answers_advance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE quiz_attempts
       SET current = current + 1,
           correct = correct + NEW.correct,
           finished_at = CASE WHEN current + 1 >= total THEN NEW.answered_at END
     WHERE id = NEW.attempt_id;
    RETURN NEW;
END $$;
CREATE TRIGGER quiz_answers_advance AFTER INSERT ON quiz_answers
    FOR EACH ROW EXECUTE FUNCTION quiz_answers_advance();

CREATE FUNCTION quiz_attempts_complete_lesson() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.finished_at IS NOT NULL AND OLD.finished_at IS NULL THEN
        INSERT INTO lesson_progress (user_id, lesson_id, opened_at, completed_at)
        VALUES (NEW.user_id, NEW.lesson_id, NEW.finished_at, NEW.finished_at)
        ON CONFLICT (user_id, lesson_id) DO UPDATE
           SET completed_at = COALESCE(lesson_progress.completed_at, excluded.completed_at);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER quiz_attempts_complete_lesson AFTER UPDATE OF finished_at ON quiz_attempts
    FOR EACH ROW EXECUTE FUNCTION quiz_attempts_complete_lesson();
