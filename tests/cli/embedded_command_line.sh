#!/usr/bin/env bash
# A program that carries its migrations runs retort's command line on them
# (retort::cli::run, examples/embedded_migrations `migrate ...`): listing, upgrade, offline SQL of
# its C++ revision, downgrade, and the commands and options it must not offer.
#   embedded_command_line.sh PROGRAM WORK_DIR
set -uo pipefail
program=$1
work=$2
rm -rf "$work" && mkdir -p "$work"
db="$work/app.db"
export RETORT_DATABASE_URL="sqlite:///$db"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# run EXPECTED_STATUS ARGS...: runs `PROGRAM migrate ARGS`, output in $out.
run() {
  local want=$1
  shift
  out=$("$program" migrate "$@" 2>&1)
  local status=$?
  [[ $status -eq $want ]] || fail "migrate $* exited $status, expected $want: $out"
}

run 0 history
[[ "$out" == *"e1 -> e2 (head), ledger"* && "$out" == *"<base> -> e1, accounts"* ]] || fail "history: $out"
run 0 heads
[[ "$out" == "e2 (head)" ]] || fail "heads: $out"
# A command that only reads does not create the database file.
run 1 current
[[ "$out" == *"does not exist"* && ! -e "$db" ]] || fail "current on a missing database: $out"

# Offline: the C++ revision's ops render as SQL, nothing touches the database.
run 0 upgrade head --sql
[[ "$out" == *"CREATE TABLE accounts"* && "$out" == *"CREATE TABLE ledger"* && "$out" == *"INSERT INTO ledger"* ]] ||
  fail "upgrade --sql did not render both revisions: $out"
[[ -z "$(sqlite3 "$db" "SELECT name FROM sqlite_master WHERE name IN ('accounts', 'ledger')")" ]] ||
  fail "upgrade --sql changed the database"

# The program's own MetaData is the declared schema: check wants the database at head.
run 1 check
[[ "$out" == *"not up to date"* ]] || fail "check before the upgrade: $out"
run 0 upgrade head
[[ "$(sqlite3 "$db" "SELECT sum(amount) FROM ledger")" == 42 ]] || fail "upgrade did not run the C++ revision"
run 0 check
[[ "$out" == *"No changes"* ]] || fail "check after the upgrade: $out"
sqlite3 "$db" "ALTER TABLE accounts ADD COLUMN nickname TEXT"
run 1 check
[[ "$out" == *"column nickname"* ]] || fail "check does not see the extra column: $out"
run 0 diff --format cpp
[[ "$out" == *'batch.drop_column("nickname")'* ]] || fail "diff --format cpp: $out"
sqlite3 "$db" "ALTER TABLE accounts DROP COLUMN nickname"
run 0 current
[[ "$out" == *"e2 (head)"* ]] || fail "current after upgrade: $out"
run 0 downgrade -1
[[ -z "$(sqlite3 "$db" "SELECT name FROM sqlite_master WHERE name = 'ledger'")" ]] || fail "downgrade kept ledger"
run 0 current
[[ "$out" == *"e1"* && "$out" != *"e2"* ]] || fail "current after downgrade: $out"
run 0 --url "sqlite:///$work/other.db" upgrade e1
[[ "$(sqlite3 "$work/other.db" "SELECT count(*) FROM accounts")" == 2 ]] || fail "--url did not pick the database"

# Revisions built into the program cannot be written: those commands are not offered, nor is a
# configuration file to read.
for command in revision merge init edit import; do
  run 2 "$command" -m x
  [[ "$out" == *"'$command' is not a command of this program"* ]] || fail "refusing $command does not name it: $out"
done
run 2 -c retort.toml current
run 1 upgrade no_such_revision
[[ "$out" == *"no_such_revision"* ]] || fail "an unknown target is not named: $out"
run 0 --help
[[ "$out" == *"embedded_migrations migrate"* && "$out" == *"upgrade"* && "$out" != *"revision "* ]] ||
  fail "--help: $out"
run 0 --version
[[ "$out" == "embedded_migrations migrate (retort "* ]] || fail "--version: $out"

[[ $failures -eq 0 ]] || { echo "$failures failure(s)"; exit 1; }
echo "the embedded command line passed"
