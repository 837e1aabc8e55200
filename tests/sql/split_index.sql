-- SPLIT_INDEX(s, delim, i): field i (0-based) of s split at every occurrence
-- of the whole string delim; empty fields count. An index past the last
-- field or negative is NULL, so is an empty delimiter; NULL in, NULL out.
-- Nexmark q22 takes fields 3, 4 and 5 of the URL.
-- input: s=split_index.s.jsonl
CREATE STREAM s (url VARCHAR, d VARCHAR, i BIGINT) WITH (connector = 'tcp', port = 9006);
CREATE SINK out WITH (connector = 'websocket');
CREATE QUERY q AS INSERT INTO out
  SELECT SPLIT_INDEX(url, '/', 3) AS dir1, SPLIT_INDEX(url, '/', 4) AS dir2, SPLIT_INDEX(url, '/', 5) AS dir3,
         split_index(url, d, i) AS field
  FROM s;
