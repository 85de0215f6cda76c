#!/usr/bin/env bash
# test_web_page.sh — the web page (web/, served by fisc serve) in headless
# Chromium driven by playwright-core (tests/web/page.mjs): a store built from
# examples/ with a user of every role, 指标 issued and paid for one
# department, a server on a free port (stopped by the trap); the script signs
# in as each role, clicks through every view, compares the figures shown with
# the API's (the overview's with what the fisc CLI computes from the same
# store), checks denials by URL editing, runs axe-core and saves
# screenshots under build/screenshots/. Also: the page's files are served
# with their content type, an ETag (304 on If-None-Match) and a strict CSP.
# Needs the built page (make web) and what test_html_chromium.sh installs.
set -u
root=$PWD
. tests/server/lib.sh
[ -f "$FISC_DATADIR/web/app.js" ] || fail "the page is not built ($FISC_DATADIR/web/app.js): make web"
command -v chromium >/dev/null 2>&1 || fail "chromium missing (scripts/deps.sh test)"
if [ ! -d tests/web/node_modules/axe-core ] || [ ! -d tests/web/node_modules/playwright-core ]; then
  (cd tests/web && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci in tests/web"
fi
build_store
# 指标 for D1 (seed 002's budget as 年初批复, then the example 追加), two
# payments: one paid in March, one still 在途.
"$FISC" --db "$db" quota issue --from-budget --region "$A" --year 2025 --date 20250105 >/dev/null || fail "quota issue"
"$FISC" --db "$db" quota import examples/ledger/documents_2025.csv >/dev/null || fail "quota import"
line=$("$FISC" --db "$db" quota status --department "$D1" --format json |
  node -e 'const j=JSON.parse(require("fs").readFileSync(0,"utf8")); process.stdout.write(String(j.lines[0].line))')
"$FISC" --db "$db" pay request --key p1 --line "$line" --amount 120000 --payee 某科技公司 --purpose 孵化补助 >/dev/null || fail "pay p1"
"$FISC" --db "$db" pay confirm p1 --date 20250315 >/dev/null || fail "confirm p1"
"$FISC" --db "$db" pay request --key p2 --line "$line" --amount 3000.5 --payee 某物业 --purpose 场地 >/dev/null || fail "pay p2"
# 北碚区 2023 is published: the public may read it, nothing else
echo "$PW" | "$FISC" --db "$db" user add finB2 --role 财政 --region "$B" >/dev/null || fail "user add finB2"
start_server --threads 4
curl -s -X PUT -H "Authorization: Bearer $(token finB)" "$base/api/regions/$B/published/2023" >/dev/null

# static files: type, ETag, 304, CSP; no path escapes the bundle directory
hdr=$(curl -s -D - -o /dev/null "$base/")
grep -qi '^content-type: text/html; charset=utf-8' <<<"$hdr" || fail "/ is not text/html: $hdr"
grep -qi "^content-security-policy: default-src 'none'; script-src 'self';" <<<"$hdr" || fail "/ lacks the page CSP: $hdr"
hdr=$(curl -s -D - -o /dev/null "$base/web/app.js")
grep -qi '^content-type: text/javascript' <<<"$hdr" || fail "app.js type: $hdr"
etag=$(sed -n 's/^[Ee][Tt]ag: *\(.*\)\r$/\1/p' <<<"$hdr")
[ -n "$etag" ] || fail "app.js has no ETag"
grep -qi '^cache-control: no-cache' <<<"$hdr" || fail "app.js cache-control: $hdr"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$base/web/app.js")
[ "$code" = 304 ] || fail "If-None-Match gave $code, not 304"
for bad in "/web/..%2Fopenapi.json" "/web/.hidden" "/web/nothing.js" "/web/app.exe"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' --path-as-is "$base$bad")
  [ "$code" = 404 ] || fail "$bad gave $code, not 404"
done
# an HTML report served with its inline chart script allowed by hash only
hdr=$(curl -s -D - -o "$tmp/c.html" -H "Authorization: Bearer $(token finB)" \
  "$base/api/regions/$B/reports/congress?year=2023&format=html")
grep -qi "^content-security-policy: .*script-src 'sha256-" <<<"$hdr" || fail "HTML report CSP lacks the script hash: $hdr"
want=$(node -e 'const h=require("fs").readFileSync(process.argv[1],"utf8");
  const m=/<script id="fisc-charts">([\s\S]*?)<\/script>/.exec(h);
  process.stdout.write(m ? require("crypto").createHash("sha256").update(m[1]).digest("base64") : "none")' "$tmp/c.html")
grep -qF "sha256-$want" <<<"$hdr" || fail "the CSP hash is not the inlined script's"

# the quota endpoint's answers (and its refusal) as data/openapi.json says
qt=/api/regions/{region}/departments/{dept}/quota
: > "$tmp/list"
for who in finA depA1 depA2; do
  code=$(curl -s -o "$tmp/q.$who" -w '%{http_code}' -H "Authorization: Bearer $(token $who)" \
    "$base/api/regions/$A/departments/$(enc "$D1")/quota?year=2025")
  echo "GET $qt $code $tmp/q.$who" >> "$tmp/list"
done
grep -q " 403 $tmp/q.depA2" "$tmp/list" || fail "depA2 read D1's 指标"
node tests/server/validate.mjs data/openapi.json "$tmp/list" || fail "quota responses against openapi.json"
jtest "$tmp/q.finA" 'j.lines.length>=3 && j.payments.length===2 && j.months[2].text==="12.00" && j.total.paid.text==="12.00" && j.total.pending.text==="0.30" && JSON.stringify(j.lines.find(l=>l.line==='"$line"').journal.map(x=>x.kind))===JSON.stringify(["指标文件","支付申请","确认支付","支付申请"])' ||
  fail "quota figures: $(head -c 400 "$tmp/q.finA")"

# What the overview must show, computed by the CLI from the same store (the
# page reads the overview endpoint; page.mjs compares it with these): every
# balance's totals, each book's statement (执行, else 预算), the reports'
# charts, the 指标 lines and the payments by month.
exp=$tmp/expect; mkdir -p "$exp"
for ry in "$B 2023" "$A 2024" "$A 2025"; do
  set -- $ry
  for book in gpb gfb soe ssf; do
    for phase in budget adjusted execution; do
      "$FISC" --db "$db" report balance --region "$1" --year "$2" --book $book --phase $phase --format json \
        > "$exp/balance-$1-$2-$book-$phase.json" 2>/dev/null || rm -f "$exp/balance-$1-$2-$book-$phase.json"
    done
    "$FISC" --db "$db" report statement --region "$1" --year "$2" --book $book --phase execution \
      > "$exp/statement-$1-$2-$book.txt" 2>/dev/null ||
      "$FISC" --db "$db" report statement --region "$1" --year "$2" --book $book --phase budget \
        > "$exp/statement-$1-$2-$book.txt" 2>/dev/null || : > "$exp/statement-$1-$2-$book.txt"
  done
  for kind in congress debt; do
    "$FISC" --db "$db" report $kind --region "$1" --year "$2" --unit 万元 --format json \
      > "$exp/$kind-$1-$2.json" 2>/dev/null || rm -f "$exp/$kind-$1-$2.json"
  done
done
"$FISC" --db "$db" quota status --region "$A" --year 2025 --format json > "$exp/quota-$A-2025.json" || fail "quota status"
"$FISC" --db "$db" quota rollup --year 2025 > "$exp/rollup-2025.tsv" || fail "quota rollup"

mkdir -p "$root/build/screenshots"
FISC_BASE=$base FISC_PW=$PW FISC_A=$A FISC_B=$B FISC_D1=$D1 FISC_D2=$D2 EXPECT=$exp \
  SHOTS="$root/build/screenshots" node tests/web/page.mjs || fail "page.mjs"
echo "test_web_page: ok"
