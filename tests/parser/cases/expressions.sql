SELECT CASE WHEN a > 1 THEN 'big' WHEN a > 0 THEN 'small' ELSE 'none' END FROM t;
SELECT CASE channel WHEN 'web' THEN 1 END FROM t;
SELECT CAST(price AS BIGINT), cast(x as varchar(10)), CAST(s AS TIMESTAMP) FROM t;
SELECT COUNT(*), COUNT(DISTINCT bidder), SUM(price), Lower(Name), COALESCE(a, b, 0), now() FROM t;
SELECT SUBSTRING(s FROM 2 FOR 3), SUBSTRING(s FROM 2), SUBSTRING(s, 1, 2) FROM t;
SELECT a IN (1, 2, 3), b LIKE 'a_%', c IS NULL, d NOT BETWEEN 1 AND 10 FROM t;
SELECT "Mixed Case" AS "Out Name", size, text, timestamp, day, stream FROM t;
SELECT price AS p, (price) FROM "Quoted Stream"
