#!/usr/bin/env bash
# Table widths (issue 13, item 6): short header and label texts stay on one
# line and wide tables get the room. The 绩效 indicator table (9 columns,
# one of long texts) is the case: in the PDF "二级指标" is not broken into
# "二级指/标" (short columns keep their natural width, long ones share the
# rest); in the DOCX its grid column holds four characters; in HTML short
# cells do not wrap and the table, wider than a portrait page, scrolls on
# screen and prints on a landscape page. No PDF table is clipped or runs
# into its neighbour cell. The wide table is on a landscape page in the PDF and
# in a landscape section of the DOCX. Needs poppler-utils, unzip, python3.
. "$(dirname "$0")/../storelib.sh"
set -eu
dir=$(mktemp -d); db=$(tdb "$dir/r.db")
trap 'rm -rf "$dir"' EXIT
"$FISC" --db "$db" import examples/regions.csv examples/[0-9]*.csv >/dev/null
fail=0
die() { echo "FAIL $*"; fail=1; }
ylg=炎陵高新技术产业开发区管理委员会
args=(performance --department $ylg --year 2024)

"$FISC" --db "$db" report "${args[@]}" --format md >"$dir/p.md"
"$FISC" --db "$db" report "${args[@]}" --format pdf -o "$dir/p.pdf"
pdftotext "$dir/p.pdf" "$dir/p.txt"
# every short header text of the Markdown tables is whole on a line of the PDF
python3 - "$dir/p.md" "$dir/p.txt" <<'PY' || die "PDF: short header texts broken"
import re, sys
md = open(sys.argv[1], encoding="utf-8").read().splitlines()
lines = {re.sub(r"\s+", "", l) for l in open(sys.argv[2], encoding="utf-8")}
heads = set()
for i, l in enumerate(md):
    if i + 1 < len(md) and re.match(r"^\|[-:| ]+\|$", md[i + 1]):
        for cell in l.strip("|").split(" | "):
            for part in cell.strip().split("/"):
                if part and len(part) <= 6 and not re.search(r"\d", part):
                    heads.add(re.sub(r"\s+", "", part.replace("\\", "")))
broken = sorted(h for h in heads if not any(h in l for l in lines))
if "二级指标" not in heads:
    print("the test expects the 绩效 indicator table"); sys.exit(1)
if broken:
    print("broken across lines:", broken); sys.exit(1)
PY

# the 9-column indicator table is on a landscape page of its own, the prose
# around it on portrait pages
python3 - "$dir/p.pdf" <<'PY' || die "PDF: the wide indicator table is not on a landscape page"
import re, subprocess, sys
pdf = sys.argv[1]
info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", pdf], capture_output=True, text=True).stdout
sizes = {int(n): (float(w), float(h)) for n, w, h in re.findall(r"Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+)", info)}
pages = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout.split("\f")
at = [i + 1 for i, t in enumerate(pages) if "二级指标" in t]
if not at or any(sizes[n][0] <= sizes[n][1] for n in at):
    print("pages with the table:", at, [sizes.get(n) for n in at]); sys.exit(1)
if sizes[1][0] >= sizes[1][1]:
    print("the first page is not portrait"); sys.exit(1)
PY

"$FISC" --db "$db" report "${args[@]}" --format docx -o "$dir/p.docx"
unzip -p "$dir/p.docx" word/document.xml >"$dir/doc.xml"
python3 - "$dir/doc.xml" <<'PY' || die "DOCX: 二级指标 column too narrow, or the table not in a landscape section"
import re, sys
x = open(sys.argv[1], encoding="utf-8").read()
for tbl in re.findall(r"<w:tbl>.*?</w:tbl>", x, re.S):
    if "二级指标" not in tbl:
        continue
    grid = [int(g) for g in re.findall(r'<w:gridCol w:w="(\d+)"/>', tbl)]
    first_row = re.search(r"<w:tr>.*?</w:tr>", tbl, re.S).group(0)
    cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<w:tc>.*?</w:tc>", first_row, re.S)]
    col = cells.index("二级指标")
    # the section the table ends in (the next sectPr) is landscape, as wide as its text area
    after = x[x.index(tbl) + len(tbl):]
    sect = re.search(r"<w:sectPr>.*?</w:sectPr>", after, re.S).group(0)
    if 'w:orient="landscape"' not in sect:
        print("the indicator table is not in a landscape section"); sys.exit(1)
    if int(re.search(r'<w:tblW w:w="(\d+)"', tbl).group(1)) != 16838 - 1587 - 1474:
        print("tblW is not the landscape text width"); sys.exit(1)
    # four characters of 10.5 pt (210 twips each) and the cell margins (120)
    if grid[col] < 4 * 210 + 120:
        print("gridCol", grid[col]); sys.exit(1)
    sys.exit(0)
print("no table with 二级指标"); sys.exit(1)
PY

# No table is clipped (issue 13, acceptance): in the PDF of every example report,
# every word lies inside the page's text area (left margin 28 mm, right 26 mm,
# whatever the page's orientation), and no two words of a line overlap (a
# cell's text running into the next cell). Word boxes from pdftotext -bbox.
ccc=大连高新技术产业园区创新创业创投服务中心
k=0
for r in "congress --region 北碚区 --year 2023" "congress --region 解放区 --year 2023" \
	"congress --region 大连高新技术产业园区 --year 2024" "debt --region 北碚区 --year 2023" \
	"department --department $ccc --year 2025" "department --department $ylg --year 2024 --phase final" \
	"performance --department $ylg --year 2024"; do
	k=$((k + 1))
	# shellcheck disable=SC2086
	"$FISC" --db "$db" report $r --format pdf -o "$dir/w$k.pdf" 2>/dev/null
	pdftotext -bbox "$dir/w$k.pdf" "$dir/w$k.html"
	python3 - "$dir/w$k.html" "$r" <<'PY' || die "PDF $r: text outside the page's text area or overlapping"
import re, sys
mm = 72 / 25.4
html = open(sys.argv[1], encoding="utf-8").read()
bad = []
for pw, body in re.findall(r'<page width="([\d.]+)" height="[\d.]+">(.*?)</page>', html, re.S):
    lo, hi = 28 * mm - 1, float(pw) - 26 * mm + 1
    words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in
             re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', body)]
    for x0, y0, x1, y1, w in words:
        if x0 < lo or x1 > hi:
            bad.append("%s at x %.1f–%.1f (text area %.1f–%.1f)" % (w, x0, x1, lo, hi))
    words.sort(key=lambda t: t[1])
    for i, a in enumerate(words):
        for b in words[i + 1:]:
            if b[1] - a[1] >= 1:
                break
            if abs(a[3] - b[3]) < 1 and min(a[2], b[2]) - max(a[0], b[0]) > 0.5:
                bad.append("«%s» overlaps «%s»" % (a[4], b[4]))
if bad:
    print(sys.argv[2], "; ".join(bad[:5]))
    sys.exit(1)
PY
done

"$FISC" --db "$db" report "${args[@]}" --format html -o "$dir/p.html"
grep -qF '<th class="nw">二级指标</th>' "$dir/p.html" || die "HTML: 二级指标 may wrap"
grep -qF '<figure class="table wide">' "$dir/p.html" || die "HTML: the wide table is not marked wide"
grep -qF '@page wide { size: A4 landscape;' "$dir/p.html" || die "HTML: no landscape page for wide tables"
grep -qF 'figure.wide { overflow-x: auto; }' "$dir/p.html" || die "HTML: wide tables do not scroll"
exit $fail
