-- retort:revision 1a2b3c4d5e6f
-- retort:down_revision
-- retort:branch_labels core
-- retort:message create users
-- retort:create_date 2024-05-01 10:00:00
-- retort:upgrade
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE INDEX ix_users_name ON users (name);
-- retort:downgrade
DROP TABLE users;
