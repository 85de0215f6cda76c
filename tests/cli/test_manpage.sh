#!/usr/bin/env bash
# docs/fisc.1, the manual page make install puts in man1: groff reads it
# without a warning, its version is FISC_VERSION, and it describes every
# subcommand of the dispatch table in src/cli/main.c (a new command without
# a .SS section in the manual fails here).
# sqlite-only: the manual page; opens no store
set -eu
page=docs/fisc.1
fail=0
warnings=$(groff -k -man -Tutf8 -ww -z "$page" 2>&1)
[ -z "$warnings" ] || { echo "test_manpage: groff warns about $page:" >&2; echo "$warnings" >&2; fail=1; }
version=$(sed -n 's/^#define FISC_VERSION "\(.*\)"/\1/p' include/fisc/fisc.h)
grep -q "^\.TH FISC 1 .*\"fisc $version\"" "$page" ||
  { echo "test_manpage: $page is not marked fisc $version" >&2; fail=1; }
commands=$(sed -nE 's/^[[:space:]]*\{"([a-z][a-z-]*)",[[:space:]]*cmd_.*/\1/p' src/cli/main.c)
[ -n "$commands" ] || { echo "test_manpage: no commands found in src/cli/main.c" >&2; exit 1; }
for c in $commands; do
  grep -qE "^\.SS \"?$c( |\"|$)" "$page" ||
    { echo "test_manpage: command '$c' has no .SS section in $page" >&2; fail=1; }
done
exit $fail
