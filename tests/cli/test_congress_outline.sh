#!/usr/bin/env bash
# The report to the congress follows seed 003's outline (issue 13, item 5):
# 一、2023年预算执行情况 / 二、2023年财政工作情况 / 三、2024年财政工作安排 (with
# its three subsections) / 四、2024年预算草案, each book's part under the seed's
# headings, with the narrative parts taken from the imported region texts
# (examples/003_beibei_2023_2024_texts.csv). The headings of levels 1 and 2
# of `fisc report congress` equal the seed's, in order; the seed's level-3
# headings of each book (1.全区…, 2.区级…) appear among fisc's in order.
# The 口径 qualifier of the 区金库 tables goes with the figures: "全区（区金库）
# 一般公共预算收入300276万元", never a bare "全区…收入300276" (which the
# official 全区 figure 401746 contradicts). Without the texts the narrative
# parts are left out and the draft is numbered 二, and the gap is reported.
. "$(dirname "$0")/../storelib.sh"
set -u
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
dba=$(tdb "$dir/a.db") dbb=$(tdb "$dir/b.db")
die() { echo "test_congress_outline: $*" >&2; fail=1; }
seed=tests/golden/003/outline.txt # the seed's heading lines

"$FISC" --db "$dba" import examples/regions.csv examples/[0-9]*.csv >/dev/null || die "import"
"$FISC" --db "$dba" report congress --region 北碚区 --year 2023 --format md >"$dir/bb.md" 2>"$dir/err" ||
	die "report: $(cat "$dir/err")"

# outline LEVELS FILE: the headings of a Markdown or seed text, one per line
# as "LEVEL TEXT", spaces, emphasis and half-width parentheses normalised.
python3 - "$seed" "$dir/bb.md" >"$dir/cmp.txt" <<'PY' || die "outline differs: $(cat "$dir/cmp.txt")"
import re, sys
cn = "一二三四五六七八九十"
def norm(s):
    s = s.replace("*", "").replace(" ", "").replace("\u3000", "")
    return re.sub(r"^\(([%s])\)" % cn, r"（\1）", s)
def level(s):
    if re.match(r"^[%s]+、" % cn, s): return 1
    if re.match(r"^（[%s]+）" % cn, s): return 2
    if re.match(r"^\d+\.", s): return 3
    return 0
def seed_outline(path):
    out = []
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line.startswith("#"):
            continue          # the seed marks its headings with #
        s = norm(line.lstrip("#").strip())
        if s.startswith("20") or "名词解释" in s:
            continue          # table captions (2023年…情况), the glossary
        lv = level(s)
        if lv:
            out.append((lv, s))
    return out
def fisc_outline(path):
    out = []
    for line in open(path, encoding="utf-8"):
        m = re.match(r"^(#{2,4}) (.*)$", line.rstrip("\n"))
        if m and "名词解释" not in m.group(2):
            out.append((len(m.group(1)) - 1, norm(m.group(2))))
    return out
seed, got = seed_outline(sys.argv[1]), fisc_outline(sys.argv[2])
ok = True
top_s = [s for l, s in seed if l <= 2]
top_g = [s for l, s in got if l <= 2]
if top_s != top_g:
    ok = False
    print("levels 1-2 differ:\nseed: %s\nfisc: %s" % (" | ".join(top_s), " | ".join(top_g)))
# level 3: per level-2 part, the seed's headings (without their numbers)
# are a subsequence of fisc's
def parts(outline):
    d, cur = {}, None
    for l, s in outline:
        if l == 1: top = s
        if l == 2: cur = (top, s); d[cur] = []
        if l == 3 and cur: d[cur].append(re.sub(r"^\d+\.", "", s))
    return d
ps, pg = parts(seed), parts(got)
for k, heads in ps.items():
    it = iter(pg.get(k, []))
    missing = [h for h in heads if not any(h == x for x in it)]
    # the seed's debt part names its sub-sections by topic; fisc's by table
    if missing and "债务" not in k[1]:
        ok = False
        print("under %s: seed headings %s not in fisc's %s" % (k, missing, pg.get(k)))
sys.exit(0 if ok else 1)
PY

# the narrative is the imported prose, the 口径 goes with the figures
grep -qF "二、2023年财政工作情况" "$dir/bb.md" || die "no 二、2023年财政工作情况"
grep -qF "各位代表，做好2024年的财政工作，任务艰巨，使命光荣！" "$dir/bb.md" || die "closing text missing"
grep -qF "全区（区金库）一般公共预算收入300276万元" "$dir/bb.md" || die "全区 figure without its 口径 (区金库)"
grep -qF "2023年全区一般公共预算收支平衡情况（区金库）" "$dir/bb.md" || die "table title without 区金库"
grep -qP '(?<!（)全区一般公共预算收入300276' "$dir/bb.md" && die "a bare 全区…收入300276 (no 口径)"
# no figure typed into the narrative: every amount of 二 and 三 would be one
awk '/^## 二、/{p=1} /^## 四、/{p=0} p' "$dir/bb.md" | grep -P '[0-9]+(\.[0-9]+)?(万元|亿元|%)' &&
	die "a figure in the narrative parts"

# without the texts: no narrative parts, the draft is 二, and the gap is said on stderr
"$FISC" --db "$dbb" import examples/regions.csv examples/003_beibei_2023_2024.csv >/dev/null || die "import b"
"$FISC" --db "$dbb" report congress --region 北碚区 --year 2023 --format md >"$dir/b.md" 2>"$dir/b.err" || die "report b"
grep -qF "## 二、2024年预算草案" "$dir/b.md" || die "without texts the draft is not 二"
grep -qF "财政工作情况" "$dir/b.md" && die "a narrative heading without its text"
grep -qF "数据中没有“2023年财政工作情况”的文字" "$dir/b.err" || die "missing narrative not reported on stderr"
grep -qF "全区一般公共预算收入300276万元" "$dir/b.md" || die "without a 口径 text the scope is plain"

# a region text with a bad section is an import error naming the line
printf 'region,year,section,text\n500109,2023,工作总结,某某\n' >"$dir/bad.csv"
"$FISC" --db "$dbb" import "$dir/bad.csv" >/dev/null 2>"$dir/bad.err"; rc=$?
[ $rc = 1 ] || die "bad section: exit $rc, want 1"
grep -qF 'bad.csv:2:' "$dir/bad.err" && grep -qF "无法识别的人大报告章节「工作总结」" "$dir/bad.err" ||
	die "bad section message: $(cat "$dir/bad.err")"
printf 'region,year,section,text\n500109,2023,口径/一般公共预算/火星,x\n' >"$dir/bad2.csv"
"$FISC" --db "$dbb" import "$dir/bad2.csv" >/dev/null 2>&1 && die "basis with an unknown scope imported"

exit $fail
