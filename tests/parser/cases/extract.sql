SELECT EXTRACT(HOUR FROM ts), extract(Year FROM ts + INTERVAL '1' DAY), EXTRACT(dayofweek FROM ts) FROM t;
