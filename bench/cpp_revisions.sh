#!/usr/bin/env bash
# cpp_revisions: 100 C++ revisions (each op.create_table + op.add_column + op.create_index) upgraded
# from nothing on a fresh SQLite file, against the same chain written as SQL revisions. Two results:
#   cpp_revisions_cold  ours = the run with an empty cache (every revision compiled), peer = the SQL run
#                       (target: under 20 s on a 2-core machine)
#   cpp_revisions_warm  ours = the run with the cache filled, peer = the SQL run (target <= 1.2x)
#   bench/cpp_revisions.sh RETORT_BINARY [REVISIONS] [ROUNDS]
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"
retort=$(realpath "$1")
n=${2:-100}
rounds=${3:-5}
work=$(mktemp -d "${TMPDIR:-/tmp}/retort-bench-cpp.XXXXXX")
trap 'rm -rf "$work"' EXIT


# Two projects with the same chain: C++ revisions and SQL revisions.
for kind in cpp sql; do
  "$retort" init "$work/$kind" >/dev/null
  sed -i "s/^revision_format = .*/revision_format = \"$kind\"/" "$work/$kind/retort.toml"
done
prev=""
for ((i = 1; i <= n; i++)); do
  id=$(printf 'c%011d' "$i")
  {
    printf '// retort:revision %s\n// retort:down_revision %s\n// retort:message step %d\n\n' "$id" "$prev" "$i"
    printf '#include <retort/migrate/cpp_revision.hpp>\n\nRETORT_UPGRADE(op) {\n'
    printf '  op.create_table("t_%d", retort::Column("id", retort::Integer{}).primary_key(),\n' "$i"
    printf '                  retort::Column("name", retort::String{50}).not_null());\n'
    printf '  op.add_column("t_%d", retort::Column("created_at", retort::DateTime{}));\n' "$i"
    printf '  op.create_index("ix_t_%d_name", "t_%d", {"name"});\n}\n\n' "$i" "$i"
    printf 'RETORT_DOWNGRADE(op) { op.drop_table("t_%d"); }\n' "$i"
  } >"$work/cpp/migrations/versions/${id}_step.cpp"
  {
    printf -- '-- retort:revision %s\n-- retort:down_revision %s\n-- retort:message step %d\n\n' "$id" "$prev" "$i"
    printf -- '-- retort:upgrade\nCREATE TABLE t_%d (id INTEGER NOT NULL, name VARCHAR(50) NOT NULL, PRIMARY KEY (id));\n' "$i"
    printf 'ALTER TABLE t_%d ADD COLUMN created_at DATETIME;\nCREATE INDEX ix_t_%d_name ON t_%d (name);\n\n' "$i" "$i" "$i"
    printf -- '-- retort:downgrade\nDROP TABLE t_%d;\n' "$i"
  } >"$work/sql/migrations/versions/${id}_step.sql"
  prev=$id
done

run() { # KIND: upgrade on a fresh database
  rm -f "$work/$1.db"
  "$retort" -q -c "$work/$1/retort.toml" --url "sqlite:///$work/$1.db" upgrade head
}

# Both sides must build the same schema.
run cpp && run sql
count() { sqlite3 "$work/$1.db" "SELECT count(*) FROM sqlite_master WHERE name GLOB 't_*' OR name GLOB 'ix_t_*'"; }
[[ "$(count cpp)" == "$(count sql)" ]] || { echo "schemas differ: $(count cpp) vs $(count sql)" >&2; exit 1; }

echo "== cpp_revisions: $n C++ revisions against the same chain as SQL revisions ($(nproc) cores)"
cold=() warm=() sql=()
for ((r = 1; r <= rounds; r++)); do
  rm -rf "$work/cpp/migrations/.retort-cache"
  cold+=("$(elapsed run cpp)")
  warm+=("$(elapsed run cpp)")
  sql+=("$(elapsed run sql)")
  printf 'round %d: cold=%.3f warm=%.4f sql=%.4f\n' "$r" "${cold[-1]}" "${warm[-1]}" "${sql[-1]}"
done
result cpp_revisions_cold "$(median "${cold[@]}")" "$(median "${sql[@]}")"
result cpp_revisions_warm "$(median "${warm[@]}")" "$(median "${sql[@]}")"
