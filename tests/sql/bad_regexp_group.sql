-- A constant group number the constant pattern does not have is reported at
-- the group when the query is created.
-- exit: 1
-- stderr: error at line 8, column 57: regexp_extract group 3 is out of range: the pattern has 2 groups
CREATE STREAM s (url VARCHAR) WITH (connector = 'tcp', port = 9008);
CREATE SINK out WITH (connector = 'websocket');
CREATE QUERY q AS INSERT INTO out
  SELECT REGEXP_EXTRACT(url, '(&|^)channel_id=([^&]*)', 3) AS id FROM s;
