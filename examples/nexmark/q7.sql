-- Nexmark q7 (highest bid), VARIANT: the highest price of every 10 s
-- tumbling window. The standard q7 joins this maximum back to the bids to
-- return the winning bid rows (needs a stream-window join).
CREATE SINK q7_out WITH (connector = 'websocket');
CREATE QUERY q7 AS INSERT INTO q7_out
  SELECT MAX(price) AS price, window_end
  FROM bid
  WINDOW TUMBLING (SIZE 10 SECONDS);
