-- retort:revision e1
-- retort:down_revision
-- retort:message accounts

-- retort:upgrade
CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner VARCHAR(100) NOT NULL);
INSERT INTO accounts (id, owner) VALUES (1, 'Ada'), (2, 'Bob');

-- retort:downgrade
DROP TABLE accounts;
