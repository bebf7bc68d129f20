# Helpers the shell benchmarks share (sourced): medians, timing with bash's own clock, and the
# RESULT line bench/run reads.

# median NUMBER...: the median of the numbers given
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# elapsed CMD...: runs it with its output discarded and prints the seconds it took; on failure
# shows the command's output again and exits. $EPOCHREALTIME is read in place: `date` or a $(...)
# around the clock would add a process start to every measurement.
elapsed() {
  local t0=$EPOCHREALTIME
  "$@" >/dev/null 2>&1 || { echo "benchmark command failed: $*" >&2; "$@" >&2 || true; exit 1; }
  echo "$EPOCHREALTIME - $t0" | bc -l
}

# result NAME OURS PEER: the benchmark's last line
result() { printf 'RESULT name=%s ours=%.6f peer=%.6f ratio=%.3f\n' "$1" "$2" "$3" "$(echo "$2 / $3" | bc -l)"; }
