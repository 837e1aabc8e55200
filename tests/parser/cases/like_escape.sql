-- LIKE / NOT LIKE with ESCAPE; ESCAPE binds to its LIKE, below || and above
-- AND; "escape" is still a name elsewhere.
SELECT a LIKE '100!%' ESCAPE '!', b NOT LIKE 'x\_%' ESCAPE '\' FROM t;
SELECT a FROM t WHERE a LIKE 'p' || b ESCAPE '#' AND c LIKE '%' OR d NOT LIKE e ESCAPE f || '';
SELECT escape FROM t WHERE escape LIKE '%!_' escape '!';
SELECT a LIKE b LIKE c ESCAPE '!' FROM t
