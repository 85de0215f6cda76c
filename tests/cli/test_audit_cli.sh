#!/usr/bin/env bash
# `fisc audit` from the command line: exit 0 when a report holds, 1 when it
# has an error (with the line and both figures in the text output), 2 when a
# file cannot be read (the others are still audited) or the usage is wrong;
# --format json is valid JSON with the fields of docs/formats.md §8. When the
# corpus is present, seed 003 audits clean and seed 001 reports its debt sum.
. "$(dirname "$0")/../storelib.sh"
set -u
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
die() { echo "test_audit_cli: $*" >&2; fail=1; }

cat >"$dir/ok.txt" <<'TXT'
某区2024年预算执行情况说明

2024年，全区一般公共预算收入完成３３．７６亿元，加上上级转移支付7.01亿元，
扣除上解支出3.17亿元后，与一般公共预算支出37.6亿元相等。
TXT
cat >"$dir/bad.txt" <<'TXT'
某区2023年预算执行情况说明

截至2023年底，全区政府债务余额合计174666万元，其中一般债务20776万元，专项债务153900万元。
TXT

"$FISC" audit "$dir/ok.txt" >"$dir/ok.out"; rc=$?
[ "$rc" = 0 ] || die "ok.txt: exit $rc, want 0: $(cat "$dir/ok.out")"
"$FISC" audit "$dir/bad.txt" >"$dir/bad.out"; rc=$?
[ "$rc" = 1 ] || die "bad.txt: exit $rc, want 1"
grep -q "bad.txt:3: 错误 error \[audit.sum\]" "$dir/bad.out" || die "bad.txt: no error block on line 3: $(cat "$dir/bad.out")"
grep -q "表述 stated: 174666万元    应为 should be: 174676万元" "$dir/bad.out" || die "bad.txt: stated/computed missing"
"$FISC" audit "$dir/missing.txt" "$dir/ok.txt" >"$dir/m.out" 2>"$dir/m.err"; rc=$?
[ "$rc" = 2 ] || die "missing file: exit $rc, want 2"
grep -q "ok.txt" "$dir/m.out" || die "missing file: the readable file was not audited"
"$FISC" audit >/dev/null 2>&1; rc=$?
[ "$rc" = 2 ] || die "no file: exit $rc, want 2"
"$FISC" audit --format xml "$dir/ok.txt" >/dev/null 2>&1; rc=$?
[ "$rc" = 2 ] || die "bad format: exit $rc, want 2"

"$FISC" audit --format json "$dir/bad.txt" "$dir/ok.txt" >"$dir/j.json"; rc=$?
[ "$rc" = 1 ] || die "json: exit $rc, want 1"
python3 - "$dir/j.json" <<'PY' || die "json: not as documented"
import json, sys
d = json.load(open(sys.argv[1]))
f = d["files"]
assert len(f) == 2 and f[0]["path"].endswith("bad.txt")
x = f[0]["findings"][0]
assert set(x) == {"rule", "severity", "line", "text", "stated", "computed", "message_zh", "message_en"}, x
assert (x["rule"], x["severity"], x["line"], x["stated"], x["computed"]) == ("audit.sum", "error", 3, "174666万元", "174676万元")
c = f[0]["checks"]
assert set(c) == {"total", "exact", "within_rounding", "failed", "unverifiable"}
assert c["total"] == c["exact"] + c["within_rounding"] + c["failed"] + c["unverifiable"]
assert f[1]["findings"] == [] and f[1]["checks"]["failed"] == 0
PY

# a file that is not text is refused with the reason, never "0 checks, 0 errors"
printf '%%PDF-1.7\n%%\xe2\xe3\xcf\xd3\n1 0 obj\n' >"$dir/r.pdf"
printf 'PK\003\004\024\000\006\000' >"$dir/r.xlsx"
head -c 3000 /dev/urandom >"$dir/r.bin"
python3 -c "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1],'w'); z.writestr('xl/workbook.xml','<workbook/>'); z.close()" "$dir/r2.xlsx"
printf 'PK\003\004garbage' >"$dir/r.docx"
printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000' >"$dir/r.png"
for f in r.pdf r.xlsx r2.xlsx r.docx r.bin r.png; do
	"$FISC" audit "$dir/$f" >"$dir/u.out" 2>"$dir/u.err"; rc=$?
	[ "$rc" = 2 ] || die "$f: exit $rc, want 2 (unreadable)"
	grep -q "cannot read" "$dir/u.err" || die "$f: no reason given"
	grep -q "0 checks" "$dir/u.out" && die "$f: reported as audited"
done

# round trip: the reports fisc writes from examples/ audit clean (issue 15 item 2);
# the one error left is the imbalance of 解放区's 2024 budget data, which the
# report itself notes under its table
db=$(tdb "$dir/rt.db")
"$FISC" --db "$db" import examples/regions.csv examples/001_jiefang_2023_2024.csv \
	examples/002_dalian_gxq_ccc_2025.csv examples/003_beibei_2023_2024.csv >/dev/null 2>&1 ||
	die "round trip: import failed"
"$FISC" --db "$db" report congress --region 北碚区 --year 2023 --format md -o "$dir/rt1.md" &&
"$FISC" --db "$db" report debt --region 北碚区 --year 2023 --format md -o "$dir/rt2.md" &&
"$FISC" --db "$db" report debt --region 解放区 --year 2023 --format md -o "$dir/rt3.md" &&
"$FISC" --db "$db" report department --department 大连高新技术产业园区创新创业创投服务中心 \
	--year 2025 --format md -o "$dir/rt4.md" &&
"$FISC" --db "$db" report congress --region 解放区 --year 2023 --format md -o "$dir/rt5.md" ||
	die "round trip: a report could not be written"
for f in rt1 rt2 rt3 rt4; do
	"$FISC" audit --format json "$dir/$f.md" >"$dir/$f.json"
	python3 - "$dir/$f.json" <<'PY' || die "round trip: $f.md has findings"
import json, sys
d = json.load(open(sys.argv[1]))["files"][0]
bad = [x for x in d["findings"] if x["severity"] in ("error", "warning")]
assert not bad, bad
assert d["checks"]["total"] > 0
PY
done
"$FISC" audit --format json "$dir/rt5.md" >"$dir/rt5.json"
python3 - "$dir/rt5.json" "$dir/rt5.md" <<'PY' || die "round trip: 解放区 2023 not as expected"
import json, sys
d = json.load(open(sys.argv[1]))["files"][0]
lines = open(sys.argv[2], encoding="utf-8").read().split("\n")
bad = [x for x in d["findings"] if x["severity"] in ("error", "warning")]
assert len(bad) == 1 and bad[0]["rule"] == "audit.table", bad
# the table the error is on is the one the report says does not balance
after = "\n".join(lines[bad[0]["line"]:bad[0]["line"] + 12])
assert "未实现收支平衡" in after, after
PY

corpus=${FISC_CORPUS:-../shared/corpus}
if [ -d "$corpus/seeds" ]; then
	# GBK and UTF-16 (both byte orders, with and without a BOM) are converted
	# with iconv and give what UTF-8 gives, check for check
	s003="$corpus/seeds/003_84b9d584d86aad8e.txt"
	"$FISC" audit "$s003" | grep " checks: " >"$dir/want.sum"
	[ -s "$dir/want.sum" ] || die "seed 003: no summary line"
	iconv -f UTF-8 -t GBK "$s003" >"$dir/003.gbk"
	iconv -f UTF-8 -t GB18030 "$s003" >"$dir/003.gb18030"
	iconv -f UTF-8 -t UTF-16 "$s003" >"$dir/003.u16"
	iconv -f UTF-8 -t UTF-16BE "$s003" >"$dir/003.u16be"
	iconv -f UTF-8 -t UTF-16LE "$s003" >"$dir/003.u16le"
	# a Word document built here from the seed's text (paragraphs, and its
	# tab rows as Word tables) gives what the text gives, findings included
	cat >"$dir/mkdocx.py" <<'PY'
import sys, zipfile
from xml.sax.saxutils import escape
lines = open(sys.argv[1], encoding='utf-8').read().split('\n')
if lines and lines[-1] == '':
    lines.pop()
def para(t):
    return '<w:p><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>' % escape(t)
body, i = [], 0
while i < len(lines):
    if '\t' in lines[i]:
        rows = []
        while i < len(lines) and '\t' in lines[i]:
            rows.append('<w:tr>' + ''.join('<w:tc>%s</w:tc>' % para(c) for c in lines[i].split('\t')) + '</w:tr>')
            i += 1
        body.append('<w:tbl>' + ''.join(rows) + '</w:tbl>')
    else:
        body.append(para(lines[i]))
        i += 1
W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'
with zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    z.writestr('word/document.xml', '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="%s"><w:body>%s</w:body></w:document>' % (W, ''.join(body)))
PY
	python3 "$dir/mkdocx.py" "$s003" "$dir/003.docx" || die "docx: cannot build the test document"
	s001="$corpus/seeds/001_d12f06acd0fd881e.txt"
	python3 "$dir/mkdocx.py" "$s001" "$dir/001.docx" || die "docx: cannot build the test document"
	"$FISC" audit "$s001" | grep -E "^[^ ].*: (错误|警告) " | sed 's/^[^:]*://' >"$dir/001.want"
	"$FISC" audit "$dir/001.docx" | grep -E "^[^ ].*: (错误|警告) " | sed 's/^[^:]*://' >"$dir/001.got"
	[ -s "$dir/001.want" ] && cmp -s "$dir/001.want" "$dir/001.got" ||
		die "docx: seed 001's findings differ: $(tr '\n' ' ' <"$dir/001.got")"
	for f in 003.gbk 003.gb18030 003.u16 003.u16be 003.u16le 003.docx; do
		"$FISC" audit "$dir/$f" >"$dir/enc.out"; rc=$?
		[ "$rc" = 0 ] || die "$f: exit $rc, want 0"
		grep " checks: " "$dir/enc.out" | cmp -s - "$dir/want.sum" || die "$f: $(grep " checks: " "$dir/enc.out") ≠ $(cat "$dir/want.sum")"
	done
	"$FISC" audit "$corpus/seeds/003_84b9d584d86aad8e.txt" >"$dir/003.out"; rc=$?
	[ "$rc" = 0 ] || die "seed 003: exit $rc, want 0"
	"$FISC" audit --format json "$corpus/seeds/001_d12f06acd0fd881e.txt" | grep -q '"line": 118' ||
		die "seed 001: the debt sum on line 118 is not reported"
fi
exit $fail
