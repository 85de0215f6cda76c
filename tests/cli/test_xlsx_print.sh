#!/usr/bin/env bash
# Print-ready workbooks (issue 13, item 4 of the issue, 3 of the session):
# LibreOffice prints the department disclosure's workbook with one page per
# table (fitted to the page width; before, wide tables ran onto a second
# page), and every page carries the department and the year in its header
# and the table's header rows. Needs libreoffice-calc (scripts/deps.sh test)
# and poppler-utils.
. "$(dirname "$0")/../storelib.sh"
set -eu
dir=$(mktemp -d); db=$(tdb "$dir/r.db")
trap 'rm -rf "$dir"' EXIT
for t in soffice pdftotext pdfinfo; do
  command -v $t >/dev/null || { echo "test_xlsx_print: $t missing (scripts/deps.sh test)"; exit 1; }
done
"$FISC" --db "$db" import examples/regions.csv examples/[0-9]*.csv >/dev/null
fail=0
die() { echo "FAIL $*"; fail=1; }
ccc=大连高新技术产业园区创新创业创投服务中心
"$FISC" --db "$db" report department --department $ccc --year 2025 --format xlsx -o "$dir/d.xlsx"
sheets=$(unzip -l "$dir/d.xlsx" | grep -c 'xl/worksheets/sheet[0-9]*\.xml')
[ "$sheets" = 9 ] || die "department: $sheets sheets, expected the 9 tables"
soffice -env:UserInstallation="file://$dir/lo" --headless --convert-to pdf --outdir "$dir" \
  "$dir/d.xlsx" >"$dir/lo.log" 2>&1 || die "soffice: $(cat "$dir/lo.log")"
pages=$(pdfinfo "$dir/d.pdf" | awk '/^Pages:/ {print $2}')
[ "$pages" = "$sheets" ] || die "department workbook prints on $pages pages for $sheets tables"
pdftotext "$dir/d.pdf" "$dir/d.txt"
python3 - "$dir/d.txt" "$ccc" <<'PY' || die "department workbook: page headers"
import re, sys
pages = open(sys.argv[1], encoding="utf-8").read().split("\f")[:-1]
ok = True
for n, p in enumerate(pages, 1):
    flat = re.sub(r"\s+", "", p)
    for want in (sys.argv[2], "2025年", "单位："):
        if want not in flat:
            print(f"page {n}: no «{want}»"); ok = False
sys.exit(0 if ok else 1)
PY
# sheet names are the tables' names
unzip -p "$dir/d.xlsx" xl/workbook.xml | grep -qF '<sheet name="表1 部门收支总表"' ||
  die "department: sheet not named after its table"
exit $fail
