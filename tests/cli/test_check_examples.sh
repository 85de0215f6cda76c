#!/usr/bin/env bash
# `fisc check` on the datasets transcribed from the seeds (examples/):
# 北碚区 (seed 003) holds throughout — its balance tables, the 镇级 books
# implied by 全区 − 区级, the cross-book and cross-year identities — so there
# is no error and the exit status is 0; 解放区 (seed 001) states a debt balance
# of 174666万元 whose parts add up to 20776 + 153900 = 174676万元, an error
# (exit 1). An unknown region cannot be read (exit 2).
. "$(dirname "$0")/../storelib.sh"
set -u
dir=$(mktemp -d)
db=$(tdb "$dir/c.db")
trap 'rm -rf "$dir"' EXIT
fail=0
die() { echo "test_check_examples: $*" >&2; fail=1; }

"$FISC" --db "$db" import examples/regions.csv examples/[0-9]*.csv >/dev/null || die "import failed"

# 北碚区: no error, exit 0.
"$FISC" --db "$db" check --region 北碚区 >"$dir/bb.txt"; rc=$?
[ "$rc" = 0 ] || die "北碚区: exit $rc, want 0"
grep -q '\[错误 error\]' "$dir/bb.txt" && die "北碚区: unexpected errors: $(grep -A2 '\[错误' "$dir/bb.txt")"
grep -q '^total: 0 errors' "$dir/bb.txt" || die "北碚区: summary is not 0 errors"

# … and the identities were really checked, exactly: the six implied 镇级
# books balance, the carry-overs chain into 2024 (镇级 included), the books'
# transfers match, the stabilisation fund rolls to 3426万元.
count() { # RULE → number of exact passes of RULE
	"$FISC" --db "$db" check --region 北碚区 --all --rules "$1" | grep -c "\[通过 pass\] $1 "
}
[ "$(count levels.balance)" = 6 ] || die "北碚区: want 6 exact levels.balance checks, got $(count levels.balance)"
[ "$(count years.carry)" = 6 ] || die "北碚区: want 6 exact years.carry checks, got $(count years.carry)"
[ "$(count books.transfer)" = 4 ] || die "北碚区: want 4 exact books.transfer checks, got $(count books.transfer)"
[ "$(count years.stab_fund)" = 1 ] || die "北碚区: want 1 exact years.stab_fund check"
[ "$(count balance.totals)" = 12 ] || die "北碚区: want the 12 balance tables to balance exactly"
"$FISC" --db "$db" check --region 北碚区 --all --rules years.carry | grep -q '镇级一般公共预算：2024年预算上年结转 3456万元，2023年结转下年（执行）3456万元，相符' \
	|| die "北碚区: implied 镇级 carry-over 3456万元 not checked"

# 解放区: the debt balance identity fails, exit 1.
"$FISC" --db "$db" check --region 解放区 >"$dir/jf.txt"; rc=$?
[ "$rc" = 1 ] || die "解放区: exit $rc, want 1"
grep -A1 '\[错误 error\] debt.split  2023' "$dir/jf.txt" | grep -q '政府债务余额合计 174666万元，一般债务 20776万元 + 专项债务 153900万元 = 174676万元，不符' \
	|| die "解放区: debt.split error not reported: $(cat "$dir/jf.txt")"
grep -q '001_d12f06acd0fd881e.txt:118' "$dir/jf.txt" || die "解放区: source line of the stated balance not quoted"

# The same finding in JSON.
"$FISC" --db "$db" check --region 解放区 --rules debt.split --format json >"$dir/jf.json"; rc=$?
[ "$rc" = 1 ] || die "解放区 json: exit $rc, want 1"
tr -d ' \n' <"$dir/jf.json" >"$dir/jf.min"
grep -q '"rule":"debt.split","severity":"error","verdict":"failed"' "$dir/jf.min" || die "json: no debt.split error"
grep -q '"stated":{"fen":174666000000,"width_fen":1000000,"text":"174666万元"}' "$dir/jf.min" || die "json: stated amount"
grep -q '"computed":{"fen":174676000000,"width_fen":2000000,"text":"174676万元"}' "$dir/jf.min" || die "json: computed amount"
grep -q '"difference_fen":-10000000,"tolerance_fen":1500000' "$dir/jf.min" || die "json: difference / tolerance"

# --year keeps cross-year checks that involve the year.
"$FISC" --db "$db" check --region 北碚区 --year 2023 --all --rules years.carry | grep -q '\[通过 pass\] years.carry  2023→2024' \
	|| die "--year 2023 dropped the 2023→2024 carry-over"

# Input that cannot be read: exit 2.
"$FISC" --db "$db" check --region 没有这个区 >/dev/null 2>&1; rc=$?
[ "$rc" = 2 ] || die "unknown region: exit $rc, want 2"
"$FISC" --db "$db" check --format xml >/dev/null 2>&1; rc=$?
[ "$rc" = 2 ] || die "bad format: exit $rc, want 2"
exit $fail
