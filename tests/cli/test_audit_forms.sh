#!/usr/bin/env bash
# `fisc audit` reads the forms reviewers download as the text they hold: a
# web page (UTF-8 or GBK, by its meta charset) and a PDF (lines rebuilt from
# glyph positions, table cells kept apart) give the findings the text form of
# the same report gives, and a finding in a PDF names its page. Both are
# built here from seed 003 with two figures changed (a sum that no longer
# holds, a table whose total no longer does); the PDF is printed by headless
# Chromium. A PDF without a text layer is refused with the reason.
# sqlite-only: audits report files; opens no store
set -u
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
die() { echo "test_audit_forms: $*" >&2; fail=1; }

# a PDF page with nothing written on it: what a scan without OCR gives
python3 - "$dir/scan.pdf" <<'PY'
import sys
objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length 0 >>\nstream\n\nendstream"]
out, offs = bytearray(b"%PDF-1.4\n"), []
for i, o in enumerate(objs, 1):
    offs.append(len(out))
    out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
x = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
for o in offs:
    out += b"%010d 00000 n \n" % o
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
open(sys.argv[1], "wb").write(out)
PY
"$FISC" audit "$dir/scan.pdf" >"$dir/scan.out" 2>"$dir/scan.err"; rc=$?
[ "$rc" = 2 ] || die "scan.pdf: exit $rc, want 2"
grep -q "no text layer" "$dir/scan.err" || die "scan.pdf: reason missing: $(cat "$dir/scan.err")"
grep -q "0 checks" "$dir/scan.out" && die "scan.pdf: reported as audited"

# a small page: entities decoded, script and style dropped, a table's cells
# kept apart, a GBK page read by its meta charset
cat >"$dir/small.html" <<'HTML'
<!DOCTYPE html>
<html><head><meta charset="utf-8"><style>p { color: red }</style>
<script>document.write("<p>截至2023年底，政府债务余额合计1万元，其中一般债务2万元。</p>")</script></head>
<body><h1>某区2023年预算执行情况说明</h1>
<p>截至2023年底，全区政府债务余额合计174666万元，其中一般债务20776&#19975;元，
专项债务153900万元&#12290;</p>
</body></html>
HTML
"$FISC" audit --format json "$dir/small.html" >"$dir/small.json"; rc=$?
[ "$rc" = 1 ] || die "small.html: exit $rc, want 1"
iconv -f UTF-8 -t GBK "$dir/small.html" | sed 's/charset="utf-8"/charset="gbk"/' >"$dir/small-gbk.html"
"$FISC" audit --format json "$dir/small-gbk.html" >"$dir/small-gbk.json"
python3 - "$dir/small.json" "$dir/small-gbk.json" <<'PY' || die "small.html: findings not as expected"
import json, sys
for p in sys.argv[1:]:
    f = json.load(open(p))["files"][0]["findings"]
    # one error: the debt sum; the script's figures are not text of the page
    assert [(x["rule"], x["stated"], x["computed"]) for x in f] == [("audit.sum", "174666万元", "174676万元")], (p, f)
    assert "page" not in f[0]
PY

corpus=${FISC_CORPUS:-../shared/corpus}
s003="$corpus/seeds/003_84b9d584d86aad8e.txt"
if [ ! -f "$s003" ]; then
	echo "test_audit_forms: no corpus, seed 003 forms skipped" >&2
	exit $fail
fi
sed -e '22s/债务转贷收入44169万元/债务转贷收入44179万元/' -e '0,/160,198/s//160,298/' "$s003" >"$dir/003.txt"
cat >"$dir/mkhtml.py" <<'PY'
import sys, html
lines = open(sys.argv[1], encoding='utf-8').read().split('\n')
charset = sys.argv[3]
out, i = [], 0
while i < len(lines):
    l = lines[i]
    if '\t' in l:
        rows = []
        while i < len(lines) and '\t' in lines[i]:
            rows.append('<tr>' + ''.join('<td>%s</td>' % html.escape(c) for c in lines[i].split('\t')) + '</tr>')
            i += 1
        out.append('<table>' + '\n'.join(rows) + '</table>')
        continue
    s = l.lstrip()
    h = len(s) - len(s.lstrip('#'))
    if 1 <= h <= 6 and s[h:h + 1] == ' ':
        out.append('<h%d>%s</h%d>' % (h, html.escape(s[h + 1:]), h))
    elif l.strip():
        out.append('<p>%s</p>' % html.escape(l))
    i += 1
doc = ('<!DOCTYPE html>\n<html><head><meta charset="%s"><title>seed 003</title>'
       '<style>body{font-size:11px} td{white-space:nowrap;padding:0 3em} p{margin:0}</style>'
       '</head><body>\n' % charset + '\n'.join(out) + '\n</body></html>\n')
open(sys.argv[2], 'w', encoding=charset).write(doc)
PY
python3 "$dir/mkhtml.py" "$dir/003.txt" "$dir/003.html" utf-8 &&
	python3 "$dir/mkhtml.py" "$dir/003.txt" "$dir/003-gbk.html" gbk || die "cannot build the pages"

# what a form's audit found: rule, severity and both figures of each finding
# (line numbers differ between forms, and messages name them)
found() { python3 -c '
import json, sys
for x in json.load(open(sys.argv[1]))["files"][0]["findings"]:
    print(x["rule"], x["severity"], x["stated"], x["computed"])' "$1"; }
"$FISC" audit --format json "$dir/003.txt" >"$dir/003.txt.json"
found "$dir/003.txt.json" >"$dir/want"
grep -q "audit.table error 300276万元 300376万元" "$dir/want" &&
	grep -q "audit.balance error 883868万元 883878万元" "$dir/want" || die "seed 003: the changed figures are not found: $(cat "$dir/want")"
"$FISC" audit "$dir/003.txt" | grep " checks: " >"$dir/want.sum"
for f in 003.html 003-gbk.html; do
	"$FISC" audit --format json "$dir/$f" >"$dir/$f.json"; rc=$?
	[ "$rc" = 1 ] || die "$f: exit $rc, want 1"
	found "$dir/$f.json" | cmp -s - "$dir/want" || die "$f: findings differ: $(found "$dir/$f.json" | tr '\n' ';')"
	"$FISC" audit "$dir/$f" | grep " checks: " | cmp -s - "$dir/want.sum" || die "$f: checks differ"
done

# --format html (issue 15 item 7): the document, every checked figure marked
# by verdict with an icon, the findings beside their lines, self-contained
"$FISC" audit --format html "$dir/003.txt" >"$dir/003.audit.html"; rc=$?
[ "$rc" = 1 ] || die "html: exit $rc, want 1"
python3 - "$dir/003.audit.html" <<'PY' || die "html: marks wrong"
import re, sys
h = open(sys.argv[1], encoding='utf-8').read()
marks = re.findall(r'<mark class="(\w+)" title="([^"]*)">([0-9,.]+)<span class="icon" aria-label="([^"]+)">(.)</span></mark>', h)
assert len(marks) > 200, len(marks)
by = {}
for cls, title, fig, word, icon in marks:
    by.setdefault(fig, set()).add(cls)
    assert (cls, icon) in {('ok', '✓'), ('amber', '≈'), ('red', '✗')}, (cls, icon)
assert len(marks) == h.count('<mark class=') - 3, 'a mark without its icon'  # 3 in the legend
# the planted error: 44179 (was 44169) and its total are red; a sound breakdown is green
assert by['44179'] == {'red'} and 'red' in by['883868'], (by.get('44179'), by.get('883868'))
assert by['23591'] == {'ok'} and by['18357'] == {'ok'}, (by.get('23591'), by.get('18357'))
assert '<aside class="red"><span class="icon">✗</span> <b>错误 error</b> [audit.balance]' in h
assert not re.search(r'<script|\bsrc=|<link', h), 'not self-contained'
PY

chrome=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$chrome" ]; then
	echo "test_audit_forms: no chromium (scripts/deps.sh test installs it): PDF skipped" >&2
	exit $fail
fi
HOME="$dir" timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
	--print-to-pdf="$dir/003.pdf" "file://$dir/003.html" >/dev/null 2>&1
[ -s "$dir/003.pdf" ] || die "chromium wrote no PDF"
"$FISC" audit --format json "$dir/003.pdf" >"$dir/003.pdf.json"; rc=$?
[ "$rc" = 1 ] || die "003.pdf: exit $rc, want 1"
found "$dir/003.pdf.json" | cmp -s - "$dir/want" || die "003.pdf: findings differ: $(found "$dir/003.pdf.json" | tr '\n' ';')"
python3 - "$dir/003.pdf.json" <<'PY' || die "003.pdf: findings do not name their pages"
import json, sys
f = json.load(open(sys.argv[1]))["files"][0]["findings"]
assert f and all(x["page"] >= 1 and x["page_line"] >= 1 for x in f), f
assert max(x["page"] for x in f) > 1, f  # pages after the first are counted
# the table total changed in the seed is on the first page, below its caption
t = [x for x in f if x["rule"] == "audit.table"][0]
assert t["page"] == 1 and t["page_line"] == t["line"], t
PY
"$FISC" audit "$dir/003.pdf" | grep -q "位置 where: 第1页第[0-9]*行 / page 1 line [0-9]*" ||
	die "003.pdf: the text output names no page"

# --annotate: the PDF with a highlight over each checked figure, coloured by
# verdict, the finding as its note (read back from the file MuPDF wrote)
"$FISC" audit "$dir/003.pdf" --annotate "$dir/003-annotated.pdf" >/dev/null; rc=$?
[ "$rc" = 1 ] || die "--annotate: exit $rc, want 1"
python3 - "$dir/003-annotated.pdf" <<'PY' || die "--annotate: annotations wrong"
import re, sys
d = open(sys.argv[1], 'rb').read()
ann = re.findall(rb'<</Type/Annot/Subtype/Highlight/C\[([^\]]*)\][^>]*?/Contents<([0-9A-F]+)>', d)
assert len(ann) > 100, len(ann)
def note(hexs):
    return bytes.fromhex(hexs.decode()).decode('utf-16-be').lstrip('\ufeff')
red = [note(c) for col, c in ann if col.split()[0] == b'1' and col.split()[1] == b'.2']
green = [note(c) for col, c in ann if col.split()[:2] == [b'.2', b'.8']]
assert any('883878' in n and n.startswith('✗ 错误') for n in red), red[:3]
assert any('300376' in n for n in red), red[:3]          # the table total changed
assert len(green) > 50 and all(n.startswith('✓ 成立') for n in green), green[:3]
PY
exit $fail
