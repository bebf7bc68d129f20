-- retort:revision bom1
-- retort:down_revision
-- retort:upgrade
SELECT 1;
