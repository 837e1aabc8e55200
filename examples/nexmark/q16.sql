-- Nexmark q16 (channel statistics), VARIANT: q15's counts per channel and
-- day, and the minute ('HH:mm') of the day's last bid in the channel. The
-- standard query groups by (channel, DATE_FORMAT(date_time, 'yyyy-MM-dd'))
-- and updates its rows with every bid; here the day is a 1-day tumbling
-- window, each channel's row emitted once when it closes.
CREATE SINK q16_out WITH (connector = 'websocket');
CREATE QUERY q16 AS INSERT INTO q16_out
  SELECT channel,
         DATE_FORMAT(window_start, 'yyyy-MM-dd') AS day,
         MAX(DATE_FORMAT(date_time, 'HH:mm')) AS minute,
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
  WINDOW TUMBLING (SIZE 1 DAY)
  GROUP BY channel;
