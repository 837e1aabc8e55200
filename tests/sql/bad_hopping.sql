-- HOPPING with ADVANCE greater than SIZE is rejected with line and column.
-- exit: 1
-- stderr: line 11
CREATE STREAM bids (
  auction BIGINT, bidder BIGINT, price DOUBLE, channel VARCHAR, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND
) WITH (connector = 'tcp', port = 9000, format = 'json');
CREATE SINK out WITH (connector = 'websocket');
CREATE QUERY q AS INSERT INTO out
  SELECT COUNT(*) AS n FROM bids
  WINDOW HOPPING (SIZE 2 SECONDS, ADVANCE BY 10 SECONDS);
