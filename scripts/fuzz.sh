#!/usr/bin/env bash
# fuzz.sh SECONDS fuzz/fuzz_X.c ... — build each libFuzzer target with clang
# (ASan + UBSan) and run it for SECONDS on a copy of its seed corpus
# (fuzz/corpus/X/). A crash, leak or sanitizer report fails the run.
set -euo pipefail
secs=$1; shift
# The library's packages: the Makefile passes its PKGS and TOOL_PKGS (one list);
# run by hand, the same list as of this writing.
pkgs=${FISC_PKGS:-"sqlite3 libpq libzip expat jansson libutf8proc xlsxwriter libsodium libcrypto libmicrohttpd libxml-2.0 pangocairo cairo-pdf cairo-svg mupdf"}
out=build-fuzz
mkdir -p "$out"
flags="-std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Iinclude -Isrc/lib -Isrc -DFISC_DATADIR=\"$PWD/data\""
libsrc=$(ls src/lib/*/*.c)
# the server's parsing and routing, without its HTTP side (http.c)
srvsrc=$(ls src/server/*.c | grep -v '/http\.c$')
export FISC_DATADIR="$PWD/data"
# The library and the server are compiled once per run, on every core, and
# each target linked with them (compiling them again for each of ten
# targets, one core each, took most of the fuzz stage). Instrumented for
# coverage without libFuzzer's main (fuzzer-no-link); always rebuilt, so no
# object outlives a header it was compiled against.
obj=$out/obj
rm -rf "$obj"; mkdir -p "$obj"
cflags_pkgs=$(pkg-config --cflags $pkgs)
oflags=${flags/-fsanitize=fuzzer,/-fsanitize=fuzzer-no-link,}
printf '%s\n' $libsrc $srvsrc | xargs -P "$(nproc)" -I{} sh -c \
  'clang $3 $4 -c "$2" -o "$1/$(echo "$2" | tr / _).o"' _ "$obj" {} "$oflags" "$cflags_pkgs" ||
  { echo "fuzz: compiling the library failed"; exit 1; }
libobj=$(for f in $libsrc; do echo "$obj/$(echo "$f" | tr / _).o"; done)
srvobj=$(for f in $srvsrc; do echo "$obj/$(echo "$f" | tr / _).o"; done)
for src in "$@"; do
  name=$(basename "$src" .c); short=${name#fuzz_}
  extra=; [ "$short" = http ] && extra=$srvobj
  clang $flags $cflags_pkgs "$src" $libobj $extra $(pkg-config --libs $pkgs) $(pkg-config --libs --static mupdf) -lharfbuzz -lm -o "$out/$name"
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
