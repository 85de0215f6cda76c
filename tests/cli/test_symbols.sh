#!/usr/bin/env bash
# The ABI of libfisc.so is exactly the public headers: every name in its
# dynamic symbol table starts with fisc_ (no cmp_eq, fig_add, ck_*, au_* …
# for a program to bind to), and every function and object declared in
# include/fisc/*.h is exported (a declaration without FISC_API is caught
# here, not by an embedder's link error). Each header also compiles alone.
# sqlite-only: the library's exported symbols; opens no store
set -eu
lib=$(dirname "$FISC")/libfisc.so
[ -e "$lib" ] || { echo "test_symbols: $lib not built (make $lib)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

nm -D --defined-only "$lib" | awk '{print $NF}' | sed 's/@.*//' | sort -u >"$tmp/exported"
[ -s "$tmp/exported" ] || { echo "test_symbols: no dynamic symbols in $lib" >&2; exit 1; }
if grep -v '^fisc_' "$tmp/exported" >"$tmp/leaked"; then
  echo "test_symbols: $lib exports names outside the API:" >&2
  sed 's/^/  /' "$tmp/leaked" >&2
  fail=1
fi

# The declarations, as the compiler reads them: -aux-info lists every
# function prototype of the translation unit with the file it came from.
# Objects (extern data) are read from the headers' text.
gcc=${GCC_AUX:-gcc}
for h in include/fisc/*.h; do
  echo "#include \"$PWD/$h\""
done >"$tmp/all.c"
"$gcc" -std=c11 -D_GNU_SOURCE -Iinclude -fsyntax-only -aux-info "$tmp/aux" "$tmp/all.c"
grep -F "$PWD/include/fisc/" "$tmp/aux" | grep -v '\*/ static ' |
  sed -E 's|^/\* [^ ]*/(include/fisc/[^:]*):.*\*/ (.*)$|\1 \2|' |
  sed -E 's|^([^ ]*) .*[^A-Za-z0-9_]([A-Za-z_][A-Za-z0-9_]*) \(.*$|\1 \2|' >"$tmp/declared"
grep -HoE '^(FISC_API )?extern [^(]*[^A-Za-z0-9_(]([a-z_][a-z0-9_]*) *(\[\])? *;' include/fisc/*.h |
  sed -E 's/ *(\[\])? *;$//; s/^([^:]*):.*[^a-z0-9_]([a-z0-9_]+)$/\1 \2/' >>"$tmp/declared"
[ "$(wc -l <"$tmp/declared")" -ge 100 ] || { echo "test_symbols: found only $(wc -l <"$tmp/declared") declarations" >&2; exit 1; }
while read -r header name; do
  if ! grep -qx "$name" "$tmp/exported"; then
    echo "test_symbols: $name ($header) is declared but not exported: declare it FISC_API (fisc/export.h; scripts/fisc-api.sh adds it)" >&2
    fail=1
  fi
done <"$tmp/declared"

for h in include/fisc/*.h; do
  echo "#include \"$PWD/$h\"" | "$gcc" -std=c11 -Wall -Wextra -Werror -Iinclude -fsyntax-only -x c - ||
    { echo "test_symbols: $h does not compile on its own" >&2; fail=1; }
done
echo "test_symbols: $(wc -l <"$tmp/declared") declarations, $(wc -l <"$tmp/exported") exported symbols" >&2
exit $fail
