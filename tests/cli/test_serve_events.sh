#!/usr/bin/env bash
# test_serve_events.sh — refusals recorded while payments are written at
# once: four clients pay through the ledger engine while four others are
# refused (another region's figures); every payment is applied, every
# refusal is in the event log, and the journal verifies. On PostgreSQL a
# pool thread's event record read the journal's head before taking the
# ledger lock, so an engine batch committed in between made the record
# out of sequence and it was lost (about a quarter of them).
set -u
. tests/server/lib.sh
build_store
"$FISC" --db "$db" quota issue --from-budget --region "$A" --year 2025 > /dev/null || fail "quota issue"
start_server --threads 8
FIN=$(token finA)
line=$("$FISC" --db "$db" quota status --region "$A" --format json | jget /dev/stdin 'j.lines[0].line')
[ -n "$line" ] || fail "no quota line"
eA=$(enc "$A"); eB=$(enc "$B")
denied() { "$FISC" --db "$db" user log --last 0 | awk -F'\t' '$4 == "denied"' | wc -l; }
before=$(denied)
N=15 loops=()
for w in 1 2 3 4; do
  for i in $(seq 1 $N); do
    curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $FIN" -H "Idempotency-Key: w$w-$i" \
      -d "{\"line\":$line,\"amount\":\"0.01\"}" "$base/api/regions/$eA/payments"
  done > "$tmp/pay$w" &
  loops+=($!)
  for i in $(seq 1 $N); do
    curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $FIN" "$base/api/regions/$eB/balance?year=2024"
  done > "$tmp/deny$w" &
  loops+=($!)
done
wait "${loops[@]}"
paid=$(cat "$tmp"/pay* | grep -c '^201$')
refused=$(cat "$tmp"/deny* | grep -c '^403$')
[ "$paid" = $((4 * N)) ] || fail "payments: $paid of $((4 * N)) answered 201: $(sort "$tmp"/pay* | uniq -c)"
[ "$refused" = $((4 * N)) ] || fail "refusals: $refused of $((4 * N)) answered 403: $(sort "$tmp"/deny* | uniq -c)"
logged=$(($(denied) - before))
[ "$logged" = $((4 * N)) ] || fail "$logged of $((4 * N)) refusals in the event log: $(grep -v '^listening' "$tmp/serve.err" | sort | uniq -c | head -5)"
grep -q 'out of sequence' "$tmp/serve.err" && fail "the server reports journal entries out of sequence"
stop_server
"$FISC" --db "$db" journal verify > /dev/null || fail "journal does not verify"
echo "ok: $paid payments and $refused refusals at once, every refusal logged"
