#!/usr/bin/env bash
# test_serve_api.sh — fisc serve over HTTP: every JSON response validated
# against data/openapi.json; every format of balance, statement and each
# report byte-for-byte what `fisc report` prints; errors as JSON with the
# CLI's message; login, cookie, CSRF, logout, throttling, publication,
# body limit, access log and a clean stop on SIGTERM.
set -u
. tests/server/lib.sh
build_store
start_server --max-body 65536 --threads 2

list=$tmp/responses.txt; : > "$list"; n=0
# call METHOD TEMPLATE URL-PATH [curl args…]: the status in $code, the body
# in $body_file; JSON responses are queued for the OpenAPI check.
call() {
  local method=$1 template=$2 path=$3; shift 3
  n=$((n + 1)); body_file=$tmp/r$n
  code=$(curl -s -o "$body_file" -D "$tmp/h$n" -w '%{http_code}' -X "$method" "$@" "$base$path")
  if grep -qi '^content-type: application/json' "$tmp/h$n"; then
    echo "$method $template $code $body_file" >> "$list"
  fi
}
expect() { [ "$code" = "$1" ] || fail "$2: want $1, got $code: $(head -c 300 "$body_file")"; }

FIN=$(token finA); DEP=$(token depA1)
auth=(-H "Authorization: Bearer $FIN")
eA=$(enc "$A"); eD1=$(enc "$D1")

call GET /healthz /healthz; expect 200 healthz
call GET /api/openapi.json /api/openapi.json; expect 200 openapi
call GET /api/me /api/me; expect 200 "me (public)"
grep -q '"role":"public"' "$body_file" || fail "nobody signed in is the public"
call GET /api/regions /api/regions; expect 200 regions
grep -q '"code":"500109"' "$body_file" || fail "regions lack 500109"
call GET /api/regions/{region}/departments "/api/regions/$eA/departments" "${auth[@]}"; expect 200 departments
grep -q "$D2" "$body_file" || fail "finance sees every department"
call GET /api/regions/{region}/departments "/api/regions/$eA/departments" -H "Authorization: Bearer $DEP"
expect 200 "departments (department)"
grep -q "$D2" "$body_file" && fail "a department user sees another department's name"

# facts: filtered and paged
call GET /api/regions/{region}/facts "/api/regions/$B/facts?year=2023&book=gpb&limit=5&offset=2" "${auth[@]}"
expect 403 "finance of A reading B's facts"
B_FIN=$(token finB)
call GET /api/regions/{region}/facts "/api/regions/$B/facts?year=2023&book=gpb&limit=5&offset=2" -H "Authorization: Bearer $B_FIN"
expect 200 facts
jtest "$body_file" 'j.facts.length===5 && j.offset===2 && j.total>10 && j.facts.every(f=>f.year===2023&&f.book==="gpb")' ||
  fail "facts not filtered and paged: $(head -c 300 "$body_file")"
call GET /api/regions/{region}/facts "/api/regions/$eA/facts" -H "Authorization: Bearer $DEP"; expect 200 "facts (department)"
jtest "$body_file" 'j.facts.length && j.facts.every(f=>f.department===a)' "$D1" ||
  fail "a department user's facts are not only its own"

# every format of every table and report equals the CLI's output
same_as_cli() { # label, server body, CLI args…
  local label=$1 got=$2; shift 2
  "$FISC" --db "$db" "$@" > "$tmp/cli.out" || fail "CLI $*"
  cmp -s "$got" "$tmp/cli.out" || fail "$label differs from fisc $*"
}
for fmt in json md html csv text; do
  for kind in balance statement; do
    call GET /api/regions/{region}/$kind "/api/regions/$B/$kind?year=2023&scope=self&format=$fmt" -H "Authorization: Bearer $B_FIN"
    expect 200 "$kind $fmt"
    same_as_cli "$kind $fmt" "$body_file" report $kind --region $B --year 2023 --scope self --format $fmt
  done
  for kind in congress debt; do
    call GET /api/regions/{region}/reports/{kind} "/api/regions/$B/reports/$kind?year=2023&format=$fmt" -H "Authorization: Bearer $B_FIN"
    expect 200 "$kind $fmt"
    same_as_cli "$kind $fmt" "$body_file" report $kind --region $B --year 2023 --format $fmt
  done
  call GET /api/regions/{region}/departments/{dept}/reports/{kind} "/api/regions/$eA/departments/$eD1/reports/department?year=2025&format=$fmt" "${auth[@]}"
  expect 200 "department $fmt"
  same_as_cli "department $fmt" "$body_file" report department --department "$D1" --year 2025 --format $fmt
done
YL=430225-GX; DY=$(enc 炎陵高新技术产业开发区管理委员会)
echo "$PW" | "$FISC" --db "$db" user add revYL --role reviewer --region $YL || fail "user add revYL"
call GET /api/regions/{region}/departments/{dept}/reports/{kind} "/api/regions/$YL/departments/$DY/reports/performance?year=2024&format=md" -H "Authorization: Bearer $(token revYL)"
expect 200 "performance md"
same_as_cli "performance md" "$body_file" report performance --department 炎陵高新技术产业开发区管理委员会 --year 2024 --format md
call GET /api/regions/{region}/balance "/api/regions/$B/balance?year=2023&format=xlsx" -H "Authorization: Bearer $B_FIN"
expect 200 "balance xlsx"
[ "$(head -c 2 "$body_file")" = PK ] || fail "xlsx is not a zip workbook"
grep -qi '^content-disposition: attachment' "$tmp/h$n" || fail "xlsx is not an attachment"
call GET /api/regions/{region}/reports/{kind} "/api/regions/$B/reports/congress?year=2023&format=xlsx" -H "Authorization: Bearer $B_FIN"
expect 200 "congress xlsx"; [ "$(head -c 2 "$body_file")" = PK ] || fail "congress xlsx"

# check findings as the CLI's JSON
call GET /api/regions/{region}/check "/api/regions/$B/check?year=2023" -H "Authorization: Bearer $B_FIN"; expect 200 check
same_as_cli check "$body_file" check --region $B --year 2023 --format json
# the overview: the figures of the balance tables and the debt report, in one read
call GET /api/regions/{region}/overview "/api/regions/$B/overview?year=2023" -H "Authorization: Bearer $B_FIN"; expect 200 overview
ov=$body_file
call GET /api/regions/{region}/balance "/api/regions/$B/balance?year=2023&book=gfb" -H "Authorization: Bearer $B_FIN"; expect 200 "gfb balance"
[ "$(jget "$ov" 'j.books[1].phases.execution.income_total.text')" = "$(jget "$body_file" 'j.income.find(r => r.line === "income_total").text')" ] ||
  fail "overview's 政府性基金 收入总计 is not the balance table's"
[ "$(jget "$ov" 'j.books[1].structure.expense.find(r => r.line === "transfer_out").amount.fen')" = \
  "$(jget "$body_file" 'j.expense.find(r => r.line === "transfer_out").fen')" ] || fail "overview's 调出资金 is not the table's"
jtest "$ov" 'j.books[0].phases.budget === null && j.books[0].statement.phase === "execution" && j.books[0].statement.balanced' ||
  fail "overview's 一般公共预算 phases: $(jget "$ov" 'JSON.stringify(j.books[0].phases)')"
jtest "$ov" 'j.debt.total.limit.fen === 1613600000000 && j.debt.general.balance.fen === 590400000000' ||
  fail "overview's debt: $(jget "$ov" 'JSON.stringify(j.debt)')"
jtest "$ov" 'j.progress === null' || fail "overview's progress without ledger lines"
call GET /api/regions/{region}/overview "/api/regions/$B/overview" -H "Authorization: Bearer $B_FIN"; expect 400 "overview without a year"

# audit of an uploaded text, as `fisc audit --format json` of the same text
cp examples/001_jiefang_report.txt "$tmp/upload.txt"
call POST /api/audit "/api/audit?name=upload.txt" "${auth[@]}" --data-binary @"$tmp/upload.txt"; expect 200 audit
(cd "$tmp" && "$FISC" audit --format json upload.txt > cli.out); cmp -s "$body_file" "$tmp/cli.out" || fail "audit differs from the CLI"
grep -q '"rule": *"audit.sum"' "$body_file" || fail "audit finds the wrong debt total of 001"

# errors: JSON with the CLI's message, proper statuses
call GET /api/regions/{region}/balance "/api/regions/$B/balance?year=2023&book=nonsense" -H "Authorization: Bearer $B_FIN"; expect 400 "bad book"
call GET /api/regions/{region}/balance "/api/regions/$B/balance?year=1990" -H "Authorization: Bearer $B_FIN"; expect 404 "no data"
"$FISC" --db "$db" report balance --region $B --year 1990 2> "$tmp/cli.err" > /dev/null
msg="$(jget "$body_file" j.message_zh) / $(jget "$body_file" j.message_en)"
grep -qxF "fisc: $msg" "$tmp/cli.err" || fail "API message '$msg' is not the CLI's: $(cat "$tmp/cli.err")"
call GET /api/regions/{region}/balance "/api/regions/$B/balance" -H "Authorization: Bearer $B_FIN"; expect 400 "no year"
call GET /api/regions/{region}/balance "/api/regions/$B/balance?year=2023&format=pdf" -H "Authorization: Bearer $B_FIN"; expect 400 "bad format"
call GET /api/regions/{region}/balance "/api/regions/nowhere/balance?year=2023" -H "Authorization: Bearer $B_FIN"; expect 404 "unknown region"
call GET /api/regions/{region}/reports/{kind} "/api/regions/$B/reports/department?year=2023" -H "Authorization: Bearer $B_FIN"; expect 404 "department report under a region"
call GET /nothing /nothing; expect 404 "no such path"
call DELETE /api/regions /api/regions; expect 405 "wrong method"
call GET /api/me /api/me -H "Authorization: Bearer not-a-token"; expect 401 "bad token"
code=$(curl -s -o /dev/null -w '%{http_code}' "$base/api/regions/%ZZ/facts"); [ "$code" = 400 ] || fail "bad escape: $code"
head -c 100000 /dev/zero | tr '\0' x > "$tmp/big.txt"
call POST /api/audit /api/audit "${auth[@]}" --data-binary @"$tmp/big.txt"; expect 413 "body over --max-body"

# publication opens a year to the public, and only that
call GET /api/regions/{region}/balance "/api/regions/$eA/balance?year=2024" ; expect 401 "unpublished, public"
call GET /api/regions/{region}/overview "/api/regions/$eA/overview?year=2024" ; expect 401 "unpublished overview, public"
call PUT /api/regions/{region}/published/{year} "/api/regions/$eA/published/2024" "${auth[@]}"; expect 200 publish
call GET /api/regions/{region}/balance "/api/regions/$eA/balance?year=2024" ; expect 200 "published, public"
call GET /api/regions/{region}/reports/{kind} "/api/regions/$eA/reports/congress?year=2024" ; expect 200 "published congress, public"
call GET /api/regions/{region}/overview "/api/regions/$eA/overview?year=2024" ; expect 200 "published overview, public"
jtest "$body_file" 'j.progress === null && j.books[0].phases.execution.income_total.fen > 0' || fail "public overview"
call GET /api/regions/{region}/facts "/api/regions/$eA/facts?year=2024" ; expect 401 "published facts stay closed"
call GET /api/regions/{region}/balance "/api/regions/$B/balance?year=2023" ; expect 401 "another region's year"
call DELETE /api/regions/{region}/published/{year} "/api/regions/$eA/published/2024" "${auth[@]}"; expect 200 unpublish
call GET /api/regions/{region}/balance "/api/regions/$eA/balance?year=2024" ; expect 401 "withdrawn"

# login with a cookie: HttpOnly + SameSite=Strict, CSRF on writes, logout
call POST /api/login /api/login -c "$tmp/jar" -H 'Content-Type: application/json' -d "{\"name\":\"finA\",\"password\":\"$PW\"}"
expect 200 login
grep -i '^set-cookie: fisc_session=' "$tmp/h$n" | grep -q 'HttpOnly; SameSite=Strict' || fail "session cookie flags"
grep -i '^set-cookie:' "$tmp/h$n" | grep -q Secure && fail "Secure without --behind-tls"
csrf=$(jget "$body_file" j.csrf)
call PUT /api/regions/{region}/published/{year} "/api/regions/$eA/published/2024" -b "$tmp/jar"; expect 403 "write without CSRF token"
call PUT /api/regions/{region}/published/{year} "/api/regions/$eA/published/2024" -b "$tmp/jar" -H "X-CSRF-Token: x$csrf"; expect 403 "wrong CSRF token"
call PUT /api/regions/{region}/published/{year} "/api/regions/$eA/published/2024" -b "$tmp/jar" -H "X-CSRF-Token: $csrf"; expect 200 "write with CSRF token"
call GET /api/me /api/me -b "$tmp/jar"; expect 200 "me (cookie)"
grep -q "\"csrf\":\"$csrf\"" "$body_file" || fail "me does not return the CSRF token"
call POST /api/logout /api/logout -b "$tmp/jar" -c "$tmp/jar2" -H "X-CSRF-Token: $csrf"; expect 200 logout
call GET /api/regions/{region}/facts "/api/regions/$eA/facts" -H "Cookie: $(awk '$6=="fisc_session"{print "fisc_session=" $7}' "$tmp/jar")"
expect 401 "a logged-out session"

# an old cookie does not stand in the way of signing in again
call POST /api/login /api/login -H 'Cookie: fisc_session=expired-or-garbage' -H 'Content-Type: application/json' -d "{\"name\":\"finA\",\"password\":\"$PW\"}"
expect 200 "login with a stale cookie"
"$FISC" --db "$db" user log --last 0 | grep -P '\tcli\tuser add\tfinA\tok$' > /dev/null || fail "user add not in the event log"

# throttling: five wrong passwords, then even the right one waits
for i in 1 2 3 4 5; do
  call POST /api/login /api/login -H 'Content-Type: application/json' -d '{"name":"revA","password":"wrong-password"}'
  expect 401 "wrong password $i"
done
call POST /api/login /api/login -H 'Content-Type: application/json' -d "{\"name\":\"revA\",\"password\":\"$PW\"}"
expect 429 "throttled login"
call POST /api/login /api/login -H 'Content-Type: application/json' -d '{"name":"revA"}'; expect 400 "login body"
"$FISC" --db "$db" user log --last 0 | grep -P '\trevA\t127\.0\.0\.1\tlogin\trevA\tthrottled$' > /dev/null || fail "throttled login not logged"
"$FISC" --db "$db" user log --last 0 | grep -P '\tfinA\t127\.0\.0\.1\tpublish\t210200-GX/2024\tok$' > /dev/null || fail "publish not logged"

# a disabled user's tokens stop working
"$FISC" --db "$db" user disable depA1 || fail "disable"
call GET /api/me /api/me -H "Authorization: Bearer $DEP"; expect 401 "disabled user's token"

# every JSON response against the OpenAPI document
node tests/server/validate.mjs data/openapi.json "$list" > "$tmp/validate.out" || { cat "$tmp/validate.out"; fail "responses do not match the OpenAPI document"; }

# arguments without values are parsed into a buffer that has room for them
call GET /api/regions "/api/regions?a&b&c&d&e&f&g&h&i&j&k&l&m&n&o&p" ; expect 200 "key-only arguments"

# SIGTERM while a request is in flight: it finishes, then the server exits 0
head -c 16000 examples/001_jiefang_report.txt > "$tmp/slow.txt"
port=${base##*:}
curl -s -o "$tmp/slow.out" -w '%{http_code}' --limit-rate 4k -H "Authorization: Bearer $FIN" \
  --data-binary @"$tmp/slow.txt" "$base/api/audit?rules=0" > "$tmp/slow.code" &
cpid=$!
for i in $(seq 1 100); do  # until the upload is under way
  [ -n "$(ss -Htn state established "( sport = :$port )")" ] && break; sleep 0.05
done
sleep 0.3
kill -TERM "$pid"
wait "$cpid"
[ "$(cat "$tmp/slow.code")" = 200 ] || fail "the request in flight at SIGTERM got $(cat "$tmp/slow.code")"
wait "$pid"; src=$?; pid=
[ "$src" = 0 ] || fail "fisc serve exited $src after SIGTERM"
curl -s -m 2 "$base/healthz" > /dev/null && fail "still answering after SIGTERM"

# the access log: one JSON object per request
[ "$(wc -l < "$tmp/access.log")" -ge "$n" ] || fail "access log has fewer lines than requests"
node -e 'for (const l of require("fs").readFileSync(process.argv[1],"utf8").trim().split("\n")) { const j=JSON.parse(l); for (const k of ["time","address","method","uri","status","bytes","us","user"]) if (!(k in j)) throw k }' "$tmp/access.log" ||
  fail "access log lines are not JSON with every field"
grep -q 'finishing requests in flight' "$tmp/serve.err" || fail "no graceful stop message"

# behind the TLS proxy: Secure cookies, the client address from X-Forwarded-For
start_server --behind-tls
call POST /api/login /api/login -H 'X-Forwarded-For: 10.1.1.1, 203.0.113.9' -H 'Content-Type: application/json' -d "{\"name\":\"revA\",\"password\":\"$PW\"}"
expect 200 "login behind the proxy"
grep -i '^set-cookie: fisc_session=' "$tmp/h$n" | grep -q '; Secure' || fail "no Secure cookie with --behind-tls"
"$FISC" --db "$db" user log --last 0 | grep -qP '\trevA\t203\.0\.113\.9\tlogin\trevA\tok$' || fail "the proxy's client address is not logged"
stop_server
echo "ok: $n requests, $(tail -1 "$tmp/validate.out")"
