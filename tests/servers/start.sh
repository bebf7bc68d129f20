#!/usr/bin/env bash
# Starts throwaway PostgreSQL and MariaDB servers for the test suite and prints the environment the
# tests read, as shell lines to eval:
#
#   eval "$(tests/servers/start.sh)"     # ... run tests ...     tests/servers/stop.sh
#
# Both listen on 127.0.0.1 only, on non-default ports (PostgreSQL from 55432, MariaDB from 53306;
# the next free port when one is taken), run as an unprivileged user (the system user retort-test
# when started as root) from data folders in a fresh temporary folder, and have the superuser
# `retort` with password `retort-pw` and a database `retort_test`. Printed lines:
#   export RETORT_TEST_SERVERS_DIR=<state folder>       (stop.sh reads it)
#   export RETORT_TEST_POSTGRESQL_URL=postgresql://retort:retort-pw@127.0.0.1:<port>/retort_test
#   export RETORT_TEST_MYSQL_URL=mysql://retort:retort-pw@127.0.0.1:<port>/retort_test
# Everything else goes to standard error.
#
# A server that cannot start is a failure (exit 1, log tail printed) when CI is set; otherwise a
# warning, and its URL is not printed so its tests skip. Servers left behind by a run that crashed
# (its owner process or checkout is gone) are stopped first; a run started by hand from this
# checkout is replaced.
#
# Environment: RETORT_TEST_SERVERS=postgresql,mysql (which to start), RETORT_TEST_PG_BASE_PORT and
# RETORT_TEST_MYSQL_BASE_PORT (where the port search starts), RETORT_TEST_SERVER_TIMEOUT
# (seconds to wait for readiness, default 60), RETORT_TEST_SERVERS_OWNER_PID (the process that will
# call stop.sh; while it lives, no other start treats this run as stale), RETORT_PG_BINDIR.
set -euo pipefail
# shellcheck source=tests/servers/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

TIMEOUT=${RETORT_TEST_SERVER_TIMEOUT:-60}
WANTED=${RETORT_TEST_SERVERS:-postgresql,mysql}
PG_BASE_PORT=${RETORT_TEST_PG_BASE_PORT:-55432}
MYSQL_BASE_PORT=${RETORT_TEST_MYSQL_BASE_PORT:-53306}

# Stale runs first: they may hold the ports we want.
while read -r old; do
  [[ -n "$old" ]] || continue
  if state_is_stale "$old"; then
    log "cleaning up the earlier run in $old"
    stop_state_dir "$old"
  fi
done < <(list_state_dirs)

ensure_server_user
SERVER_USER=$(server_user)
STATE=$(mktemp -d "${RETORT_STATE_PREFIX}XXXXXX")
repo_root >"$STATE/owner_repo"
if [[ -n "${RETORT_TEST_SERVERS_OWNER_PID:-}" ]]; then
  echo "$RETORT_TEST_SERVERS_OWNER_PID" >"$STATE/owner_pid"
fi
chown "$SERVER_USER:" "$STATE" 2>/dev/null || true
chmod 700 "$STATE"

finished=0
cleanup_on_error() {
  if [[ $finished -eq 0 ]]; then
    stop_state_dir "$STATE"
  fi
}
trap cleanup_on_error EXIT

EXPORTS=("export RETORT_TEST_SERVERS_DIR=$STATE")

# Reports a server that did not come up. Under CI this ends the script with an error.
server_failed() {
  local name=$1 logfile=$2 message=$3
  log "ERROR: $name: $message"
  if [[ -n "$logfile" && -f "$logfile" ]]; then
    log "last lines of $logfile:"
    tail -n 40 "$logfile" | sed 's/^/    | /' >&2
  fi
  if is_ci; then
    log "CI is set: a test server that cannot start is a failure"
    exit 1
  fi
  log "WARNING: $name is not running; its tests will be skipped (no URL exported)"
}

make_server_dir() {
  mkdir -p "$@"
  chown "$SERVER_USER:" "$@" 2>/dev/null || true
}

start_postgresql() {
  local bin port data="$STATE/pg/data" logfile="$STATE/pg/server.log" i
  bin=$(pg_bindir)
  if [[ ! -x "$bin/initdb" || ! -x "$bin/pg_ctl" ]]; then
    server_failed PostgreSQL "" "server binaries not found in $bin (apt-get install postgresql-15)"
    return 1
  fi
  if ! port=$(pick_port "$PG_BASE_PORT"); then
    server_failed PostgreSQL "" "no free port from $PG_BASE_PORT"
    return 1
  fi
  make_server_dir "$STATE/pg"
  echo "$port" >"$STATE/pg_port"
  printf '%s\n' "$RETORT_TEST_DB_PASSWORD" >"$STATE/pg/pwfile"
  chown "$SERVER_USER:" "$STATE/pg/pwfile" 2>/dev/null || true
  log "PostgreSQL: initdb ($bin)"
  if ! as_server_user "$bin/initdb" -D "$data" -U "$RETORT_TEST_DB_USER" \
      --pwfile="$STATE/pg/pwfile" --auth-local=trust --auth-host=scram-sha-256 \
      -E UTF8 --no-locale >"$STATE/pg/initdb.log" 2>&1; then
    server_failed PostgreSQL "$STATE/pg/initdb.log" "initdb failed"
    return 1
  fi
  # Throwaway data: durability off for speed; sockets stay inside the state folder.
  cat >>"$data/postgresql.conf" <<EOF

# retort test server
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$STATE/pg'
max_connections = 100
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  log "PostgreSQL: starting on 127.0.0.1:$port"
  if ! launch_postgresql "$STATE" "$TIMEOUT"; then
    server_failed PostgreSQL "$logfile" "did not start (pg_ctl start failed)"
    stop_postgresql "$STATE"
    return 1
  fi
  for ((i = 0; i < TIMEOUT; i++)); do
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 1 && break
    sleep 1
  done
  if ! "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 1; then
    server_failed PostgreSQL "$logfile" "not ready after ${TIMEOUT}s"
    stop_postgresql "$STATE"
    return 1
  fi
  # Create the test database over TCP with the password, which also proves the credentials.
  if ! PGPASSWORD=$RETORT_TEST_DB_PASSWORD PGCONNECT_TIMEOUT=10 "$bin/psql" -X -q \
      -h 127.0.0.1 -p "$port" -U "$RETORT_TEST_DB_USER" -d postgres -v ON_ERROR_STOP=1 \
      -c "CREATE DATABASE $RETORT_TEST_DB_NAME" >"$STATE/pg/setup.log" 2>&1; then
    cat "$STATE/pg/setup.log" >>"$logfile"
    server_failed PostgreSQL "$logfile" "could not create database $RETORT_TEST_DB_NAME"
    stop_postgresql "$STATE"
    return 1
  fi
  log "PostgreSQL: ready"
  EXPORTS+=("export RETORT_TEST_POSTGRESQL_URL=postgresql://$RETORT_TEST_DB_USER:$RETORT_TEST_DB_PASSWORD@127.0.0.1:$port/$RETORT_TEST_DB_NAME")
}

start_mysql() {
  local server install_db client admin port dir="$STATE/mysql" logfile="$STATE/mysql/server.log"
  local launcher i ready=0
  server=$(first_command mariadbd /usr/sbin/mariadbd mysqld /usr/sbin/mysqld || true)
  install_db=$(first_command mariadb-install-db mysql_install_db || true)
  client=$(first_command mariadb mysql || true)
  admin=$(first_command mariadb-admin mysqladmin || true)
  if [[ -z "$server" || -z "$install_db" || -z "$client" || -z "$admin" ]]; then
    server_failed MariaDB "" "server or client programs not found (apt-get install mariadb-server mariadb-client)"
    return 1
  fi
  if ! port=$(pick_port "$MYSQL_BASE_PORT"); then
    server_failed MariaDB "" "no free port from $MYSQL_BASE_PORT"
    return 1
  fi
  make_server_dir "$dir" "$dir/data" "$dir/tmp"
  echo "$port" >"$STATE/mysql_port"
  log "MariaDB: mariadb-install-db"
  # root@localhost gets no password (auth method "normal"); it is only reachable through the socket
  # inside the private state folder (root's TCP accounts are dropped below), and only used below to
  # create the test user.
  if ! as_server_user "$install_db" --no-defaults --datadir="$dir/data" \
      --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
      >"$dir/install.log" 2>&1; then
    server_failed MariaDB "$dir/install.log" "mariadb-install-db failed"
    return 1
  fi
  log "MariaDB: starting on 127.0.0.1:$port"
  touch "$logfile"
  chown "$SERVER_USER:" "$logfile" 2>/dev/null || true   # the server appends to it too
  launch_mysql "$STATE"
  launcher=$!
  for ((i = 0; i < TIMEOUT * 2; i++)); do
    if "$admin" --no-defaults --protocol=socket --socket="$dir/mysqld.sock" -uroot \
        --connect-timeout=2 ping >/dev/null 2>&1; then
      ready=1
      break
    fi
    pid_alive "$launcher" || break
    sleep 0.5
  done
  if [[ $ready -ne 1 ]]; then
    if pid_alive "$launcher"; then
      server_failed MariaDB "$logfile" "not ready after ${TIMEOUT}s"
    else
      server_failed MariaDB "$logfile" "the server exited during start-up"
    fi
    stop_mysql "$STATE"
    return 1
  fi
  if ! "$client" --no-defaults --protocol=socket --socket="$dir/mysqld.sock" -uroot \
      >"$dir/setup.log" 2>&1 <<EOF
CREATE USER '$RETORT_TEST_DB_USER'@'%' IDENTIFIED BY '$RETORT_TEST_DB_PASSWORD';
CREATE USER '$RETORT_TEST_DB_USER'@'localhost' IDENTIFIED BY '$RETORT_TEST_DB_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$RETORT_TEST_DB_USER'@'%' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO '$RETORT_TEST_DB_USER'@'localhost' WITH GRANT OPTION;
CREATE DATABASE $RETORT_TEST_DB_NAME CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;
DELETE FROM mysql.global_priv WHERE User = 'root' AND Host <> 'localhost';
FLUSH PRIVILEGES;
EOF
  then
    cat "$dir/setup.log" >>"$logfile"
    server_failed MariaDB "$logfile" "could not create user and database"
    stop_mysql "$STATE"
    return 1
  fi
  # Prove the exported credentials work over TCP.
  if ! "$client" --no-defaults --protocol=tcp -h 127.0.0.1 -P "$port" -u "$RETORT_TEST_DB_USER" \
      -p"$RETORT_TEST_DB_PASSWORD" --connect-timeout=10 -e 'SELECT 1' "$RETORT_TEST_DB_NAME" \
      >>"$dir/setup.log" 2>&1; then
    cat "$dir/setup.log" >>"$logfile"
    server_failed MariaDB "$logfile" "the test user cannot log in over TCP"
    stop_mysql "$STATE"
    return 1
  fi
  log "MariaDB: ready"
  EXPORTS+=("export RETORT_TEST_MYSQL_URL=mysql://$RETORT_TEST_DB_USER:$RETORT_TEST_DB_PASSWORD@127.0.0.1:$port/$RETORT_TEST_DB_NAME")
}

if [[ ",$WANTED," == *,postgresql,* ]]; then
  start_postgresql || true
fi
if [[ ",$WANTED," == *,mysql,* ]]; then
  start_mysql || true
fi

finished=1
log "state folder: $STATE (stop with tests/servers/stop.sh)"
printf '%s\n' "${EXPORTS[@]}"
