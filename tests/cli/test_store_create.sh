#!/usr/bin/env bash
# Who may create a store: only init, import, import-vouchers and catalog
# import. Every other command on a missing store says so, exits 2 and leaves
# no file (a mistyped --db must not become an empty store that "has no
# findings"); --help opens nothing. A creation that fails (the data
# directory missing) leaves no file either, and the next one succeeds.
# sqlite-only: when a store file is created on disk (a mistyped path, fisc.db in the working directory, a half-made file)
set -eu
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
root=$PWD
cd "$dir"

for cmd in "regions" "check" "report balance --region 500109 --year 2024" \
           "rollup --by total" "catalog lookup 205"; do
  set +e
  "$FISC" --db typo.db $cmd >out 2>err; rc=$?
  set -e
  [ $rc = 2 ] || { echo "$cmd on a missing store: exit $rc, want 2"; fail=1; }
  grep -qF "数据库不存在 / store not found: typo.db" err && grep -qF 'fisc init' err ||
    { echo "$cmd on a missing store said:"; cat err; fail=1; }
  [ ! -e typo.db ] || { echo "$cmd created typo.db"; rm -f typo.db*; fail=1; }
done
# Help never opens the store: it succeeds without one and creates none.
for cmd in "--help" "regions --help" "catalog lookup --help" "init --help" "import --help" \
           "import-vouchers --help"; do
  "$FISC" $cmd >out 2>err || { echo "fisc $cmd: exit $?"; cat err; fail=1; }
  grep -q "usage" out || { echo "fisc $cmd printed no usage"; fail=1; }
done
[ ! -e fisc.db ] || { echo "help created fisc.db"; fail=1; }

# A creation that cannot seed the catalogue leaves nothing behind.
set +e
FISC_DATADIR="$dir/no-such-datadir" "$FISC" --db new.db init >out 2>err; rc=$?
set -e
[ $rc != 0 ] || { echo "init without a data directory succeeded"; fail=1; }
grep -qF "no-such-datadir" err || { echo "init failure does not name where it looked:"; cat err; fail=1; }
left=$(ls -A)
[ "$left" = "$(printf 'err\nout')" ] || { echo "a failed creation left: $left"; fail=1; }

# init creates once, with the catalogue; a second init changes nothing.
"$FISC" --db new.db init >out || { echo "init failed"; fail=1; }
grep -qF "created the store new.db" out || { echo "init said: $(cat out)"; fail=1; }
sum=$(md5sum <new.db)
"$FISC" --db new.db init >out
grep -qF "exists" out || { echo "second init said: $(cat out)"; fail=1; }
[ "$(md5sum <new.db)" = "$sum" ] || { echo "second init changed the store"; fail=1; }
"$FISC" --db new.db catalog lookup 205 | grep -qF "教育支出" || { echo "no catalogue after init"; fail=1; }
"$FISC" --db new.db regions >/dev/null || { echo "regions on an initialised store failed"; fail=1; }

# An importing command whose input cannot be read creates nothing.
for cmd in "import nope.csv" "import-vouchers nope.csv" "catalog import 2024 nope-dir"; do
  set +e
  "$FISC" --db typo.db $cmd >out 2>err; rc=$?
  set -e
  [ $rc = 2 ] || { echo "$cmd: exit $rc, want 2"; fail=1; }
  grep -qF "nope" err || { echo "$cmd said:"; cat err; fail=1; }
  [ ! -e typo.db ] || { echo "$cmd created typo.db"; rm -f typo.db*; fail=1; }
done

# A store left without its catalogue (by an older fisc that stopped half
# way) is completed by the next command that may create.
"$FISC" --db half.db init >/dev/null
sqlite3 half.db "DELETE FROM catalog; DELETE FROM edition"
"$FISC" --db half.db import "$root/examples/regions.csv" >/dev/null || { echo "import into a half-made store failed"; fail=1; }
[ "$(sqlite3 half.db 'SELECT count(*) FROM edition')" = 1 ] || { echo "the half-made store was not completed"; fail=1; }

# The importing commands create.
"$FISC" --db a.db import "$root/examples/regions.csv" >/dev/null || { echo "import did not create"; fail=1; }
"$FISC" --db a.db regions | grep -qF "北碚区" || { echo "regions after import"; fail=1; }
"$FISC" --db b.db catalog import 2024 "$root/data/classification" >/dev/null ||
  { echo "catalog import did not create"; fail=1; }
printf 'number,date,region,unit,book,function,economic,fen\n' >v.csv
"$FISC" --db c.db import-vouchers v.csv >/dev/null || { echo "import-vouchers did not create"; fail=1; }
exit $fail
