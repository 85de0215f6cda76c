#!/usr/bin/env bash
# test_overview.sh — `fisc overview`: --format json is byte for byte the body
# GET /api/regions/R/overview sends finance on the same store; every total
# of every book and phase is the one `fisc report balance` computes (null
# exactly where that has no data), each statement's sentences are `fisc
# report statement`'s, the 支出进度 is `fisc quota status`'s figures and the
# payments confirmed in each month; the text form prints those figures with
# Chinese labels in 万元; bad arguments are usage errors.
set -u
. tests/server/lib.sh
build_store
"$FISC" --db "$db" quota issue --from-budget --region "$A" --year 2025 > /dev/null || fail "quota issue"
"$FISC" --db "$db" pay request --key ov-1 --line 1 --amount 1234.56 --payee 甲 > /dev/null || fail "pay request 1"
"$FISC" --db "$db" pay confirm ov-1 --date 20250315 > /dev/null || fail "pay confirm"
"$FISC" --db "$db" pay request --key ov-2 --line 1 --amount 100 --payee 乙 > /dev/null || fail "pay request 2"
ov() { "$FISC" --db "$db" overview "$@"; }

# 1. JSON: the API's bytes, with and without the ledger part.
start_server --threads 2
FIN=$(token finA); FINB=$(token finB)
for rt in "$A 2025 $FIN" "$A 2024 $FIN" "$B 2023 $FINB" "$B 2024 $FINB"; do
  set -- $rt
  curl -s -o "$tmp/api.json" -H "Authorization: Bearer $3" "$base/api/regions/$(enc "$1")/overview?year=$2" ||
    fail "curl overview $1 $2"
  ov --region "$1" --year "$2" --format json > "$tmp/cli.json" || fail "fisc overview $1 $2"
  cmp -s "$tmp/api.json" "$tmp/cli.json" || fail "fisc overview --format json $1 $2 differs from the API's body"
done
stop_server

# 2. The books against fisc report balance and statement (北碚区 2023, 大连高新区 2024).
for ry in "$B 2023" "$A 2024"; do
  set -- $ry
  ov --region "$1" --year "$2" --format json > "$tmp/o.json" || fail "overview $1 $2"
  i=0
  for book in gpb gfb soe ssf; do
    for phase in budget adjusted execution; do
      "$FISC" --db "$db" report balance --region "$1" --year "$2" --book $book --phase $phase \
        --format json > "$tmp/b-$book-$phase.json" 2>/dev/null || rm -f "$tmp/b-$book-$phase.json"
    done
  done
  # every book, phase and side at once: the overview's {fen, text} or null
  # against the balance table's total row (no table: null)
  bad=$(node -e '
    const fs = require("fs"), [o, dir] = process.argv.slice(1), j = JSON.parse(fs.readFileSync(o, "utf8"));
    const out = [];
    ["gpb", "gfb", "soe", "ssf"].forEach((book, i) => ["budget", "adjusted", "execution"].forEach((phase) => {
      const f = `${dir}/b-${book}-${phase}.json`, b = fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, "utf8")) : null;
      for (const side of ["income", "expense"]) {
        const r = b && b[side].find((x) => x.line === side + "_total");
        const want = JSON.stringify(b ? { fen: r.fen, text: r.text } : null);
        const p = j.books[i].phases[phase], got = JSON.stringify(p === null ? null : p[side + "_total"]);
        if (got !== want) out.push(`${book} ${phase} ${side}_total: overview ${got}, fisc report balance ${want}`);
      }
    }));
    process.stdout.write(out.join("\n"));' "$tmp/o.json" "$tmp") || fail "$1 $2: comparing with the balance tables"
  [ -z "$bad" ] || fail "$1 $2: $bad"
  for book in gpb gfb soe ssf; do
    shown=$(jget "$tmp/o.json" "j.books[$i].statement ? j.books[$i].statement.phase : ''")
    if [ -n "$shown" ]; then
      "$FISC" --db "$db" report statement --region "$1" --year "$2" --book $book --phase "$shown" > "$tmp/s.txt" ||
        fail "report statement $1 $2 $book"
      jget "$tmp/o.json" "j.books[$i].statement.paragraphs.join('\n') + '\n'" > "$tmp/p.txt"
      cmp -s "$tmp/s.txt" "$tmp/p.txt" || fail "$1 $2 $book: the overview's statement is not fisc report statement's"
    fi
    i=$((i + 1))
  done
done
jtest "$tmp/o.json" 'j.books[0].statement.paragraphs.length === 2' || fail "大连高新区 2024 has no GPB statement"
jtest "$tmp/o.json" 'j.charts.length > 0 && j.charts.every(c => c.type === "chart" && c.unit === "万元")' ||
  fail "the overview has no charts of the reports"

# 3. 支出进度 against fisc quota status and the confirmed payment.
ov --region "$A" --year 2025 --format json > "$tmp/o.json"
"$FISC" --db "$db" quota status --region "$A" --year 2025 --format json > "$tmp/q.json" || fail "quota status"
for k in quota paid pending available; do # quota status: 元 with two decimals
  want=$(jget "$tmp/q.json" "j.lines.reduce((a, l) => a + BigInt(l.$k.replace('.', '')), 0n)")
  got=$(jget "$tmp/o.json" "j.progress.departments[0].$k.fen")
  [ "$got" = "$want" ] || fail "department's $k: overview $got, quota status $want"
done
jtest "$tmp/o.json" 'j.progress.departments.length === 1 && j.progress.departments[0].department === a' "$D1" ||
  fail "departments: $(jget "$tmp/o.json" 'JSON.stringify(j.progress.departments)')"
jtest "$tmp/o.json" 'j.progress.departments[0].paid.fen === 123456 && j.progress.departments[0].pending.fen === 10000' ||
  fail "paid / pending: $(jget "$tmp/o.json" 'JSON.stringify(j.progress.departments[0])')"
jtest "$tmp/o.json" 'j.progress.months[2].paid.fen === 123456 && j.progress.months[11].cumulative.fen === 123456 && j.progress.months[1].paid.fen === 0' ||
  fail "months: $(jget "$tmp/o.json" 'JSON.stringify(j.progress.months.slice(0, 4))')"

# 4. The text form: the same figures, Chinese labels, 万元.
ov --region "$B" --year 2023 > "$tmp/o.txt" || fail "overview text"
ov --region "$B" --year 2023 --format json > "$tmp/o.json"
grep -q '^北碚区（500109）2023年预算总览$' "$tmp/o.txt" || fail "text title: $(head -1 "$tmp/o.txt")"
grep -q '^单位：万元$' "$tmp/o.txt" || fail "text unit line"
row=$(jget "$tmp/o.json" "const b = j.books[0].phases; [j.books[0].name, ...['income_total', 'expense_total'].flatMap(s => ['budget', 'adjusted', 'execution'].map(p => b[p] ? b[p][s].text : '—'))].join('\t')")
grep -qxF "$row" "$tmp/o.txt" || fail "text row of 一般公共预算 '$row' missing"
"$FISC" --db "$db" report statement --region "$B" --year 2023 --book gfb > "$tmp/s.txt"
while IFS= read -r line; do grep -qxF "$line" "$tmp/o.txt" || fail "text lacks the statement line '$line'"; done < "$tmp/s.txt"
grep -qP '^专项债务\t1,023,200\t1,023,200$' "$tmp/o.txt" || fail "text debt row"
ov --region "$A" --year 2025 > "$tmp/a.txt"
grep -qP "^$D1\t3,658\\.95\t0\\.12\t0\\.01\t3,658\\.82\t0\\.00%$" "$tmp/a.txt" || fail "text progress row: $(grep -A3 各部门 "$tmp/a.txt")"
grep -qP '^3月\t0\.12\t0\.12\t' "$tmp/a.txt" || fail "text month row: $(grep '^3月' "$tmp/a.txt")"

# 5. Usage errors.
ov --region "$B" > /dev/null 2>&1; [ $? = 2 ] || fail "no --year: want exit 2"
ov --region "$B" --year 2023 --format pdf > /dev/null 2>&1; [ $? = 2 ] || fail "--format pdf: want exit 2"
ov --region 999999 --year 2023 > /dev/null 2>&1; [ $? = 2 ] || fail "unknown region: want exit 2"
echo "ok: fisc overview"
