-- 0006: a review is ONE statement: the card row carries its latest answer, and triggers copy
-- it into review_log (one hop to the database instead of a four-step transaction).
ALTER TABLE review_cards ADD COLUMN last_rating INTEGER;
ALTER TABLE review_cards ADD COLUMN last_correct INTEGER;
ALTER TABLE review_cards ADD COLUMN last_source TEXT;
ALTER TABLE review_cards ADD COLUMN last_seconds REAL;

CREATE TRIGGER review_cards_log_insert AFTER INSERT ON review_cards
BEGIN
    INSERT INTO review_log (card_id, user_id, rating, correct, source, seconds, reviewed_at)
    VALUES (NEW.id, NEW.user_id, NEW.last_rating, NEW.last_correct, NEW.last_source,
            NEW.last_seconds, NEW.last_review_at);
END;

CREATE TRIGGER review_cards_log_update AFTER UPDATE OF reviews ON review_cards
BEGIN
    INSERT INTO review_log (card_id, user_id, rating, correct, source, seconds, reviewed_at)
    VALUES (NEW.id, NEW.user_id, NEW.last_rating, NEW.last_correct, NEW.last_source,
            NEW.last_seconds, NEW.last_review_at);
END;
