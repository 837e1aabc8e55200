-- Nexmark q12 (processing-time windows), standard form: the number of bids
-- of each bidder per 10 s tumbling window of processing time. A stream
-- without a WATERMARK clause uses arrival time (when eddy read the event)
-- as its time, so this file declares its own bid stream, without one.
-- (`eddy test` simulates arrival time as 1 ms per event.)
CREATE STREAM bid_proctime (
  auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR,
  date_time TIMESTAMP, extra VARCHAR
) WITH (connector = 'nexmark', table = 'bid', events = 100000000, rate = 0);
CREATE SINK q12_out WITH (connector = 'websocket');
CREATE QUERY q12 AS INSERT INTO q12_out
  SELECT bidder, COUNT(*) AS bid_count, window_start, window_end
  FROM bid_proctime
  WINDOW TUMBLING (SIZE 10 SECONDS)
  GROUP BY bidder;
