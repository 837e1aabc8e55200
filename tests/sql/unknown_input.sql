-- --input naming a stream that does not exist is an error.
-- input: nosuch=late.bids.jsonl
-- exit: 1
-- stderr: unknown stream 'nosuch'
CREATE STREAM bids (
  auction BIGINT, bidder BIGINT, price DOUBLE, channel VARCHAR, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND
) WITH (connector = 'tcp', port = 9000, format = 'json');
CREATE SINK out WITH (connector = 'websocket');
