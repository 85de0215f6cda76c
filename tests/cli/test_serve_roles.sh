#!/usr/bin/env bash
# test_serve_roles.sh — the role matrix of docs/server.md, cell by cell: every
# endpoint × role × (own / other department, own / other region) is asked of
# a running server and must be allowed (reach its handler) or refused with
# the 401/403 the table says; every refusal must be in the event log.
set -u
. tests/server/lib.sh
build_store
start_server

declare -A tok
for u in finA revA depA1; do tok[$u]=$(token $u) || fail "token $u"; done
users=("" finA finA revA revA depA1 depA1 depA1)
regions=("$A" "$A" "$B" "$A" "$B" "$A" "$A" "$B")
depts=("$D1" "$D1" "$D1" "$D1" "$D1" "$D1" "$D2" "$D1")

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
    path=${template//\{R\}/$(enc "${regions[$i]}")}
    path=${path//\{D\}/$(enc "${depts[$i]}")}
    user=${users[$i]}
    t=${user:+${tok[$user]}}
    # logout revokes the token it is sent with: give it one of its own
    [ "$template" = /api/logout ] && [ -n "$user" ] && t=$(token "$user")
    args=(-s -o "$tmp/body" -w '%{http_code}' -X "$method")
    [ -n "$t" ] && args+=(-H "Authorization: Bearer $t")
    [ "$template" = /api/audit ] && args+=(--data-binary @examples/001_jiefang_report.txt)
    [ "$template" = /api/audit ] && path="$path?rules=0"
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
  re=$(printf '%s' "$p" | sed -e 's/{region}/{R}/; s/{dept}/{D}/; s/{kind}/[a-z]*/; s/{year}/[0-9]*/; s/{file}/[A-Za-z0-9._-]*/')
  printf '%s\n' "$matrix" | grep -q "^| \`$m $re[?\`]" || fail "route $m $p has no row in the role matrix"
done < <(sed -n 's/^[[:space:]]*{"\([A-Z]*\)", "\([^"]*\)".*/\1 \2/p' src/server/route.c)
after=$(denied_count)
[ $((after - before)) -eq "$denials" ] ||
  fail "$denials refusals but $((after - before)) denials in the event log"
# A cross-region refusal names who, what and why.
"$FISC" --db "$db" user log --last 0 | grep -P "\tfinA\t127\.0\.0\.1\tdenied\tGET /api/regions/$B/balance\tforbidden$" > /dev/null ||
  fail "finA's cross-region denial not in the event log"
stop_server
echo "ok: role matrix, $rows rows × 8 = $cells cells, $denials refusals logged"
