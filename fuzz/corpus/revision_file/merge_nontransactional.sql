-- retort:revision m1
-- retort:down_revision a1, b2
-- retort:depends_on core, other_lbl
-- retort:transactional false
-- a comment in the header
-- retort:message merge heads
-- retort:upgrade   -- a comment after the marker
CREATE INDEX CONCURRENTLY ix ON t (c);
-- retort:downgrade
