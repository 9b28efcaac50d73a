-- A stored match's contributions are each factor's points on its side of
-- the fit (match.FactorResult.Contribution), no longer shares of the
-- score: the score multiplies the two sides, so no additive split of it
-- can give the same fit at the same weight the same points in every row.
-- The nightly rematch rewrites every row in the new terms.
COMMENT ON COLUMN matches.contributions IS
    'Each factor''s points on its side, in hundredths of a point, in the engine''s factor order (match.Factors): 100 × weight × fit ÷ the side''s total weight. The clinician-side entries add up to clinician_side and the employer-side ones to employer_side (when that side weighs any factor); the score is 100 × (0.05 + 0.95·C) × (0.05 + 0.95·E), not their sum.';
