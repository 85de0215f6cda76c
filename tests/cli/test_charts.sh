#!/usr/bin/env bash
# Charts (issue 13, item 3 of the issue): one chart definition per figure set,
# made beside the table that holds the same figures, drawn by one cairo
# routine into every graphic format. Checked: the JSON definitions carry the
# tables' exact figures (主要支出 composition, 上年 vs 本年 per book, debt
# balance vs limit); the PDF draws them with the largest 主要支出 bar first;
# the HTML page holds each as a well-formed SVG image; the DOCX holds each as
# a PNG picture. The 绩效 report charts its indicators' targets against their
# results (numbers in a unit, not money): categories, values and 完成率
# recomputed here from the example's indicator file, in every form; without
# a numeric result there is no chart. Needs poppler-utils, xmllint, unzip,
# python3.
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
# 绩效指标完成情况: the indicators whose target and result are both numbers
# (in their one unit), recomputed from the example's indicator file
ylg=炎陵高新技术产业开发区管理委员会
ind=examples/004_yanling_gxq_2024_indicators.csv
perf=(performance --department $ylg --year 2024)
rep "${perf[@]}" --format json >"$dir/perf.json"
rep "${perf[@]}" --format md >"$dir/perf.md" 2>/dev/null
rep "${perf[@]}" --format pdf -o "$dir/perf.pdf"
rep "${perf[@]}" --format html -o "$dir/perf.html"
rep "${perf[@]}" --format docx -o "$dir/perf.docx"
pdftotext "$dir/perf.pdf" "$dir/perf.txt"
python3 - "$dir" "$ind" <<'PY' || die "绩效 chart"
import csv, io, json, re, sys
d, ind = sys.argv[1], sys.argv[2]
num = re.compile(r"^(≥|≤|>=|<=|=)?\s*(-?[0-9][0-9,]*(?:\.[0-9]+)?)\s*(.*)$")
def split(s):
    m = num.match(s.strip())
    return (m.group(2).replace(",", ""), m.group(3).strip(), m.group(1)) if m else None
rows = csv.DictReader(io.StringIO("".join(l for l in open(ind, encoding="utf-8") if not l.startswith("#"))))
want = {}  # unit -> [(name, target, actual, le)]
for r in rows:
    t, a = split(r["target"]), split(r["actual"] or "")
    if t and a and not a[2] and (a[1] == t[1] or not a[1]):
        want.setdefault(t[1], []).append((r["indicator"], t[0], a[0], t[2] in ("≤", "<=")))
if not want:
    print("the example has no numeric indicator: the test would prove nothing"); sys.exit(1)
ok = True
def fail(m):
    global ok; print(m); ok = False
def scaled(s, k):  # "1.5" at scale 2 -> 150
    i, _, f = s.partition(".")
    return int(i + (f + "0" * k)[:k])
def pct(a, t):  # a / t as a percentage, two decimals, half up
    n = (2 * a * 10000 + t) // (2 * t)
    return f"{n // 100}.{n % 100:02d}%"
blocks = json.load(open(f"{d}/perf.json", encoding="utf-8"))["blocks"]
charts = [b for b in blocks if b["type"] == "chart"]
title = "2024年部门整体支出绩效指标完成情况"
md = open(f"{d}/perf.md", encoding="utf-8").read()
if len(charts) != len(want): fail(f"{len(charts)} 绩效 charts, want one per unit: {list(want)}")
for (unit, items), c in zip(want.items(), charts):
    k = max(len(v.partition(".")[2]) for it in items for v in it[1:3])
    t = title if len(want) == 1 else f"{title}（{unit or '无计量单位'}）"
    if (c["title"], c["unit"], c["values"], c["scale"]) != (t, unit, "number", k):
        fail(f"chart {c['title']} {c['unit']} {c['values']} {c.get('scale')}")
    if c["categories"] != [it[0] for it in items]: fail(f"categories {c['categories']}")
    if [s["name"] for s in c["series"]] != ["年度指标值", "全年实际值"]: fail("series")
    for j, s in enumerate(c["series"]):
        if s.get("value") != [scaled(it[1 + j], k) for it in items]: fail(f"{s['name']} {s.get('value')}")
        if "fen" in s: fail("a number series carries fen")
    for name, tv, av, le in items:
        want_s = f"{name}为{av}{unit}÷{tv}{unit}＝{pct(scaled(av, k), scaled(tv, k))}"
        if want_s not in md: fail(f"no 完成率 sentence {want_s!r}")
# the chart follows the indicator table (the table's caption is the first
# occurrence of the title in the PDF), with its unit line and categories
lines = [l.strip() for l in open(f"{d}/perf.txt", encoding="utf-8")]
at = [i for i, l in enumerate(lines) if l == charts[0]["title"]]
if len(at) < 2:
    fail("PDF: the 绩效 chart is not drawn")
else:
    near = lines[at[1]:at[1] + 40]
    unit = charts[0]["unit"]
    if unit and f"单位：{unit}" not in near: fail(f"PDF: no unit line 单位：{unit}")
    for cat in charts[0]["categories"]:
        if cat not in near: fail(f"PDF: no category {cat}")
    for s in charts[0]["series"]:
        for v in s["text"]:
            if v not in near: fail(f"PDF: no value {v}")
sys.exit(0 if ok else 1)
PY
grep -qF "alt=\"2024年部门整体支出绩效指标完成情况" "$dir/perf.html" || die "绩效 HTML: no chart"
grep -o 'data:image/svg+xml;base64,[A-Za-z0-9+/=]*' "$dir/perf.html" | head -1 |
  sed 's/^data:image\/svg+xml;base64,//' | base64 -d >"$dir/p.svg"
xmllint --noout "$dir/p.svg" || die "绩效 HTML: chart is not SVG"
grep -qF '&quot;values&quot;:&quot;number&quot;' "$dir/perf.html" || die "绩效 HTML: no number chart definition"
mkdir "$dir/px" && (cd "$dir/px" && unzip -q ../perf.docx)
pngs=$(ls "$dir/px/word/media/"chart*.png 2>/dev/null | wc -l)
[ "$pngs" -ge 1 ] || die "绩效 DOCX: no chart picture"
[ "$(grep -o '<wp:inline' "$dir/px/word/document.xml" | wc -l)" = "$pngs" ] || die "绩效 DOCX: pictures not placed"
python3 tests/ooxml/check_docx.py "$dir/perf.docx" >/dev/null || die "绩效 DOCX with the chart not valid"

# Without a numeric result (the same file with those rows dropped) there is
# nothing to compare: no chart, no 完成率 sentence, no picture
python3 - "$ind" "$dir/noquant.csv" <<'PY'
import re, sys
num = re.compile(r"^\s*-?[0-9][0-9,]*(?:\.[0-9]+)?\s*\S*$")
src, out = sys.argv[1], sys.argv[2]
with open(src, encoding="utf-8") as f, open(out, "w", encoding="utf-8") as o:
    for l in f:
        cols = l.split(",")
        # columns: region,year,department,class,subclass,indicator,target,actual,…
        if not l.startswith("#") and len(cols) > 7 and num.match(cols[7]):
            continue
        o.write(l)
PY
db2=$(tdb "$dir/r2.db")
"$FISC" --db "$db2" import examples/regions.csv examples/004_yanling_gxq_2024.csv \
  examples/004_yanling_gxq_2024_texts.csv "$dir/noquant.csv" >/dev/null
"$FISC" --db "$db2" report "${perf[@]}" --format json 2>/dev/null |
  python3 -c 'import json,sys; b=json.load(sys.stdin)["blocks"]; sys.exit(any(x["type"]=="chart" for x in b) or not any(x["type"]=="table" and "绩效指标完成情况" in x["title"] for x in b))' ||
  die "绩效 report without numeric results has a chart (or lost its indicator table)"
"$FISC" --db "$db2" report "${perf[@]}" --format md 2>/dev/null | grep -qF "完成率（" &&
  die "绩效 report without numeric results states a 完成率"
"$FISC" --db "$db2" report "${perf[@]}" --format docx -o "$dir/nq.docx" 2>/dev/null
unzip -l "$dir/nq.docx" | grep -q 'word/media/' && die "绩效 DOCX without numeric results has a picture"
exit $fail
