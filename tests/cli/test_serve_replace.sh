#!/usr/bin/env bash
# test_serve_replace.sh — a store file replaced under a running fisc serve (a
# backup of another store moved over it with mv) is reopened: every pool
# thread, the response cache and the ledger engine answer from the new file
# on the next request, cached reads included; a write through the server
# afterwards lands in the new file, which stays whole (integrity_check,
# journal verify) although the old file had uncheckpointed WAL frames when it
# was replaced.
# sqlite-only: replacing a store file; a PostgreSQL store has no file
set -u
. tests/server/lib.sh
build_store
FIN=$(token finA)
eA=$(enc "$A")

# The other store: this one as it is now (the same users and tokens) with
# one more figure, backed up the way a restore would bring it.
cp "$db" "$tmp/other.db"
{
  echo 'region,scope,year,book,phase,item,amount,unit,kind,department,project,economic,fund_source,source,note'
  echo "$A,all,2024,gpb,execution,11015,1.23,亿元,base,,,,,test,replace test"
} > "$tmp/more.csv"
"$FISC" --db "$tmp/other.db" import "$tmp/more.csv" > /dev/null || fail "import into the other store"
"$FISC" --db "$tmp/other.db" backup -o "$tmp/restore.db" > /dev/null || fail "backup of the other store"

start_server --threads 2
get() { # get URL FILE: the body in FILE (status 200 required), the cache header in $state
  local code
  code=$(curl -s -o "$2" -D "$2.h" -w '%{http_code}' -H "Authorization: Bearer $FIN" "$1") || fail "curl $1"
  [ "$code" = 200 ] || fail "GET $1: $code $(cat "$2")"
  state=$(sed -n 's/^X-Fisc-Cache: *\([a-z]*\).*/\1/Ip' "$2.h")
}
balance="$base/api/regions/$eA/balance?year=2024"
facts="$base/api/regions/$eA/facts?year=2024&book=gpb&phase=execution&limit=1000"
stab() { jget "$1" 'j.income.find(r => r.line === "stab_draw").fen'; }
nfacts() { jget "$1" 'j.total'; }

# Both pool threads read the old store (and the balance is kept).
for i in 1 2 3 4; do get "$balance" "$tmp/old$i"; get "$facts" "$tmp/oldf$i"; done
get "$balance" "$tmp/old5"; [ "$state" = hit ] || fail "the balance is not kept before the swap: '$state'"
before=$(stab "$tmp/old5"); nbefore=$(nfacts "$tmp/oldf4")
# A write through the server: the old file has WAL frames when it goes.
code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H "Authorization: Bearer $FIN" \
  "$base/api/regions/$eA/published/2024")
[ "$code" = 200 ] || fail "publish on the old store: $code"
[ -s "$db-wal" ] || fail "the old store has no WAL frames: the test would not test the WAL"

mv "$tmp/restore.db" "$db"
# The health check first: it opens the store afresh, which must not happen
# beside the handles on the old file (their WAL would become the new file's).
code=$(curl -s -o /dev/null -w '%{http_code}' "$base/healthz")
[ "$code" = 200 ] || fail "healthz after the swap: $code"

for i in 1 2 3 4 5 6; do
  get "$balance" "$tmp/new$i"
  [ $(( $(stab "$tmp/new$i") - before )) = 12300000000 ] ||
    fail "request $i after the swap: 动用预算稳定调节基金 $(stab "$tmp/new$i"), want $before + 1.23 亿元 (the old store's, cache '$state')"
  get "$facts" "$tmp/newf$i"
  [ "$(nfacts "$tmp/newf$i")" = $((nbefore + 1)) ] ||
    fail "request $i after the swap: $(nfacts "$tmp/newf$i") facts, want $((nbefore + 1))"
done
grep -q '已被替换' "$tmp/serve.err" || fail "the server did not say it reopened the store"
[ "$(grep -c '已被替换' "$tmp/serve.err")" = 1 ] || fail "the store was reopened more than once: $(cat "$tmp/serve.err")"

# The new file is not published (the publish went to the old one) …
code=$(curl -s -o /dev/null -w '%{http_code}' "$balance")
[ "$code" = 401 ] || fail "the public reads the restored store's 2024 (published on the old one only): $code"
# … and a write through the server (the pool's handle, then the ledger
# engine's) goes to the new file.
code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H "Authorization: Bearer $FIN" \
  "$base/api/regions/$eA/published/2024")
[ "$code" = 200 ] || fail "publish on the new store: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' "$balance")
[ "$code" = 200 ] || fail "the public after publishing on the new store: $code"
stop_server
[ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check of the new store"
"$FISC" --db "$db" journal verify > /dev/null || fail "journal verify of the new store"
"$FISC" --db "$db" report balance --region "$A" --year 2024 --format json > "$tmp/final.json" || fail "report balance"
[ "$(stab "$tmp/final.json")" = "$(stab "$tmp/new1")" ] || fail "the new store on disk differs from what the server served"
echo "ok: serve replace"
