-- 0008: the order in which the options of a question were shown. A quiz attempt keeps one
-- order per question (JSON list of lists of option indexes); a review card keeps the order
-- of its next presentation. NULL: shown in file order (attempts and cards made before).
ALTER TABLE quiz_attempts ADD COLUMN option_orders TEXT;
ALTER TABLE review_cards ADD COLUMN option_order TEXT;
