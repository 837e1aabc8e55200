-- Nexmark q15 (bidding statistics), VARIANT: per day, the number of bids,
-- bidders and auctions, in total and per price band (rank1 < 10 000 <=
-- rank2 < 1 000 000 <= rank3), the day as 'yyyy-MM-dd'. The standard query
-- groups by that day string and updates its row with every bid (a retracting
-- unbounded GROUP BY); here the day is a 1-day tumbling window, emitted once
-- when the watermark passes its end.
-- `COUNT(*) FILTER (WHERE c)` is written COUNT(CASE WHEN c THEN 1 END) and
-- `COUNT(DISTINCT x) FILTER (WHERE c)` COUNT(DISTINCT CASE WHEN c THEN x END):
-- a CASE without ELSE is NULL, and COUNT skips NULLs.
CREATE SINK q15_out WITH (connector = 'websocket');
CREATE QUERY q15 AS INSERT INTO q15_out
  SELECT DATE_FORMAT(window_start, 'yyyy-MM-dd') AS day,
         COUNT(*) AS total_bids,
         COUNT(CASE WHEN price < 10000 THEN 1 END) AS rank1_bids,
         COUNT(CASE WHEN price >= 10000 AND price < 1000000 THEN 1 END) AS rank2_bids,
         COUNT(CASE WHEN price >= 1000000 THEN 1 END) AS rank3_bids,
         COUNT(DISTINCT bidder) AS total_bidders,
         COUNT(DISTINCT CASE WHEN price < 10000 THEN bidder END) AS rank1_bidders,
         COUNT(DISTINCT CASE WHEN price >= 10000 AND price < 1000000 THEN bidder END) AS rank2_bidders,
         COUNT(DISTINCT CASE WHEN price >= 1000000 THEN bidder END) AS rank3_bidders,
         COUNT(DISTINCT auction) AS total_auctions,
         COUNT(DISTINCT CASE WHEN price < 10000 THEN auction END) AS rank1_auctions,
         COUNT(DISTINCT CASE WHEN price >= 10000 AND price < 1000000 THEN auction END) AS rank2_auctions,
         COUNT(DISTINCT CASE WHEN price >= 1000000 THEN auction END) AS rank3_auctions
  FROM bid
  WINDOW TUMBLING (SIZE 1 DAY);
