#!/usr/bin/env bash
# The database server stopped in the middle of a run, then started again (issue 10, item 19), on
# servers of this test's own (tests/servers/start.sh, other ports), since the suite's shared servers
# must stay up:
#   - PostgreSQL stopped in immediate mode (a crash: no shutdown checkpoint, sessions cut) while a
#     revision sleeps: the run fails naming the revision and the lost connection; after the restart
#     nothing of that revision is left, and the rerun applies it and the rest.
#   - MariaDB shut down (SIGTERM, what `systemctl stop` sends) while a revision sleeps: the run fails
#     the same way; after the restart the statement that ran is kept and recorded, `current` says
#     so, and the rerun resumes after it.
#   - While the server is down, commands fail with a message saying it cannot be reached, without
#     the password.
#   tests/cli/server_restart_mid_run.sh RETORT_BINARY
# Exit 77 (skipped) when a server cannot start outside CI.
set -euo pipefail
retort=$(realpath "$1")
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=tests/servers/common.sh
source "$root/tests/servers/common.sh"

failures=0
fail() {
  printf 'FAIL: %s\n' "$*"
  failures=$((failures + 1))
}
expect_contains() { # what text description
  [[ "$2" == *"$1"* ]] || fail "$3: expected to find '$1' in:"$'\n'"$2"
}
expect_absent() { # what text description
  [[ "$2" != *"$1"* ]] || fail "$3: did not expect '$1' in:"$'\n'"$2"
}
expect_equal() { # expected actual description
  [[ "$1" == "$2" ]] || fail "$3: expected '$1', got '$2'"
}

# Never the suite's shared servers: only what our own start.sh prints.
unset RETORT_TEST_SERVERS_DIR RETORT_TEST_POSTGRESQL_URL RETORT_TEST_MYSQL_URL
work=$(mktemp -d "${TMPDIR:-/tmp}/retort-restart.XXXXXX")
trap '[[ -n "${RETORT_TEST_SERVERS_DIR:-}" ]] && "$root/tests/servers/stop.sh" "$RETORT_TEST_SERVERS_DIR" 2>/dev/null; rm -rf "$work"' EXIT
# start.sh picks ports that nothing listens on, but the suite's many client connections hold
# local ports in the ephemeral range (from 32768), where the suite's own servers are: start below
# it, and try again elsewhere if a port is taken all the same.
for attempt in 1 2 3; do
  env_lines=$(RETORT_TEST_SERVERS_OWNER_PID=$$ RETORT_TEST_PG_BASE_PORT=$((25432 + 100 * attempt)) \
    RETORT_TEST_MYSQL_BASE_PORT=$((23306 + 100 * attempt)) "$root/tests/servers/start.sh") || env_lines=""
  eval "$env_lines"
  [[ -n "${RETORT_TEST_POSTGRESQL_URL:-}" && -n "${RETORT_TEST_MYSQL_URL:-}" ]] && break
  [[ -n "${RETORT_TEST_SERVERS_DIR:-}" ]] && "$root/tests/servers/stop.sh" "$RETORT_TEST_SERVERS_DIR" 2>/dev/null
  unset RETORT_TEST_SERVERS_DIR RETORT_TEST_POSTGRESQL_URL RETORT_TEST_MYSQL_URL
  sleep "$attempt"
done
if [[ -z "${RETORT_TEST_POSTGRESQL_URL:-}" || -z "${RETORT_TEST_MYSQL_URL:-}" ]]; then
  if is_ci; then
    echo "FAIL: the private PostgreSQL or MariaDB server did not start (three tries)"
    exit 1
  fi
  echo "skipped: the private PostgreSQL or MariaDB server did not start"
  exit 77
fi
state=$RETORT_TEST_SERVERS_DIR

r1=5e0700000001 r2=5e0700000002 r3=5e0700000003

# new_project NAME SLEEP_SQL: a project with three revisions; r2 sleeps between two CREATEs.
new_project() {
  local dir="$work/$1"
  "$retort" init "$dir" >/dev/null
  write_revision "$dir" "$r1" "" "CREATE TABLE t1 (id INTEGER)" "DROP TABLE t1"
  write_revision "$dir" "$r2" "$r1" "CREATE TABLE t2 (id INTEGER);"$'\n'"$2;"$'\n'"CREATE TABLE t3 (id INTEGER)" \
    "DROP TABLE t3;"$'\n'"DROP TABLE t2"
  write_revision "$dir" "$r3" "$r2" "CREATE TABLE t4 (id INTEGER)" "DROP TABLE t4"
  echo "$dir"
}
write_revision() { # DIR ID DOWN UPGRADE DOWNGRADE
  printf -- '-- retort:revision %s\n-- retort:down_revision %s\n-- retort:message step %s\n\n-- retort:upgrade\n%s\n\n-- retort:downgrade\n%s\n' \
    "$2" "$3" "$2" "$4" "$5" >"$1/migrations/versions/$2_step.sql"
}

# run_and_stop DIR URL STOP_COMMAND...: starts `upgrade head`, waits until r2 runs, stops the
# server with the command, waits for the run; prints its output and "exit N".
run_and_stop() {
  local dir=$1 url=$2 pid i
  shift 2
  (cd "$dir" && exec "$retort" --url "$url" upgrade head >run.log 2>&1) &
  pid=$!
  for ((i = 0; i < 200; i++)); do
    grep -q -- "-> $r2" "$dir/run.log" 2>/dev/null && break
    sleep 0.05
  done
  sleep 0.5
  "$@" >/dev/null 2>&1 || true
  local status=0
  wait "$pid" || status=$?
  cat "$dir/run.log"
  echo "exit $status"
}

psql_query() { # URL-less: the private server's test database
  PGPASSWORD=$RETORT_TEST_DB_PASSWORD "$(pg_bindir)/psql" -X -q -A -t -h 127.0.0.1 -p "$(cat "$state/pg_port")" \
    -U "$RETORT_TEST_DB_USER" -d "$RETORT_TEST_DB_NAME" -c "$1"
}
mysql_query() {
  "$(first_command mariadb mysql)" --no-defaults --protocol=tcp -h 127.0.0.1 -P "$(cat "$state/mysql_port")" \
    -u "$RETORT_TEST_DB_USER" -p"$RETORT_TEST_DB_PASSWORD" -N -B -e "$1" "$RETORT_TEST_DB_NAME"
}

wait_mysql_ready() {
  local i admin
  admin=$(first_command mariadb-admin mysqladmin)
  for ((i = 0; i < 120; i++)); do
    "$admin" --no-defaults --protocol=socket --socket="$state/mysql/mysqld.sock" -uroot --connect-timeout=2 \
      ping >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  return 1
}

echo "== PostgreSQL, stopped in immediate mode during revision $r2"
pg_url=$RETORT_TEST_POSTGRESQL_URL
dir=$(new_project pg "SELECT pg_sleep(30)")
out=$(run_and_stop "$dir" "$pg_url" as_server_user "$(pg_bindir)/pg_ctl" -D "$state/pg/data" -m immediate -w stop)
echo "$out"
expect_contains "exit 1" "$out" "postgresql: the interrupted run fails"
expect_contains "revision $r2" "$out" "postgresql: the message names the revision"
expect_absent "$RETORT_TEST_DB_PASSWORD" "$out" "postgresql: the password stays hidden"
expect_absent "terminate called" "$out" "postgresql: no crash"

down=$(cd "$dir" && "$retort" --url "$pg_url" current 2>&1) && fail "postgresql: current with the server down exits 0"
echo "$down"
expect_contains "127.0.0.1" "$down" "postgresql: current names the server it cannot reach"
expect_absent "$RETORT_TEST_DB_PASSWORD" "$down" "postgresql: the password stays hidden while down"

launch_postgresql "$state" 60 || fail "postgresql: restart failed"
expect_equal "$r1" "$(psql_query "SELECT version_num FROM retort_version")" "postgresql: version after restart"
expect_equal "" "$(psql_query "SELECT tablename FROM pg_tables WHERE tablename IN ('t2', 't3')")" \
  "postgresql: nothing of $r2 is left"
write_revision "$dir" "$r2" "$r1" "CREATE TABLE t2 (id INTEGER);"$'\n'"SELECT 1;"$'\n'"CREATE TABLE t3 (id INTEGER)" \
  "DROP TABLE t3;"$'\n'"DROP TABLE t2"
rerun=$(cd "$dir" && "$retort" --url "$pg_url" upgrade head 2>&1) || fail "postgresql: the rerun failed: $rerun"
echo "$rerun"
expect_absent "Waiting for the migration lock" "$rerun" "postgresql: the lock died with the server"
expect_equal "$r3" "$(psql_query "SELECT version_num FROM retort_version")" "postgresql: version after the rerun"
expect_equal "4" "$(psql_query "SELECT count(*) FROM pg_tables WHERE tablename IN ('t1', 't2', 't3', 't4')")" \
  "postgresql: every table after the rerun"

echo "== MariaDB, shut down during revision $r2"
my_url=$RETORT_TEST_MYSQL_URL
dir=$(new_project mysql "SELECT SLEEP(30)")
my_pid=$(cat "$state/mysql/mariadbd.pid")
out=$(run_and_stop "$dir" "$my_url" kill -TERM "$my_pid")
wait_pid_exit "$my_pid" 60 || fail "mysql: the server did not stop"
echo "$out"
expect_contains "exit 1" "$out" "mysql: the interrupted run fails"
expect_contains "revision $r2" "$out" "mysql: the message names the revision"
expect_absent "$RETORT_TEST_DB_PASSWORD" "$out" "mysql: the password stays hidden"
expect_absent "terminate called" "$out" "mysql: no crash"

down=$(cd "$dir" && "$retort" --url "$my_url" current 2>&1) && fail "mysql: current with the server down exits 0"
echo "$down"
expect_contains "127.0.0.1" "$down" "mysql: current names the server it cannot reach"
expect_absent "$RETORT_TEST_DB_PASSWORD" "$down" "mysql: the password stays hidden while down"

launch_mysql "$state"
wait_mysql_ready || fail "mysql: restart failed"
expect_equal "$r1" "$(mysql_query "SELECT version_num FROM retort_version")" "mysql: version after restart"
expect_equal "t2" "$(mysql_query "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN ('t2', 't3')")" \
  "mysql: the statement that ran before the stop is kept"
status=$(cd "$dir" && "$retort" --url "$my_url" current 2>&1) || true
expect_contains "$r2 stopped part-way: 1 statement(s) of its upgrade ran" "$status" "mysql: current after restart"
write_revision "$dir" "$r2" "$r1" "CREATE TABLE t2 (id INTEGER);"$'\n'"SELECT 1;"$'\n'"CREATE TABLE t3 (id INTEGER)" \
  "DROP TABLE t3;"$'\n'"DROP TABLE t2"
rerun=$(cd "$dir" && "$retort" --url "$my_url" upgrade head 2>&1) || fail "mysql: the rerun failed: $rerun"
echo "$rerun"
expect_contains "resuming after statement 1" "$rerun" "mysql: the rerun resumes"
expect_equal "$r3" "$(mysql_query "SELECT version_num FROM retort_version")" "mysql: version after the rerun"
expect_equal "4" "$(mysql_query "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN ('t1', 't2', 't3', 't4')")" \
  "mysql: every table after the rerun"

if [[ $failures -gt 0 ]]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
