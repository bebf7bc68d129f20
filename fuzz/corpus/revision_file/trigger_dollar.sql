-- retort:revision trg_0001
-- retort:down_revision 1a2b3c4d5e6f
-- retort:upgrade
CREATE FUNCTION f() RETURNS trigger AS $body$ BEGIN NEW.x := 'a;b'; RETURN NEW; END $body$ LANGUAGE plpgsql;
CREATE TRIGGER t AFTER INSERT ON users BEGIN UPDATE users SET name = 'x;' WHERE id = NEW.id; END;
/* a ; comment */ INSERT INTO users VALUES (1, 'it''s');
-- retort:downgrade
DROP TRIGGER t;
