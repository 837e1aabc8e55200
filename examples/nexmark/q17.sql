-- Nexmark q17 (auction statistics), VARIANT: per auction and day, the
-- number of bids in total and per price band (rank1 < 10 000 <= rank2 <
-- 1 000 000 <= rank3) and the lowest, highest, average and total price.
-- The standard query groups by (auction, DATE_FORMAT(date_time,
-- 'yyyy-MM-dd')) and updates its rows with every bid; here the day is a
-- 1-day tumbling window, each auction's row emitted once when it closes.
CREATE SINK q17_out WITH (connector = 'websocket');
CREATE QUERY q17 AS INSERT INTO q17_out
  SELECT auction,
         DATE_FORMAT(window_start, 'yyyy-MM-dd') AS day,
         COUNT(*) AS total_bids,
         COUNT(CASE WHEN price < 10000 THEN 1 END) AS rank1_bids,
         COUNT(CASE WHEN price >= 10000 AND price < 1000000 THEN 1 END) AS rank2_bids,
         COUNT(CASE WHEN price >= 1000000 THEN 1 END) AS rank3_bids,
         MIN(price) AS min_price,
         MAX(price) AS max_price,
         AVG(price) AS avg_price,
         SUM(price) AS sum_price
  FROM bid
  WINDOW TUMBLING (SIZE 1 DAY)
  GROUP BY auction;
