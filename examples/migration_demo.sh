#!/usr/bin/env bash
# The main job: an end-to-end migration on an embedded SQLite file with the retort CLI.
#   examples/migration_demo.sh path/to/retort [work-dir]
# init -> two revisions -> upgrade head -> history -> current -> downgrade -1 -> current.
set -euo pipefail
retort=$(realpath "$1")
work=${2:-$(mktemp -d)}
cd "$work"
say() { printf '\n$ %s\n' "$*"; }
run() { say "$*"; "$@"; }

run "$retort" init shop
cd shop
export RETORT_DATABASE_URL="sqlite:///$PWD/shop.db"

say "$(basename "$retort") revision -m 'create customers'"
first=$("$retort" revision -m "create customers" | sed -n 's/^Generated //p')
echo "Generated $first"
sed -i 's/-- write the upgrade statements here/CREATE TABLE customers (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(200) UNIQUE);/; s/-- write the downgrade statements here/DROP TABLE customers;/' "$first"

say "$(basename "$retort") revision -m 'create orders'"
second=$("$retort" revision -m "create orders" | sed -n 's/^Generated //p')
echo "Generated $second"
sed -i 's/-- write the upgrade statements here/CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers (id), total NUMERIC(10, 2) NOT NULL DEFAULT 0);\nCREATE INDEX ix_orders_customer_id ON orders (customer_id);/; s/-- write the downgrade statements here/DROP INDEX ix_orders_customer_id;\nDROP TABLE orders;/' "$second"
cat "$second"

run "$retort" upgrade head
run "$retort" history --indicate-current
run "$retort" current
run sqlite3 shop.db ".tables"
run "$retort" downgrade -1
run "$retort" current
run sqlite3 shop.db ".tables"
run "$retort" upgrade head --sql
