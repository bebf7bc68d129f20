INSERT INTO t VALUES ('back\'slash;'); SELECT 'a';
-- only a comment;
