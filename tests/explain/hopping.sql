-- Hopping window (panes of gcd(size, advance)), GROUP BY two keys, one an
-- expression, HAVING on a key and an aggregate.
CREATE STREAM bids (
  auction BIGINT, bidder BIGINT, price DOUBLE, channel VARCHAR, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '500' MILLISECOND
) WITH (connector = 'tcp', port = 9000, format = 'json');
CREATE SINK out WITH (connector = 'file', path = '/tmp/eddy-explain-hopping.jsonl');
CREATE QUERY hot AS INSERT INTO out
  SELECT auction % 10 AS bucket, channel, COUNT(*) AS bids, MAX(price) * 2 AS top2, window_end
  FROM bids
  WINDOW HOPPING (SIZE 1 MINUTE, ADVANCE BY 15 SECONDS)
  GROUP BY auction % 10, channel
  HAVING channel <> 'test' AND COUNT(*) > 1;
EXPLAIN hot;
