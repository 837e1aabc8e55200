-- ESCAPE takes exactly one character; anything else is reported at the
-- escape with line, column and caret when the query is created.
-- exit: 1
-- stderr: error at line 8, column 51: ESCAPE must be a single character, got '!!'
CREATE STREAM s (name VARCHAR) WITH (connector = 'tcp', port = 9003);
CREATE SINK out WITH (connector = 'websocket');
CREATE QUERY q AS INSERT INTO out
  SELECT name FROM s WHERE name LIKE '%!%' ESCAPE '!!';
