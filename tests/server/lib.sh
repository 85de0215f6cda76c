# lib.sh — what the server tests share (sourced): a store built from
# examples/ with users of every role, a server on a free loopback port, and a
# trap that stops it, so that no test leaves a process behind.
#   A = 210200-GX (大连高新区: government data 2024, department D1 2025)
#   B = 500109 (北碚区); D2 is a second department of A added here.
set -u
: "${FISC:?FISC must name the fisc binary}"
export FISC_DATADIR=${FISC_DATADIR:-$PWD/data}
tmp=$(mktemp -d)
pid=
stop_server() {
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=; fi
}
trap 'stop_server; [ -n "${KEEP:-}" ] && echo "kept $tmp" || rm -rf "$tmp"' EXIT
. tests/storelib.sh
db=$(tdb "$tmp/fisc.db")
A=210200-GX
B=500109
D1=大连高新技术产业园区创新创业创投服务中心
D2=大连高新区测试局
PW=correct-horse-battery

fail() { echo "FAIL: $*" >&2; exit 1; }

build_store() {
  {
    echo 'region,scope,year,book,phase,item,amount,unit,kind,department,project,economic,fund_source,source,note'
    echo "$A,self,2025,gpb,budget,dept_fiscal_gpb,100,万元,base,$D2,,,,test,second department of A"
  } > "$tmp/d2.csv"
  "$FISC" --db "$db" import examples/*.csv "$tmp/d2.csv" > /dev/null || fail "import"
  local u
  for u in "finA 财政 $A" "finB 财政 $B" "revA 审查 $A" "depA1 部门 $A $D1" "depA2 部门 $A $D2"; do
    set -- $u
    echo "$PW" | "$FISC" --db "$db" user add "$1" --role "$2" --region "$3" ${4:+--department "$4"} \
      || fail "user add $1"
  done
}

# start_server [extra serve options]: sets pid and base.
start_server() {
  "$FISC" --db "$db" serve --listen 127.0.0.1:0 --access-log "$tmp/access.log" "$@" \
    > "$tmp/serve.out" 2> "$tmp/serve.err" &
  pid=$!
  local i
  for i in $(seq 1 100); do
    grep -q '^listening' "$tmp/serve.out" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { cat "$tmp/serve.err" >&2; fail "server did not start"; }
    sleep 0.1
  done
  base=$(sed -n 's/^listening //p' "$tmp/serve.out")
  [ -n "$base" ] || fail "no listening line"
}

token() { "$FISC" --db "$db" user token "$1"; }
enc() { node -e 'process.stdout.write(encodeURIComponent(process.argv[1]))' "$1"; }
# jtest FILE EXPR [ARG]: true when the JS expression EXPR holds for the JSON
# in FILE (as j; the optional argument as a). jget FILE EXPR: print it.
jtest() { node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); const a=process.argv[3]; process.exit(eval(process.argv[2]) ? 0 : 1)' "$@"; }
jget() { node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); process.stdout.write(String(eval(process.argv[2])))' "$@"; }
