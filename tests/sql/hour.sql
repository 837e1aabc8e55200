-- HOUR(ts): hour of the day in UTC, 0..23, around midnight, across days, for
-- offsets other than Z and before 1970 (negative epoch milliseconds); NULL
-- stays NULL. The CASE is Nexmark q14's day/night label.
-- input: t=hour.t.jsonl
CREATE STREAM t (id BIGINT, ts TIMESTAMP) WITH (connector = 'tcp', port = 9004);
CREATE SINK out WITH (connector = 'websocket');
CREATE QUERY q AS INSERT INTO out
  SELECT id, ts, HOUR(ts) AS h, hour(ts + INTERVAL '1' HOUR) AS next_h,
         CASE
           WHEN HOUR(ts) >= 8 AND HOUR(ts) <= 18 THEN 'dayTime'
           WHEN HOUR(ts) <= 6 OR HOUR(ts) >= 20 THEN 'nightTime'
           ELSE 'otherTime'
         END AS label
  FROM t;
