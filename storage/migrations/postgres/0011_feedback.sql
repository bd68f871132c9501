-- 0011: did the lesson change anything at work? A learner's rating of a lesson, the week's
-- action as a commitment followed up in the daily slot, and re-ratings of a series'
-- obstacles (the confidence lift) beside full self-assessments.

CREATE TABLE lesson_feedback (
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    lesson_id    TEXT NOT NULL,
    attempt_id   BIGINT NOT NULL,    -- the quiz attempt it followed: a retake asks again
    usefulness   INTEGER CHECK (usefulness BETWEEN 1 AND 5),  -- NULL: skipped
    unclear      TEXT,               -- "what was unclear?" as written (length-limited)
    answered_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, lesson_id)
);

CREATE TABLE commitments (
    id            BIGSERIAL PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    lesson_id     TEXT NOT NULL,
    made_at       TIMESTAMPTZ NOT NULL,
    -- declined ("not now"), open (to follow up), later ("not yet" once: asked again),
    -- done, not_yet (said twice), failed ("it didn't work")
    status        TEXT NOT NULL CHECK (status IN ('declined', 'open', 'later', 'done',
                                                  'not_yet', 'failed')),
    follow_up_at  TIMESTAMPTZ,       -- when a daily slot asks "did you try it?"; NULL: no
    asked         INTEGER NOT NULL DEFAULT 0,  -- follow-ups sent
    answered_at   TIMESTAMPTZ,
    note          TEXT               -- "what happened", as written (length-limited)
);
CREATE INDEX commitments_user ON commitments (user_id, id);
CREATE INDEX commitments_due ON commitments (user_id, follow_up_at)
    WHERE follow_up_at IS NOT NULL;

-- NULL: a full /assess; a series id: that series' obstacles re-rated when it was finished
ALTER TABLE assessments ADD COLUMN scope TEXT;
-- when the daily slot offered a re-take of this (full) assessment, 30 days on
ALTER TABLE assessments ADD COLUMN retake_offered_at TIMESTAMPTZ;
