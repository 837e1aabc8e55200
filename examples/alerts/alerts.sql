-- alerts.sql — sensor readings from Kafka, per-device 10-second averages,
-- alerts above 30 degrees to a Kafka topic and to a WebSocket dashboard.
-- @BROKERS@ is replaced by the bootstrap address (see README.md).
CREATE STREAM readings (device VARCHAR, temp DOUBLE, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH (connector = 'kafka', brokers = '@BROKERS@', topic = 'readings',
      "group" = 'eddy-alerts', start = 'earliest', format = 'json',
      idle_timeout = INTERVAL '30' SECOND, dead_letter = 'readings.dead.jsonl');

CREATE SINK alerts WITH (connector = 'kafka', brokers = '@BROKERS@', topic = 'alerts',
                         key = 'device', format = 'json');
CREATE SINK dashboard WITH (connector = 'websocket');

CREATE QUERY device_alerts AS INSERT INTO alerts
  SELECT device, AVG(temp) AS avg_temp, COUNT(*) AS readings, window_start
  FROM readings WINDOW TUMBLING (SIZE 10 SECONDS)
  GROUP BY device HAVING AVG(temp) > 30;

CREATE QUERY dashboard_feed AS INSERT INTO dashboard
  SELECT device, AVG(temp) AS avg_temp, MAX(temp) AS max_temp, window_start
  FROM readings WINDOW TUMBLING (SIZE 10 SECONDS)
  GROUP BY device;
