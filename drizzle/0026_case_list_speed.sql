-- 0026_case_list_speed: placeholder, filled in by its change.
SELECT 1;
