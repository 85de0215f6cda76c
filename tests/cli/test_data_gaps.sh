#!/usr/bin/env bash
# What the data cannot support never reaches the publishable text (issue 13,
# item 5): every example report (congress, debt, department, performance of
# every example region and department) in every format carries no
# "数据中没有" line and no 数据缺口 appendix; the gaps are listed on stderr,
# and with --draft the document ends with the 附：数据缺口 appendix listing them.
# A department 决算 whose income side is empty (炎陵 2024) is one of them.
. "$(dirname "$0")/../storelib.sh"
set -u
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
die() { echo "test_data_gaps: $*" >&2; fail=1; }
db=$(tdb "$dir/g.db")
"$FISC" --db "$db" import examples/regions.csv examples/[0-9]*.csv >/dev/null || die "import"
ccc=大连高新技术产业园区创新创业创投服务中心
ylg=炎陵高新技术产业开发区管理委员会
reports=(
	"congress --region 北碚区 --year 2023"
	"congress --region 解放区 --year 2023"
	"congress --region 大连高新技术产业园区 --year 2024"
	"debt --region 北碚区 --year 2023"
	"debt --region 解放区 --year 2023"
	"debt --region 大连高新技术产业园区 --year 2024"
	"department --department $ccc --year 2025"
	"department --department $ylg --year 2024 --phase final"
	"performance --department $ylg --year 2024"
)

# text FORMAT OUT: the words a reader of the written file sees
text() {
	case $1 in
	xlsx) unzip -p "$2" 'xl/sharedStrings.xml' 'xl/worksheets/*.xml' 2>/dev/null ;;
	docx) unzip -p "$2" word/document.xml | sed 's/<[^>]*>//g' ;;
	pdf) pdftotext -layout "$2" - 2>/dev/null | tr -d ' ' ;;
	csv) cat "$2"/*.csv ;;
	*) cat "$2" ;;
	esac
}

out_of() { # format n → the -o argument
	case $1 in csv) echo "$dir/o$2/" ;; *) echo "$dir/o$2.$1" ;; esac
}

n=0
for r in "${reports[@]}"; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	for fmt in md html json text csv xlsx docx pdf; do
		o=$(out_of $fmt $n)
		"$FISC" --db "$db" report $r --format $fmt -o "$o" 2>"$dir/err" || { die "$r $fmt: $(cat "$dir/err")"; continue; }
		text $fmt "$o" >"$dir/t"
		[ -s "$dir/t" ] || die "$r $fmt: nothing to read"
		grep -qE '数据中没有|数据缺口' "$dir/t" && die "$r --format $fmt: a data gap in the publishable text: $(grep -oE '.{0,20}(数据中没有|数据缺口).{0,30}' "$dir/t" | head -2)"
		rm -rf "$o"
	done
	# every report of the examples has gaps: they go to stderr …
	grep -q '^fisc: 数据缺口 / data gap: ' "$dir/err" || die "$r: no gap listed on stderr"
	# … and into the draft
	drafts="md docx"
	[ $n = 1 ] && drafts="md docx pdf" # one PDF is enough: it renders the same blocks
	for fmt in $drafts; do
		o=$(out_of $fmt $n)
		"$FISC" --db "$db" report $r --format $fmt --draft -o "$o" 2>"$dir/err" || { die "$r $fmt --draft"; continue; }
		text $fmt "$o" >"$dir/t"
		grep -qF '附：数据缺口' "$dir/t" || die "$r --format $fmt --draft: no 数据缺口 appendix"
		first=$(sed -n 's/^fisc: 数据缺口 \/ data gap: //p' "$dir/err" | head -1 | cut -c1-12)
		[ -n "$first" ] && { [ $fmt = pdf ] || grep -qF -- "$first" "$dir/t"; } || die "$r $fmt --draft: gap «$first» not listed"
		rm -rf "$o"
	done
done

# 炎陵 2024 决算: the empty income side against 支出总计 8701.35 is a gap of the
# report and an error of `fisc check`
"$FISC" --db "$db" report department --department $ylg --year 2024 --phase final --draft >"$dir/y.md" 2>/dev/null
grep -qF '部门收支总表和财政拨款收支总表的收入方为空，支出总计为8701.35万元' "$dir/y.md" ||
	die "炎陵 决算: the empty income side is not in the draft appendix"
"$FISC" --db "$db" check --region 炎陵高新技术产业开发区 --rules dept.income_empty >"$dir/c.txt"; rc=$?
[ $rc = 1 ] || die "check dept.income_empty: exit $rc, want 1"
grep -qF '收入方为空（没有本年收入和上年结转结余），支出总计 8701.35万元' "$dir/c.txt" ||
	die "check: no dept.income_empty finding: $(cat "$dir/c.txt")"

exit $fail
