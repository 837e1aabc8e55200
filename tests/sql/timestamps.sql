-- TIMESTAMP input as epoch ms or RFC 3339 with any offset; output is RFC 3339
-- UTC with milliseconds.
-- input: t=timestamps.t.jsonl
CREATE STREAM t (id BIGINT, ts TIMESTAMP) WITH (connector = 'tcp', port = 9003);
CREATE SINK out WITH (connector = 'websocket');
CREATE QUERY q AS INSERT INTO out SELECT id, ts FROM t;
