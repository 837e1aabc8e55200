-- Malformed lines (bad JSON, wrong types, not an object) are skipped with a
-- diagnostic on stderr; the rest of the input is processed.
-- input: bids=malformed.bids.jsonl
-- stderr: malformed.bids.jsonl:2:
-- stderr: malformed.bids.jsonl:3:
-- stderr: malformed.bids.jsonl:4:
-- stderr: malformed.bids.jsonl:6:
CREATE STREAM bids (
  auction BIGINT, bidder BIGINT, price DOUBLE, channel VARCHAR, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND
) WITH (connector = 'tcp', port = 9000, format = 'json');
CREATE SINK out WITH (connector = 'websocket');
CREATE QUERY q AS INSERT INTO out SELECT auction, price, ts FROM bids;
