#!/usr/bin/env bash
# run.sh [--pg] BUILD [SCRIPT…] — run every unit test binary in BUILD/tests and
# every CLI test script in tests/cli/ (or only the SCRIPTs named), then print
# one summary line "N passed, N failed".
#
# --pg: the PostgreSQL pass. The CLI scripts again, each store a fresh schema
# of one throw-away cluster started here and stopped at the end
# (tests/pglib.sh; the scripts get their stores from tests/storelib.sh, which
# reads FISC_TEST_PG). Skipped: scripts that say "# sqlite-only: REASON"
# (they are about the SQLite file), the test_pg_*.sh scripts (PostgreSQL's
# own, run in the plain pass).
#
# FISC_SAN (set by the Makefile to its SAN flags): the sanitizer pass. Skipped
# there: scripts that say "# plain-only: REASON" (what they test does not run
# the sanitized build, e.g. `make install` from build/).
set -u
pg=0
[ "${1:-}" = --pg ] && { pg=1; shift; }
build=${1:-build}
shift
scripts=("$@")
[ ${#scripts[@]} = 0 ] && scripts=(tests/cli/*.sh)
export FISC="$PWD/$build/fisc"
export FISC_DATADIR="$PWD/data"
pass=0; fail=0; skip=0; failed=()
if [ $pg = 1 ]; then
  . tests/pglib.sh
  if ! pg_start; then
    echo "SKIP the PostgreSQL pass: PostgreSQL is not installed (scripts/deps.sh test installs it)"
    exit 0
  fi
  pg_newdb fisc_test >/dev/null || { echo "FAIL: createdb"; exit 1; }
  export FISC_TEST_PG="host=$PGD user=postgres dbname=fisc_test"
  export PATH="$PGBIN:$PATH"
else
  unset FISC_TEST_PG
fi
if [ $pg = 0 ] && [ $# = 0 ]; then
  for t in "$build"/tests/test_*; do
    [ -x "$t" ] || continue
    if "$t"; then pass=$((pass+1)); else fail=$((fail+1)); failed+=("$t"); fi
  done
fi
on=""; [ $pg = 1 ] && on=" on PostgreSQL"
for t in "${scripts[@]}"; do
  [ -f "$t" ] || continue
  if [ $pg = 1 ]; then
    why=$(sed -n 's/^# sqlite-only: //p' "$t" | head -1)
    case $(basename "$t") in test_pg_*) continue ;; esac
    if [ -n "$why" ]; then skip=$((skip+1)); echo "skip $t on PostgreSQL: $why"; continue; fi
  fi
  if [ -n "${FISC_SAN:-}" ]; then
    why=$(sed -n 's/^# plain-only: //p' "$t" | head -1)
    if [ -n "$why" ]; then skip=$((skip+1)); echo "skip $t under the sanitizers: $why"; continue; fi
  fi
  t0=${EPOCHREALTIME/./}
  if bash "$t"; then r="ok  "; pass=$((pass+1)); else r=FAIL; fail=$((fail+1)); failed+=("$t$on"); fi
  t1=${EPOCHREALTIME/./}
  printf '%s %s%s (%d.%d s)\n' "$r" "$t" "$on" $(((t1 - t0) / 1000000)) $(((t1 - t0) / 100000 % 10))
done
[ ${#failed[@]} -gt 0 ] && printf 'failed: %s\n' "${failed[@]}"
echo "tests$on: $pass passed, $fail failed, $skip skipped ($SECONDS s)"
[ "$fail" -eq 0 ]
