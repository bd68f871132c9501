-- 0006: a review is ONE statement; a trigger copies the card's latest answer to review_log.
ALTER TABLE review_cards
    ADD COLUMN last_rating INTEGER,
    ADD COLUMN last_correct BOOLEAN,
    ADD COLUMN last_source TEXT,
    ADD COLUMN last_seconds DOUBLE PRECISION;

CREATE FUNCTION review_cards_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO review_log (card_id, user_id, rating, correct, source, seconds, reviewed_at)
    VALUES (NEW.id, NEW.user_id, NEW.last_rating, NEW.last_correct, NEW.last_source,
            NEW.last_seconds, NEW.last_review_at);
    RETURN NEW;
END $$;
CREATE TRIGGER review_cards_log_insert AFTER INSERT ON review_cards
    FOR EACH ROW EXECUTE FUNCTION review_cards_log();
CREATE TRIGGER review_cards_log_update AFTER UPDATE OF reviews ON review_cards
    FOR EACH ROW EXECUTE FUNCTION review_cards_log();
