CREATE TABLE "a;b" (x TEXT DEFAULT 'semi;colon', `y` INT); -- trailing; comment
/* block ; comment */
INSERT INTO t VALUES ('it''s', "q""q");
SELECT E'esc\'aped;', $$dollar;quoted$$, $tag$ nested $$ ; $tag$;
