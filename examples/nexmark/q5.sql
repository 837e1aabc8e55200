-- Nexmark q5 (hot items), VARIANT: the per-auction bid counts of every
-- 10 s hopping window sliding by 2 s. The standard q5 then keeps only the
-- auction(s) with the maximum count per window, which needs a second
-- aggregation joined back to the first (not expressible yet).
CREATE SINK q5_out WITH (connector = 'websocket');
CREATE QUERY q5 AS INSERT INTO q5_out
  SELECT auction, COUNT(*) AS num, window_end
  FROM bid
  WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 2 SECONDS)
  GROUP BY auction;
