#!/usr/bin/env bash
# batch_recreate: a 1,000,000-row SQLite table with two indexes and a child table (ON DELETE
# CASCADE) loses one column through batch_alter_table in a C++ revision (compiled beforehand: the
# cache is warm), against
#   batch_recreate          the same 12-step SQL (foreign keys off, one transaction, new table,
#                           copy, drop, rename, indexes, foreign_key_check) run by the sqlite3 CLI
#                           in one process (the limit; target <= 1.2x)
#   batch_recreate_alembic  Alembic's batch_alter_table from Debian's package (reported)
# Each round starts from a copy of the same database file (the copy is not timed).
#   bench/batch_recreate.sh RETORT_BINARY [ROWS] [ROUNDS]
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"
retort=$(realpath "$1")
rows=${2:-1000000}
rounds=${3:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/retort-bench-batch.XXXXXX")
trap 'rm -rf "$work"' EXIT


echo "== building a $rows-row table with two indexes and a child table"
sqlite3 "$work/base.db" <<SQL
CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL, legacy TEXT, price INTEGER NOT NULL);
CREATE TABLE parts (id INTEGER PRIMARY KEY, item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $rows)
  INSERT INTO items SELECT i, 'item ' || i, 'old ' || i, i % 1000 FROM n;
INSERT INTO parts SELECT id, id FROM items WHERE id % 10 = 0;
CREATE INDEX ix_items_name ON items (name);
CREATE INDEX ix_items_price ON items (price);
SQL

# retort: a SQL revision that stands for the existing schema (stamped), and the C++ batch revision.
"$retort" init "$work/retort" >/dev/null
cat >"$work/retort/migrations/versions/r1_existing.sql" <<'SQL'
-- retort:revision r1
-- retort:down_revision
-- retort:message the existing schema

-- retort:upgrade

-- retort:downgrade
SQL
cat >"$work/retort/migrations/versions/r2_drop_legacy.cpp" <<'CPP'
// retort:revision r2
// retort:down_revision r1
// retort:message drop items.legacy
#include <retort/migrate/cpp_revision.hpp>

RETORT_UPGRADE(op) {
  op.batch_alter_table("items", [](retort::migrate::BatchOperations& batch) { batch.drop_column("legacy"); });
}
CPP
retort_run() {
  cp "$work/base.db" "$work/retort.db"
  "$retort" -q -c "$work/retort/retort.toml" --url "sqlite:///$work/retort.db" stamp r1 >/dev/null
}
retort_up() { "$retort" -q -c "$work/retort/retort.toml" --url "sqlite:///$work/retort.db" upgrade head; }
retort_run && retort_up >/dev/null  # compiles the revision: the timed runs load it from the cache

# The sqlite3 CLI: SQLite's 12 steps in one process.
cat >"$work/steps.sql" <<'SQL'
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE new_items (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL, price INTEGER NOT NULL);
INSERT INTO new_items (id, name, price) SELECT id, name, price FROM items;
DROP TABLE items;
ALTER TABLE new_items RENAME TO items;
CREATE INDEX ix_items_name ON items (name);
CREATE INDEX ix_items_price ON items (price);
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
SQL
sqlite_run() { cp "$work/base.db" "$work/sqlite.db"; }
sqlite_up() { sqlite3 "$work/sqlite.db" <"$work/steps.sql"; }

# Alembic: the same change with op.batch_alter_table.
have_alembic=0
if [[ -x /usr/bin/alembic ]]; then
  have_alembic=1
  (cd "$work" && /usr/bin/alembic init -q alembic >/dev/null 2>&1 || /usr/bin/alembic init alembic >/dev/null)
  sed -i "s|^sqlalchemy.url = .*|sqlalchemy.url = sqlite:///$work/alembic.db|" "$work/alembic.ini"
  cat >"$work/alembic/versions/a1_drop_legacy.py" <<'PY'
from alembic import op

revision = "a1"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("items") as batch:
        batch.drop_column("legacy")


def downgrade():
    pass
PY
fi
alembic_run() { cp "$work/base.db" "$work/alembic.db"; }
alembic_up() { (cd "$work" && /usr/bin/alembic -c "$work/alembic.ini" upgrade head); }

# Same schema, every row kept, on each side.
check() { # DB
  local db=$1
  [[ "$(sqlite3 "$db" "SELECT count(*) FROM items; SELECT count(*) FROM parts; SELECT count(*) FROM pragma_table_info('items') WHERE name = 'legacy'")" == \
    "$rows"$'\n'"$((rows / 10))"$'\n'0 ]] || { echo "$db: rows or columns differ after the change" >&2; exit 1; }
}
retort_run; retort_up >/dev/null; check "$work/retort.db"
sqlite_run; sqlite_up >/dev/null; check "$work/sqlite.db"
if [[ $have_alembic == 1 ]]; then alembic_run; alembic_up >/dev/null 2>&1; check "$work/alembic.db"; fi

ours=() peer=() alembic=()
for ((r = 1; r <= rounds; r++)); do
  retort_run; ours+=("$(elapsed retort_up)")
  sqlite_run; peer+=("$(elapsed sqlite_up)")
  line=$(printf 'round %d: retort=%.3f sqlite3=%.3f' "$r" "${ours[-1]}" "${peer[-1]}")
  if [[ $have_alembic == 1 ]]; then
    alembic_run; alembic+=("$(elapsed alembic_up)")
    line+=$(printf ' alembic=%.3f' "${alembic[-1]}")
  fi
  echo "$line"
done
if [[ $have_alembic == 1 ]]; then result batch_recreate_alembic "$(median "${ours[@]}")" "$(median "${alembic[@]}")"; fi
result batch_recreate "$(median "${ours[@]}")" "$(median "${peer[@]}")"
