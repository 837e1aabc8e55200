-- Nexmark q22 (URL directories), standard form: the first three path
-- components of each bid's URL (fields 3..5, 0-based, of the URL split at '/').
CREATE SINK q22_out WITH (connector = 'websocket');
CREATE QUERY q22 AS INSERT INTO q22_out
  SELECT auction, bidder, price, channel,
         SPLIT_INDEX(url, '/', 3) AS dir1, SPLIT_INDEX(url, '/', 4) AS dir2, SPLIT_INDEX(url, '/', 5) AS dir3
  FROM bid;
