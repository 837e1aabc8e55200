-- COUNT(DISTINCT x) beside COUNT(x) and COUNT(*); a global window (no GROUP BY).
CREATE STREAM bids (
  auction BIGINT, bidder BIGINT, price DOUBLE, channel VARCHAR, ts TIMESTAMP,
  WATERMARK FOR ts AS ts
) WITH (connector = 'tcp', port = 9000, format = 'json');
CREATE SINK out WITH (connector = 'websocket');
CREATE QUERY d AS INSERT INTO out
  SELECT COUNT(DISTINCT bidder) AS bidders, COUNT(bidder) AS with_bidder, COUNT(*) AS bids,
         window_start
  FROM bids
  WINDOW TUMBLING (SIZE 1 HOUR);
EXPLAIN d;
