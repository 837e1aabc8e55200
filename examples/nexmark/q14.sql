-- Nexmark q14 (calculation), standard form: bids with a euro price between
-- 1 M and 50 M, labelled by the hour of the day of their time, and the
-- number of 'c' characters in extra (count_char, a Nexmark UDF, is the
-- built-in COUNT_CHAR here).
CREATE SINK q14_out WITH (connector = 'websocket');
CREATE QUERY q14 AS INSERT INTO q14_out
  SELECT auction, bidder, 0.908 * price AS price,
         CASE
           WHEN HOUR(date_time) >= 8 AND HOUR(date_time) <= 18 THEN 'dayTime'
           WHEN HOUR(date_time) <= 6 OR HOUR(date_time) >= 20 THEN 'nightTime'
           ELSE 'otherTime'
         END AS bid_time_type,
         date_time, extra, COUNT_CHAR(extra, 'c') AS c_counts
  FROM bid
  WHERE 0.908 * price > 1000000 AND 0.908 * price < 50000000;
