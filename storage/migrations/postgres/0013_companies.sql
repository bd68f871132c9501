-- 0013: companies learning together: co-managers, assignments with due dates (and the one
-- reminder each member behind gets), members who share their progress by name with their
-- team's managers, the managers' weekly digest, and certificates for finished series.

CREATE TABLE team_managers (
    team_id   BIGINT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    added_by  BIGINT,
    added_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_managers_user ON team_managers (user_id);
-- every team's creator is its first manager (teams.manager_id stays the owner; a hand-over
-- changes it)
INSERT INTO team_managers (team_id, user_id, added_at) SELECT id, manager_id, created_at FROM teams;

CREATE TABLE assignments (
    id           BIGSERIAL PRIMARY KEY,
    team_id      BIGINT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    series_id    TEXT NOT NULL,
    due_on       DATE NOT NULL,            -- the last day (the team's managers' calendar day)
    assigned_by  BIGINT,
    created_at   TIMESTAMPTZ NOT NULL,
    cancelled_at TIMESTAMPTZ
);
CREATE INDEX assignments_team ON assignments (team_id);

CREATE TABLE assignment_reminders (
    assignment_id  BIGINT NOT NULL REFERENCES assignments (id) ON DELETE CASCADE,
    user_id        BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reminded_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (assignment_id, user_id)
);

-- a member's opt-in to show their progress by name to their team's managers (off by default)
CREATE TABLE progress_sharing (
    team_id  BIGINT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id  BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    shared_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (team_id, user_id)
);

-- the manager's weekly digest: the weekday chosen (0 = Monday; NULL: none) and when it is due
ALTER TABLE users ADD COLUMN digest_day INTEGER;
ALTER TABLE users ADD COLUMN next_digest_at TIMESTAMPTZ;
CREATE INDEX users_next_digest ON users (next_digest_at) WHERE next_digest_at IS NOT NULL;

CREATE TABLE certificates (
    code        TEXT PRIMARY KEY,          -- shown on the certificate; /verify <code>
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    series_id   TEXT NOT NULL,
    language    TEXT NOT NULL,
    name        TEXT NOT NULL,             -- as the learner chose it
    issued_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (user_id, series_id)
);
