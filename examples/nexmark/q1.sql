-- Nexmark q1 (currency conversion), standard form: dollars to euros.
CREATE SINK q1_out WITH (connector = 'websocket');
CREATE QUERY q1 AS INSERT INTO q1_out
  SELECT auction, bidder, price * 0.908 AS price, date_time FROM bid;
