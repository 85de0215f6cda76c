#!/usr/bin/env bash
# make install into a DESTDIR, then use what it installed the way a packager
# and an embedder would: the tool runs from the staged tree and finds its data
# beside itself; examples/embed builds with `pkg-config --cflags --libs fisc`
# (shared) and `pkg-config --static` (libfisc.a plus every private dependency),
# and both builds print seed 003's published balance table and write the
# congress report; make uninstall removes every file again.
# sqlite-only: installs the program and its SQLite stores in a temporary prefix
# plain-only: installs from build/ with the default flags whatever the pass, so the sanitizer pass would repeat the plain one
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
fail() { echo "test_install: $*" >&2; exit 1; }

# The install is made from build/ with the default flags whatever the suite
# runs under: a sanitizer build's MAKEFLAGS (BUILD=, SAN=) must not leak in,
# nor the same variables, which make exports to the environment of a recipe
# when they were given on its command line (`make asan` does that).
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u BUILD -u SAN -u CC -u OPT make -s --no-print-directory "$@" >"$tmp/make.log" 2>&1 ||
       { cat "$tmp/make.log" >&2; fail "make $*"; }; }
mk install DESTDIR="$root" PREFIX=/usr

usr=$root/usr
for f in bin/fisc lib/libfisc.so.0.1.0 lib/libfisc.a include/fisc/fisc.h include/fisc/export.h \
         lib/pkgconfig/fisc.pc share/fisc/classification/EDITION share/fisc/lines.csv \
         share/fisc/aliases.csv share/fisc/glossary.csv share/man/man1/fisc.1 \
         share/fisc/web/index.html share/fisc/web/app.js share/fisc/web/report-charts.js; do
  [ -f "$usr/$f" ] || fail "not installed: /usr/$f"
done
[ "$(readlink "$usr/lib/libfisc.so.0")" = libfisc.so.0.1.0 ] || fail "libfisc.so.0 is not a link to libfisc.so.0.1.0"
[ "$(readlink "$usr/lib/libfisc.so")" = libfisc.so.0 ] || fail "libfisc.so is not a link to libfisc.so.0"
readelf -d "$usr/lib/libfisc.so.0.1.0" | grep -q 'SONAME.*\[libfisc\.so\.0\]' || fail "no SONAME libfisc.so.0"
for h in include/fisc/*.h; do
  cmp -s "$h" "$usr/$h" || fail "installed $h differs from the source"
done

# The installed tool, with no FISC_DATADIR, seeds a new store from the data
# installed beside it (PREFIX/share/fisc relative to PREFIX/bin).
(cd "$tmp" && env -u FISC_DATADIR "$usr/bin/fisc" --db "$tmp/tool.db" \
   import "$OLDPWD/examples/regions.csv" "$OLDPWD/examples/003_beibei_2023_2024.csv" >/dev/null) ||
  fail "installed fisc cannot import with the data beside it"

# With no data anywhere it looked, the error names every place: the PREFIX
# given to make install (compiled in) and the places beside the program.
if [ ! -e /usr/share/fisc/classification/EDITION ]; then
  mkdir -p "$tmp/alone/bin"
  cp "$usr/bin/fisc" "$tmp/alone/bin/fisc"
  if env -u FISC_DATADIR "$tmp/alone/bin/fisc" --db "$tmp/alone.db" import examples/regions.csv \
       >/dev/null 2>"$tmp/err"; then
    fail "fisc without data succeeded"
  fi
  for place in FISC_DATADIR /usr/share/fisc "$tmp/alone/share/fisc" "$tmp/alone/data"; do
    grep -qF -- "$place" "$tmp/err" || { cat "$tmp/err" >&2; fail "error does not name $place"; }
  done
fi
FISC_DATADIR=$tmp/nowhere "$usr/bin/fisc" --db "$tmp/wrong.db" import examples/regions.csv \
  >/dev/null 2>"$tmp/err" && fail "a wrong FISC_DATADIR was ignored"
grep -qF "FISC_DATADIR=$tmp/nowhere" "$tmp/err" || { cat "$tmp/err" >&2; fail "error does not name FISC_DATADIR"; }

# pkg-config, as a program built against the staged tree sees it.
export PKG_CONFIG_PATH=$usr/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$root
[ "$(pkg-config --modversion fisc)" = "$(sed -n 's/^#define FISC_VERSION "\(.*\)"/\1/p' include/fisc/fisc.h)" ] ||
  fail "fisc.pc version is not FISC_VERSION"
[ "$(PKG_CONFIG_SYSROOT_DIR= pkg-config --variable=prefix fisc)" = /usr ] || fail "fisc.pc prefix is not the PREFIX given"
cflags=$(pkg-config --cflags fisc)
libs=$(pkg-config --libs fisc)
static_libs=$(pkg-config --static --libs fisc)
case " $cflags " in *" -I$usr/include "*) ;; *) fail "cflags '$cflags' lack -I$usr/include" ;; esac
case " $libs " in *" -L$usr/lib "*"-lfisc "*) ;; *) fail "libs '$libs' lack -L$usr/lib -lfisc" ;; esac

cc=${CC_INSTALL_TEST:-cc}
run_embed() { # binary, name, FISC_DATADIR: the 2023 GPB table of 北碚区 and the congress report
  rm -f "$tmp/$2.db" "$tmp/$2.html"
  env -u FISC_DATADIR ${3:+FISC_DATADIR=$3} LD_LIBRARY_PATH="$usr/lib" "$1" "$tmp/$2.db" "$tmp/$2.html" \
    examples/regions.csv examples/003_beibei_2023_2024.csv >"$tmp/$2.tsv" 2>"$tmp/$2.err" ||
    { cat "$tmp/$2.err" >&2; fail "$2: embed failed"; }
  diff -u tests/golden/003/2023_all_gpb.tsv "$tmp/$2.tsv" >&2 || fail "$2: balance table differs from the published one"
  grep -q '<title>关于北碚区2023年预算执行情况和2024年预算草案的报告</title>' "$tmp/$2.html" ||
    fail "$2: no congress report in the HTML"
  grep -q '<table' "$tmp/$2.html" || fail "$2: the congress report has no table"
}

# Shared: the program needs libfisc.so.0 and finds the data beside it
# (PREFIX/share/fisc relative to PREFIX/lib), no FISC_DATADIR needed.
# shellcheck disable=SC2086
"$cc" -std=c11 -Wall -Wextra -Werror $cflags -o "$tmp/embed" examples/embed/embed.c $libs ||
  fail "examples/embed does not build with pkg-config --cflags --libs fisc"
readelf -d "$tmp/embed" | grep -q 'NEEDED.*\[libfisc\.so\.0\]' || fail "embed is not linked with libfisc.so.0"
run_embed "$tmp/embed" shared

# Static: libfisc.a needs every private dependency from fisc.pc.
# shellcheck disable=SC2086
"$cc" -std=c11 -Wall -Wextra -Werror $cflags -o "$tmp/embed-static" examples/embed/embed.c \
  ${static_libs/-lfisc/-l:libfisc.a} || fail "examples/embed does not link libfisc.a with pkg-config --static"
readelf -d "$tmp/embed-static" | grep -q 'libfisc' && fail "embed-static still needs libfisc.so"
# Its library code is inside the program, far from any data: FISC_DATADIR.
run_embed "$tmp/embed-static" static "$usr/share/fisc"

mk uninstall DESTDIR="$root" PREFIX=/usr
left=$(find "$root" -type f -o -type l)
[ -z "$left" ] || fail "make uninstall left: $left"
exit 0
