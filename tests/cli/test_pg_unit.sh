#!/usr/bin/env bash
# test_pg_unit.sh — the store, import, rules, report, performance, voucher,
# user, catalogue, ledger and history unit tests again, each store a fresh schema of a throw-away
# PostgreSQL cluster (tests/pglib.sh; FISC_TEST_PG, see tests/testutil.h):
# one suite, two backends (issue 14 item 2). Tests of what only an SQLite
# file has (its creation beside the path, the "sqlite:" scheme) skip
# themselves there, saying so. Not repeated: test_ioerr (SQLite VFS fault
# injection: PostgreSQL's errors are mapped by fisc_pg_error and tested in
# test_pg_store.sh) and the tests of parsers and writers that touch no store
# (money, xlsx, audit, doc, suggest).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/../pglib.sh"
FISC=${FISC:-$root/build/fisc}
tests=$(dirname "$FISC")/tests
export FISC_DATADIR=${FISC_DATADIR:-$root/data}
if ! pg_start; then
	echo "SKIP test_pg_unit: PostgreSQL is not installed (scripts/deps.sh test installs it)"
	exit 0
fi
pg_newdb fisc_test >/dev/null || { echo "FAIL: createdb"; exit 1; }
export FISC_TEST_PG="host=$PGD user=postgres dbname=fisc_test"
fail=0
cd "$root"
for t in test_store test_catalog test_vouchers test_user test_perf test_reports test_ledger test_import test_rules test_history; do
	if [ ! -x "$tests/$t" ]; then
		echo "FAIL: $tests/$t not built"; fail=1; continue
	fi
	if "$tests/$t" >"$PGD/$t.log" 2>&1; then
		echo "ok   $t on PostgreSQL"
	else
		echo "FAIL $t on PostgreSQL:"; grep -E "FAILED|ERROR|LINE|failed" "$PGD/$t.log" | head -20
		fail=1
	fi
done
exit $fail
