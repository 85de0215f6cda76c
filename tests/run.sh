#!/usr/bin/env bash
# run.sh BUILD — run every unit test binary in BUILD/tests and every CLI test
# script in tests/cli/, then print one summary line "N passed, N failed".
set -u
build=${1:-build}
export FISC="$PWD/$build/fisc"
export FISC_DATADIR="$PWD/data"
pass=0; fail=0; failed=()
for t in "$build"/tests/test_*; do
  [ -x "$t" ] || continue
  if "$t"; then pass=$((pass+1)); else fail=$((fail+1)); failed+=("$t"); fi
done
for t in tests/cli/*.sh; do
  [ -f "$t" ] || continue
  if bash "$t"; then pass=$((pass+1)); echo "ok   $t"; else fail=$((fail+1)); failed+=("$t"); echo "FAIL $t"; fi
done
[ ${#failed[@]} -gt 0 ] && printf 'failed: %s\n' "${failed[@]}"
echo "tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
