-- 0004: self-assessments and teams (PostgreSQL).

CREATE TABLE assessments (
    id           BIGSERIAL PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    started_at   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ
);
CREATE INDEX assessments_user ON assessments (user_id, id);

CREATE TABLE assessment_answers (
    assessment_id  BIGINT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    lesson_id      TEXT NOT NULL,
    rating         INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    answered_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (assessment_id, lesson_id)
);

CREATE TABLE teams (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL,
    manager_id  BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code        TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE team_members (
    team_id    BIGINT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    joined_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members (user_id);
