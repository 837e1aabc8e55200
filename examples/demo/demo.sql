-- eddy demo: synthetic sensor readings, two windowed queries, WebSocket sinks.
-- Run with `make demo` (or ./build/eddy serve -f examples/demo/demo.sql), then:
--   ./build/eddy tail device_stats        ws://127.0.0.1:7070/ws/device_stats
--   ./build/eddy tail hot_readings        ws://127.0.0.1:7070/ws/hot_readings

CREATE STREAM sensors (
  device   VARCHAR,
  temp     DOUBLE,
  humidity DOUBLE,
  ts       TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND
) WITH (connector = 'generator', kind = 'sensors', rate = 20);

CREATE SINK device_stats WITH (connector = 'websocket');
CREATE SINK hot_readings WITH (connector = 'websocket');

-- Per device, every 5 seconds: how many readings, average and peak temperature.
CREATE QUERY device_stats AS
  INSERT INTO device_stats
  SELECT device, COUNT(*) AS readings, ROUND(AVG(temp) * 10) / 10 AS avg_temp,
         MAX(temp) AS max_temp, window_start, window_end
  FROM sensors
  WINDOW TUMBLING (SIZE 5 SECONDS)
  GROUP BY device;

-- Over the last 10 seconds, refreshed every 2 seconds: readings above 22 degrees per device.
CREATE QUERY hot_readings AS
  INSERT INTO hot_readings
  SELECT device, COUNT(*) AS hot, MAX(temp) AS max_temp, window_start, window_end
  FROM sensors
  WHERE temp > 22
  WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 2 SECONDS)
  GROUP BY device;
