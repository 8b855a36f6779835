-- 0025_reports: placeholder, filled in by its change.
SELECT 1;
