#!/usr/bin/env bash
# The developer commands behind ./dev (run from the repository root).
#
#   ./dev demo    install what is missing, build, run an end-to-end migration in a temporary folder
#   ./dev test    the same plus the database servers, then the whole test suite (ctest)
#   ./dev build   install what is missing and build
#   ./dev setup   only install what is missing (build and server packages)
#   ./dev sanitize  the test suite built with AddressSanitizer and UBSan, in build-asan/ (any report
#                   fails its test)
#
# Works as root on a fresh Debian 12 with Debian's archive only, and is safe to rerun: packages are
# installed only when dpkg says they are missing, the build is incremental.
# Environment: RETORT_JOBS (parallel build and test jobs, default nproc), BUILD_DIR (default build).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BUILD_DIR=${BUILD_DIR:-build}
JOBS=${RETORT_JOBS:-$(nproc 2>/dev/null || echo 2)}

BUILD_PACKAGES=(
  build-essential cmake pkg-config git
  libfmt-dev libcli11-dev libtomlplusplus-dev catch2
  libsqlite3-dev sqlite3 libpq-dev libmariadb-dev unixodbc-dev libbenchmark-dev clang-format
)
SERVER_PACKAGES=(postgresql-15 postgresql-client mariadb-server mariadb-client)
# The peer the revision-graph, import and operations tests run side by side with (tests/interop/),
# with SQLAlchemy's drivers for the servers.
PEER_PACKAGES=(alembic python3-psycopg2 python3-pymysql)
# ./dev sanitize builds with clang and its ASan and UBSan runtimes; llvm brings llvm-symbolizer,
# without which reports show addresses instead of files and lines.
SANITIZE_PACKAGES=(clang libclang-rt-dev llvm)

step() { printf '==> %s\n' "$*"; }
die() { printf 'dev: error: %s\n' "$*" >&2; exit 1; }

usage() {
  sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

package_installed() {
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" == installed ]]
}

# Installs the packages that dpkg does not list as installed. Services that a package would start
# (mariadb-server, postgresql-15) are kept from starting, and from starting at boot, since the tests
# run their own servers on other ports.
ensure_packages() {
  local missing=() p sudo=()
  for p in "$@"; do
    package_installed "$p" || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  step "installing ${missing[*]}"
  if [[ $EUID -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || die "not root and no sudo: install ${missing[*]} first"
    sudo=(sudo)
  fi
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [[ ! -e $policy ]]; then
    "${sudo[@]}" sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy"
    created_policy=1
    # shellcheck disable=SC2064 # expanded now on purpose
    trap "${sudo[*]} rm -f $policy" EXIT
  fi
  local status=0
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q ||
    step "apt-get update failed; trying the install with the lists we have"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    --no-install-recommends "${missing[@]}" || status=$?
  if [[ $created_policy -eq 1 ]]; then
    "${sudo[@]}" rm -f "$policy"
    trap - EXIT
  fi
  [[ $status -eq 0 ]] || die "apt-get failed (status $status)"
  # Not at boot either: nothing of ours listens on 3306 or 5432 system-wide.
  for p in "${missing[@]}"; do
    case "$p" in
      mariadb-server) disable_service mariadb "${sudo[@]}" ;;
      postgresql-15) disable_service postgresql "${sudo[@]}" ;;
    esac
  done
}

disable_service() {
  local name=$1
  shift
  if command -v systemctl >/dev/null 2>&1; then
    "$@" systemctl disable "$name" >/dev/null 2>&1 || true
  fi
  if command -v update-rc.d >/dev/null 2>&1 && [[ -e /etc/init.d/$name ]]; then
    "$@" update-rc.d "$name" disable >/dev/null 2>&1 || true
  fi
}

build() {
  step "configuring $BUILD_DIR"
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
  step "building with $JOBS jobs"
  cmake --build "$BUILD_DIR" -j "$JOBS"
}

run_demo() {
  local retort="$PWD/$BUILD_DIR/cli/retort" dir status=0
  [[ -x "$retort" ]] || die "$retort was not built (target retort_cli)"
  dir=$(mktemp -d "${TMPDIR:-/tmp}/retort-demo.XXXXXX")
  step "end-to-end migration on an embedded SQLite file, in $dir (examples/migration_demo.sh)"
  examples/migration_demo.sh "$retort" "$dir" || status=$?
  rm -rf -- "$dir"
  return "$status"
}

CTEST_PID=
stop_test_run() {
  if [[ -n "$CTEST_PID" ]]; then
    kill -TERM -- "-$CTEST_PID" 2>/dev/null || true
  fi
  step "stopping the test servers"
  tests/servers/stop.sh "$RETORT_TEST_SERVERS_DIR" || true
}

run_tests() {
  local env_lines status=0
  step "starting PostgreSQL and MariaDB on 127.0.0.1 (tests/servers/start.sh)"
  # This process stops them; while it lives, no other start takes them for leftovers.
  env_lines=$(RETORT_TEST_SERVERS_OWNER_PID=$$ tests/servers/start.sh) ||
    die "the test servers did not start"
  eval "$env_lines"
  trap stop_test_run EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  printf '    %s\n' "${RETORT_TEST_POSTGRESQL_URL:-PostgreSQL: not running}" \
    "${RETORT_TEST_MYSQL_URL:-MariaDB: not running}"
  step "running the tests (ctest, $JOBS jobs)"
  # In its own process group, waited for in the background: a TERM or Ctrl-C to this script then
  # ends ctest and its tests at once, and the servers are stopped on the way out.
  setsid ctest --test-dir "$BUILD_DIR" --output-on-failure --no-tests=error -j "$JOBS" "$@" &
  CTEST_PID=$!
  wait "$CTEST_PID" || status=$?
  CTEST_PID=
  return "$status"
}

command=${1:-}
[[ $# -gt 0 ]] && shift
case "$command" in
  demo)
    ensure_packages "${BUILD_PACKAGES[@]}"
    build
    run_demo "$@"
    ;;
  test)
    ensure_packages "${BUILD_PACKAGES[@]}" "${SERVER_PACKAGES[@]}" "${PEER_PACKAGES[@]}"
    build
    run_tests "$@"
    ;;
  build)
    ensure_packages "${BUILD_PACKAGES[@]}"
    build
    ;;
  setup)
    ensure_packages "${BUILD_PACKAGES[@]}" "${SERVER_PACKAGES[@]}" "${PEER_PACKAGES[@]}"
    ;;
  sanitize)
    ensure_packages "${BUILD_PACKAGES[@]}" "${SERVER_PACKAGES[@]}" "${PEER_PACKAGES[@]}" "${SANITIZE_PACKAGES[@]}"
    BUILD_DIR=${SANITIZE_BUILD_DIR:-build-asan}
    # clang at -O0 -g1, fmt linked rather than header-only: GCC's ASan+UBSan build of the same tree
    # took 16 minutes on 2 cores (34 at -O1 -g); clang compiles these files about twice as fast
    # and fmt's core compiled into every file was a fifth of the rest. The stacks keep file and line,
    # and the tests, which mostly wait on databases and child processes, lose little at -O0.
    # Assertions stay on. No -Werror: the normal (GCC) build holds the code to its warnings. C++
    # revisions that the tests compile at run time still use c++ (GCC), uninstrumented, as users'.
    flags="-O0 -fsanitize=address,undefined -fno-omit-frame-pointer"
    # -no-pie: the instrumented programs carry millions of relative relocations (UBSan's check-site
    # data at -O0), which a position-independent program applies at every start: a second per
    # retort process, halved without. A quarter of the random side-by-side seeds: each retort
    # process still costs many times more under ASan, and ./dev test runs them all.
    build -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
      -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DCMAKE_C_FLAGS_DEBUG=-g1 -DRETORT_WERROR=OFF -DRETORT_FMT_HEADER_ONLY=OFF \
      -DRETORT_ASAN_LIFETIME_TEST=ON "-DCMAKE_CXX_FLAGS=$flags" "-DCMAKE_C_FLAGS=$flags" \
      "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined -no-pie" -DRETORT_INTEROP_SEEDS=0-19 \
      -DRETORT_INTEROP_TURNS_SEEDS=0-9 -DRETORT_INTEROP_IMPORTED_SEEDS=0-4
    # Any report ends the process with an error, so the test that ran it fails; the retort binaries
    # that the CLI and interop tests start inherit these.
    # intercept_tls_get_addr=0: with libpq loaded, LeakSanitizer's exit-time scan crashed in clang
    # 14's runtime ("Tracer caught signal 11") over libraries' dynamic TLS, on every run of two of
    # the PostgreSQL tests; the fix (LLVM D147459) came in LLVM 17. Leaks are still reported;
    # blocks reachable only from dynamic TLS are no longer tracked.
    export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:intercept_tls_get_addr=0
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    # install_consumer links the installed, instrumented libraries into a program built without
    # -fsanitize, which cannot link; ./dev test runs it.
    run_tests -E '^install_consumer$' "$@"
    ;;
  -h | --help | help)
    usage
    ;;
  *)
    usage >&2
    exit 2
    ;;
esac
