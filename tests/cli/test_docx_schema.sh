#!/usr/bin/env bash
# DOCX against the OOXML schema (issue 13, item 1: "opens in Word"). Word
# refuses a document with an unknown or out-of-order element where
# LibreOffice is lenient, so every DOCX fisc writes for the examples — every
# report kind, every region and department, the --draft form — is unzipped
# and each XML part validated with `xmllint --schema` against the
# hand-written ECMA-376 subset in tests/ooxml (see its README), plus the
# package and table rules a schema cannot say (tests/ooxml/check_docx.py).
# Then the validator is shown to fail: a document with two w:pPr children
# swapped, an unknown element, a bad value, the old w:tblLayout w:val, a
# missing part, a row that does not fill the table grid.
# Needs libxml2-utils (xmllint), unzip, python3 (scripts/deps.sh test).
set -eu
dir=$(mktemp -d); db=$dir/r.db
trap 'rm -rf "$dir"' EXIT
for t in xmllint unzip python3; do
  command -v $t >/dev/null || { echo "test_docx_schema: $t missing (scripts/deps.sh test)"; exit 1; }
done
here=$(cd "$(dirname "$0")/../ooxml" && pwd)
check="python3 $here/check_docx.py"
"$FISC" --db "$db" import examples/regions.csv examples/[0-9]*.csv >/dev/null
fail=0
die() { echo "FAIL $*"; fail=1; }
ccc=大连高新技术产业园区创新创业创投服务中心
ylg=炎陵高新技术产业开发区管理委员会

# every report kind: congress and debt for each region with data, the
# department and performance reports of each department, the balance table
# of each book, the statement, and the --draft forms with their appendix
for y in 2023 2024; do
  for k in congress debt; do
    mkdir -p "$dir/$k$y"
    "$FISC" --db "$db" report $k --all-regions --year $y --format docx -o "$dir/$k$y" 2>"$dir/err" ||
      die "$k --all-regions --year $y: $(cat "$dir/err")"
  done
done
reports=("department --department $ccc --year 2025" "department --department $ylg --year 2024"
         "department --department $ylg --year 2024 --phase final --draft"
         "performance --department $ylg --year 2024" "performance --department $ylg --year 2024 --draft"
         "congress --region 北碚区 --year 2023 --draft"
         "balance --region 北碚区 --year 2023 --book gpb" "balance --region 北碚区 --year 2023 --book gfb"
         "balance --region 北碚区 --year 2023 --book soe" "balance --region 解放区 --year 2023 --book ssf"
         "statement --region 北碚区 --year 2023 --book gpb")
for i in "${!reports[@]}"; do
  # shellcheck disable=SC2206
  args=(${reports[$i]})
  "$FISC" --db "$db" report "${args[@]}" --format docx -o "$dir/r$i.docx" 2>"$dir/err" ||
    die "docx ${args[*]}: $(cat "$dir/err")"
done
mapfile -t docs < <(find "$dir" -name '*.docx' | sort)
[ "${#docs[@]}" -ge 17 ] || die "only ${#docs[@]} documents written"
# unzip each (the archive itself must be sound), then validate every part
xs=()
for f in "${docs[@]}"; do
  x=${f%.docx}.x; mkdir "$x"; xs+=("$x")
  (cd "$x" && unzip -q "$f") || die "$f: not a zip archive unzip can read"
done
$check "${xs[@]}" >"$dir/problems" 2>"$dir/summary" ||
  die "schema / package problems: $(head -20 "$dir/problems")"
grep -q "${#docs[@]} package(s), 0 problem(s)" "$dir/summary" || die "validator summary: $(cat "$dir/summary")"
# the charts are part of what was validated (a drawing per chart)
grep -qF '<wp:inline' "$dir/r5.x/word/document.xml" || die "congress: no chart drawing validated"

# --- the validator can fail ------------------------------------------------
# Copies of one package, each with one defect; all are checked in one run
# and each must be rejected for its own reason (name, part, edit, reason).
python3 - "$dir/r0.x" "$dir/neg" <<'PY' || die "negative checks: an edit did not apply"
import re, shutil, sys
src, out = sys.argv[1], sys.argv[2]
D, S, R, C = "word/document.xml", "word/styles.xml", "word/_rels/document.xml.rels", "[Content_Types].xml"
cases = [
    # two children of a w:pPr swapped: jc before pStyle (Word rejects the order)
    ("ppr-order", D, lambda s: re.sub(r"<w:pPr>(<w:pStyle [^>]*/>)(<w:jc [^>]*/>)", r"<w:pPr>\2\1", s, count=1)),
    # spacing after ind in a style's pPr; sz before b in run properties
    ("style-order", S, lambda s: re.sub(r"(<w:spacing [^>]*/>)(<w:ind [^>]*/>)", r"\2\1", s, count=1)),
    ("rpr-order", S, lambda s: re.sub(r"<w:b/><w:bCs/>(<w:sz [^>]*/>)", r"\1<w:b/><w:bCs/>", s, count=1)),
    # pgMar before pgSz in a section; vAlign before gridSpan in a cell
    ("sect-order", D, lambda s: re.sub(r"(<w:pgSz [^>]*/>)(<w:pgMar [^>]*/>)", r"\2\1", s, count=1)),
    ("tcpr-order", D, lambda s: re.sub(r"(<w:gridSpan [^>]*/>)(<w:vAlign [^>]*/>)", r"\2\1", s, count=1)),
    # an element Word does not know
    ("unknown", D, lambda s: s.replace("<w:pPr><w:pStyle", "<w:pPr><w:fiscNote/><w:pStyle", 1)),
    # invalid values: ST_Jc has no "middle"; a twips measure is a number or a measure
    ("bad-jc", D, lambda s: s.replace('<w:jc w:val="right"/>', '<w:jc w:val="middle"/>', 1)),
    ("bad-twips", D, lambda s: re.sub(r'w:top="\d+"', 'w:top="2cmx"', s, count=1)),
    # the defect this test found in the writer: w:tblLayout w:val, not w:type
    ("tbllayout", D, lambda s: s.replace('<w:tblLayout w:type="fixed"/>', '<w:tblLayout w:val="fixed"/>', 1)),
    # a body row one cell short of the table grid
    ("grid", D, lambda s: re.sub(r"(<w:tr><w:trPr><w:cantSplit/></w:trPr>)<w:tc>.*?</w:tc>", r"\1", s, count=1)),
    # a paragraph style that styles.xml does not define
    ("style-ref", D, lambda s: s.replace('w:val="TableUnit"', 'w:val="TableUnits"', 1)),
    # a relationship to a part that is not there; an Override to nowhere
    ("missing-part", R, lambda s: s.replace('footer1.xml"', 'footer2.xml"', 1)),
    ("override", C, lambda s: s.replace("/word/footer1.xml", "/word/footer9.xml", 1)),
    # a relationship Id used twice
    ("dup-id", R, lambda s: s.replace("rIdSettings", "rIdStyles", 1)),
]
ok = True
for name, part, edit in cases:
    shutil.copytree(src, "%s-%s" % (out, name))
    path = "%s-%s/%s" % (out, name, part)
    s = open(path, encoding="utf-8").read()
    t = edit(s)
    if t == s:
        print("edit %s did not apply" % name); ok = False
    open(path, "w", encoding="utf-8").write(t)
sys.exit(0 if ok else 1)
PY
want=(ppr-order 'element pStyle' style-order 'element spacing' rpr-order 'element b'
      sect-order 'element pgSz' tcpr-order 'element gridSpan' unknown fiscNote
      bad-jc middle bad-twips pgMar tbllayout tblLayout grid 'grid columns'
      style-ref 'not defined' missing-part 'not in the package' override 'not in the package'
      dup-id rIdStyles)
$check "$dir"/neg-* >"$dir/neg.out" 2>/dev/null && die "the validator accepted every defective copy"
for ((k = 0; k < ${#want[@]}; k += 2)); do
  name=${want[k]} why=${want[k+1]}
  grep "^$dir/neg-$name: " "$dir/neg.out" >"$dir/neg1" || { die "negative $name: accepted"; continue; }
  grep -qF -- "$why" "$dir/neg1" || die "negative $name: rejected, but not for '$why': $(head -2 "$dir/neg1")"
done
[ "$(ls -d "$dir"/neg-* | wc -l)" -eq $((${#want[@]} / 2)) ] || die "negative cases and reasons differ in number"
exit $fail
