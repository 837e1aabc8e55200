CREATE STREAM r (a BIGINT) WITH (connector = 'kafka', group = 'g1', kafka.group.id = 'x');
