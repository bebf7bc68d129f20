#!/usr/bin/env bash
# Checks that every C++ file of the repository follows .clang-format (clang-format 14, Debian's
# clang-format package). Fix a failure with: git ls-files '*.cpp' '*.hpp' | xargs clang-format -i
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! command -v clang-format >/dev/null 2>&1; then
  if [[ "${CI:-}" == true ]]; then
    echo "clang-format is missing (apt-get install clang-format)" >&2
    exit 1
  fi
  echo "SKIP: clang-format is not installed"
  exit 77
fi
if git rev-parse --git-dir >/dev/null 2>&1; then
  # Tracked and new files, as they are in the work tree (a file deleted but not yet committed is gone).
  mapfile -t files < <(git ls-files --cached --others --exclude-standard '*.cpp' '*.hpp' |
    while read -r f; do [[ -f "$f" ]] && echo "$f"; done | sort -u)
else
  mapfile -t files < <(find core dialects migrate cli tests bench examples -name '*.cpp' -o -name '*.hpp')
fi
clang-format --dry-run --Werror "${files[@]}"
echo "${#files[@]} files follow .clang-format"
