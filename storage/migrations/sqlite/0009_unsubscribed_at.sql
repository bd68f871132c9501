-- 0009: when the learner last unsubscribed from a series. Someone who unsubscribed is not
-- sent "it has been a few days" reminders (they chose their pace); NULL: never unsubscribed.
ALTER TABLE users ADD COLUMN unsubscribed_at TEXT;
