-- Rows whose username the mirror did not know and the live lookup could not check (the LMS
-- refused or failed, or the match was cancelled) are counted apart from "not linked".
ALTER TABLE grade_reconciliations ADD COLUMN not_checked INTEGER NOT NULL DEFAULT 0;
