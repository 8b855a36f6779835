-- 0024_complaint_intake: placeholder, filled in by its change.
SELECT 1;
