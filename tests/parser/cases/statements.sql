CREATE STREAM bids (
  auction BIGINT, bidder BIGINT, price DOUBLE, channel VARCHAR, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND
) WITH (connector = 'tcp', port = 9000, format = 'json');
CREATE SINK hot WITH (connector = 'websocket');
CREATE SINK archive WITH (connector = 'file', path = 'out/hot.jsonl');
CREATE QUERY hot_items AS
  INSERT INTO hot
  SELECT auction, COUNT(*) AS bids, MAX(price) AS top, window_start, window_end
  FROM bids WHERE price > 10
  WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 2 SECONDS)
  GROUP BY auction HAVING COUNT(*) >= 3;
DROP QUERY hot_items;
DROP STREAM IF EXISTS x;
drop sink y;
SHOW STREAMS; SHOW SINKS; SHOW QUERIES; SHOW FUNCTIONS;
DESCRIBE bids;
EXPLAIN SELECT * FROM bids WHERE price > 1;
EXPLAIN hot_items;
EXPLAIN QUERY hot_items;
SELECT * FROM bids;
CREATE OR REPLACE SINK IF NOT EXISTS s2;
CREATE QUERY q AS INSERT INTO archive SELECT price * 2 AS doubled FROM bids;
