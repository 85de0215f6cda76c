#!/usr/bin/env bash
# Output injection (issue 10, item 9): a region, a department and projects
# whose names hold Markdown markup, raw HTML, a javascript: link, line breaks,
# terminal escapes, a bidi override and spreadsheet formulas, imported from
# CSV like any other data. Every report in every format must print them as
# text: Markdown parsed by the reference GFM parser (cmark-gfm) has no link,
# no raw HTML and intact tables; HTML has no live tag; text, TSV, CSV and
# Markdown carry no raw control character; CSV/TSV neutralise formulas.
. "$(dirname "$0")/../storelib.sh"
set -eu
dir=$(mktemp -d); db=$(tdb "$dir/h.db")
trap 'rm -rf "$dir"' EXIT
fail=0
die() { echo "FAIL $*"; fail=1; }
command -v cmark-gfm >/dev/null || { echo "cmark-gfm missing (scripts/deps.sh test)"; exit 1; }

dept='=HYPERLINK("http://e.vil","点我")|<img src=x onerror=alert(1)>'
# regions.csv and facts.csv: seed 003's 2023 balance and seed 002's
# department under hostile names (Python writes the CSV quoting).
python3 - "$dir" "$dept" <<'PY'
import csv, sys
d, dept = sys.argv[1], sys.argv[2]
region = ("# 恶意区|<script>alert(1)</script>`code` *b* [点我](javascript:alert(1))\n"
          "## 第二行 \x1b[31m红\x1b[0m \u202eevil")
projects = {"进行方案策划": "@SUM(A1)[x](javascript:alert(2))", "场地租赁及能源费": "- 列表\n# 标题"}
with open(f"{d}/regions.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow("code,name,parent,level,label_all,label_self,label_lower".split(","))
    w.writerow(["990001", region, "", "区", "全区", "区级", "镇级"])
def rows(path):
    return [r for r in csv.reader(l for l in open(path, encoding="utf-8") if not l.startswith("#"))]
with open(f"{d}/facts.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    head, *body = rows("examples/003_beibei_2023_2024.csv")
    w.writerow(head)
    for r in body:
        if r[:5] == ["500109", "all", "2023", "gpb", "execution"]:
            w.writerow(["990001"] + r[1:])
    for r in rows("examples/002_dalian_gxq_ccc_2025.csv")[1:]:
        r[0], r[9] = "990001", dept
        r[10] = projects.get(r[10], r[10])
        w.writerow(r)
PY
"$FISC" --db "$db" import "$dir/regions.csv" "$dir/facts.csv" >/dev/null

run() { # out args… : the report into $dir/out.FMT
  local out=$1; shift
  "$FISC" --db "$db" report "$@" >"$dir/$out" 2>"$dir/err" || die "report $*: $(cat "$dir/err")"
}
raw_controls() { # file: any C0 (but \t \n \r), DEL, C1 or bidi control?
  LC_ALL=C grep -qaP '[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]' "$1"
}
reports=("balance --region 990001 --year 2023 --book gpb"
         "statement --region 990001 --year 2023 --book gpb"
         "balance --all" "statement --all"
         "congress --region 990001 --year 2023"
         "department --department $dept --year 2025")
for i in "${!reports[@]}"; do
  # shellcheck disable=SC2206
  args=(${reports[$i]})
  [ "${args[0]}" = department ] && args=(department --department "$dept" --year 2025)
  for fmt in md html text csv json; do
    run "r$i.$fmt" "${args[@]}" --format $fmt
  done
  run "r$i.tsv" "${args[@]}" --format tsv
  "$FISC" --db "$db" report "${args[@]}" --format xlsx -o "$dir/r$i.xlsx" 2>"$dir/err" ||
    die "xlsx ${args[*]}: $(cat "$dir/err")"

  for fmt in md text tsv csv html; do
    raw_controls "$dir/r$i.$fmt" && die "${args[*]} --format $fmt: raw control character"
  done
  # Markdown through the reference parser: no link, no raw HTML, no code
  # span, no emphasis, no list; tables keep their columns.
  cmark-gfm -e table "$dir/r$i.md" >"$dir/r$i.md.html"
  for bad in '<a ' '<script' '<img' '<code>' '<em>' '<li>' 'javascript:alert(1)"'; do
    grep -qF -- "$bad" "$dir/r$i.md.html" && die "${args[*]} md: «$bad» in the parsed Markdown"
  done
  heads=$(grep -c '^<h[1-6]>' "$dir/r$i.md.html" || true)
  want=$(grep -c '^#' "$dir/r$i.md" || true)
  [ "$heads" = "$want" ] || die "${args[*]} md: $want heading lines but $heads headings parsed"
  grep -q '^<h[1-6]>第二行' "$dir/r$i.md.html" && die "${args[*]} md: the region's second line became a heading"
  python3 - "$dir/r$i.md" <<'PY' || die "${args[*]} md: a table row with the wrong number of cells"
import re, sys
# consecutive '|' lines form one table; every row has as many unescaped pipes
tables, cur = [], []
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("|"):
        cur.append(len(re.findall(r"(?<!\\)\|", line)))
    elif cur:
        tables.append(cur); cur = []
tables += [cur] if cur else []
sys.exit(0 if all(len(set(t)) == 1 for t in tables) else 1)
PY
  # HTML: entities, never a live tag from the data (fisc's own charts are
  # <img> elements with a data: URI; an <img> from the data has no such src;
  # fisc's one script is the chart bundle it inlines from DATADIR/web, taken
  # out here by its id before looking for any other)
  perl -0pe 's/<script id="fisc-charts">.*?<\/script>//s' "$dir/r$i.html" > "$dir/r$i.nos.html"
  for bad in '<script' '<img src=x' 'href='; do
    grep -qF -- "$bad" "$dir/r$i.nos.html" && die "${args[*]} html: «$bad»"
  done
  grep -o '<img[^>]*>' "$dir/r$i.html" | grep -vE '^<img alt="[^"<>]*" src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]*"></figure>$|^<img alt="[^"<>]*" src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]*">$' &&
    die "${args[*]} html: an <img> that is not a chart"
  # JSON parses and keeps the names exactly
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$dir/r$i.json" || die "${args[*]} json does not parse"
  # CSV/TSV: nothing a spreadsheet would run
  LC_ALL=C grep -aP '(^|,)"?[=+@]' "$dir/r$i.csv" | grep -v '^#' && die "${args[*]} csv: a formula cell"
  grep -aP '(^|\t)[=+@]' "$dir/r$i.text" && die "${args[*]} text: a formula cell"
  # XLSX: no formula element
  unzip -p "$dir/r$i.xlsx" 'xl/worksheets/*.xml' | grep -q '<f[ >]' && die "${args[*]} xlsx: a formula"
  # DOCX: the document part stays well-formed XML (no control character,
  # markup as text) and shows the escape instead of obeying it
  "$FISC" --db "$db" report "${args[@]}" --format docx -o "$dir/r$i.docx" 2>"$dir/err" ||
    die "docx ${args[*]}: $(cat "$dir/err")"
  unzip -p "$dir/r$i.docx" word/document.xml >"$dir/r$i.docx.xml"
  xmllint --noout "$dir/r$i.docx.xml" || die "${args[*]} docx: document.xml not well-formed"
  raw_controls "$dir/r$i.docx.xml" && die "${args[*]} docx: raw control character"
done
# PDF: set as plain text, never as pango markup; escapes shown
"$FISC" --db "$db" report congress --region 990001 --year 2023 --format pdf -o "$dir/r4.pdf" 2>"$dir/err" ||
  die "pdf congress: $(cat "$dir/err")"
pdftotext "$dir/r4.pdf" - | tr -d '\n' >"$dir/r4.pdf.txt" # lines joined: names wrap
grep -qF '<script>alert(1)</script>' "$dir/r4.pdf.txt" || die "congress pdf: the region name is missing"
grep -qF '\x1b[31m红' "$dir/r4.pdf.txt" || die "congress pdf: ESC not shown as \\x1b"
grep -qF '&lt;script&gt;' "$dir/r4.docx.xml" || die "congress docx: the region name is missing"
grep -qF '\x1b[31m红' "$dir/r4.docx.xml" || die "congress docx: ESC not shown as \\x1b"
# the names arrive, escaped rather than dropped
grep -qF '\<script\>' "$dir/r4.md" || die "congress md: the region name is missing"
grep -qF '&lt;script&gt;' "$dir/r4.html" || die "congress html: the region name is missing"
grep -qF '\x1b[31m红' "$dir/r4.text" || die "congress text: ESC not shown as \\x1b"
grep -qF '\u202eevil' "$dir/r2.text" || die "balance --all text: U+202E not shown"
grep -qF '@SUM(A1)' "$dir/r5.md" || die "department md: the project name is missing"
exit $fail
