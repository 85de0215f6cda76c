#!/usr/bin/env bash
# Print-ready workbooks (issue 13, item 4 of the issue, 3 of the session):
# LibreOffice prints the department disclosure's workbook with one page per
# table (fitted to the page width; before, wide tables ran onto a second
# page), and every page carries the department and the year in its header
# and the table's header rows; the workbooks of the other report kinds are
# printed too and checked page by page (see below). Needs libreoffice-calc (scripts/deps.sh test)
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

# Every other report kind's workbook, printed the same way (one LibreOffice
# run): each table's pages, counted from its title to the next table's,
# show the full header (its first and last cells: a table split across the
# page width would lose one) and the document's title in the page header;
# a sheet set to landscape prints on landscape pages; each sheet with rows has
# print titles; no Calibri (Carlito)
# anywhere: the report's fonts, not the spreadsheet default.
ylg=炎陵高新技术产业开发区管理委员会
kinds=("congress --region 北碚区 --year 2023" "debt --region 北碚区 --year 2023"
       "performance --department $ylg --year 2024" "department --department $ylg --year 2024 --phase final")
books=()
for i in "${!kinds[@]}"; do
  # shellcheck disable=SC2206
  args=(${kinds[$i]})
  "$FISC" --db "$db" report "${args[@]}" --format xlsx -o "$dir/k$i.xlsx" 2>/dev/null || die "xlsx ${kinds[$i]}"
  "$FISC" --db "$db" report "${args[@]}" --format json -o "$dir/k$i.json" 2>/dev/null || die "json ${kinds[$i]}"
  books+=("$dir/k$i.xlsx")
done
soffice -env:UserInstallation="file://$dir/lo" --headless --convert-to pdf --outdir "$dir" \
  "${books[@]}" >"$dir/lo2.log" 2>&1 || die "soffice: $(cat "$dir/lo2.log")"
for i in "${!kinds[@]}"; do
  f=$dir/k$i
  [ -s "$f.pdf" ] || { die "${kinds[$i]}: LibreOffice printed nothing"; continue; }
  pdftotext "$f.pdf" "$f.txt"
  n=$(pdfinfo "$f.pdf" | awk '/^Pages:/ {print $2}')
  pdfinfo -f 1 -l "$n" "$f.pdf" | awk '/^Page +[0-9]+ size:/ {print ($4 > $6) ? "L" : "P"}' >"$f.orient"
  mkdir "$f.x" && (cd "$f.x" && unzip -q "$f.xlsx")
  pdffonts "$f.pdf" | grep -qiE 'calibri|carlito' && die "${kinds[$i]}: printed in Calibri"
  python3 - "$f" <<'PY' || die "${kinds[$i]}: see above"
import json, re, sys, glob
f = sys.argv[1]
doc = json.load(open(f + ".json", encoding="utf-8"))
flat = lambda s: re.sub(r"\s+", "", s)
pages = [flat(p) for p in open(f + ".txt", encoding="utf-8").read().split("\f")[:-1]]
orient = open(f + ".orient").read().split()
tables = [b for b in doc["blocks"] if b["type"] == "table"]  # an empty one has its sheet too
sheets = sorted(glob.glob(f + ".x/xl/worksheets/sheet*.xml"), key=lambda p: int(re.findall(r"(\d+)\.xml$", p)[0]))
land = ['orientation="landscape"' in open(p, encoding="utf-8").read() for p in sheets]
ok = True
def bad(m):
    global ok; print(m); ok = False
# the document title's leading words (region or department, year) head every page
who = flat(doc["title"])[:8]
for n, p in enumerate(pages, 1):
    if who not in p:
        bad(f"page {n}: no page header «{who}»")
# pages of each table: from the page holding its title to the next title
starts = []
at = 0
for t in tables:
    title = flat(t["title"])
    k = next((n for n in range(at, len(pages)) if title in pages[n]), None)
    if k is None:
        bad(f"table «{t['title']}» not printed"); continue
    starts.append((k, t)); at = k + 1
counts = []
for j, (k, t) in enumerate(starts):
    end = starts[j + 1][0] if j + 1 < len(starts) else len(pages)
    counts.append(end - k)
    head = [flat(c["text"]) for c in t["header"][0] if c.get("text", "").strip()] if t["rows"] else []
    for n in range(k, end if head else k):
        for h in (head[0], head[-1]):
            if h not in pages[n]:
                bad(f"«{t['title']}» page {n + 1 - k} of {end - k}: header cell «{h}» missing")
    # its sheet (sheets follow the tables) prints in its orientation
    if j < len(land):
        want = "L" if land[j] else "P"
        if any(orient[n] != want for n in range(k, end)):
            bad(f"«{t['title']}»: sheet is {'landscape' if land[j] else 'portrait'}, pages {orient[k:end]}")
# print titles: every sheet of a table with rows repeats its header rows
wb = open(f + ".x/xl/workbook.xml", encoding="utf-8").read()
titled = set(int(x) for x in re.findall(r'<definedName name="_xlnm.Print_Titles" localSheetId="(\d+)"', wb))
for j, t in enumerate(tables):
    if t["rows"] and j not in titled:
        bad(f"«{t['title']}»: no print titles (header rows not repeated)")
if len(sheets) != len(tables):
    bad(f"{len(sheets)} sheets for {len(tables)} tables")
if not any(land) and doc["kind"] == "performance":
    bad("the 绩效 indicator table is not landscape")
print(f"{f}: pages per table {counts}")
sys.exit(0 if ok else 1)
PY
done
exit $fail
