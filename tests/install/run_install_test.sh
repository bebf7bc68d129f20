#!/usr/bin/env bash
# Installs a built retort into a temporary prefix and checks that a consumer can use it:
#   1. cmake --install <build dir> --prefix <work>/prefix, and the expected files are there;
#   2. tests/install/consumer (find_package(retort), retort::retort) configures, builds and prints
#      answer=42 against that prefix only;
#   3. pkg-config --cflags --libs retort works with PKG_CONFIG_PATH in the prefix, and the same
#      main.cpp compiled with those flags alone also prints answer=42;
#   4. the installed retort program compiles and runs a C++ revision against the installed headers;
#   5. examples/embedded_migrations builds its revisions in with retort_add_migrations() and runs,
#      and its `migrate` subcommand runs retort's command line (retort::command_line);
#   6. tests/install/components: find_package(retort COMPONENTS core sqlite shared) gives a
#      program with the SQLite dialect alone (no PostgreSQL or MySQL code in it, and a PostgreSQL
#      URL refused naming the target to link) and one on libretort.so with every dialect; an
#      unknown component fails find_package naming it; pkg-config's retort-shared builds the
#      shared one too. (RETORT_INSTALL_TEST_SHARED / _POSTGRESQL=OFF when the build has no shared
#      library or no PostgreSQL dialect.)
#
#   run_install_test.sh BUILD_DIR [WORK_DIR] [CXX_COMPILER]
set -euo pipefail

build_dir=$(cd "${1:?usage: run_install_test.sh BUILD_DIR [WORK_DIR] [CXX_COMPILER]}" && pwd -P)
work_dir=${2:-$(mktemp -d "${TMPDIR:-/tmp}/retort-install.XXXXXX")}
cxx=${3:-${CXX:-c++}}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
prefix="$work_dir/prefix"

step() { printf '== %s\n' "$*"; }
fail() { printf 'install test FAILED: %s\n' "$*" >&2; exit 1; }

rm -rf -- "$work_dir"
mkdir -p "$work_dir"

step "cmake --install $build_dir --prefix $prefix"
cmake --install "$build_dir" --prefix "$prefix" >"$work_dir/install.log" ||
  { cat "$work_dir/install.log"; fail "cmake --install failed"; }

config=$(find "$prefix" -path '*/cmake/retort/retortConfig.cmake' | head -n1)
pcfile=$(find "$prefix" -path '*/pkgconfig/retort.pc' | head -n1)
library=$(find "$prefix" -name 'libretort_core.a' -o -name 'libretort_core.so' | head -n1)
[[ -f "$prefix/include/retort/retort.hpp" ]] || fail "include/retort/retort.hpp not installed"
[[ -n "$config" ]] || fail "retortConfig.cmake not installed"
[[ -f "$(dirname "$config")/retortConfigVersion.cmake" ]] || fail "retortConfigVersion.cmake not installed"
[[ -n "$pcfile" ]] || fail "retort.pc not installed"
[[ -n "$library" ]] || fail "libretort_core not installed"
for layer in migrate sqlite; do
  [[ -n "$(find "$prefix" -name "libretort_$layer.a")" ]] || fail "libretort_$layer.a not installed"
done
# What the build made, from tests/install/CMakeLists.txt: the shared library and the PostgreSQL
# dialect are optional (RETORT_BUILD_SHARED, libpq's headers).
with_shared=${RETORT_INSTALL_TEST_SHARED:-ON}
with_postgresql=${RETORT_INSTALL_TEST_POSTGRESQL:-ON}
if [[ "$with_shared" == ON ]]; then
  [[ -n "$(find "$prefix" -name 'libretort.so*')" ]] || fail "libretort.so not installed"
fi
for umbrella in retort core migrate; do
  [[ -f "$prefix/include/retort/$umbrella.hpp" ]] || fail "include/retort/$umbrella.hpp not installed"
done
# Public headers only: no client-library function tables, no internals.
private=$(find "$prefix/include" -name '*_api.hpp' -o -name 'header_cache.hpp' -o -name 'shared_library.hpp' \
  -o -name 'engine_state.hpp' -o -name 'connection_state.hpp' \
  -o -name 'catalog_reader.hpp' -o -name 'builtin_impls.hpp' -o -name 'child_process.hpp')
[[ -z "$private" ]] || fail "private headers installed: $private"
# Every installed header is usable from the installed tree alone (none includes a private one).
all_headers="$work_dir/all_headers.cpp"
(cd "$prefix/include" && find retort -name '*.hpp' | sort | sed 's/.*/#include <&>/') >"$all_headers"
"$cxx" -std=c++20 -fsyntax-only -DFMT_HEADER_ONLY=1 -I"$prefix/include" "$all_headers" \
  >"$work_dir/headers.log" 2>&1 || { cat "$work_dir/headers.log"; fail "the installed headers do not compile on their own"; }
# Headers are copies, not links back into the source tree.
if find "$prefix/include" -type l | grep -q .; then
  fail "symbolic links under include/: $(find "$prefix/include" -type l | head -n3)"
fi
echo "   $(find "$prefix/include/retort" -name '*.hpp' | wc -l) headers, $library"

step "consumer with find_package(retort)"
# Only the prefix: no user package registry, so a stray build tree cannot stand in for it.
cmake -S "$here/consumer" -B "$work_dir/consumer-build" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
  >"$work_dir/configure.log" 2>&1 ||
  { cat "$work_dir/configure.log"; fail "the consumer did not configure"; }
grep -F -- "-- retort " "$work_dir/configure.log" | sed 's/^/   /'
grep -qF "from $(dirname "$config")" "$work_dir/configure.log" ||
  fail "find_package(retort) did not pick the installed package"
cmake --build "$work_dir/consumer-build" >"$work_dir/build.log" 2>&1 ||
  { cat "$work_dir/build.log"; fail "the consumer did not build"; }
output=$("$work_dir/consumer-build/consumer") || fail "the consumer exited with $? (output: $output)"
echo "   $output"
[[ "$output" == *"answer=42"* ]] || fail "expected answer=42, got: $output"

step "pkg-config --cflags --libs retort"
PKG_CONFIG_PATH="$(dirname "$pcfile")${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
export PKG_CONFIG_PATH
flags=$(pkg-config --cflags --libs retort) || fail "pkg-config --cflags --libs retort failed"
echo "   retort $(pkg-config --modversion retort): $flags"
step "consumer with pkg-config flags only"
# shellcheck disable=SC2086 # the flags are words
"$cxx" -std=c++20 -O2 -Wall -Wextra -Werror -o "$work_dir/consumer-pc" "$here/consumer/main.cpp" $flags \
  >"$work_dir/pc-build.log" 2>&1 ||
  { cat "$work_dir/pc-build.log"; fail "the consumer did not build with the pkg-config flags"; }
output=$("$work_dir/consumer-pc") || fail "the pkg-config consumer exited with $? (output: $output)"
echo "   $output"
[[ "$output" == *"answer=42"* ]] || fail "expected answer=42, got: $output"

# The installed program compiles C++ revisions against the installed headers (found beside it).
step "the installed retort runs a C++ revision"
retort_bin="$prefix/bin/retort"
[[ -x "$retort_bin" ]] || fail "$retort_bin was not installed"
rm -rf "$work_dir/cpp-project"
(cd "$work_dir" && "$retort_bin" init --template cpp cpp-project >/dev/null) || fail "retort init --template cpp failed"
cat >"$work_dir/cpp-project/migrations/versions/c1_notes.cpp" <<'CPP'
// retort:revision c1
// retort:down_revision
// retort:message notes
#include <retort/migrate/cpp_revision.hpp>

RETORT_UPGRADE(op) {
  const auto& notes = op.create_table("notes", retort::Column("id", retort::Integer{}).primary_key(),
                                      retort::Column("body", retort::Text{}));
  op.bulk_insert(notes, {{{"id", 1}, {"body", "installed"}}});
}
RETORT_DOWNGRADE(op) { op.drop_table("notes"); }
CPP
output=$(cd "$work_dir/cpp-project" && env -u RETORT_INCLUDE_DIR RETORT_DATABASE_URL="sqlite:///$work_dir/cpp.db" \
  "$retort_bin" upgrade head 2>&1) || fail "upgrade with a C++ revision failed: $output"
echo "   $output"
[[ "$(sqlite3 "$work_dir/cpp.db" "SELECT body FROM notes")" == "installed" ]] || fail "the C++ revision did not run"

# examples/embedded_migrations against the installed package: retort_add_migrations() builds its
# SQL and C++ revisions into it, and it migrates a new database at start-up.
step "examples/embedded_migrations with retort_add_migrations()"
cmake -S "$here/../../examples/embedded_migrations" -B "$work_dir/embedded-build" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
  >"$work_dir/embedded-configure.log" 2>&1 ||
  { cat "$work_dir/embedded-configure.log"; fail "the embedded-migrations example did not configure"; }
cmake --build "$work_dir/embedded-build" >"$work_dir/embedded-build.log" 2>&1 ||
  { cat "$work_dir/embedded-build.log"; fail "the embedded-migrations example did not build"; }
output=$("$work_dir/embedded-build/embedded_migrations" "sqlite:///$work_dir/embedded.db") ||
  fail "the embedded-migrations example exited with $? (output: $output)"
echo "$output" | sed 's/^/   /'
[[ "$output" == *"applied: e1 e2"*"ledger total: 42"* ]] || fail "expected e1 e2 applied and a total of 42, got: $output"
# Its `migrate` subcommand is retort's command line (retort::command_line) on the same revisions.
output=$("$work_dir/embedded-build/embedded_migrations" migrate --url "sqlite:///$work_dir/embedded.db" history 2>&1) ||
  fail "the example's command line exited with $? (output: $output)"
echo "$output" | sed 's/^/   /'
[[ "$output" == *"e1 -> e2 (head), ledger"* ]] || fail "expected the built-in history, got: $output"

step "components: retort::core + retort::sqlite, and retort::shared"
# The PostgreSQL URL: refused by the SQLite-only program, made by the shared library when the
# dialect was built.
shared_expects=refused
[[ "$with_postgresql" == ON ]] && shared_expects=made
cmake -S "$here/components" -B "$work_dir/components-build" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$cxx" -DRETORT_TEST_SHARED="$with_shared" \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
  >"$work_dir/components-configure.log" 2>&1 ||
  { cat "$work_dir/components-configure.log"; fail "the components project did not configure"; }
cmake --build "$work_dir/components-build" >"$work_dir/components-build.log" 2>&1 ||
  { cat "$work_dir/components-build.log"; fail "the components project did not build"; }
output=$("$work_dir/components-build/sqlite_only" refused) ||
  fail "the SQLite-only program exited with $? (output: $output)"
echo "$output" | sed 's/^/   sqlite_only: /'
# grep reads all of nm's output (no -q): under pipefail an early exit would fail nm with SIGPIPE.
if nm -C "$work_dir/components-build/sqlite_only" | grep 'PostgreSQLDialect\|MySQLDialect' >/dev/null; then
  fail "the SQLite-only program carries another dialect's code"
fi
echo "   sqlite_only: no PostgreSQL or MySQL code in it ($(stat -c %s "$work_dir/components-build/sqlite_only") bytes, unstripped)"
if [[ "$with_shared" == ON ]]; then
  output=$("$work_dir/components-build/shared" "$shared_expects") ||
    fail "the shared-library program exited with $? (output: $output)"
  echo "$output" | sed 's/^/   shared: /'
  ldd "$work_dir/components-build/shared" | grep "$prefix/.*libretort\.so" >/dev/null ||
    fail "the shared-library program does not load libretort.so from the prefix: $(ldd "$work_dir/components-build/shared")"
fi
if cmake -S "$here/components" -B "$work_dir/components-bad" -DRETORT_EXTRA_COMPONENTS=oracle \
  -DRETORT_TEST_SHARED="$with_shared" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
  >"$work_dir/components-bad.log" 2>&1; then
  fail "find_package(retort COMPONENTS oracle) succeeded"
fi
grep "no component 'oracle'" "$work_dir/components-bad.log" >/dev/null ||
  { cat "$work_dir/components-bad.log"; fail "the unknown component is not named"; }
echo "   find_package(retort COMPONENTS ... oracle) fails and names oracle"

if [[ "$with_shared" == ON ]]; then
  step "pkg-config --cflags --libs retort-shared"
  flags=$(pkg-config --cflags --libs retort-shared) || fail "pkg-config --cflags --libs retort-shared failed"
  echo "   $flags"
  libdir=$(pkg-config --variable=libdir retort-shared)
  # shellcheck disable=SC2086 # the flags are words
  "$cxx" -std=c++20 -O2 -Wall -Wextra -Werror -o "$work_dir/shared-pc" "$here/components/main.cpp" $flags \
    -Wl,-rpath,"$libdir" >"$work_dir/shared-pc-build.log" 2>&1 ||
    { cat "$work_dir/shared-pc-build.log"; fail "the program did not build with retort-shared's flags"; }
  output=$("$work_dir/shared-pc" "$shared_expects") ||
    fail "the retort-shared program exited with $? (output: $output)"
  echo "$output" | sed 's/^/   /'
fi

echo "install test passed"
