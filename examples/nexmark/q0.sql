-- Nexmark q0 (pass-through), standard form: every bid, projected.
CREATE SINK q0_out WITH (connector = 'websocket');
CREATE QUERY q0 AS INSERT INTO q0_out
  SELECT auction, bidder, price, date_time FROM bid;
