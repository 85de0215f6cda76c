#!/usr/bin/env bash
# test_serve_cache.sh — fisc serve keeps GET responses of the cached routes
# by the store's data version: the same read again is answered from the
# cache (X-Fisc-Cache: hit) with the same bytes; a figure imported by
# another process (the CLI, not the server) is seen by the next read (a
# miss, with the new figure), and so is a write through the server itself
# (publishing); authorization still applies to a kept response. Tokens
# revoked or users disabled are refused at once; the access log is JSON.
set -u
. tests/server/lib.sh
build_store
start_server --threads 2
FIN=$(token finA); DEP=$(token depA1)
eA=$(enc "$A")
url="$base/api/regions/$eA/balance?year=2024"
get() { # get FILE [curl args…]: the body in FILE, the cache header in $state
  local f=$1; shift
  curl -s -o "$f" -D "$f.h" -H "Authorization: Bearer $FIN" "$@" "$url" || fail "curl"
  state=$(sed -n 's/^X-Fisc-Cache: *\([a-z]*\).*/\1/Ip' "$f.h")
}
get "$tmp/b1"; [ "$state" = miss ] || fail "first read: X-Fisc-Cache '$state', want miss"
get "$tmp/b2"; [ "$state" = hit ] || fail "second read: X-Fisc-Cache '$state', want hit"
cmp -s "$tmp/b1" "$tmp/b2" || fail "a kept response differs from the first"
stab() { jget "$1" 'j.income.find(r => r.line === "stab_draw").fen'; }
before=$(stab "$tmp/b1")

# Another process adds a figure to the same table.
{
  echo 'region,scope,year,book,phase,item,amount,unit,kind,department,project,economic,fund_source,source,note'
  echo "$A,all,2024,gpb,execution,11015,1.23,亿元,base,,,,,test,cache test"
} > "$tmp/more.csv"
"$FISC" --db "$db" import "$tmp/more.csv" > /dev/null || fail "import"
get "$tmp/b3"; [ "$state" = miss ] || fail "after an import: X-Fisc-Cache '$state', want miss"
after=$(stab "$tmp/b3")
[ $((after - before)) = 12300000000 ] || fail "the imported 1.23 亿元 is not in 动用预算稳定调节基金: $before → $after"
get "$tmp/b4"; [ "$state" = hit ] || fail "read after the miss: X-Fisc-Cache '$state', want hit"

# A kept response is still only for whom the matrix allows (the year is not
# published yet).
curl -s -o /dev/null -H "Authorization: Bearer $FIN" "$base/api/regions/$eA/statement?year=2024"
code=$(curl -s -o "$tmp/d" -w '%{http_code}' -H "Authorization: Bearer $DEP" "$base/api/regions/$eA/statement?year=2024")
[ "$code" = 403 ] || fail "a department user got a kept statement: $code"

# A write through the server (publishing the year) also moves the version.
code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H "Authorization: Bearer $FIN" \
  "$base/api/regions/$eA/published/2024")
[ "$code" = 200 ] || fail "publish: $code"
get "$tmp/b5"; [ "$state" = miss ] || fail "after a write through the server: '$state', want miss"

# Who is asking is kept too (each pool thread keeps the token's user, the
# region and publication by the same data version): a token revoked through
# the server (logout) or a user disabled by another process is refused on
# the very next request, however often it was accepted just before; and a
# user enabled again is let in again (refusals are never kept).
status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
T2=$(token finA)
for i in 1 2 3 4 5 6; do
  code=$(status -H "Authorization: Bearer $T2" "$url"); [ "$code" = 200 ] || fail "read $i: $code"
done
code=$(status -X POST -H "Authorization: Bearer $T2" "$base/api/logout"); [ "$code" = 200 ] || fail "logout: $code"
for i in 1 2 3 4; do
  code=$(status -H "Authorization: Bearer $T2" "$url"); [ "$code" = 401 ] || fail "read $i after logout: $code"
done
for i in 1 2 3 4 5 6; do
  code=$(status -H "Authorization: Bearer $DEP" "$base/api/me"); [ "$code" = 200 ] || fail "me $i: $code"
done
"$FISC" --db "$db" user disable depA1 || fail "disable"
for i in 1 2 3 4; do
  code=$(status -H "Authorization: Bearer $DEP" "$base/api/me"); [ "$code" = 401 ] || fail "me $i of a disabled user: $code"
done
"$FISC" --db "$db" user enable depA1 || fail "enable"
code=$(status -H "Authorization: Bearer $DEP" "$base/api/me"); [ "$code" = 200 ] || fail "me after enable: $code"

# The access log stays one JSON object a line whatever a URI carries
# (quotes, a backslash, a control character, bytes that are not UTF-8), and
# every line is there once the server has stopped.
port=${base##*:}
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /api/me?q="\\\x01\xff\xe5\x8c\x97 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >&3
cat <&3 > /dev/null
exec 3<&-
stop_server
node -e 'const ls=require("fs").readFileSync(process.argv[1],"utf8").trim().split("\n"); for (const l of ls) JSON.parse(l);
  if (!ls.some(l => JSON.parse(l).uri === "/api/me?q=\"\\\u0001\u00ff北")) throw "the odd URI is not logged as sent"' "$tmp/access.log" ||
  fail "access log lines are not JSON, or the odd URI is missing: $(tail -3 "$tmp/access.log")"

echo "ok: serve cache"
