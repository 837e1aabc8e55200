-- The same SELECT explained ad hoc (no name, no sink) and as a named query
-- (EXPLAIN QUERY name and EXPLAIN name give the same plan, with its sink).
CREATE STREAM bids (
  auction BIGINT, bidder BIGINT, price DOUBLE, channel VARCHAR, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND
) WITH (connector = 'tcp', port = 9000, format = 'json');
CREATE SINK out WITH (connector = 'websocket');
EXPLAIN SELECT auction, price FROM bids WHERE price > 10;
CREATE QUERY big AS INSERT INTO out SELECT auction, price FROM bids WHERE price > 10;
EXPLAIN QUERY big;
EXPLAIN big;
