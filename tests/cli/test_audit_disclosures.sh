#!/usr/bin/env bash
# `fisc audit` on the 普陀区 department disclosures (../shared/corpus/disclosures): the nine
# standard tables read from the PDFs and checked within, between and against the text. Truth is
# tests/audit/disclosures/*.tsv: the two reviewer checklists of the 司法局, the problems planted
# in the 财政局 test version (found by diffing it with its correct twin) and the problems found
# in the other publications. Printed: the recall against each truth file. Asserted: every
# checkable problem is found on its page; every error on a published PDF (and on the planted
# version) is one the truth lists, so the correct twin has no other; the template is recognised
# as one (its placeholders reported).
# sqlite-only: audits report files; opens no store
set -u
corpus=${FISC_CORPUS:-../shared/corpus}
disc="$corpus/disclosures"
if [ ! -d "$disc" ]; then
	echo "test_audit_disclosures: $disc not found (set FISC_CORPUS): skipped"
	exit 0
fi
here=$(cd "$(dirname "$0")/../audit/disclosures" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for f in "$disc"/*.pdf; do
	"$FISC" audit --format json "$f" >"$dir/$(basename "$f").json" 2>"$dir/err"
	rc=$?
	if [ "$rc" -gt 1 ]; then
		echo "test_audit_disclosures: $(basename "$f"): exit $rc: $(cat "$dir/err")" >&2
		exit 1
	fi
done
python3 - "$dir" "$here" <<'PY'
import glob, json, os, sys
out, truthdir = sys.argv[1], sys.argv[2]
found = {}  # file -> [(page, rule, severity, message)]
for p in glob.glob(os.path.join(out, "*.json")):
    f = json.load(open(p))["files"][0]
    found[os.path.basename(p)[:-5]] = [(x.get("page"), x["rule"], x["severity"], x["message_zh"])
                                       for x in f["findings"]]
fail = []
truth_rows = []
false_rows = []
for tf in sorted(glob.glob(os.path.join(truthdir, "*.tsv"))):
    rows = [l.rstrip("\n").split("\t") for l in open(tf, encoding="utf-8")
            if l.strip() and not l.startswith("#")]
    if os.path.basename(tf) == "known-false.tsv":
        false_rows = rows
        continue
    hit = 0
    used = set()  # a finding answers one problem only
    checkable = [r for r in rows if r[4] == "yes"]
    for r in rows:
        truth_rows.append(r)
    for r in checkable:
        fname, page, rules = r[0], int(r[1]), r[5].split("|")
        if fname not in found:
            fail.append("%s: %s not audited" % (os.path.basename(tf), fname))
            continue
        k = next((i for i, (pg, rule, _, _) in enumerate(found[fname])
                  if pg == page and rule in rules and (fname, i) not in used), None)
        if k is not None:
            used.add((fname, k))
            hit += 1
        else:
            fail.append("%s: not found: %s p%d %s (%s)" % (os.path.basename(tf), fname, page, r[3], r[5]))
    print("recall %-32s %d/%d checkable found (%d problems, %d not checkable from the document)"
          % (os.path.basename(tf), hit, len(checkable), len(rows), len(rows) - len(checkable)))
# precision: an error is a problem the truth lists (same file, page and rule)
template = "附件2：部门决算模板.pdf"
nerr = nok = nfalse = 0
for fname, fs in sorted(found.items()):
    if fname == template:
        if not any(rule == "disclosure.placeholder" for _, rule, _, _ in fs):
            fail.append("the template's placeholders are not reported")
        continue
    for page, rule, sev, msg in fs:
        if sev != "error":
            continue
        nerr += 1
        if any(r[0] == fname and int(r[1]) == page and rule in r[5].split("|") for r in truth_rows):
            nok += 1
        elif any(r[0] == fname and int(r[1]) == page and rule in r[5].split("|") for r in false_rows):
            nfalse += 1
        else:
            fail.append("error no truth file lists: %s p%s %s %s" % (fname, page, rule, msg))
print("precision: %d of %d errors on the published and planted PDFs are listed problems"
      " (%d known false alarms in known-false.tsv)" % (nok, nerr, nfalse))
twin = "上海市普陀区财政局2024年度部门决算.pdf"
print("correct twin %s: %d errors (the one listed in published.tsv is a real one)"
      % (twin, sum(1 for x in found.get(twin, []) if x[2] == "error")))
for m in fail:
    print("test_audit_disclosures: " + m, file=sys.stderr)
sys.exit(1 if fail else 0)
PY
