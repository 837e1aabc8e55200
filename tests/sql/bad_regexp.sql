-- A constant pattern that is not a valid POSIX extended regular expression
-- is reported at the pattern with line, column and caret when the query is
-- created (here the ')' after '^' is missing).
-- exit: 1
-- stderr: error at line 9, column 30: invalid regular expression '(&|^channel_id=([^&]*)': Unmatched ( or \(
CREATE STREAM s (url VARCHAR) WITH (connector = 'tcp', port = 9008);
CREATE SINK out WITH (connector = 'websocket');
CREATE QUERY q AS INSERT INTO out
  SELECT REGEXP_EXTRACT(url, '(&|^channel_id=([^&]*)', 2) AS id FROM s;
