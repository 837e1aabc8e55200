-- A hopping window that closed while it held no data stays closed: an event
-- whose earlier window had already closed (the watermark passed its end)
-- but whose later one is open counts in the open one only. Here b (9.5 s)
-- comes after the watermark reached 10 s: it is in [9 s, 11 s), not in the
-- closed [8 s, 10 s), which is never emitted.
-- input: ev=hopping_closed.ev.jsonl
CREATE STREAM ev (k VARCHAR, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '0' SECOND) WITH (connector = 'tcp', port = 9000);
CREATE SINK out WITH (connector = 'websocket');
CREATE QUERY q AS INSERT INTO out
  SELECT k, COUNT(*) AS n, window_start, window_end
  FROM ev WINDOW HOPPING (SIZE 2 SECONDS, ADVANCE BY 1 SECOND) GROUP BY k;
