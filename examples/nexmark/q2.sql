-- Nexmark q2 (selection), standard form.
CREATE SINK q2_out WITH (connector = 'websocket');
CREATE QUERY q2 AS INSERT INTO q2_out
  SELECT auction, price FROM bid WHERE auction % 123 = 0;
