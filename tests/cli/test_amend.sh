#!/usr/bin/env bash
# Corrections with history (docs/history.md): `fisc import --amend` changes a
# figure and the balance table changes exactly there; --as-of the day before
# (or the import's document) gives the old table byte for byte; --dry-run
# leaves the store file byte-identical; a bad amendment names file, line and
# field and changes nothing; `fisc history` lists both versions; a withdrawal
# leaves the current view but not the history; `fisc diff` of versions,
# phases and years gives the changes and their %; `fisc journal verify`
# passes after amendments and fails once a kept version is edited.
# sqlite-only: SQLite files and their triggers; the PostgreSQL side of amendments is test_pg_history.sh
set -eu
dir=$(mktemp -d); db=$dir/h.db
trap 'rm -rf "$dir"' EXIT
fail=0
"$FISC" --db "$db" import examples/regions.csv examples/003_beibei_2023_2024.csv \
  examples/001_jiefang_2023_2024.csv >/dev/null
bal() { "$FISC" --db "$db" report balance --region 500109 --year 2023 "$@"; }
bal >"$dir/before.txt"
chk() { "$FISC" --db "$db" check --region 500109 "$@" || [ $? = 1 ]; }
chk >"$dir/check-before.txt"

cat >"$dir/fix.csv" <<'CSV'
region,scope,year,book,phase,item,amount,unit,kind,source,action
500109,all,2023,gpb,execution,tax,160298,万元,base,003_84b9d584d86aad8e.txt:33,
500109,all,2023,gpb,execution,nontax,140078,万元,base,003_84b9d584d86aad8e.txt:34,
CSV

# A dry run shows the change and leaves the file as it was.
sum0=$(sha256sum <"$db")
out=$("$FISC" --db "$db" import --amend --dry-run --reason 更正 "$dir/fix.csv")
grep -qF "修改  $dir/fix.csv:2  北碚区 2023 一般公共预算 全辖 执行 tax 税收收入：160,198万元 → 160,298万元" <<<"$out" \
  || { echo "dry run does not show the change:"; echo "$out"; fail=1; }
grep -q "未写入 | dry run: 1 amended, 0 added, 0 withdrawn, 1 unchanged; nothing written" <<<"$out" \
  || { echo "dry run summary: $out"; fail=1; }
[ "$(sha256sum <"$db")" = "$sum0" ] || { echo "dry run changed the store file"; fail=1; }

# A bad amendment: file:line and field, nothing written.
cat >"$dir/bad.csv" <<'CSV'
region,scope,year,book,phase,item,amount,unit,action
500109,all,2023,gpb,execution,tax,160299,万元,
500109,all,2023,gpb,execution,nontax,1x,万元,
500109,all,2023,gpb,execution,tax_rebate,5,万元,withdraw
CSV
set +e
"$FISC" --db "$db" import --amend --reason 更正 "$dir/bad.csv" >/dev/null 2>"$dir/err"; rc=$?
set -e
[ $rc = 1 ] || { echo "bad amendment: exit $rc, want 1"; fail=1; }
grep -qF "bad.csv:3: 字段「amount」" "$dir/err" || { echo "no amount error:"; cat "$dir/err"; fail=1; }
grep -qF "bad.csv:4: 字段「item」" "$dir/err" || { echo "no error for the unknown item:"; cat "$dir/err"; fail=1; }
[ "$(sha256sum <"$db")" = "$sum0" ] || { echo "a bad amendment changed the store"; fail=1; }
# A withdrawal of a figure that is not stored is refused, naming the row.
printf 'region,scope,year,book,phase,item,amount,unit,action\n500109,all,2023,gpb,budget,tax,,万元,撤回\n' >"$dir/nowd.csv"
set +e
"$FISC" --db "$db" import --amend --reason 更正 "$dir/nowd.csv" >/dev/null 2>"$dir/err"; rc=$?
set -e
[ $rc = 1 ] && grep -qF "nowd.csv:2: 字段「item」：要撤回的数不在库中" "$dir/err" \
  || { echo "withdrawing nothing: rc=$rc"; cat "$dir/err"; fail=1; }
# An action column in a plain import is an error.
set +e
"$FISC" --db "$db" import "$dir/fix.csv" >/dev/null 2>"$dir/err"; rc=$?
set -e
[ $rc = 1 ] || { echo "plain import of an amendment file: exit $rc"; fail=1; }

# The amendment: the table changes exactly in the tax line and its totals.
out=$("$FISC" --db "$db" import --amend --reason 更正税收 --author 张三 --doc 北财预〔2024〕5号 \
  --date 2024-06-30 "$dir/fix.csv")
grep -q "修正文件 #2：修改 1 处" <<<"$out" || { echo "amend: $out"; fail=1; }
bal >"$dir/after.txt"
diff "$dir/before.txt" "$dir/after.txt" | grep '^[<>]' >"$dir/d" || true
cat >"$dir/want" <<'EOF'
< 总 计	883,868	总 计	883,868
< 一、全区收入	300,276	一、全区支出	659,588
< 税收收入	160,198	二、转移性支出	224,280
> 总 计	883,968	总 计	883,868
> 一、全区收入	300,376	一、全区支出	659,588
> 税收收入	160,298	二、转移性支出	224,280
EOF
head -6 "$dir/d" | cmp -s - "$dir/want" || { echo "report after amendment differs elsewhere:"; cat "$dir/d"; fail=1; }
# The old view, by date and by document, byte for byte; the new by 文号.
bal --as-of 2024-06-29 | cmp -s - "$dir/before.txt" || { echo "--as-of the day before differs"; fail=1; }
bal --as-of '#1' | cmp -s - "$dir/before.txt" || { echo "--as-of #1 differs"; fail=1; }
bal --as-of 2024-06-30 | cmp -s - "$dir/after.txt" || { echo "--as-of the day differs"; fail=1; }
bal --as-of 北财预〔2024〕5号 | cmp -s - "$dir/after.txt" || { echo "--as-of 文号 differs"; fail=1; }
# fisc check as of the import finds what it found before.
chk >"$dir/check-after.txt"
cmp -s "$dir/check-before.txt" "$dir/check-after.txt" && { echo "check did not see the amendment"; fail=1; }
chk --as-of '#1' | cmp -s - "$dir/check-before.txt" || { echo "check --as-of #1 differs from before"; fail=1; }
set +e
bal --as-of '#9' >/dev/null 2>&1; rc=$?
set -e
[ $rc = 2 ] || { echo "--as-of an unknown document: exit $rc, want 2"; fail=1; }

# History: both versions, with document, date, author, reason.
h=$("$FISC" --db "$db" history --region 北碚区 --year 2023 --book gpb --scope all --item 税收收入)
grep -qP "^一般公共预算\t全辖\t执行\ttax 税收收入\t\t1\t160,198万元\t#1 导入\t.*\t被取代 #2$" <<<"$h" \
  || { echo "history lacks version 1:"; echo "$h"; fail=1; }
grep -qP "^一般公共预算\t全辖\t执行\ttax 税收收入\t\t2\t160,298万元\t#2 修正 北财预〔2024〕5号\t2024-06-30\t张三\t更正税收\t.*\t现行$" <<<"$h" \
  || { echo "history lacks version 2:"; echo "$h"; fail=1; }

# A withdrawal: out of the current table, kept in the history.
printf 'region,scope,year,book,phase,item,amount,unit,action\n500109,all,2023,gpb,execution,上年结转,,万元,withdraw\n' >"$dir/wd.csv"
"$FISC" --db "$db" import --amend --reason 重复列示 --date 2024-07-01 "$dir/wd.csv" >/dev/null
bal >"$dir/wd.txt"
grep -q "^上年结转" "$dir/after.txt" && ! grep -q "^上年结转" "$dir/wd.txt" \
  || { echo "withdrawn figure still in the table"; fail=1; }
bal --as-of '#2' | cmp -s - "$dir/after.txt" || { echo "--as-of #2 after a withdrawal differs"; fail=1; }
h=$("$FISC" --db "$db" history --region 500109 --year 2023 --book gpb --scope all --item carry_in)
grep -qP "\t57,052万元\t#1 导入\t.*\t被撤回 #3$" <<<"$h" || { echo "history lost the withdrawn figure:"; echo "$h"; fail=1; }

# Diff of the two versions: exactly the changed lines.
d=$("$FISC" --db "$db" diff --region 500109 --year 2023 --as-of '#1' --vs-as-of '#3' --format csv | tr -d "\r")
grep -qxF "一般公共预算,全辖,执行,tax,税收收入,,160198,160298,100,0.06%" <<<"$d" \
  || { echo "diff of versions, tax:"; echo "$d"; fail=1; }
grep -qxF "一般公共预算,全辖,执行,carry_in,上年结转,,57052,,-57052,-100.00%" <<<"$d" \
  || { echo "diff of versions, withdrawn:"; echo "$d"; fail=1; }
[ "$(grep -c '^一般公共预算' <<<"$d")" = 2 ] || { echo "diff of versions lists other lines:"; echo "$d"; fail=1; }
# Two phases of one year (解放区 2023: 年初预算 110119, 调整预算 127717, 执行 125880).
d=$("$FISC" --db "$db" diff --region 410802 --year 2023 --phase 预算 --vs-phase 执行 --book gpb --format csv | tr -d "\r")
grep -qxF "一般公共预算,全辖,own_exp,本级支出,,110119,125880,15761,14.31%" <<<"$d" || { echo "diff of phases:"; echo "$d"; fail=1; }
d=$("$FISC" --db "$db" diff --region 410802 --year 2023 --phase 调整预算 --vs-phase 执行 --book gpb --format csv | tr -d "\r")
grep -qxF "一般公共预算,全辖,own_exp,本级支出,,127717,125880,-1837,-1.44%" <<<"$d" || { echo "diff of phases:"; echo "$d"; fail=1; }
# Two years (北碚区 2023 执行 vs 2024 预算), in the md and json renderers too.
d=$("$FISC" --db "$db" diff --region 500109 --year 2023 --phase 执行 --vs-year 2024 --vs-phase 预算 --book gpb --scope all --format csv | tr -d "\r")
grep -qxF "一般公共预算,全辖,debt_onlend_in,债务转贷收入,,44169,45270,1101,2.49%" <<<"$d" \
  && grep -qxF "一般公共预算,全辖,nontax,非税收入,,140078,134280,-5798,-4.14%" <<<"$d" \
  && grep -qxF "一般公共预算,全辖,carry_in,上年结转,,,53617,53617,—" <<<"$d" \
  || { echo "diff of years:"; echo "$d"; fail=1; }
"$FISC" --db "$db" diff --region 500109 --year 2023 --phase 执行 --vs-year 2024 --vs-phase 预算 --format md \
  | grep -qF "| 一般公共预算 | 全辖 | nontax | 非税收入 |  | 140,078 | 134,280 | -5,798 | -4.14% |" \
  || { echo "diff md"; fail=1; }
"$FISC" --db "$db" diff --region 500109 --year 2023 --vs-year 2024 --format json | python3 -c 'import json,sys; json.load(sys.stdin)' \
  || { echo "diff json does not parse"; fail=1; }
set +e
"$FISC" --db "$db" diff --region 500109 --year 2023 >/dev/null 2>&1; rc=$?
set -e
[ $rc = 2 ] || { echo "diff without a --vs option: exit $rc, want 2"; fail=1; }

# The journal verifies, and finds an edited kept version or amended fact.
"$FISC" --db "$db" journal verify >/dev/null || { echo "journal does not verify after amendments"; fail=1; }
cp "$db" "$dir/t.db"
sqlite3 "$dir/t.db" "DROP TRIGGER fact_version_keep_u; UPDATE fact_version SET fen=fen+100 WHERE item='tax'"
set +e
"$FISC" --db "$dir/t.db" journal verify >"$dir/v" 2>&1; rc=$?
set -e
[ $rc = 1 ] && grep -qF "修正文件 #2 的版本记录与日志条目" "$dir/v" || { echo "edited version not found: rc=$rc"; cat "$dir/v"; fail=1; }
cp "$db" "$dir/t.db"
sqlite3 "$dir/t.db" "UPDATE fact SET fen=fen+1 WHERE item='tax' AND doc=2"
set +e
"$FISC" --db "$dir/t.db" journal verify >/dev/null 2>&1; rc=$?
set -e
[ $rc = 1 ] || { echo "edited amended fact not found: rc=$rc"; fail=1; }
# The kept versions refuse UPDATE and DELETE.
if sqlite3 "$db" "DELETE FROM fact_version" 2>/dev/null; then echo "a version could be deleted"; fail=1; fi
exit $fail
