#!/usr/bin/env bash
# Stops the test servers that start.sh started and removes their temporary folder.
#
#   tests/servers/stop.sh [STATE_DIR]
#
# Which run: the folder given, else $RETORT_TEST_SERVERS_DIR (printed by start.sh), else every run
# started from this checkout. Safe to call twice or when nothing runs.
set -euo pipefail
# shellcheck source=tests/servers/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

targets=()
if [[ $# -gt 0 ]]; then
  targets=("$@")
elif [[ -n "${RETORT_TEST_SERVERS_DIR:-}" ]]; then
  targets=("$RETORT_TEST_SERVERS_DIR")
else
  here=$(repo_root)
  while read -r dir; do
    [[ -n "$dir" ]] || continue
    if [[ "$(cat "$dir/owner_repo" 2>/dev/null || true)" == "$here" ]]; then
      targets+=("$dir")
    fi
  done < <(list_state_dirs)
fi

for dir in "${targets[@]}"; do
  if [[ ! -d "$dir" ]]; then
    continue
  fi
  if [[ "$dir" != "$RETORT_STATE_PREFIX"* ]]; then
    log "not a test server folder, left alone: $dir"
    continue
  fi
  stop_state_dir "$dir"
  log "stopped and removed $dir"
done
