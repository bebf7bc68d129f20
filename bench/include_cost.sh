#!/usr/bin/env bash
# What including retort costs a program: for the umbrella <retort/retort.hpp>, the narrow
# <retort/core.hpp> and <retort/migrate.hpp>, and the reference, a translation unit that includes
# only the standard headers the umbrella itself reaches (found with g++ -H), it prints the
# preprocessed lines and the median compile seconds (g++ -O2, side by side, interleaved rounds).
# Then the stripped size of a hello world (bench/include_hello.cpp) linked with every dialect
# and with the SQLite component alone.
#   bench/include_cost.sh BUILD_DIR      (bench/run include_cost builds it: build-bench)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:?usage: include_cost.sh BUILD_DIR}" && pwd)"
source "$root/bench/common.sh"
rounds=${ROUNDS:-7}
cxx=${CXX:-g++}
flags=(-std=c++20 -O2 "-I$build/include")
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

tu() {  # tu NAME HEADER...: a translation unit including the headers and defining main
  local name=$1; shift
  { for h in "$@"; do echo "#include <$h>"; done; echo 'int main() { return 0; }'; } > "$work/$name.cpp"
}
tu umbrella retort/retort.hpp
[ -f "$build/include/retort/core.hpp" ] && tu core retort/core.hpp
[ -f "$build/include/retort/migrate.hpp" ] && tu migrate retort/migrate.hpp
# The standard (and fmt) headers the umbrella includes directly from its own headers: those a
# program pays for whatever retort does inside them.
mapfile -t std_headers < <("$cxx" "${flags[@]}" -H -E "$work/umbrella.cpp" 2>&1 >/dev/null |
  awk '$1 ~ /^\.+$/ { d = length($1); inside[d] = ($2 ~ /\/retort\//); if (!inside[d] && inside[d - 1]) print $2 }' |
  sed -E 's|.*/include/c\+\+/[0-9]+/||; s|^/usr/include/||' | grep -E '^[a-z_]+$|^fmt/[a-z_]+\.h$' | sort -u)
tu standard "${std_headers[@]}"
names=(standard umbrella)
[ -f "$work/core.cpp" ] && names+=(core)
[ -f "$work/migrate.cpp" ] && names+=(migrate)

declare -A times lines
for n in "${names[@]}"; do
  lines[$n]=$("$cxx" "${flags[@]}" -E "$work/$n.cpp" | wc -l)
  "$cxx" "${flags[@]}" -c "$work/$n.cpp" -o "$work/$n.o"   # a failure stops here, not in a round
done
for ((r = 1; r <= rounds; r++)); do
  for n in "${names[@]}"; do times[$n]+=" $(elapsed "$cxx" "${flags[@]}" -c "$work/$n.cpp" -o "$work/$n.o")"; done
done
declare -A med
echo "standard headers reached: ${#std_headers[@]} (${std_headers[*]})"
for n in "${names[@]}"; do
  # shellcheck disable=SC2086
  med[$n]=$(median ${times[$n]})
  printf '%-9s %7d preprocessed lines  %6.3f s median compile (rounds:%s)\n' "$n" "${lines[$n]}" "${med[$n]}" "${times[$n]}"
done
for n in "${names[@]}"; do
  [ "$n" = standard ] && continue
  printf '%-9s costs %6.3f s over the standard headers alone\n' "$n" "$(echo "${med[$n]} - ${med[standard]}" | bc -l)"
done

for exe in include_hello include_hello_sqlite; do
  [ -x "$build/bench/bench_$exe" ] || continue
  strip -o "$work/$exe" "$build/bench/bench_$exe"
  [ "$("$work/$exe")" = 42 ] || { echo "bench_$exe did not print 42" >&2; exit 1; }
  printf '%-21s %8d bytes stripped\n' "$exe" "$(stat -c %s "$work/$exe")"
done
result include_cost "${med[umbrella]}" "${med[standard]}"
