#!/usr/bin/env bash
# test_pg_history.sh — corrections with history and `fisc copy` on PostgreSQL
# (docs/history.md, docs/operations.md, issue 14 items 2 and 5):
# - the same imports (one refused), amendments (a change, a withdrawal, an
#   addition, a refused one), vouchers and ledger activity into an SQLite
#   file and a PostgreSQL database give byte-identical `fisc history`,
#   reports and check --as-of a date, a document and a 文号, every kind of
#   `fisc diff` (--vs-as-of, --vs-phase, --vs-year, --vs-db across backends)
#   and the same journal, hash for hash;
# - `fisc copy` SQLite → PostgreSQL → SQLite of that amended store, holding
#   quota documents, payments, a refund, users, a token, a publication mark
#   and the event log, verifies on arrival each way, and every output of the
#   three stores is byte-identical; both copies go on numbering documents
#   and facts as their source would (a later amendment hashes alike);
# - PostgreSQL's schema migration 7 (from a version-6 store), --check, and
#   a newer schema refused; `fisc backup` of a PostgreSQL store is a clear
#   refusal pointing at pg_dump.
# One throw-away cluster for the whole script (tests/pglib.sh).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/../pglib.sh"
FISC=${FISC:-$root/build/fisc}
export FISC_DATADIR=${FISC_DATADIR:-$root/data}
# Documents record when they were made, and an amendment's journal entry
# hashes that time: one fixed time for both stores (store.c recorded_at).
export SOURCE_DATE_EPOCH=1720000000
if ! pg_start; then
	echo "SKIP test_pg_history: PostgreSQL is not installed (scripts/deps.sh test installs it)"
	exit 0
fi
dir=$(mktemp -d /tmp/fisc-pghist.XXXXXX)
trap 'pg_stop; [ -n "${KEEP:-}" ] || rm -rf "$dir"' EXIT
fail=0
sq="$dir/s.db"
pg=$(pg_newdb hist) && pgc=$(pg_newdb hist_copy) && pgm=$(pg_newdb hist_migrate) \
	|| { echo "FAIL: createdb"; exit 1; }
cd "$root/examples"

# run NAME ARGS…: the command on both stores; stdout, stderr and exit code compared.
run() { pg_both "$@"; }
# expect NAME PATTERN: the SQLite side's output of run NAME holds PATTERN (so
# that a comparison of two empty or failed outputs cannot pass).
expect() {
	grep -qF -- "$2" "$dir/$1.sq" || { echo "FAIL: $1: no '$2' in:"; head -5 "$dir/$1.sq"; fail=1; }
}

cat >"$dir/wd.csv" <<'CSV'
region,scope,year,book,phase,item,amount,unit,action
500109,all,2023,gpb,execution,remit_up,,万元,withdraw
CSV
cat >"$dir/add.csv" <<'CSV'
region,scope,year,book,phase,item,amount,unit,kind,action
410802,all,2023,gpb,execution,tax,99,万元,base,
500109,all,2023,gpb,budget,tax,160000,万元,base,修正
CSV
cat >"$dir/bad.csv" <<'CSV'
region,scope,year,book,phase,item,amount,unit,action
500109,all,2023,gpb,execution,tax,1x,万元,
CSV

# ---- the same history on both backends ----------------------------------
run import import regions.csv 001_jiefang_2023_2024.csv 002_dalian_gxq_ccc_2025.csv 003_beibei_2023_2024.csv
run import-refused import regions.csv 003_beibei_2023_2024.csv
run vouchers import-vouchers vouchers/beibei_2024q1.csv
run amend-dry import --amend --dry-run --reason 更正税收 amend/003_beibei_tax_fix.csv
run amend-bad import --amend --reason 更正 "$dir/bad.csv"
run amend import --amend --reason 更正税收 --author 张三 --doc 北财预〔2024〕5号 --date 2024-06-30 amend/003_beibei_tax_fix.csv
expect amend "修正文件 #2"
run amend-same-number import --amend --reason 又一次 --doc 北财预〔2024〕5号 --date 2024-07-01 "$dir/wd.csv"
run withdraw import --amend --reason 重复列示 --date 2024-07-01 "$dir/wd.csv"
run add import --amend --reason 补录 --author 李四 --doc 北财预〔2024〕9号 --date 2024-08-01 "$dir/add.csv"
expect add "新增 1 处"
run import-later import 004_yanling_gxq_2024.csv 004_yanling_gxq_2024_indicators.csv
run quota-issue quota issue --from-budget --region 210200-GX --year 2025 --date 20250101
run quota-import quota import ledger/documents_2025.csv
run pay-1 pay request --key p1 --line 1 --amount 1000 --payee 甲
run pay-2 pay request --key p2 --line 2 --amount 2000.50 --payee 乙
run pay-confirm pay confirm p1 --date 20250315
run pay-refund pay refund --key r1 --payment p1 --amount 100 --date 20250320

run history-tax history --region 北碚区 --year 2023 --item 税收收入
run history-all history --region 500109 --year 2023
run history-all-json history --region 500109 --year 2023 --format json
expect history-tax "#2 修正 北财预〔2024〕5号"
expect history-all "被撤回 #3"
run history-dept history --region 210200-GX --year 2025 --department 大连高新技术产业园区创新创业创投服务中心
for a in '#0' '#1' '#3' 2024-06-29 2024-07-31 北财预〔2024〕5号; do
	run "balance-asof-$a" report balance --region 北碚区 --year 2023 --book gpb --scope all --phase execution --as-of "$a"
done
run check-asof-doc check --region 北碚区 --as-of '#1' --format json
run check-asof-date check --region 北碚区 --as-of 2024-07-31
run balance-asof-none report balance --region 北碚区 --year 2023 --as-of '#99'
run congress-asof report congress --region 北碚区 --year 2023 --as-of 2024-06-29 --format md
run check-all check --all --format json
run diff-versions diff --region 500109 --year 2023 --as-of '#1' --vs-as-of '#5' --format csv
expect diff-versions "160198,160298,100,0.06%"
run diff-versions-all diff --region 500109 --year 2023 --as-of 2024-06-29 --vs-as-of 北财预〔2024〕9号 --all-lines
run diff-phases diff --region 410802 --year 2023 --phase 预算 --vs-phase 执行 --book gpb --format md
run diff-years diff --region 500109 --year 2023 --phase 执行 --vs-year 2024 --vs-phase 预算 --format json
# One store against the other (their names head the columns, so each is
# read against the other rather than compared as text): no line differs.
for a in "" '#1' 2024-07-01; do
	for b in sq pg; do
		db=$sq other=$pg; [ $b = pg ] && db=$pg other=$sq
		"$FISC" --db "$db" diff --year 2023 ${a:+--as-of "$a" --vs-as-of "$a"} --vs-db "$other" >"$dir/vsdb" 2>&1
		grep -qF "增加 0 行，减少 0 行，新出现 0 行，不再出现 0 行，未变 1" "$dir/vsdb" \
			|| { echo "FAIL: diff --vs-db ${a:-now} from $b:"; head -12 "$dir/vsdb"; fail=1; }
	done
done
run quota-status quota status
run rollup rollup --by function-month
for b in sq pg; do
	db=$sq; [ $b = pg ] && db=$pg
	"$FISC" --db "$db" journal verify >"$dir/jv.$b" 2>&1 || { echo "FAIL: journal verify on $b"; cat "$dir/jv.$b"; fail=1; }
done
run journal-head journal head

# ---- users, a token, a publication mark, the event log -----------------
for db in "$sq" "$pg"; do
	echo 'a-long-password-1' | "$FISC" --db "$db" user add fin1 --role 财政 --region 500109 >/dev/null || fail=1
	echo 'a-long-password-2' | "$FISC" --db "$db" user add off2 --role 审查 --region 500109 >/dev/null || fail=1
	"$FISC" --db "$db" user disable off2 >/dev/null || fail=1
	"$FISC" --db "$db" user token fin1 >/dev/null || fail=1
done
# A report published through `fisc serve` leaves a mark; set it as the
# server does, in the table the server writes.
sqlite3 "$sq" "INSERT INTO published(region_id, year) SELECT id, 2023 FROM region WHERE code = '500109'"

# ---- copy SQLite → PostgreSQL → SQLite ----------------------------------
out=$("$FISC" copy --from "sqlite:$sq" --to "$pgc" 2>&1) || { echo "FAIL: copy to PostgreSQL: $out"; fail=1; }
grep -qF "journal entries (verified)" <<<"$out" || { echo "FAIL: copy to PostgreSQL said: $out"; fail=1; }
out=$("$FISC" copy --from "$pgc" --to "$dir/back.db" 2>&1) || { echo "FAIL: copy back to SQLite: $out"; fail=1; }
grep -qF "journal entries (verified)" <<<"$out" || { echo "FAIL: copy back said: $out"; fail=1; }
# A second copy into a database that holds a store is refused.
if "$FISC" copy --from "$sq" --to "$pgc" >/dev/null 2>"$dir/err"; then echo "FAIL: copy into a non-empty database"; fail=1; fi
grep -qF "is not empty" "$dir/err" || { echo "FAIL: non-empty: $(cat "$dir/err")"; fail=1; }

outputs() { # DB DIR: everything a person reads from a store
	local db=$1 out=$2 n=0
	mkdir -p "$out"
	G() { n=$((n + 1)); "$FISC" --db "$db" "$@" >"$out/$n" 2>&1 || echo "exit $?" >>"$out/$n"; }
	G journal verify
	G journal head
	G check --format json
	G check --all
	G regions
	G departments
	G rollup --by function-month,region-class --level all,类
	G rollup --scan --by function-month
	G quota status
	G quota status --format json
	G history --region 500109 --year 2023
	G history --region 410802 --year 2023 --format json
	G report balance --region 北碚区 --year 2023 --book gpb --scope all --phase execution --as-of '#1'
	G report balance --region 北碚区 --year 2023 --book gpb --scope all --phase execution --as-of 2024-07-01
	G report balance --region 北碚区 --year 2023 --book gpb --scope all --phase execution
	G report congress --region 解放区 --year 2023 --as-of 北财预〔2024〕9号
	G report department --region 210200-GX --year 2025
	G report performance --region 炎陵高新区 --year 2024
	G diff --year 2023 --as-of '#1' --vs-as-of '#5' --all-lines
	G user list
	G user log
}
outputs "$sq" "$dir/o-sq"
outputs "$pgc" "$dir/o-pg"
outputs "$dir/back.db" "$dir/o-back"
for o in o-pg o-back; do
	diff -r "$dir/o-sq" "$dir/$o" >"$dir/$o.diff" || { echo "FAIL: $o differs from the source:"; head -20 "$dir/$o.diff"; fail=1; }
done
grep -qF "journal verifies" "$dir/o-sq/1" && grep -qF "被取代 #2" "$dir/o-sq/11" && grep -qF "fin1" "$dir/o-sq/20" \
	|| { echo "FAIL: the compared outputs lack the journal, the history or the users"; fail=1; }
# What no output shows: tokens (hashes) with their users, publication marks,
# when users were made, the event log's times, documents as stored.
rows() {
	sqlite3 "$1" "SELECT hex(t.hash), u.name, t.kind, t.expires FROM app_token t JOIN app_user u ON u.id = t.user_id ORDER BY 1;
		SELECT r.code, p.year FROM published p JOIN region r ON r.id = p.region_id;
		SELECT name, created_at, disabled FROM app_user ORDER BY name;
		SELECT at, actor, action, target FROM event_log ORDER BY id;
		SELECT * FROM fact_doc WHERE id > 0 ORDER BY id; SELECT count(*), sum(id) FROM fact_version"
}
rows "$sq" >"$dir/rows.sq"
rows "$dir/back.db" >"$dir/rows.back"
cmp -s "$dir/rows.sq" "$dir/rows.back" || { echo "FAIL: rows differ after the round trip:"; diff "$dir/rows.sq" "$dir/rows.back" | head; fail=1; }
grep -q "^500109|2023$" "$dir/rows.back" || { echo "FAIL: publication mark lost"; fail=1; }

# The copies go on as their source: one more amendment and one more import
# on each give the same journal head (documents and fact ids continue alike).
printf 'region,scope,year,book,phase,item,amount,unit,kind,action\n500109,all,2023,gpb,execution,tax,160300,万元,base,\n' >"$dir/later.csv"
for db in "$sq" "$pgc" "$dir/back.db"; do
	"$FISC" --db "$db" import --amend --reason 再更正 --date 2024-09-01 "$dir/later.csv" >/dev/null || { echo "FAIL: later amendment on $db"; fail=1; }
	"$FISC" --db "$db" import 000_dalian_gxq_2024.csv >/dev/null || { echo "FAIL: later import on $db"; fail=1; }
	printf 'region,scope,year,book,phase,item,amount,unit,action\n500109,all,2023,gpb,execution,stab_fill,,万元,撤回\n' >"$dir/wd2.csv"
	"$FISC" --db "$db" import --amend --reason 撤回 --date 2024-09-02 "$dir/wd2.csv" >/dev/null || { echo "FAIL: later withdrawal on $db"; fail=1; }
	"$FISC" --db "$db" journal head >>"$dir/heads"
	"$FISC" --db "$db" history --region 500109 --year 2023 >>"$dir/hist.$(echo "$db" | md5sum | cut -c1-8)"
done
[ "$(sort -u "$dir/heads" | wc -l)" = 1 ] || { echo "FAIL: journal heads differ after later writes:"; cat "$dir/heads"; fail=1; }
[ "$(cat "$dir"/hist.* | md5sum)" = "$(for i in 1 2 3; do cat "$(ls "$dir"/hist.* | head -1)"; done | md5sum)" ] \
	|| { echo "FAIL: histories differ after later writes"; fail=1; }

# ---- the history tables keep what they hold; verify finds an edit -------
psql() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PGD" -U postgres -d "${PSQLDB:-hist_migrate}" -c "$1" >/dev/null 2>&1; }
PSQLDB=hist psql "DELETE FROM fact_version" && { echo "FAIL: a kept version could be deleted"; fail=1; }
PSQLDB=hist psql "UPDATE fact_doc SET reason='x' WHERE id=2" && { echo "FAIL: a document could be changed"; fail=1; }
PSQLDB=hist psql "ALTER TABLE fact_version DISABLE TRIGGER fact_version_keep;
	UPDATE fact_version SET fen = fen + 100 WHERE item = 'tax' AND ended_by = 2" || { echo "FAIL: psql tamper"; fail=1; }
"$FISC" --db "$pg" journal verify >"$dir/v" 2>&1; rc=$?
[ $rc = 1 ] && grep -qF "修正文件 #2 的版本记录与日志条目" "$dir/v" || { echo "FAIL: edited version not found on PostgreSQL: rc=$rc $(cat "$dir/v")"; fail=1; }

# ---- migration 7 on PostgreSQL, a newer schema, backup ------------------
"$FISC" --db "$pgm" import regions.csv 003_beibei_2023_2024.csv >/dev/null || { echo "FAIL: import for migrate"; fail=1; }
# Back to version 6: what migration 7 added, removed.
psql "DROP TABLE fact_version; DROP TABLE fact_doc; ALTER TABLE fact DROP COLUMN doc;
	DROP TRIGGER fact_lock ON fact; DROP TRIGGER region_id ON region; DROP FUNCTION fisc_fact_lock();
	DROP FUNCTION fisc_region_id(); ALTER TABLE ledger_leg DROP COLUMN seq; UPDATE schema_version SET version = 6" \
	|| { echo "FAIL: psql"; fail=1; }
out=$("$FISC" --db "$pgm" migrate --check); rc=$?
[ $rc = 1 ] && grep -qF "pending: version 6 → 7" <<<"$out" || { echo "FAIL: migrate --check: rc=$rc $out"; fail=1; }
out=$("$FISC" --db "$pgm" migrate) && grep -qF "migrated: version 6 → 7" <<<"$out" || { echo "FAIL: migrate: $out"; fail=1; }
out=$("$FISC" --db "$pgm" migrate --check) && grep -qF "up to date: version 7" <<<"$out" || { echo "FAIL: after migrate: $out"; fail=1; }
# Facts stored before history are document 0's; an amendment then works.
"$FISC" --db "$pgm" import --amend --reason 更正 --date 2024-06-30 amend/003_beibei_tax_fix.csv >/dev/null \
	|| { echo "FAIL: amendment after migration"; fail=1; }
"$FISC" --db "$pgm" history --region 500109 --year 2023 --item tax | grep -qF "#0" || { echo "FAIL: document 0 after migration"; fail=1; }
"$FISC" --db "$pgm" journal verify >/dev/null || { echo "FAIL: journal after migration"; fail=1; }
psql "UPDATE schema_version SET version = 99"
if "$FISC" --db "$pgm" regions >/dev/null 2>"$dir/err"; then echo "FAIL: newer schema opened"; fail=1; fi
grep -qF "数据库版本 99 高于本程序支持的 7" "$dir/err" && grep -qF "store schema 99 is newer than this fisc (7)" "$dir/err" \
	|| { echo "FAIL: newer: $(cat "$dir/err")"; fail=1; }
if "$FISC" --db "$pgm" migrate 2>"$dir/err"; then echo "FAIL: newer schema migrated"; fail=1; fi
"$FISC" --db "$pg" backup -o "$dir/pg.backup" >/dev/null 2>"$dir/err"; rc=$?
[ $rc = 2 ] && grep -qF "pg_dump" "$dir/err" && grep -qF "备份" "$dir/err" && [ ! -e "$dir/pg.backup" ] \
	|| { echo "FAIL: backup of a PostgreSQL store: rc=$rc $(cat "$dir/err")"; fail=1; }

[ $fail = 0 ] && echo "ok: history and copy on PostgreSQL"
exit $fail
