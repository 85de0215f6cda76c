#!/usr/bin/env bash
# test_serve_roles.sh — the role matrix of docs/server.md, cell by cell: every
# endpoint × role × (own / other department, own / other region) is asked of
# a running server and must be allowed (reach its handler) or refused with
# the 401/403 the table says; every refusal must be in the event log.
set -u
. tests/server/lib.sh
build_store
# The ledger rows: line 1 is D1's, line 2 D2's (both of A), each with a
# pending payment, written by the CLI before the server starts.
{
  echo 'no,date,kind,author,region,year,book,department,project,function,economic,fund_source,fund_doc,expense_kind,amount'
  echo "A-1,2025-01-01,批复,t,$A,2025,gpb,$D1,,,30101,本级财力,,基本支出,10000"
  echo "A-2,2025-01-01,批复,t,$A,2025,gpb,$D2,,,30101,本级财力,,基本支出,10000"
} > "$tmp/quota.csv"
"$FISC" --db "$db" quota import "$tmp/quota.csv" > /dev/null || fail "quota import"
"$FISC" --db "$db" pay request --key P1 --line 1 --amount 100 > /dev/null || fail "pay P1"
"$FISC" --db "$db" pay request --key P2 --line 2 --amount 100 > /dev/null || fail "pay P2"
start_server

declare -A tok
for u in finA revA depA1; do tok[$u]=$(token $u) || fail "token $u"; done
users=("" finA finA revA revA depA1 depA1 depA1)
regions=("$A" "$A" "$B" "$A" "$B" "$A" "$A" "$B")
depts=("$D1" "$D1" "$D1" "$D1" "$D1" "$D1" "$D2" "$D1")
lines=(1 1 1 1 1 1 2 1)     # {L}: the column's department's line
pays=(P1 P1 P1 P1 P1 P1 P2 P1) # {P}: a payment on it
# {F}: a fact of the column's department (of A), asked through finance
fact_of() {
  curl -s -H "Authorization: Bearer ${tok[finA]}" "$base/api/regions/$A/facts?year=2025&limit=1&department=$(enc "$1")" |
    jget /dev/stdin 'j.facts[0].id'
}
F1=$(fact_of "$D1"); F2=$(fact_of "$D2")
[ -n "$F1" ] && [ -n "$F2" ] && [ "$F1" != "$F2" ] || fail "facts of D1 and D2: '$F1' '$F2'"
facts=("$F1" "$F1" "$F1" "$F1" "$F1" "$F1" "$F2" "$F1")
# Each region's and department's path segment, encoded once (not per cell).
declare -A encoded
for x in "$A" "$B" "$D1" "$D2"; do encoded[$x]=$(enc "$x"); done

denied_count() { "$FISC" --db "$db" user log --last 0 | awk -F'\t' '$4 == "denied"' | wc -l; }
before=$(denied_count)
rows=0; cells=0; denials=0
while IFS= read -r line; do
  req=$(printf '%s' "$line" | sed -n 's/^| `\([^`]*\)` |.*/\1/p')
  [ -n "$req" ] || continue
  rows=$((rows + 1))
  IFS='|' read -r -a col <<< "${line#*\` |}"
  method=${req%% *}; template=${req#* }
  for i in 0 1 2 3 4 5 6 7; do
    want=$(echo "${col[$i]}" | tr -d ' ')
    path=${template//\{R\}/${encoded[${regions[$i]}]}}
    path=${path//\{D\}/${encoded[${depts[$i]}]}}
    path=${path//\{P\}/${pays[$i]}}
    path=${path//\{F\}/${facts[$i]}}
    user=${users[$i]}
    t=${user:+${tok[$user]}}
    # logout revokes the token it is sent with: give it one of its own
    [ "$template" = /api/logout ] && [ -n "$user" ] && t=$(token "$user")
    args=(-s -o "$tmp/body" -w '%{http_code}' -X "$method")
    [ -n "$t" ] && args+=(-H "Authorization: Bearer $t")
    [ "$template" = /api/audit ] && args+=(--data-binary @examples/001_jiefang_report.txt)
    [ "$template" = /api/audit ] && path="$path?rules=0"
    case "$method $template" in
      "POST /api/regions/{R}/quota/documents")
        { head -1 "$tmp/quota.csv"; echo "A-9,2025-02-01,追加,t,${regions[$i]},2025,gpb,${depts[$i]},,,30101,本级财力,,基本支出,1"; } > "$tmp/q9.csv"
        args+=(-H 'Content-Type: text/csv' --data-binary @"$tmp/q9.csv") ;;
      "POST /api/regions/{R}/payments")
        args+=(-H "Idempotency-Key: cell-$cells" -d "{\"line\":${lines[$i]},\"amount\":\"1\"}") ;;
      "POST /api/regions/{R}/payments/{P}/refunds")
        args+=(-H "Idempotency-Key: refund-$cells" -d '{"amount":"0.01"}') ;;
    esac
    got=$(curl "${args[@]}" "$base$path")
    cells=$((cells + 1))
    case "$want" in
      allow) [ "$got" != 401 ] && [ "$got" != 403 ] && [ "$got" -lt 500 ] ||
               fail "$req as column $((i + 1)) (${user:-public}): want allow, got $got: $(cat "$tmp/body")" ;;
      401|403) [ "$got" = "$want" ] ||
               fail "$req as column $((i + 1)) (${user:-public}): want $want, got $got: $(cat "$tmp/body")"
               grep -q '"message_zh"' "$tmp/body" || fail "$req: the refusal is not a JSON error"
               denials=$((denials + 1)) ;;
      *) fail "matrix cell '$want' in row $req" ;;
    esac
  done
done < <(sed -n '/<!-- matrix -->/,/<!-- \/matrix -->/p' docs/server.md)

[ "$rows" -ge 1 ] || fail "only $rows matrix rows read from docs/server.md"
# Every route of the server's table has its row (login aside: it is how one
# stops being the public), so a new route cannot escape the matrix.
matrix=$(sed -n '/<!-- matrix -->/,/<!-- \/matrix -->/p' docs/server.md)
while read -r m p; do
  [ "$p" = /api/login ] && continue
  re=$(printf '%s' "$p" | sed -e 's/{region}/{R}/; s/{dept}/{D}/; s/{kind}/[a-z]*/; s/{year}/[0-9]*/; s/{key}/{P}/; s/{id}/{F}/; s/{file}/[A-Za-z0-9._-]*/')
  printf '%s\n' "$matrix" | grep -q "^| \`$m $re[?\`]" || fail "route $m $p has no row in the role matrix"
done < <(sed -n 's/^[[:space:]]*{"\([A-Z]*\)", "\([^"]*\)".*/\1 \2/p' src/server/route.c)
after=$(denied_count)
[ $((after - before)) -eq "$denials" ] ||
  fail "$denials refusals but $((after - before)) denials in the event log"
# A cross-region refusal names who, what and why.
"$FISC" --db "$db" user log --last 0 | grep -P "\tfinA\t127\.0\.0\.1\tdenied\tGET /api/regions/$B/balance\tforbidden$" > /dev/null ||
  fail "finA's cross-region denial not in the event log"
# A cross-department payment request is refused by the handler, and logged.
"$FISC" --db "$db" user log --last 0 | grep -P "\tdepA1\t127\.0\.0\.1\tdenied\tPOST /api/regions/$A/payments\tforbidden$" > /dev/null ||
  fail "depA1's cross-department payment request not in the event log"
# Nothing the refusals asked for happened: P2 (D2's) is still pending, and
# no payment was made from D2's line by a department user.
"$FISC" --db "$db" quota status --format json > "$tmp/status.json"
jtest "$tmp/status.json" 'j.lines.find(l=>l.line===2).pending==="100.00"' || fail "a refused request moved D2's line"
"$FISC" --db "$db" journal verify > /dev/null || fail "journal does not verify after the matrix"
stop_server
echo "ok: role matrix, $rows rows × 8 = $cells cells, $denials refusals logged"
