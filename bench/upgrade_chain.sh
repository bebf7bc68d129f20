#!/usr/bin/env bash
# upgrade_chain and heads_1000: 1,000 SQL revisions (revision i creates t_i with a foreign key to
# t_{i-1} and an index), upgraded from nothing on a fresh SQLite file, against `sqlite3 db <
# all.sql` (the same statements, one BEGIN/COMMIT per revision) and Alembic (Debian's package)
# running the same chain, each revision committed as it ends in both tools (retort's default),
# then in one transaction (transaction_per_migration = false in both); then `retort heads`
# against `alembic heads`; then the upgrade on PostgreSQL against `psql -f`.
#   bench/upgrade_chain.sh RETORT_BINARY [REVISIONS] [ROUNDS]
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"
retort=$(realpath "$1")
n=${2:-1000}
rounds=${3:-5}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/retort-bench-chain.XXXXXX")
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$here/make_chain.py" "$work" "$n" sqlite

# time_cmd SETUP CMD: runs SETUP untimed, then times CMD; prints seconds
time_cmd() {
  eval "$1"
  local t0 t1
  # bash's own clock, read in place: `date` or a $(...) around it would add a process start or a
  # fork to every measurement.
  t0=$EPOCHREALTIME
  eval "$2" >/dev/null || { echo "benchmark command failed: $2" >&2; return 1; }
  t1=$EPOCHREALTIME
  echo "$t1 - $t0" | bc -l
}
compare() { # name setup ours_cmd peer_cmd rounds
  local name=$1 setup=$2 ours=$3 peer=$4 k=$5 a=() b=() i
  local t
  for ((i = 1; i <= k; i++)); do
    t=$(time_cmd "$setup" "$ours") || exit 1
    a+=("$t")
    t=$(time_cmd "$setup" "$peer") || exit 1
    b+=("$t")
    printf '%s round %d: ours=%.4f peer=%.4f\n' "$name" "$i" "${a[-1]}" "${b[-1]}"
  done
  result "$name" "$(median "${a[@]}")" "$(median "${b[@]}")"
}

db="$work/bench.db"
export RETORT_DATABASE_URL="sqlite:///$db"
export BENCH_SQLALCHEMY_URL="sqlite:///$db"
reset_sqlite="rm -f '$db' '$db-journal'"
retort_up="'$retort' -q -c '$work/retort/retort.toml' upgrade head"
alembic_up="BENCH_TRANSACTION_PER_MIGRATION=true /usr/bin/alembic -c '$work/alembic/alembic.ini' upgrade head"
# The same chain in one transaction (transaction_per_migration = false in both tools).
retort_up_one="'$retort' -q -c '$work/retort/retort-one-transaction.toml' upgrade head"
alembic_up_one="BENCH_TRANSACTION_PER_MIGRATION=false /usr/bin/alembic -c '$work/alembic/alembic.ini' upgrade head"

# Both sides must build the same schema.
eval "$reset_sqlite"; eval "$retort_up"
ours_tables=$(sqlite3 "$db" "SELECT count(*) FROM sqlite_master WHERE type IN ('table','index') AND (name GLOB 't_*' OR name GLOB 'ix_t_*')")
eval "$reset_sqlite"; sqlite3 "$db" < "$work/all.sql"
peer_tables=$(sqlite3 "$db" "SELECT count(*) FROM sqlite_master WHERE type IN ('table','index') AND (name GLOB 't_*' OR name GLOB 'ix_t_*')")
[[ "$ours_tables" == "$peer_tables" ]] || { echo "schemas differ: $ours_tables vs $peer_tables" >&2; exit 1; }

echo "== upgrade_chain: $n revisions on a fresh SQLite file"
compare upgrade_chain_sqlite3 "$reset_sqlite" "$retort_up" "sqlite3 '$db' < '$work/all.sql'" "$rounds"
if [[ -x /usr/bin/alembic ]]; then
  # Each revision committed as it ends, in both tools (retort's default).
  compare upgrade_chain_alembic "$reset_sqlite" "$retort_up" "$alembic_up" 3
  compare upgrade_chain_alembic_one_transaction "$reset_sqlite" "$retort_up_one" "$alembic_up_one" 3
  echo "== heads_$n"
  # Runs of milliseconds: timed by a launcher that spawns them (see spawn_compare.py), more rounds.
  /usr/bin/python3 "$here/spawn_compare.py" "heads_$n" $((2 * rounds + 1)) \
    -- "$retort" -c "$work/retort/retort.toml" heads -- /usr/bin/alembic -c "$work/alembic/alembic.ini" heads
else
  echo "alembic is not installed (apt-get install alembic): skipping the Alembic comparisons"
fi

if [[ -n "${RETORT_TEST_POSTGRESQL_URL:-}" ]] && command -v psql >/dev/null; then
  echo "== upgrade_chain on PostgreSQL: $n revisions"
  pg=$RETORT_TEST_POSTGRESQL_URL
  reset_pg="psql -q '$pg' -c 'DROP SCHEMA IF EXISTS bench CASCADE' -c 'CREATE SCHEMA bench' >/dev/null 2>&1"
  pg_bench="$pg?options=-csearch_path%3Dbench"
  compare upgrade_chain_psql "$reset_pg" \
    "RETORT_DATABASE_URL='$pg_bench' '$retort' -q -c '$work/retort/retort.toml' upgrade head" \
    "PGOPTIONS='-csearch_path=bench' psql -q -v ON_ERROR_STOP=1 '$pg' -f '$work/all.sql'" 3
  eval "$reset_pg"
fi
# The headline figure last: the chain against the sqlite3 CLI.
eval "$reset_sqlite"
compare upgrade_chain "$reset_sqlite" "$retort_up" "sqlite3 '$db' < '$work/all.sql'" 3
