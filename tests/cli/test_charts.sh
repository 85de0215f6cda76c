#!/usr/bin/env bash
# Charts (issue 13, item 3 of the issue): one chart definition per figure set,
# made beside the table that holds the same figures, drawn by one cairo
# routine into every graphic format. Checked: the JSON definitions carry the
# tables' exact figures (主要支出 composition, 上年 vs 本年 per book, debt
# balance vs limit); the PDF draws them with the largest 主要支出 bar first;
# the HTML page holds each as a well-formed SVG image; the DOCX holds each as
# a PNG picture. Needs poppler-utils, xmllint, unzip, python3.
. "$(dirname "$0")/../storelib.sh"
set -eu
dir=$(mktemp -d); db=$(tdb "$dir/r.db")
trap 'rm -rf "$dir"' EXIT
"$FISC" --db "$db" import examples/regions.csv examples/[0-9]*.csv >/dev/null
fail=0
die() { echo "FAIL $*"; fail=1; }
rep() { "$FISC" --db "$db" report "$@" 2>"$dir/err" || die "report $*: $(cat "$dir/err")"; }

rep congress --region 北碚区 --year 2023 --format json >"$dir/bb.json"
rep congress --region 解放区 --year 2023 --format json >"$dir/jf.json"
rep debt --region 北碚区 --year 2023 --format json >"$dir/debt.json"
python3 - "$dir" <<'PY' || die "chart definitions"
import json, sys
d = sys.argv[1]
ok = True
def charts(name):
    return [b for b in json.load(open(f"{d}/{name}.json", encoding="utf-8"))["blocks"]]
def fail(msg):
    global ok; print(msg); ok = False
# 主要支出: the chart is the table's 执行数 column, as exact fen
blocks = charts("bb")
title = "2023年区级一般公共预算主要支出执行情况"
t = next(b for b in blocks if b["type"] == "table" and b["title"] == title)
c = next((b for b in blocks if b["type"] == "chart" and b["title"] == title), None)
if not c:
    fail("北碚区: no 主要支出 chart")
else:
    if c["kind"] != "bar": fail("主要支出 chart is not a bar chart")
    table = {r[1]["text"]: r[2]["fen"] for r in t["rows"] if r[2]["type"] == "amount"}
    chart = dict(zip(c["categories"], c["series"][0]["fen"]))
    if chart != table: fail(f"主要支出 chart {chart} != table {table}")
# 上年 vs 本年 per book (解放区: the 2024 draft against 2023 execution)
jf = [b for b in charts("jf") if b["type"] == "chart" and "与上年执行数比较" in b["title"]]
if not jf:
    fail("解放区: no year-on-year chart")
else:
    c = jf[0]
    names = [s["name"] for s in c["series"]]
    if names != ["2023年执行数", "2024年预算数"]: fail(f"year-on-year series {names}")
    v = dict(zip(c["categories"], zip(*[s["text"] for s in c["series"]])))
    if v.get("一般公共预算收入") != ("90,074", "94,580"): fail(f"一般公共预算收入 {v.get('一般公共预算收入')}")
    if v.get("一般公共预算支出") != ("125,880", "92,922"): fail(f"一般公共预算支出 {v.get('一般公共预算支出')}")
# debt: balance against limit, per kind and in total
c = next((b for b in charts("debt") if b["type"] == "chart"), None)
if not c:
    fail("debt: no chart")
else:
    v = dict(zip(c["categories"], zip(*[s["text"] for s in c["series"]])))
    if [s["name"] for s in c["series"]] != ["政府债务限额", "政府债务余额"]: fail("debt series")
    if v.get("合计") != ("161.36", "161.36") or v.get("一般债务") != ("59.04", "59.04"):
        fail(f"debt chart {v}")
sys.exit(0 if ok else 1)
PY

# PDF: drawn on the page, 主要支出 largest first
rep congress --region 北碚区 --year 2023 --format pdf -o "$dir/bb.pdf"
pdftotext "$dir/bb.pdf" "$dir/bb.txt"
python3 - "$dir" <<'PY' || die "PDF charts"
import json, sys
d = sys.argv[1]
blocks = json.load(open(f"{d}/bb.json", encoding="utf-8"))["blocks"]
c = next(b for b in blocks if b["type"] == "chart" and b["title"] == "2023年区级一般公共预算主要支出执行情况")
lines = [l.strip() for l in open(f"{d}/bb.txt", encoding="utf-8")]
# the chart's title is the second occurrence (the table's caption is first)
at = [i for i, l in enumerate(lines) if l == c["title"]]
if len(at) < 2:
    print("PDF: the chart is not drawn"); sys.exit(1)
value = dict(zip(c["categories"], c["series"][0]["fen"]))
seen = [l for l in lines[at[1]:at[1] + 80] if l in value]
if len(seen) != len(value) or [value[s] for s in seen] != sorted(value.values(), reverse=True):
    print("PDF: bars not largest first:", seen); sys.exit(1)
PY
rep debt --region 北碚区 --year 2023 --format pdf -o "$dir/debt.pdf"
pdftotext "$dir/debt.pdf" - | grep -qF "2023年全区政府债务余额与限额" || die "debt PDF: no chart"

# HTML: each chart an SVG image that parses
rep congress --region 北碚区 --year 2023 --format html -o "$dir/bb.html"
n=$(grep -o 'data:image/svg+xml;base64,[A-Za-z0-9+/=]*' "$dir/bb.html" | wc -l)
[ "$n" -ge 2 ] || die "HTML: $n charts"
grep -o 'data:image/svg+xml;base64,[A-Za-z0-9+/=]*' "$dir/bb.html" | head -1 |
  sed 's/^data:image\/svg+xml;base64,//' | base64 -d >"$dir/c.svg"
xmllint --noout "$dir/c.svg" && grep -q '<svg' "$dir/c.svg" || die "HTML: chart is not SVG"
grep -qF 'alt="2023年区级一般公共预算主要支出执行情况"' "$dir/bb.html" || die "HTML: chart without alt text"

# DOCX: a PNG picture per chart, referenced from the document
rep congress --region 北碚区 --year 2023 --format docx -o "$dir/bb.docx"
mkdir "$dir/x" && (cd "$dir/x" && unzip -q ../bb.docx)
pngs=$(ls "$dir/x/word/media/"chart*.png 2>/dev/null | wc -l)
[ "$pngs" -ge 2 ] || die "DOCX: $pngs chart pictures"
for f in "$dir/x/word/media/"chart*.png; do
  head -c 8 "$f" | od -An -tx1 | grep -q '89 50 4e 47 0d 0a 1a 0a' || die "DOCX: $f is not a PNG"
done
[ "$(grep -o '<wp:inline' "$dir/x/word/document.xml" | wc -l)" = "$pngs" ] || die "DOCX: pictures not placed"
grep -qF 'relationships/image' "$dir/x/word/_rels/document.xml.rels" || die "DOCX: no image relationship"
grep -qF 'Extension="png"' "$dir/x/[Content_Types].xml" || die "DOCX: no png content type"
exit $fail
