-- A claim's likelihood is what the claimant's words state on the ICD 203 scale; NULL when they
-- carry no estimative language ("must be prepared for", "believes", a flat assertion). Existing
-- rows keep their value; the history table mirrors the live one.
ALTER TABLE claims ALTER COLUMN likelihood DROP NOT NULL;
ALTER TABLE history.claims ALTER COLUMN likelihood DROP NOT NULL;
