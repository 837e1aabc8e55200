-- LIKE ... ESCAPE: '!%' and '!_' are a literal '%' and '_'; a pattern read
-- from the event that ends with the escape gives NULL.
-- input: s=like_escape.s.jsonl
CREATE STREAM s (name VARCHAR, pat VARCHAR) WITH (connector = 'tcp', port = 9003);
CREATE SINK out WITH (connector = 'websocket');
CREATE QUERY q AS INSERT INTO out
  SELECT name, name LIKE '100!%%' ESCAPE '!' AS pct, name NOT LIKE '%!_%' ESCAPE '!' AS no_underscore,
         name LIKE pat ESCAPE '!' AS dyn
  FROM s;
