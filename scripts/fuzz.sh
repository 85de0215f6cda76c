#!/usr/bin/env bash
# fuzz.sh SECONDS fuzz/fuzz_X.c ... — build each libFuzzer target with clang
# (ASan + UBSan) and run it for SECONDS on a copy of its seed corpus
# (fuzz/corpus/X/). A crash, leak or sanitizer report fails the run.
set -euo pipefail
secs=$1; shift
# The library's packages: the Makefile passes its PKGS and TOOL_PKGS (one list);
# run by hand, the same list as of this writing.
pkgs=${FISC_PKGS:-"sqlite3 libpq libzip expat jansson libutf8proc xlsxwriter libsodium libmicrohttpd libxml-2.0 pangocairo cairo-pdf cairo-svg mupdf"}
out=build-fuzz
mkdir -p "$out"
flags="-std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Iinclude -Isrc/lib -Isrc -DFISC_DATADIR=\"$PWD/data\""
libsrc=$(ls src/lib/*/*.c)
export FISC_DATADIR="$PWD/data"
for src in "$@"; do
  name=$(basename "$src" .c); short=${name#fuzz_}
  # the server's parsing and routing, without its HTTP side (http.c)
  extra=; [ "$short" = http ] && extra=$(ls src/server/*.c | grep -v '/http\.c$')
  clang $flags $(pkg-config --cflags $pkgs) "$src" $libsrc $extra $(pkg-config --libs $pkgs) $(pkg-config --libs --static mupdf) -lharfbuzz -lm -o "$out/$name"
  work=$(mktemp -d); cp -r "fuzz/corpus/$short/." "$work/" 2>/dev/null || true
  echo "fuzz: $name for ${secs}s"
  if ! (cd "$out" && ./"$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "$work" \
        > "$name.log" 2>&1); then
    tail -40 "$out/$name.log"; echo "fuzz: $name FAILED (log: $out/$name.log)"; rm -rf "$work"; exit 1
  fi
  grep -E "stat::number_of_executed_units|Done" "$out/$name.log" | tail -2 || true
  rm -rf "$work"
done
echo "fuzz: all targets clean"
