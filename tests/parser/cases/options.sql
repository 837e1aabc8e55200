CREATE SINK k WITH (kafka.security.protocol = 'SSL', Rate = 10.5, follow = TRUE, kind = Sensor,
  idle_timeout = INTERVAL '5' SECOND, idle2 = '5s', neg = -3, "Quoted.Key" = false);
CREATE STREAM s (a BOOL, b BOOLEAN, c INT, d INTEGER, e FLOAT, f REAL, g DOUBLE PRECISION,
  h TEXT, i STRING, j VARCHAR(20), k TIMESTAMP, "Upper" bigint);
create or replace stream if not exists s2 (x bigint) with (connector = 'file', path = '/tmp/a.jsonl')
