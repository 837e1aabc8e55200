-- REGEXP_EXTRACT(s, pattern [, group]): POSIX extended syntax, the first
-- match; group 0 (the default) is the whole match. No match, or a group that
-- did not take part in the match, is NULL. A pattern or group read from the
-- event is checked per row: a bad pattern or a group past the pattern's
-- groups gives NULL (and counts in eval_errors).
-- input: s=regexp_extract.s.jsonl
CREATE STREAM s (url VARCHAR, pat VARCHAR, g BIGINT) WITH (connector = 'tcp', port = 9005);
CREATE SINK out WITH (connector = 'websocket');
CREATE QUERY q AS INSERT INTO out
  SELECT REGEXP_EXTRACT(url, '(&|^)channel_id=([^&]*)', 2) AS channel_id,
         regexp_extract(url, '[0-9]+') AS first_number,
         REGEXP_EXTRACT(url, '(a)|(b)', 2) AS b_group,
         REGEXP_EXTRACT(url, pat, g) AS dyn
  FROM s;
