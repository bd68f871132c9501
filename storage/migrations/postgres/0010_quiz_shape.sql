-- 0010: the shape of a lesson's quiz when an attempt started: per question, its number of
-- options and the right one ("4.2,4.0,3.1"). An answer given after a deploy that changed
-- the shape is not judged against the new key; NULL: an attempt from before (not checked).
ALTER TABLE quiz_attempts ADD COLUMN quiz_shape TEXT;
