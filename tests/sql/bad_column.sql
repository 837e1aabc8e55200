-- An unknown column is reported with line, column, caret and a suggestion.
-- exit: 1
-- stderr: line 11, column 10
-- stderr: did you mean 'price'
CREATE STREAM bids (
  auction BIGINT, bidder BIGINT, price DOUBLE, channel VARCHAR, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND
) WITH (connector = 'tcp', port = 9000, format = 'json');
CREATE SINK out WITH (connector = 'websocket');
CREATE QUERY q AS INSERT INTO out
  SELECT prce FROM bids;
