#!/usr/bin/env bash
# The main job: an end-to-end migration on an embedded SQLite file with the retort CLI.
#   examples/migration_demo.sh path/to/retort [work-dir]
# init -> two SQL revisions -> upgrade head -> history -> current -> downgrade -1 -> current ->
# --sql; then a C++ revision (revision_format = "cpp") with ops and a SQLite batch change: drop a
# column and tighten a NOT NULL on a table whose children cascade on delete, every row kept.
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
sed -i 's/-- write the upgrade statements here/CREATE TABLE customers (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(200) UNIQUE, legacy_code VARCHAR(10));/; s/-- write the downgrade statements here/DROP TABLE customers;/' "$first"

say "$(basename "$retort") revision -m 'create orders'"
second=$("$retort" revision -m "create orders" | sed -n 's/^Generated //p')
echo "Generated $second"
sed -i 's/-- write the upgrade statements here/CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE, total NUMERIC(10, 2) NOT NULL DEFAULT 0);\nCREATE INDEX ix_orders_customer_id ON orders (customer_id);/; s/-- write the downgrade statements here/DROP INDEX ix_orders_customer_id;\nDROP TABLE orders;/' "$second"
cat "$second"

run "$retort" upgrade head
run "$retort" history --indicate-current
run "$retort" current
run sqlite3 shop.db ".tables"
run "$retort" downgrade -1
run "$retort" current
run sqlite3 shop.db ".tables"
run "$retort" upgrade head --sql

# A C++ revision: the operations API, and a batch change that SQLite's ALTER TABLE cannot make.
run "$retort" upgrade head
run sqlite3 shop.db "INSERT INTO customers (id, name, email, legacy_code) VALUES (1, 'Ada', 'ada@example.com', 'A1'), (2, 'Bob', 'bob@example.com', 'B2');
INSERT INTO orders (customer_id, total) VALUES (1, 10), (1, 20), (2, 5);"
sed -i 's/^revision_format = .*/revision_format = "cpp"/' retort.toml
say "$(basename "$retort") revision -m 'order status, tighter customers'"
third=$("$retort" revision -m "order status, tighter customers" | sed -n 's/^Generated //p')
echo "Generated $third"
# Keep the generated header, write the steps.
sed -i '/^#include/,$d' "$third"
cat >>"$third" <<'CPP'
#include <retort/migrate/cpp_revision.hpp>

RETORT_UPGRADE(op) {
  op.add_column("orders", retort::Column("status", retort::String{20}).not_null().server_default("new"));
  // SQLite's ALTER TABLE cannot make a column NOT NULL: batch mode recreates the table, and the
  // orders that cascade from it stay.
  op.batch_alter_table("customers", [](retort::migrate::BatchOperations& batch) {
    batch.drop_column("legacy_code");
    batch.alter_column("email", {.nullable = false, .existing_type = retort::String{200}});
  });
}

RETORT_DOWNGRADE(op) {
  op.batch_alter_table("customers", [](retort::migrate::BatchOperations& batch) {
    batch.alter_column("email", {.nullable = true, .existing_type = retort::String{200}});
    batch.add_column(retort::Column("legacy_code", retort::String{10}));
  });
  op.drop_column("orders", "status");
}
CPP
cat "$third"
run "$retort" upgrade head
run sqlite3 shop.db "SELECT count(*) AS orders_kept FROM orders; SELECT name, \"notnull\" FROM pragma_table_info('customers');"
run "$retort" history
run "$retort" downgrade -1
run sqlite3 shop.db "SELECT count(*) AS orders_kept FROM orders; SELECT name FROM pragma_table_info('customers');"

# Autogenerate: the schema declared as CREATE statements, the revision written by retort.
run "$retort" upgrade head
cat >schema.sql <<'SQL'
CREATE TABLE customers (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(200) NOT NULL UNIQUE,
  country VARCHAR(2) NOT NULL DEFAULT 'NL');
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  total NUMERIC(10, 2) NOT NULL DEFAULT 0, status VARCHAR(20) NOT NULL DEFAULT 'new');
CREATE INDEX ix_orders_customer_id ON orders (customer_id);
CREATE INDEX ix_orders_status ON orders (status);
SQL
printf '\n[autogenerate]\nschema = "schema.sql"\n' >>retort.toml
cat schema.sql
set +e
run "$retort" check
set -e
say "$(basename "$retort") revision --autogenerate -m 'country and order status index'"
fourth=$("$retort" revision --autogenerate -m "country and order status index" | sed -n 's/^Generated //p')
echo "Generated $fourth"
cat "$fourth"
run "$retort" upgrade head
run "$retort" check
run sqlite3 shop.db "SELECT name, country FROM customers; SELECT count(*) AS orders_kept FROM orders;"
