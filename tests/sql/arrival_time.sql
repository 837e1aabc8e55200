-- No WATERMARK: arrival time is event time. eddy test's clock starts at 0
-- and advances 1 ms per event, so event k arrives at k ms.
-- input: clicks=arrival_time.clicks.jsonl
CREATE STREAM clicks (channel VARCHAR) WITH (connector = 'tcp', port = 9001);
CREATE SINK out WITH (connector = 'websocket');
CREATE QUERY q AS INSERT INTO out
  SELECT channel, COUNT(*) AS n, window_start, window_end
  FROM clicks WINDOW TUMBLING (SIZE 5 MILLISECONDS)
  GROUP BY channel;
