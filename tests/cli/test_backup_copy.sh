#!/usr/bin/env bash
# fisc backup, copy and migrate (docs/operations.md):
# - backups taken while imports run are consistent stores: each opens, passes
#   integrity_check and journal verify, and holds a whole number of imports;
# - a copy SQLite → SQLite answers every report, check, rollup, status, user
#   list and journal head byte for byte like its source, and verifies;
# - a source whose journal was tampered with is refused and leaves nothing, as
#   does a copy that fails half way; vouchers without a number (old stores) copy;
# - migrate takes an older schema (version N−1) to N, --check only reports,
#   and a newer schema is refused by migrate and by every other command.
# sqlite-only: SQLite backups and SQLite → SQLite copies; copies to and from PostgreSQL are test_pg_history.sh
set -eu
dir=$(mktemp -d)
bg=""
trap '[ -n "$bg" ] && kill $bg 2>/dev/null; rm -rf "$dir"' EXIT
fail=0
src=$dir/src.db
F() { "$FISC" --db "$src" "$@"; }

# ---- a source store with something in every table ----------------------
F import examples/regions.csv examples/0*.csv >/dev/null
F import-vouchers examples/vouchers/beibei_2024q1.csv >/dev/null
F quota issue --from-budget --region 210200-GX --year 2025 >/dev/null
cat >"$dir/q.csv" <<'CSV'
no,date,kind,author,region,year,book,department,project,function,economic,fund_source,fund_doc,expense_kind,amount
大高财〔2025〕10号,2025-03-01,追加,张三,210200-GX,2025,gpb,教育局,校舍维修,2050201,30213,本级财力,,项目支出,120000.50
大高财〔2025〕10号,2025-03-01,追加,张三,210200-GX,2025,gpb,教育局,,2050201,30101,本级财力,,基本支出,50000
大高财〔2025〕11号,2025-04-01,调剂,张三,210200-GX,2025,gpb,教育局,,2050201,30101,本级财力,,基本支出,-10000
大高财〔2025〕11号,2025-04-01,调剂,张三,210200-GX,2025,gpb,教育局,校舍维修,2050201,30213,本级财力,,项目支出,10000
CSV
F quota import "$dir/q.csv" >/dev/null
F pay request --key v1 --line 5 --amount 15000.25 --payee 某公司 --purpose 工资 >/dev/null
F pay confirm v1 >/dev/null
F pay refund --key r1 --payment v1 --amount 0.25 >/dev/null
F pay request --key v2 --line 4 --amount 300 >/dev/null
echo 'a-long-password-1' | F user add fin1 --role 财政 --region 500109 >/dev/null
echo 'a-long-password-2' | F user add off2 --role 审查 --region 500109 >/dev/null
F user disable off2 >/dev/null
F user token fin1 >/dev/null

# Everything a person reads from a store.
outputs() { # DB DIR
	local db=$1 out=$2 n=0
	mkdir -p "$out"
	G() { n=$((n + 1)); "$FISC" --db "$db" "$@" >"$out/$n" 2>&1 || echo "exit $?" >>"$out/$n"; }
	G check
	G check --format json
	G regions
	G departments
	G rollup --by function-month,region-class --level all,类
	G quota status
	G quota status --format json
	G journal head
	G user list
	G user log
	for y in 2023 2024; do
		for b in gpb gfb soe ssf; do
			G report balance --region 北碚区 --year $y --book $b --scope all --phase execution --format tsv
		done
	done
	G report congress --region 解放区 --year 2023
	G report department --region 210200-GX --year 2025
	G report performance --region 炎陵高新区 --year 2024
	G report debt --region 北碚区 --year 2023
	"$FISC" --db "$db" catalog editions | cut -f1-3 >"$out/editions"  # loaded: when it came into this store
	sqlite3 "$db" "SELECT count(*) FROM voucher_source; SELECT name, created_at FROM app_user ORDER BY name;
		SELECT hex(hash), kind, expires FROM app_token ORDER BY hash; SELECT at, actor, action FROM event_log ORDER BY id" >"$out/rows"
}

# ---- copy SQLite → SQLite ------------------------------------------------
out=$("$FISC" copy --from "$src" --to "$dir/copy.db") || { echo "copy failed: $out"; fail=1; }
echo "$out" | grep -qF "journal entries (verified)" || { echo "copy said: $out"; fail=1; }
"$FISC" --db "$dir/copy.db" journal verify >/dev/null || { echo "copy does not verify"; fail=1; }
outputs "$src" "$dir/o-src"
outputs "$dir/copy.db" "$dir/o-copy"
diff -r "$dir/o-src" "$dir/o-copy" >"$dir/diff" || { echo "copy differs from its source:"; head -40 "$dir/diff"; fail=1; }
# The comparison is not vacuous: the outputs hold the ledger, vouchers and users.
grep -qF "15000" "$dir/o-src/6" || { echo "no quota status in the outputs"; fail=1; }
grep -qF "fin1" "$dir/o-src/9" || { echo "no users in the outputs"; fail=1; }
[ "$(sqlite3 "$dir/copy.db" 'SELECT count(*) FROM voucher')" = 12 ] || { echo "vouchers not copied"; fail=1; }
# The API token still authenticates against the copy: same hash, same user.
[ "$(sqlite3 "$dir/copy.db" 'SELECT u.name FROM app_token t JOIN app_user u ON u.id=t.user_id')" = fin1 ] ||
	{ echo "token not copied to its user"; fail=1; }
# A destination that exists is refused, and left as it was.
cp "$dir/copy.db" "$dir/keep.db"
if "$FISC" copy --from "$src" --to "$dir/copy.db" 2>"$dir/err"; then echo "copy over a store accepted"; fail=1; fi
grep -qF "exists" "$dir/err" || { echo "exists: $(cat "$dir/err")"; fail=1; }
cmp -s "$dir/copy.db" "$dir/keep.db" || { echo "refused copy changed the destination"; fail=1; }

# ---- a tampered source journal: refused, nothing left -------------------
cp "$src" "$dir/bad.db"
sqlite3 "$dir/bad.db" "DROP TRIGGER journal_append_only_u;
	UPDATE journal SET bytes = CAST(replace(CAST(bytes AS TEXT), 'facts', 'fakts') AS BLOB) WHERE seq = 1"
if "$FISC" copy --from "$dir/bad.db" --to "$dir/bad-copy.db" 2>"$dir/err"; then echo "tampered source copied"; fail=1; fi
grep -qF "the source's journal does not verify" "$dir/err" || { echo "tamper: $(cat "$dir/err")"; fail=1; }
ls "$dir" | grep -q "bad-copy" && { echo "a refused copy left files: $(ls "$dir")"; fail=1; }

# A failure half way (a voucher naming a region the source does not hold,
# met after every fact is written): the destination is not left behind.
cp "$src" "$dir/orphan.db"
sqlite3 "$dir/orphan.db" "INSERT INTO voucher(date,region_id,unit,book,func,econ,fen,number)
	VALUES(20240105, 9999, 1, 1, 2050201, 30101, 100, 'X-1')"
if "$FISC" copy --from "$dir/orphan.db" --to "$dir/orphan-copy.db" 2>"$dir/err"; then echo "orphan voucher copied"; fail=1; fi
grep -qF "region 9999" "$dir/err" || { echo "orphan: $(cat "$dir/err")"; fail=1; }
ls "$dir" | grep -q "orphan-copy" && { echo "a failed copy left files: $(ls "$dir")"; fail=1; }
# Vouchers of a store made before vouchers had numbers (NULL) are copied as
# they are, not refused as repeats of one another.
cp "$src" "$dir/old-v.db"
sqlite3 "$dir/old-v.db" "INSERT INTO voucher(date,region_id,unit,book,func,econ,fen)
	SELECT 20240105, id, 1, 1, 2050201, 30101, 100 FROM region WHERE code='500109';
	INSERT INTO voucher(date,region_id,unit,book,func,econ,fen)
	SELECT 20240105, id, 1, 1, 2050201, 30101, 100 FROM region WHERE code='500109'"
"$FISC" copy --from "$dir/old-v.db" --to "$dir/old-v-copy.db" >/dev/null 2>"$dir/err" || { echo "NULL numbers: $(cat "$dir/err")"; fail=1; }
[ "$(sqlite3 "$dir/old-v-copy.db" 'SELECT count(*) FROM voucher WHERE number IS NULL')" = 2 ] || { echo "NULL-number vouchers not copied"; fail=1; }

# ---- backup while imports run -------------------------------------------
# 15 imports of 12 vouchers each (a new number series per file) and payments;
# every backup must hold a whole number of imports and verify.
bdb=$dir/busy.db
cp "$src" "$bdb"
for i in $(seq 1 15); do
	sed "s/BB2024-/F$i-/" examples/vouchers/beibei_2024q1.csv >"$dir/v$i.csv"
done
(
	for i in $(seq 1 15); do
		"$FISC" --db "$bdb" import-vouchers "$dir/v$i.csv" >/dev/null
		"$FISC" --db "$bdb" pay request --key "b$i" --line 4 --amount 1 >/dev/null
	done
) &
bg=$!
taken=0
for k in 1 2 3 4; do
	"$FISC" --db "$bdb" backup -o "$dir/b$k.db" >"$dir/bout" 2>&1 || { echo "backup $k: $(cat "$dir/bout")"; fail=1; continue; }
	taken=$((taken + 1))
	n=$(sqlite3 "$dir/b$k.db" 'SELECT count(*) FROM voucher')
	[ $((n % 12)) = 0 ] || { echo "backup $k holds $n vouchers: part of an import"; fail=1; }
	"$FISC" --db "$dir/b$k.db" journal verify >/dev/null || { echo "backup $k does not verify"; fail=1; }
	[ "$(sqlite3 "$dir/b$k.db" 'PRAGMA integrity_check')" = ok ] || { echo "backup $k integrity"; fail=1; }
	# The rollup aggregates agree with the vouchers of the same instant.
	[ "$("$FISC" --db "$dir/b$k.db" rollup --by function-month)" = "$("$FISC" --db "$dir/b$k.db" rollup --scan --by function-month)" ] ||
		{ echo "backup $k: aggregates differ from its vouchers"; fail=1; }
done
wait $bg || { echo "the writers failed"; fail=1; }
bg=""
[ $taken = 4 ] || fail=1
if "$FISC" --db "$bdb" backup -o "$dir/b1.db" 2>"$dir/err"; then echo "backup over a file accepted"; fail=1; fi
if "$FISC" --db postgresql://localhost/fisc backup -o "$dir/pg.dump" 2>"$dir/err"; then echo "pg backup accepted"; fail=1; fi
grep -qF "pg_dump" "$dir/err" || { echo "pg backup: $(cat "$dir/err")"; fail=1; }

# ---- migrate -------------------------------------------------------------
# Schema N−1: the store as the previous migration set left it. The last
# migration, 8, moved the line figures into ledger_figure, took the index off
# the payment key and gave a refund its payment's row: undone here as 7 had
# the tables, with the source's payments and refund in them.
old=$dir/old.db
F backup -o "$old" >/dev/null
N=$(sqlite3 "$old" 'PRAGMA user_version')
"$FISC" --db "$old" quota status >"$dir/status-8"
sqlite3 "$old" "PRAGMA foreign_keys=OFF; BEGIN;
	CREATE TABLE l7(id INTEGER PRIMARY KEY, region TEXT NOT NULL, year INTEGER NOT NULL,
	  book INTEGER NOT NULL, dept TEXT NOT NULL, project TEXT NOT NULL DEFAULT '',
	  func TEXT NOT NULL DEFAULT '', econ TEXT NOT NULL, fund INTEGER NOT NULL,
	  fund_doc TEXT NOT NULL DEFAULT '', kind INTEGER NOT NULL,
	  quota INTEGER NOT NULL DEFAULT 0, paid INTEGER NOT NULL DEFAULT 0, pending INTEGER NOT NULL DEFAULT 0,
	  CHECK(paid >= 0 AND pending >= 0 AND paid + pending <= quota),
	  UNIQUE(region, year, book, dept, project, func, econ, fund, fund_doc, kind));
	INSERT INTO l7 SELECT l.*, f.quota, f.paid, f.pending FROM ledger_line l JOIN ledger_figure f ON f.line_id = l.id;
	CREATE TABLE p7(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE,
	  line_id INTEGER NOT NULL REFERENCES ledger_line(id), fen INTEGER NOT NULL,
	  payee TEXT NOT NULL DEFAULT '', purpose TEXT NOT NULL DEFAULT '', state INTEGER NOT NULL,
	  refunded INTEGER NOT NULL DEFAULT 0, paid_on INTEGER NOT NULL DEFAULT 0);
	INSERT INTO p7 SELECT * FROM ledger_payment;
	CREATE TABLE r7(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE,
	  pay_key TEXT NOT NULL REFERENCES ledger_payment(key), fen INTEGER NOT NULL, date INTEGER NOT NULL);
	INSERT INTO r7 SELECT id, key, pay_key, fen, date FROM ledger_refund;
	DROP TABLE ledger_refund; DROP TABLE ledger_payment; DROP TABLE ledger_figure; DROP TABLE ledger_line;
	ALTER TABLE l7 RENAME TO ledger_line; ALTER TABLE p7 RENAME TO ledger_payment;
	ALTER TABLE r7 RENAME TO ledger_refund;
	PRAGMA user_version=$((N - 1)); COMMIT;"
[ "$(sqlite3 "$old" 'SELECT count(*) FROM ledger_payment') $(sqlite3 "$old" 'SELECT count(*) FROM ledger_refund')" = "2 1" ] ||
	{ echo "the N−1 store lacks the payments"; fail=1; }
if out=$("$FISC" --db "$old" migrate --check); then echo "--check with pending migrations exited 0"; fail=1; fi
echo "$out" | grep -qF "pending: version $((N - 1)) → $N" || { echo "check: $out"; fail=1; }
[ "$(sqlite3 "$old" 'PRAGMA user_version')" = $((N - 1)) ] || { echo "--check migrated"; fail=1; }
out=$("$FISC" --db "$old" migrate) || { echo "migrate: $out"; fail=1; }
echo "$out" | grep -qF "migrated: version $((N - 1)) → $N" || { echo "migrate said: $out"; fail=1; }
[ "$(sqlite3 "$old" 'PRAGMA user_version')" = $N ] || { echo "not migrated"; fail=1; }
out=$("$FISC" --db "$old" migrate --check) || { echo "check after: $out"; fail=1; }
echo "$out" | grep -qF "up to date: version $N" || { echo "up to date: $out"; fail=1; }
# The ledger came through: the same figures, the journal verifies, and the
# migrated store takes a payment, its confirmation and a refund by row.
"$FISC" --db "$old" quota status >"$dir/status-m" || { echo "status after migrate"; fail=1; }
cmp -s "$dir/status-8" "$dir/status-m" || { echo "quota status changed by the migration"; diff "$dir/status-8" "$dir/status-m" | head; fail=1; }
"$FISC" --db "$old" journal verify >/dev/null || { echo "migrated store does not verify"; fail=1; }
[ "$(sqlite3 "$old" 'SELECT r.key, p.key FROM ledger_refund r JOIN ledger_payment p ON p.id = r.pay_id')" = "r1|v1" ] ||
	{ echo "refund lost its payment's row"; fail=1; }
[ "$(sqlite3 "$old" "SELECT count(*) FROM sqlite_schema WHERE tbl_name = 'ledger_payment' AND type = 'index'")" = 0 ] ||
	{ echo "the payment key still has an index"; fail=1; }
"$FISC" --db "$old" pay request --key m1 --line 4 --amount 2 >/dev/null &&
	"$FISC" --db "$old" pay confirm m1 >/dev/null &&
	"$FISC" --db "$old" pay confirm v2 >/dev/null &&
	"$FISC" --db "$old" pay refund --key r2 --payment v2 --amount 1 >/dev/null || { echo "pay after migrate"; fail=1; }
"$FISC" --db "$old" journal verify >/dev/null || { echo "migrated store does not verify after payments"; fail=1; }
[ "$(sqlite3 "$old" 'SELECT id, key, state FROM ledger_payment ORDER BY id' | tr '\n' ' ')" = "1|v1|2 2|v2|2 3|m1|2 " ] ||
	{ echo "payments by row: $(sqlite3 "$old" 'SELECT id, key, state FROM ledger_payment ORDER BY id' | tr '\n' ' ')"; fail=1; }
"$FISC" --db "$old" check >/dev/null 2>&1 || [ $? = 1 ] || { echo "migrated store does not check"; fail=1; }
# A newer schema: refused by migrate and by every command, store unchanged.
new=$dir/new.db
cp "$old" "$new"
sqlite3 "$new" "PRAGMA user_version=$((N + 1))"
cp "$new" "$dir/new-keep.db"
if "$FISC" --db "$new" migrate 2>"$dir/err"; then echo "newer schema migrated"; fail=1; fi
grep -qF "数据库版本 $((N + 1)) 高于本程序支持的 $N" "$dir/err" || { echo "newer: $(cat "$dir/err")"; fail=1; }
grep -qF "store schema $((N + 1)) is newer than this fisc ($N)" "$dir/err" || { echo "newer en: $(cat "$dir/err")"; fail=1; }
if "$FISC" --db "$new" migrate --check 2>/dev/null; then echo "newer schema checks"; fail=1; fi
if "$FISC" --db "$new" regions >/dev/null 2>"$dir/err"; then echo "newer schema opened"; fail=1; fi
grep -qF "is newer than this fisc" "$dir/err" || { echo "open newer: $(cat "$dir/err")"; fail=1; }
cmp -s "$new" "$dir/new-keep.db" || { echo "a refused newer store changed"; fail=1; }
exit $fail
