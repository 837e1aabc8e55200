-- COUNT_CHAR(s, c): how often the character c occurs in s (case-sensitive,
-- one Unicode code point; Nexmark q14's count_char UDF as a built-in). NULL
-- in, NULL out; a character read from the event that is not exactly one
-- character gives NULL.
-- input: s=count_char.s.jsonl
CREATE STREAM s (extra VARCHAR, c VARCHAR) WITH (connector = 'tcp', port = 9007);
CREATE SINK out WITH (connector = 'websocket');
CREATE QUERY q AS INSERT INTO out
  SELECT extra, COUNT_CHAR(extra, 'c') AS c_counts, count_char(extra, c) AS n FROM s;
