-- 0004: self-assessments (how strongly each obstacle holds the company back, 1-5) and teams.

CREATE TABLE assessments (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    started_at   TEXT NOT NULL,
    finished_at  TEXT
);
CREATE INDEX assessments_user ON assessments (user_id, id);

CREATE TABLE assessment_answers (
    assessment_id  INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    lesson_id      TEXT NOT NULL,     -- the obstacle (each lesson teaches one)
    rating         INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    answered_at    TEXT NOT NULL,
    PRIMARY KEY (assessment_id, lesson_id)
) WITHOUT ROWID;

CREATE TABLE teams (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL,
    manager_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code        TEXT NOT NULL UNIQUE,   -- the join deep link: ?start=t_<code>
    created_at  TEXT NOT NULL
);

CREATE TABLE team_members (
    team_id    INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    joined_at  TEXT NOT NULL,
    PRIMARY KEY (team_id, user_id)
) WITHOUT ROWID;
CREATE INDEX team_members_user ON team_members (user_id);
