#!/usr/bin/env bash
# fisc-api.sh — put FISC_API (fisc/export.h) on every function declared in
# include/fisc/*.h that lacks it, and #include "export.h" in a header that
# uses it without. For after a merge brings new public declarations;
# tests/cli/test_symbols.sh is what fails until they are exported.
# The declarations are found by the compiler (gcc -aux-info), not by pattern,
# so comments and multi-line prototypes do not confuse it. A declaration whose
# name is not on the line its return type starts is reported, not edited.
# Usage: scripts/fisc-api.sh (from the source tree); prints what it changed.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for h in include/fisc/*.h; do echo "#include \"$PWD/$h\""; done >"$tmp/all.c"
gcc -std=c11 -D_GNU_SOURCE -Iinclude -fsyntax-only -aux-info "$tmp/aux" "$tmp/all.c"
status=0
grep -F "$PWD/include/fisc/" "$tmp/aux" | grep -v '\*/ static ' |
  sed -E 's|^/\* [^ ]*/(include/fisc/[^:]*):([0-9]+):.*\*/ .*[^A-Za-z0-9_]([A-Za-z_][A-Za-z0-9_]*) \(.*$|\1 \2 \3|' |
  { bad=0
  while read -r file line name; do
    text=$(sed -n "${line}p" "$file")
    case $text in
      FISC_API*) ;;
      *"$name("* | *"$name ("*)
        if [[ $text =~ ^[[:space:]]*(extern[[:space:]]+)?(const|void|int|char|size_t|u?int[0-9]+_t|long|unsigned|double|bool|struct|enum|FILE|fisc_)[[:alnum:]_]* ]]; then
          sed -i "${line}s/^/FISC_API /" "$file"
          echo "$file:$line: FISC_API $name"
        else
          echo "$file:$line: $name: add FISC_API by hand (return type not on this line)" >&2
          bad=1
        fi ;;
      *) echo "$file:$line: $name: add FISC_API by hand (declaration not on this line)" >&2
         bad=1 ;;
    esac
  done
  exit $bad; } || status=1
for h in include/fisc/*.h; do
  [ "$h" = include/fisc/export.h ] && continue
  if grep -q 'FISC_API' "$h" && ! grep -q '#include "export.h"' "$h"; then
    sed -i '0,/^#define FISC_[A-Z0-9_]*_H$/s//&\n\n#include "export.h"/' "$h"
    echo "$h: #include \"export.h\""
  fi
done
exit $status
