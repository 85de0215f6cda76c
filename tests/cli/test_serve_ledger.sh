#!/usr/bin/env bash
# test_serve_ledger.sh — the 指标 ledger over HTTP: quota status equal to
# `fisc quota status` byte for byte; 指标 documents posted as a quota file
# (all or nothing, another region's rows refused and logged); payment
# requests with Idempotency-Key (replay, other content, not enough 可用
# with the CLI's message), confirm, refund, void; payments and documents
# listed; the journal head equal to `fisc journal head`; concurrent
# requests through the one engine all applied; SIGTERM while requests are
# in flight leaves a journal that verifies; every JSON response validated
# against data/openapi.json.
set -u
. tests/server/lib.sh
build_store
"$FISC" --db "$db" quota issue --from-budget --region "$A" --year 2025 > /dev/null || fail "quota issue"
start_server --threads 4

list=$tmp/responses.txt; : > "$list"; n=0
call() {
  local method=$1 template=$2 path=$3; shift 3
  n=$((n + 1)); body_file=$tmp/r$n
  code=$(curl -s -o "$body_file" -D "$tmp/h$n" -w '%{http_code}' -X "$method" "$@" "$base$path")
  if grep -qi '^content-type: application/json' "$tmp/h$n"; then
    echo "$method $template $code $body_file" >> "$list"
  fi
}
expect() { [ "$code" = "$1" ] || fail "$2: want $1, got $code: $(head -c 300 "$body_file")"; }

FIN=$(token finA); DEP=$(token depA1); DEP2=$(token depA2); REV=$(token revA)
fin=(-H "Authorization: Bearer $FIN"); dep=(-H "Authorization: Bearer $DEP")
eA=$(enc "$A")
Q=/api/regions/{region}/quota; QD=/api/regions/{region}/quota/documents
PAY=/api/regions/{region}/payments

# status: the CLI's bytes, whole and for a department
call GET $Q "/api/regions/$eA/quota" "${fin[@]}"; expect 200 "quota status"
"$FISC" --db "$db" quota status --region "$A" --format json > "$tmp/cli.json"
cmp -s "$body_file" "$tmp/cli.json" || fail "quota status JSON differs from fisc quota status"
call GET $Q "/api/regions/$eA/quota?format=tsv&year=2025" "${fin[@]}"; expect 200 "quota status tsv"
"$FISC" --db "$db" quota status --region "$A" --year 2025 > "$tmp/cli.tsv"
cmp -s "$body_file" "$tmp/cli.tsv" || fail "quota status TSV differs from fisc quota status"
call GET $Q "/api/regions/$eA/quota" -H "Authorization: Bearer $DEP2"; expect 200 "quota (other department)"
jtest "$body_file" 'j.lines.length===0 && j.total.quota==="0.00"' || fail "depA2 sees D1's lines"
call GET $Q "/api/regions/$eA/quota?format=pdf" "${fin[@]}"; expect 400 "bad status format"

# documents: a quota file, all or nothing
cat > "$tmp/q.csv" <<CSV
no,date,kind,author,region,year,book,department,project,function,economic,fund_source,fund_doc,expense_kind,amount
大高财〔2025〕10号,2025-03-01,追加,张三,$A,2025,gpb,$D1,校舍维修,2050201,30213,本级财力,,项目支出,120000.50
大高财〔2025〕11号,2025-03-02,追加,张三,$A,2025,gpb,$D2,,2050201,30101,本级财力,,基本支出,5000
CSV
call POST $QD "/api/regions/$eA/quota/documents" "${fin[@]}" --data-binary @"$tmp/q.csv"; expect 200 "post documents"
jtest "$body_file" 'j.documents===2' || fail "documents: $(cat "$body_file")"
call POST $QD "/api/regions/$eA/quota/documents" "${fin[@]}" --data-binary @"$tmp/q.csv"; expect 200 "post documents again (replay)"
sed 's/120000.50/abc/' "$tmp/q.csv" > "$tmp/bad.csv"
call POST $QD "/api/regions/$eA/quota/documents" "${fin[@]}" --data-binary @"$tmp/bad.csv"; expect 400 "bad quota file"
jtest "$body_file" 'j.code==="EIMPORT" && j.problems.some(p=>p.includes("body.csv:2") && p.includes("amount"))' ||
  fail "bad quota file problems: $(cat "$body_file")"
sed "s/,$A,2025,gpb,$D2/,$B,2025,gpb,$D2/" "$tmp/q.csv" | sed 's/11号/12号/' > "$tmp/other.csv"
call POST $QD "/api/regions/$eA/quota/documents" "${fin[@]}" --data-binary @"$tmp/other.csv"; expect 403 "a row of another region"
"$FISC" --db "$db" user log --last 0 | grep -qP "\tfinA\t127\.0\.0\.1\tdenied\tPOST /api/regions/$A/quota/documents\tforbidden$" ||
  fail "the cross-region quota file is not in the event log"
"$FISC" --db "$db" quota status --region "$A" | grep -q '大高财〔2025〕12号' && fail "a refused file was applied"
call GET $QD "/api/regions/$eA/quota/documents" "${dep[@]}"; expect 200 "documents (department)"
jtest "$body_file" 'j.documents.some(d=>d.no==="大高财〔2025〕10号" && d.legs[0].amount==="120000.50") && j.documents.every(d=>d.legs.every(l=>l.department===a))' "$D1" ||
  fail "documents of D1: $(head -c 400 "$body_file")"
line=$(jget "$body_file" 'j.documents.find(d=>d.no==="大高财〔2025〕10号").legs[0].line')
d2line=$("$FISC" --db "$db" quota status --department "$D2" | awk -F'\t' 'NR==2{print $1}')

# payment requests
call POST $PAY "/api/regions/$eA/payments" "${dep[@]}" -d "{\"line\":$line,\"amount\":\"100\"}"; expect 400 "no Idempotency-Key"
call POST $PAY "/api/regions/$eA/payments" "${dep[@]}" -H 'Idempotency-Key: k1' -d "{\"line\":$line,\"amount\":100}"; expect 400 "amount as a JSON number"
call POST $PAY "/api/regions/$eA/payments" "${dep[@]}" -H 'Idempotency-Key: k1' -d "{\"line\":$line,\"amount\":\"1,000.50\",\"payee\":\"某公司\"}"
expect 201 "payment request"
jtest "$body_file" '!j.replay && j.state==="pending" && j.line_figures.pending==="1000.50"' || fail "request: $(cat "$body_file")"
call POST $PAY "/api/regions/$eA/payments" "${dep[@]}" -H 'Idempotency-Key: k1' -d "{\"line\":$line,\"amount\":\"1,000.50\",\"payee\":\"某公司\"}"
expect 200 "replay"; jtest "$body_file" 'j.replay===true' || fail "replay flag"
call POST $PAY "/api/regions/$eA/payments" "${dep[@]}" -H 'Idempotency-Key: k1' -d "{\"line\":$line,\"amount\":\"2\"}"
expect 409 "same key, other content"
call POST $PAY "/api/regions/$eA/payments" "${dep[@]}" -H 'Idempotency-Key: k2' -d "{\"line\":$d2line,\"amount\":\"1\"}"
expect 403 "another department's line"
call POST $PAY "/api/regions/$eA/payments" "${dep[@]}" -H 'Idempotency-Key: k3' -d '{"line":999,"amount":"1"}'; expect 404 "unknown line"
call POST $PAY "/api/regions/$eA/payments" "${fin[@]}" -H 'Idempotency-Key: big' -d "{\"line\":$line,\"amount\":\"9亿元\"}"
expect 409 "not enough 可用"
msg="$(jget "$body_file" j.message_zh) / $(jget "$body_file" j.message_en)"
case "$msg" in *可用指标不足*指标行*可用*insufficient*) ;; *) fail "refusal without the line's figures: $msg" ;; esac
"$FISC" --db "$db" pay request --key big --line "$line" --amount 9亿元 2> "$tmp/cli.err" > /dev/null
grep -qxF "fisc: 拒绝 / refused: $msg" "$tmp/cli.err" || fail "API refusal '$msg' is not the CLI's: $(cat "$tmp/cli.err")"
call POST $PAY "/api/regions/$eA/payments" -H "Authorization: Bearer $REV" -H 'Idempotency-Key: r' -d "{\"line\":$line,\"amount\":\"1\"}"
expect 403 "a reviewer writes nothing"

# confirm, refund, void
call POST $PAY/{key}/confirm "/api/regions/$eA/payments/k1/confirm" "${dep[@]}"; expect 403 "a department confirms nothing"
call POST $PAY/{key}/confirm "/api/regions/$eA/payments/k1/confirm?date=20250315" "${fin[@]}"; expect 201 confirm
jtest "$body_file" 'j.state==="paid" && j.line_figures.paid==="1000.50" && j.line_figures.pending==="0.00"' || fail "confirm: $(cat "$body_file")"
call POST $PAY/{key}/refunds "/api/regions/$eA/payments/k1/refunds" "${fin[@]}" -H 'Idempotency-Key: rf1' -d '{"amount":"0.50","date":20250320}'
expect 201 refund
jtest "$body_file" 'j.refunded==="0.50" && j.line_figures.paid==="1000.00"' || fail "refund: $(cat "$body_file")"
call POST $PAY/{key}/refunds "/api/regions/$eA/payments/k1/refunds" "${fin[@]}" -H 'Idempotency-Key: rf2' -d '{"amount":"5000"}'
expect 409 "refund beyond what was paid"
call POST $PAY/{key}/void "/api/regions/$eA/payments/k1/void" "${dep[@]}"; expect 400 "void a paid payment"
call POST $PAY "/api/regions/$eA/payments" "${dep[@]}" -H 'Idempotency-Key: k4' -d "{\"line\":$line,\"amount\":\"7\"}"; expect 201 "request k4"
call POST $PAY/{key}/void "/api/regions/$eA/payments/k4/void" "${dep[@]}"; expect 201 "void by its department"
call POST $PAY/{key}/void "/api/regions/$eA/payments/nope/void" "${fin[@]}"; expect 404 "unknown payment"

# lists
call GET $PAY "/api/regions/$eA/payments?state=paid" "${dep[@]}"; expect 200 "payments"
jtest "$body_file" 'j.payments.length===1 && j.payments[0].key==="k1" && j.payments[0].paid_on==="2025-03-15" && j.payments[0].refunded==="0.50"' ||
  fail "payments: $(cat "$body_file")"
call GET $PAY "/api/regions/$eA/payments" "${dep[@]}"; expect 200 "all payments"
jtest "$body_file" 'j.total.payments===2 && j.payments.find(p=>p.key==="k4").state==="void"' || fail "payments: $(cat "$body_file")"
call GET $PAY "/api/regions/$eA/payments?state=nonsense" "${dep[@]}"; expect 400 "bad state"

# many requests at once through the one engine: every one applied
cpids=()
for i in $(seq 1 40); do
  curl -s -o /dev/null -w '%{http_code}\n' -X POST -H "Authorization: Bearer $FIN" -H "Idempotency-Key: c$i" \
    -d "{\"line\":$line,\"amount\":\"1\"}" "$base/api/regions/$eA/payments" >> "$tmp/codes" &
  cpids+=($!)
done
wait "${cpids[@]}"
[ "$(grep -c '^201$' "$tmp/codes")" = 40 ] || fail "concurrent requests: $(sort "$tmp/codes" | uniq -c)"

# the journal head is the CLI's
call GET /api/journal/head /api/journal/head; expect 200 "journal head"
want=$("$FISC" --db "$db" journal head)
[ "$(jget "$body_file" 'j.seq+"\t"+j.hash')" = "$want" ] || fail "journal head differs from fisc journal head ($want)"

node tests/server/validate.mjs data/openapi.json "$list" > "$tmp/validate.out" || { cat "$tmp/validate.out"; fail "responses do not match the OpenAPI document"; }

# SIGTERM with requests in flight: what was acknowledged is there, and the
# journal (payments and events) verifies.
cpids=()
for i in $(seq 1 30); do
  curl -s -o /dev/null -w '%{http_code} t'$i'\n' -X POST -H "Authorization: Bearer $FIN" -H "Idempotency-Key: t$i" \
    -d "{\"line\":$line,\"amount\":\"1\"}" "$base/api/regions/$eA/payments" >> "$tmp/codes2" &
  cpids+=($!)
done
sleep 0.05
kill -TERM "$pid"
wait "$pid"; src=$?; pid=
wait "${cpids[@]}"
[ "$src" = 0 ] || fail "fisc serve exited $src after SIGTERM"
"$FISC" --db "$db" journal verify > "$tmp/verify.out" || fail "journal after SIGTERM: $(cat "$tmp/verify.out")"
"$FISC" --db "$db" quota status --format json > "$tmp/after.json"
for k in $(awk '$1 == 201 {print $2}' "$tmp/codes2"); do
  "$FISC" --db "$db" pay request --key "$k" --line "$line" --amount 1 | grep -q '重复提交' ||
    fail "acknowledged payment $k is not in the ledger after SIGTERM"
done
echo "ok: $n requests, $(tail -1 "$tmp/validate.out")"
