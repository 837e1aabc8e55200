-- The Nexmark bid stream, generated in-process (connector 'nexmark').
-- events = total events of the person/auction/bid sequence (bids are 46/50);
-- rate = events per second, 0 = as fast as possible (event time then advances
-- at the Flink default of 10 M events/s). Event time starts 2026-01-01T00:00:00Z.
CREATE STREAM bid (
  auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR,
  date_time TIMESTAMP, extra VARCHAR,
  WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND
) WITH (connector = 'nexmark', table = 'bid', events = 100000000, rate = 0);
