-- 0012: the channel and the bot as one funnel: a posting calendar, tracked links (a post's
-- buttons, named links, channel invite links), who came through which, channel joins, and
-- bonus materials for channel members.

-- Each planned post goes out once at its time: claimed with a lease (owner, claimed_at),
-- 'sending' written just before the Bot API call (after a hard kill: 'unconfirmed', never
-- resent on its own), 'failed' reported to the admin and not retried blindly.
CREATE TABLE channel_posts (
    id                 BIGSERIAL PRIMARY KEY,
    channel            TEXT NOT NULL,      -- @username or the -100... id
    language           TEXT NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('teaser', 'quiz', 'digest', 'free')),
    lesson_id          TEXT,               -- teaser, quiz
    series_id          TEXT,               -- digest (a teaser's series too)
    question           INTEGER,            -- quiz: the lesson's question index
    source_chat_id     BIGINT,            -- free: the admin's message, copied
    source_message_id  BIGINT,
    run_at             TIMESTAMPTZ NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('planned', 'sending', 'sent', 'failed',
                                                       'unconfirmed', 'cancelled')),
    owner              TEXT,
    claimed_at         TIMESTAMPTZ,
    created_by         BIGINT NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL,
    sent_at            TIMESTAMPTZ,
    message_id         BIGINT,            -- the post in the channel (a quiz: the poll)
    follow_message_id  BIGINT,            -- a quiz's "practise in the bot" message
    poll_id            TEXT,
    poll_counts        TEXT,               -- JSON: voters per option, as the poll last stood
    poll_closed        BOOLEAN NOT NULL DEFAULT FALSE,
    reactions          TEXT,               -- JSON: emoji -> count (message_reaction_count)
    error              TEXT
);
CREATE INDEX channel_posts_due ON channel_posts (run_at) WHERE status = 'planned';
CREATE INDEX channel_posts_message ON channel_posts (channel, message_id);

-- Tracked start payloads (?start=c_<code>): a post's buttons, named links for articles,
-- partners and ads (/links), and named channel invite links.
CREATE TABLE tracked_links (
    code         TEXT PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('post', 'link', 'invite')),
    name         TEXT NOT NULL,
    post_id      BIGINT REFERENCES channel_posts (id) ON DELETE CASCADE,
    target       TEXT,                   -- what a start opens: l_<lesson>, s_<series>; NULL: home
    channel      TEXT,                   -- invite: its channel
    invite_link  TEXT UNIQUE,            -- invite: https://t.me/+...
    created_by   BIGINT,
    created_at   TIMESTAMPTZ NOT NULL
);

-- Who started the bot through which code: the first source kept, later ones counted.
CREATE TABLE arrivals (
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code      TEXT NOT NULL REFERENCES tracked_links (code) ON DELETE CASCADE,
    first     BOOLEAN NOT NULL,            -- this learner's first source
    arrived_at TIMESTAMPTZ NOT NULL,       -- the first time through this code
    times     INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (user_id, code)
);
CREATE UNIQUE INDEX arrivals_first ON arrivals (user_id) WHERE first;
CREATE INDEX arrivals_code ON arrivals (code);

-- Channel members who joined through one of our invite links (from chat_member updates;
-- not necessarily learners: no key to users, deleted by /mydata all the same).
CREATE TABLE channel_joins (
    channel    TEXT NOT NULL,
    user_id    BIGINT NOT NULL,
    code       TEXT REFERENCES tracked_links (code) ON DELETE SET NULL,
    joined_at  TIMESTAMPTZ NOT NULL,
    left_at    TIMESTAMPTZ,
    via        TEXT NOT NULL CHECK (via IN ('link', 'request')),
    PRIMARY KEY (channel, user_id)
);
CREATE INDEX channel_joins_code ON channel_joins (code);

-- A bonus for channel members: the admin's message (a file or text), copied on request.
CREATE TABLE bonuses (
    id                 BIGSERIAL PRIMARY KEY,
    lesson_id          TEXT,
    series_id          TEXT,
    language           TEXT,               -- NULL: for every language
    title              TEXT NOT NULL,
    source_chat_id     BIGINT NOT NULL,
    source_message_id  BIGINT NOT NULL,
    created_by         BIGINT NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL,
    CHECK ((lesson_id IS NULL) <> (series_id IS NULL))
);
CREATE INDEX bonuses_lesson ON bonuses (lesson_id);
CREATE INDEX bonuses_series ON bonuses (series_id);
