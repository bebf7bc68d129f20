# shellcheck shell=bash disable=SC2034
# Shared helpers for tests/servers/start.sh and stop.sh (sourced, not run).
#
# A run lives in one state folder, ${TMPDIR:-/tmp}/retort-servers.XXXXXX, owned by the unprivileged
# user that runs the servers. It holds the data folders, sockets, logs and these small files:
#   owner_repo   the checkout that started it (a run whose checkout is gone is stale)
#   owner_pid    the process that will stop it, when known (a run whose owner died is stale)
#   pg_port, mysql_port   the ports in use

RETORT_TEST_USER_NAME=retort-test
RETORT_TEST_DB_USER=retort
RETORT_TEST_DB_PASSWORD=retort-pw
RETORT_TEST_DB_NAME=retort_test
RETORT_STATE_PREFIX="${TMPDIR:-/tmp}/retort-servers."

log() { printf 'servers: %s\n' "$*" >&2; }

is_ci() {
  case "${CI:-}" in
    "" | false | False | FALSE | 0 | no) return 1 ;;
    *) return 0 ;;
  esac
}

# The account that owns and runs the servers: a system user when we are root (PostgreSQL refuses
# to run as root), otherwise whoever we are.
server_user() {
  if [[ $EUID -eq 0 ]]; then
    echo "$RETORT_TEST_USER_NAME"
  else
    id -un
  fi
}

ensure_server_user() {
  [[ $EUID -eq 0 ]] || return 0
  if ! getent passwd "$RETORT_TEST_USER_NAME" >/dev/null; then
    log "creating system user $RETORT_TEST_USER_NAME"
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin "$RETORT_TEST_USER_NAME"
  fi
}

# Runs a command as the server user, with a harmless working directory.
as_server_user() {
  if [[ $EUID -eq 0 ]]; then
    (cd / && runuser -u "$RETORT_TEST_USER_NAME" -- "$@")
  else
    (cd / && "$@")
  fi
}

pid_alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

# True when something accepts TCP connections on 127.0.0.1:$1.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Prints the first free port in [$1, $1+100).
pick_port() {
  local port
  for ((port = $1; port < $1 + 100; port++)); do
    if ! port_in_use "$port"; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

pg_bindir() {
  local dir
  if [[ -n "${RETORT_PG_BINDIR:-}" ]]; then
    echo "$RETORT_PG_BINDIR"
    return
  fi
  if [[ -x /usr/lib/postgresql/15/bin/postgres ]]; then
    echo /usr/lib/postgresql/15/bin
    return
  fi
  # Any other installed major version will do for a developer; CI installs 15.
  for dir in $(printf "%s\n" /usr/lib/postgresql/*/bin | sort -V -r); do
    if [[ -x "$dir/postgres" ]]; then
      echo "$dir"
      return
    fi
  done
  echo /usr/lib/postgresql/15/bin
}

first_command() {
  local c
  for c in "$@"; do
    if command -v "$c" >/dev/null 2>&1; then
      command -v "$c"
      return 0
    fi
  done
  return 1
}

# Waits until the process with the given pid exits, up to $2 seconds.
wait_pid_exit() {
  local pid=$1 timeout=$2 i
  for ((i = 0; i < timeout * 10; i++)); do
    pid_alive "$pid" || return 0
    sleep 0.1
  done
  return 1
}

stop_postgresql() {
  local state=$1 data="$1/pg/data" pid
  [[ -f "$data/postmaster.pid" ]] || return 0
  pid=$(head -n1 "$data/postmaster.pid" 2>/dev/null || true)
  pid_alive "$pid" || return 0
  log "stopping PostgreSQL (pid $pid)"
  as_server_user "$(pg_bindir)/pg_ctl" -D "$data" -m fast -t 30 -w stop >/dev/null 2>&1 || true
  if pid_alive "$pid"; then
    kill -INT "$pid" 2>/dev/null || true   # fast shutdown, as pg_ctl -m fast would ask
    wait_pid_exit "$pid" 10 || kill -KILL "$pid" 2>/dev/null || true
  fi
}

# Starts the PostgreSQL server of a state folder (initialised by start.sh) and waits up to $2
# seconds for it; start.sh calls it once, a test that restarts the server calls it again.
launch_postgresql() {
  local state=$1 timeout=$2
  as_server_user "$(pg_bindir)/pg_ctl" -D "$state/pg/data" -l "$state/pg/server.log" -w -t "$timeout" \
    start </dev/null >/dev/null 2>&1
}

# Starts the MariaDB server of a state folder (initialised by start.sh) in the background, on the
# port in $state/mysql_port; the caller waits for it. start.sh calls it once, a test that restarts
# the server calls it again. Table caches above the default 400: schemas of 1,000+ tables
# (reflect_1000) would otherwise reopen every table definition on each information_schema scan.
# setsid + redirected descriptors: the server must not hold the caller's terminal or the pipe of a
# $(...) that reads our output.
launch_mysql() {
  local state=$1 dir="$1/mysql" server
  server=$(first_command mariadbd /usr/sbin/mariadbd mysqld /usr/sbin/mysqld)
  as_server_user setsid "$server" --no-defaults --datadir="$dir/data" --tmpdir="$dir/tmp" \
    --socket="$dir/mysqld.sock" --port="$(cat "$state/mysql_port")" --bind-address=127.0.0.1 \
    --pid-file="$dir/mariadbd.pid" --log-error="$dir/server.log" --skip-name-resolve \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
    --innodb-buffer-pool-size=64M --innodb-flush-log-at-trx-commit=0 --skip-log-bin \
    --max-connections=200 --table-definition-cache=2000 --table-open-cache=2000 \
    </dev/null >>"$dir/server.log" 2>&1 &
}

stop_mysql() {
  local state=$1 pid
  [[ -f "$state/mysql/mariadbd.pid" ]] || return 0
  pid=$(head -n1 "$state/mysql/mariadbd.pid" 2>/dev/null || true)
  pid_alive "$pid" || return 0
  log "stopping MariaDB (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_pid_exit "$pid" 30; then
    kill -KILL "$pid" 2>/dev/null || true
    wait_pid_exit "$pid" 5 || true
  fi
}

# Stops whatever runs from a state folder and removes it.
stop_state_dir() {
  local state=$1
  [[ -n "$state" && -d "$state" && "$state" == "$RETORT_STATE_PREFIX"* ]] || return 0
  stop_postgresql "$state"
  stop_mysql "$state"
  rm -rf -- "$state"
}

# The checkout these scripts belong to.
repo_root() { (cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P); }

# True when a state folder belongs to no live run: its owner process died, its checkout is gone, or
# it was started by hand from this same checkout (a new start replaces it).
state_is_stale() {
  local state=$1 owner_repo owner_pid
  owner_repo=$(cat "$state/owner_repo" 2>/dev/null || true)
  owner_pid=$(cat "$state/owner_pid" 2>/dev/null || true)
  [[ -n "$owner_repo" ]] || return 0           # never finished starting
  [[ -d "$owner_repo" ]] || return 0           # the checkout that started it is gone
  if [[ -n "$owner_pid" ]]; then
    pid_alive "$owner_pid" && return 1
    return 0
  fi
  [[ "$owner_repo" == "$(repo_root)" ]]
}

# State folders we may touch (our own user's, or any when root).
list_state_dirs() {
  local d
  for d in "$RETORT_STATE_PREFIX"*; do
    [[ -d "$d" ]] || continue
    if [[ $EUID -eq 0 || -O "$d" ]]; then
      echo "$d"
    fi
  done
}
