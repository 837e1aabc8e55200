-- Nexmark q21 (add channel id), standard form: the four hot channels get a
-- fixed id, the others the channel_id parameter of their URL; bids with
-- neither are dropped.
CREATE SINK q21_out WITH (connector = 'websocket');
CREATE QUERY q21 AS INSERT INTO q21_out
  SELECT auction, bidder, price, channel,
         CASE
           WHEN LOWER(channel) = 'apple' THEN '0'
           WHEN LOWER(channel) = 'google' THEN '1'
           WHEN LOWER(channel) = 'facebook' THEN '2'
           WHEN LOWER(channel) = 'baidu' THEN '3'
           ELSE REGEXP_EXTRACT(url, '(&|^)channel_id=([^&]*)', 2)
         END AS channel_id
  FROM bid
  WHERE REGEXP_EXTRACT(url, '(&|^)channel_id=([^&]*)', 2) IS NOT NULL
     OR LOWER(channel) IN ('apple', 'google', 'facebook', 'baidu');
