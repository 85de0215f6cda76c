#!/usr/bin/env bash
# PDF (issue 13, item 2): every report kind typeset with pango and cairo, for
# every example region and department.
# pdftotext of each PDF holds every figure of the report's Markdown form;
# pdffonts lists the CJK fonts, all embedded; no page ends with a heading;
# a table continued on a new page starts with its header rows again; page 1
# of each is rendered with pdftoppm and saved next to $FISC (build/pdf-*.png)
# for a look; every page carries its number "— n —"; no word lies outside the text block of its page (28 mm left,
# 26 mm right margin: nothing clipped or running off the paper). Needs poppler-utils (scripts/deps.sh test) and fonts-noto-cjk.
. "$(dirname "$0")/../storelib.sh"
set -eu
dir=$(mktemp -d); db=$(tdb "$dir/r.db")
trap 'rm -rf "$dir"' EXIT
out=$(cd "$(dirname "$FISC")" && pwd)
for t in pdftotext pdffonts pdftoppm python3; do
  command -v $t >/dev/null || { echo "test_pdf: $t missing (scripts/deps.sh test)"; exit 1; }
done
"$FISC" --db "$db" import examples/regions.csv examples/[0-9]*.csv >/dev/null
fail=0
die() { echo "FAIL $*"; fail=1; }
ccc=大连高新技术产业园区创新创业创投服务中心
ylg=炎陵高新技术产业开发区管理委员会
reports=("congress --region 北碚区 --year 2023" "congress --region 解放区 --year 2023"
         "department --department $ccc --year 2025" "performance --department $ylg --year 2024"
         "debt --region 北碚区 --year 2023" "statement --region 北碚区 --year 2023 --book gpb"
         "congress --region 大连高新技术产业园区 --year 2024" "debt --region 解放区 --year 2023"
         "debt --region 大连高新技术产业园区 --year 2024" "department --department $ylg --year 2024"
         "department --department $ylg --year 2024 --phase final")
names=(congress-beibei congress-jiefang department performance debt statement
       congress-dalian debt-jiefang debt-dalian department-yanling final-yanling)
for i in "${!reports[@]}"; do
  # shellcheck disable=SC2206
  args=(${reports[$i]})
  f=$dir/${names[$i]}
  "$FISC" --db "$db" report "${args[@]}" --format pdf -o "$f.pdf" 2>"$dir/err" ||
    { die "pdf ${args[*]}: $(cat "$dir/err")"; continue; }
  "$FISC" --db "$db" report "${args[@]}" --format md >"$f.md"
  head -c 5 "$f.pdf" | grep -q '%PDF-' || { die "${args[*]}: not a PDF"; continue; }
  pdftotext "$f.pdf" "$f.txt" 2>"$dir/err" || { die "${args[*]}: pdftotext: $(cat "$dir/err")"; continue; }
  # fonts: CJK ones present, and every font embedded
  pdffonts "$f.pdf" >"$f.fonts"
  grep -qE 'CJK' "$f.fonts" || die "${args[*]}: no CJK font"
  awk 'NR>2 && $(NF-4) != "yes" {print; bad=1} END {exit bad}' "$f.fonts" ||
    die "${args[*]}: a font not embedded"
  pdftoppm -r 60 -png -f 1 -l 1 -singlefile "$f.pdf" "$out/pdf-${names[$i]}" ||
    die "${args[*]}: pdftoppm"
  pdftotext -bbox "$f.pdf" "$f.bbox.html"
  python3 - "$f.bbox.html" <<'PY' || die "${args[*]}: text outside the page's text block"
import re, sys
mm = 72 / 25.4
bad = []
for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', open(sys.argv[1], encoding="utf-8").read(), re.S):
    w = float(page.group(1))
    for m in re.finditer(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', page.group(3)):
        x0, x1 = float(m.group(1)), float(m.group(2))
        if x0 < 28 * mm - 1 or x1 > w - 26 * mm + 1:
            bad.append((m.group(3), round(x0), round(x1)))
if bad:
    print("outside:", bad[:10]); sys.exit(1)
PY
  python3 tests/pdf_pages.py "$f.md" "$f.txt" --page-numbers || die "${args[*]}: see above"
done
exit $fail
