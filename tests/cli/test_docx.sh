#!/usr/bin/env bash
# DOCX (issue 13, item 1): every report kind written as a Word document.
# The package is checked part by part (every XML part well-formed, the
# heading styles with outline levels, the header rows marked to repeat, the
# footer's page field), then LibreOffice converts every document to PDF
# without error and pdftotext of the result holds every figure of the
# report's Markdown form; in those pages no heading ends a page and a table
# continued on a new page starts with its header rows. Needs libreoffice-writer and poppler-utils
# (scripts/deps.sh test).
. "$(dirname "$0")/../storelib.sh"
set -eu
dir=$(mktemp -d); db=$(tdb "$dir/r.db")
trap 'rm -rf "$dir"' EXIT
for t in soffice pdftotext unzip xmllint python3; do
  command -v $t >/dev/null || { echo "test_docx: $t missing (scripts/deps.sh test)"; exit 1; }
done
"$FISC" --db "$db" import examples/regions.csv examples/[0-9]*.csv >/dev/null
fail=0
die() { echo "FAIL $*"; fail=1; }
ccc=大连高新技术产业园区创新创业创投服务中心
ylg=炎陵高新技术产业开发区管理委员会
reports=("congress --region 北碚区 --year 2023" "department --department $ccc --year 2025"
         "performance --department $ylg --year 2024" "debt --region 北碚区 --year 2023"
         "balance --region 北碚区 --year 2023 --book gpb"
         "congress --region 解放区 --year 2023" "congress --region 大连高新技术产业园区 --year 2024"
         "department --department $ylg --year 2024 --phase final" "debt --region 解放区 --year 2023")
for i in "${!reports[@]}"; do
  # shellcheck disable=SC2206
  args=(${reports[$i]})
  "$FISC" --db "$db" report "${args[@]}" --format docx -o "$dir/r$i.docx" 2>"$dir/err" ||
    { die "docx ${args[*]}: $(cat "$dir/err")"; continue; }
  "$FISC" --db "$db" report "${args[@]}" --format md >"$dir/r$i.md"
  mkdir "$dir/x$i"
  (cd "$dir/x$i" && unzip -q "../r$i.docx") || { die "r$i.docx is not a zip"; continue; }
  for part in '[Content_Types].xml' _rels/.rels word/document.xml word/styles.xml \
              word/_rels/document.xml.rels word/footer1.xml word/settings.xml word/fontTable.xml; do
    xmllint --noout "$dir/x$i/$part" 2>>"$dir/xml.err" || die "${args[*]}: $part not well-formed"
  done
  doc=$dir/x$i/word/document.xml
  # the styles Word's navigation pane and table of contents read
  for s in 'w:styleId="Heading1"' 'w:val="heading 1"' 'w:outlineLvl w:val="0"' \
           'w:styleId="Heading2"' 'w:outlineLvl w:val="1"' 'w:eastAsia="仿宋_GB2312"' \
           'w:eastAsia="黑体"' 'w:altName w:val="仿宋"'; do
    grep -qF -- "$s" "$dir/x$i/word/styles.xml" "$dir/x$i/word/fontTable.xml" ||
      die "${args[*]}: styles lack $s"
  done
  grep -qF 'w:pgSz w:w="11906" w:h="16838"' "$doc" || die "${args[*]}: not A4"
  grep -qF 'w:instr=" PAGE "' "$dir/x$i/word/footer1.xml" || die "${args[*]}: no page number"
  if grep -qF '<w:tbl>' "$doc"; then
    grep -qF '<w:tblHeader/>' "$doc" || die "${args[*]}: table header rows do not repeat"
    grep -qF '<w:jc w:val="right"/>' "$doc" || die "${args[*]}: numbers not right-aligned"
  fi
done
# the heading levels of the congress report reach Word's levels 1–3
for s in 'w:pStyle w:val="Heading1"/><' 'w:pStyle w:val="Heading2"/><' 'w:pStyle w:val="Heading3"/><'; do
  grep -qF -- "$s" "$dir/x0/word/document.xml" || die "congress: no paragraph of style ${s:18:8}"
done
# merged header cells of the disclosure tables: gridSpan and vMerge
grep -qF '<w:gridSpan' "$dir/x1/word/document.xml" || die "department: no merged header cell"
grep -qF '<w:vMerge w:val="restart"/>' "$dir/x1/word/document.xml" || die "department: no vertical merge"

# LibreOffice opens and converts every one of them (one run for all: it
# starts slowly); a profile of our own, so parallel runs do not share one.
all=()
for i in "${!reports[@]}"; do all+=("$dir/r$i.docx"); done
soffice -env:UserInstallation="file://$dir/lo" --headless --convert-to pdf --outdir "$dir/pdf" \
  "${all[@]}" >"$dir/lo.log" 2>&1 || die "soffice: $(cat "$dir/lo.log")"
grep -qi 'error' "$dir/lo.log" && die "soffice reports an error: $(grep -i error "$dir/lo.log" | head -3)"
for i in "${!reports[@]}"; do
  [ -s "$dir/pdf/r$i.pdf" ] || { die "r$i.docx: LibreOffice wrote no PDF ($(cat "$dir/lo.log"))"; continue; }
  pdftotext "$dir/pdf/r$i.pdf" "$dir/r$i.txt"
  # every figure of the Markdown form, whitespace aside (justified CJK text
  # is spaced out by pdftotext)
  # and, as Word would lay it out (keepNext, tblHeader): no page ends with a
  # heading, and a table continued on a new page starts with its header rows
  python3 tests/pdf_pages.py "$dir/r$i.md" "$dir/r$i.txt" || die "r$i.docx (${reports[$i]}): see above"
done
exit $fail
