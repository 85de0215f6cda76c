#!/usr/bin/env bash
# test_serve_history.sh — the server's history endpoints against the command
# line: GET …/history and …/diff send byte for byte what `fisc history` and
# `fisc diff` print (one library function behind both), GET …/facts/{id}
# gives a fact's versions with their documents and journal entries, a
# department user sees its own department's history only, every response
# (errors too) matches data/openapi.json, and POST /api/audit?format=html is
# `fisc audit --format html`.
set -u
. tests/server/lib.sh
build_store
cat > "$tmp/am.csv" <<X
region,scope,year,book,phase,item,amount,unit,kind,department,project,economic,fund_source,source,note
$A,self,2025,gpb,budget,dept_fiscal_gpb,120,万元,base,$D2,,,,fix.csv,corrected
X
"$FISC" --db "$db" import --amend --reason 更正 --doc 测试〔2025〕1号 --date 2025-03-01 "$tmp/am.csv" >/dev/null ||
  fail "amend"
start_server
tf=$(token finA); t1=$(token depA1); t2=$(token depA2)
: > "$tmp/list"
# get NAME TOKEN TEMPLATE URL: the response into $tmp/NAME; JSON ones listed for validation
get() {
  local code
  code=$(curl -s -o "$tmp/$1" -w '%{http_code}' -H "Authorization: Bearer $2" "$base$4")
  case "$4" in *format=*) ;; *) echo "GET $3 $code $tmp/$1" >> "$tmp/list" ;; esac
  echo "$code"
}
H=/api/regions/{region}/history; DF=/api/regions/{region}/diff; F=/api/regions/{region}/facts/{id}

# the API and the CLI: one rendering
[ "$(get h1 "$tf" $H "/api/regions/$A/history?year=2025&department=$(enc "$D2")")" = 200 ] || fail "history: $(cat "$tmp/h1")"
"$FISC" --db "$db" history --region "$A" --year 2025 --department "$D2" --format json > "$tmp/h1.cli" || fail "fisc history"
cmp -s "$tmp/h1" "$tmp/h1.cli" || fail "GET history differs from fisc history: $(diff "$tmp/h1" "$tmp/h1.cli" | head -5)"
[ "$(get h2 "$tf" $H "/api/regions/$A/history?year=2025&item=dept_fiscal_gpb&format=md")" = 200 ] || fail "history md"
"$FISC" --db "$db" history --region "$A" --year 2025 --item dept_fiscal_gpb --format md > "$tmp/h2.cli"
cmp -s "$tmp/h2" "$tmp/h2.cli" || fail "GET history?format=md differs from fisc history --format md"
[ "$(get d1 "$tf" $DF "/api/regions/$A/diff?year=2025&as_of=%231&vs_as_of=2")" = 200 ] || fail "diff: $(cat "$tmp/d1")"
"$FISC" --db "$db" diff --region "$A" --year 2025 --as-of '#1' --vs-as-of 2 --format json > "$tmp/d1.cli" || fail "fisc diff"
cmp -s "$tmp/d1" "$tmp/d1.cli" || fail "GET diff differs from fisc diff: $(diff "$tmp/d1" "$tmp/d1.cli" | head -5)"
jtest "$tmp/d1" 'JSON.stringify(j.blocks[0].rows[0].slice(6).map(c=>c.text))===JSON.stringify(["100","120","20","20.00%"])' ||
  fail "diff line: $(head -c 600 "$tmp/d1")"
[ "$(get d2 "$tf" $DF "/api/regions/$A/diff?year=2024&vs_year=2025&phase=budget&unit=元")" = 200 ] || fail "diff years"
"$FISC" --db "$db" diff --region "$A" --year 2024 --vs-year 2025 --phase budget --unit 元 --format json > "$tmp/d2.cli"
cmp -s "$tmp/d2" "$tmp/d2.cli" || fail "GET diff (years) differs from fisc diff"
[ "$(get d3 "$tf" $DF "/api/regions/$A/diff?year=2025&phase=budget&vs_phase=execution&all=1&format=csv")" = 200 ] || fail "diff phases csv"
"$FISC" --db "$db" diff --region "$A" --year 2025 --phase budget --vs-phase execution --all-lines --format csv > "$tmp/d3.cli"
cmp -s "$tmp/d3" "$tmp/d3.cli" || fail "GET diff (phases, csv) differs from fisc diff"
[ "$(get e1 "$tf" $DF "/api/regions/$A/diff?year=2025")" = 400 ] || fail "diff without a vs_ side"
[ "$(get e2 "$tf" $DF "/api/regions/$A/diff?year=2025&vs_as_of=%2399")" = 404 ] || fail "diff as of an unknown document"
[ "$(get e3 "$tf" $H "/api/regions/$A/history")" = 400 ] || fail "history without a year"

# a fact: its versions, documents and journal entries
id=$(curl -s -H "Authorization: Bearer $t2" "$base/api/regions/$A/facts?year=2025" | jget /dev/stdin 'j.facts.find(f=>f.item==="dept_fiscal_gpb").id')
[ "$(get f1 "$tf" $F "/api/regions/$A/facts/$id")" = 200 ] || fail "fact versions: $(cat "$tmp/f1")"
jtest "$tmp/f1" 'j.versions.length===2 && j.versions[0].text==="100万元" && j.versions[0].state_zh==="被取代 #2" && j.versions[1].text==="120万元" && j.versions[1].state==="current" && j.versions[1].document.number==="测试〔2025〕1号" && j.versions[1].document.reason==="更正" && j.versions[0].document.kind==="import" && j.versions[0].document.journal.seq < j.versions[1].document.journal.seq' ||
  fail "fact versions: $(cat "$tmp/f1")"
# the journal entries named are the import's and the amendment's
"$FISC" --db "$db" journal head > "$tmp/head"
seq=$(jget "$tmp/f1" 'j.versions[1].document.journal.seq')
hash=$(jget "$tmp/f1" 'j.versions[1].document.journal.hash')
[ "$(get jh "$tf" /api/journal/head /api/journal/head)" = 200 ] || fail "journal head"
jtest "$tmp/jh" 'j.seq>=a' "$seq" || fail "the amendment's entry $seq is after the head"
[ ${#hash} = 64 ] || fail "journal hash '$hash'"
[ "$(get f2 "$t2" $F "/api/regions/$A/facts/$id")" = 200 ] || fail "D2 reads its own fact"
[ "$(get f3 "$t1" $F "/api/regions/$A/facts/$id")" = 403 ] || fail "D1 read D2's fact: $(cat "$tmp/f3")"
[ "$(get f4 "$tf" $F "/api/regions/$B/facts/$id")" = 403 ] || fail "finA read a fact of B"
[ "$(get f5 "$tf" $F "/api/regions/$A/facts/999999")" = 404 ] || fail "an unknown fact"
[ "$(get f6 "$tf" $F "/api/regions/$A/facts/x")" = 400 ] || fail "a fact id that is no number"
"$FISC" --db "$db" user log --last 0 | grep -qP "\tdepA1\t127\.0\.0\.1\tdenied\tGET /api/regions/$A/facts/$id\tforbidden$" ||
  fail "D1's refused fact not in the event log"

# a department user: its own department's history, never another's
[ "$(get g1 "$t2" $H "/api/regions/$A/history?year=2025")" = 200 ] || fail "D2 history"
jtest "$tmp/g1" 'j.blocks[0].rows.length>=2 && j.blocks[0].rows.every(r=>r[4].text.startsWith(a))' "$D2" ||
  fail "D2's history holds other departments: $(head -c 400 "$tmp/g1")"
[ "$(get g2 "$t2" $H "/api/regions/$A/history?year=2025&department=$(enc "$D1")")" = 403 ] || fail "D2 read D1's history"
[ "$(get g3 "$t2" $DF "/api/regions/$A/diff?year=2025&department=$(enc "$D1")&vs_as_of=1")" = 403 ] || fail "D2 read D1's diff"
[ "$(get g4 "$t1" $DF "/api/regions/$A/diff?year=2025&as_of=1&vs_as_of=2&all=1")" = 200 ] || fail "D1 diff"
jtest "$tmp/g4" '!JSON.stringify(j).includes(a)' "$D2" || fail "D1's diff shows D2's lines"
[ "$(get g5 "" $H "/api/regions/$A/history?year=2025")" = 401 ] || fail "the public read history"

node tests/server/validate.mjs data/openapi.json "$tmp/list" || fail "responses against data/openapi.json"

# the audit's html form: fisc audit --format html, sent with a script-less CSP
hdr=$(curl -s -D - -o "$tmp/au.html" -H "Authorization: Bearer $tf" --data-binary @examples/001_jiefang_report.txt \
  "$base/api/audit?format=html&rules=0&name=001_jiefang_report.txt")
grep -qi '^content-type: text/html' <<<"$hdr" || fail "audit html type: $hdr"
grep -qi "^content-security-policy: default-src 'none'; style-src 'unsafe-inline'" <<<"$hdr" || fail "audit html CSP: $hdr"
"$FISC" audit --format html --no-rules examples/001_jiefang_report.txt > "$tmp/au.cli" 2>/dev/null
grep -c '<mark class=' "$tmp/au.html" > "$tmp/n1"; grep -c '<mark class=' "$tmp/au.cli" > "$tmp/n2"
cmp -s "$tmp/n1" "$tmp/n2" && [ "$(cat "$tmp/n1")" -gt 3 ] || fail "audit html marks: $(cat "$tmp/n1") vs CLI $(cat "$tmp/n2")"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tf" --data-binary x "$base/api/audit?format=pdf")
[ "$code" = 400 ] || fail "audit format=pdf gave $code"
echo "ok: history, diff and fact versions through the API"
