#!/usr/bin/env python3
# pdf_pages.py MD TXT [--page-numbers] — the pages of a printed report (TXT:
# pdftotext of its PDF, pages split by form feeds) against its Markdown form
# (MD): every figure of the Markdown is in the text; no page ends with a
# heading; no page continues a table without its header row; with
# --page-numbers, each page carries «— N —». Used by tests/cli/test_pdf.sh
# (fisc's own PDF) and test_docx.sh (LibreOffice's PDF of the DOCX).
import re, sys
md = open(sys.argv[1], encoding="utf-8").read()
raw = open(sys.argv[2], encoding="utf-8").read()
txt = re.sub(r"\s+", "", raw)
ok = True
figs = sorted(set(re.findall(r"\d[\d,]*(?:\.\d+)?%?", md)))
miss = [f for f in figs if f not in txt]
if miss:
    print("figures missing:", miss[:20]); ok = False
unmd = lambda s: re.sub(r"\\(.)", r"\1", s).strip()
heads = {unmd(l.lstrip("#")) for l in md.splitlines() if l.startswith("##")}
rows = [l for l in md.splitlines() if l.startswith("|") and not re.match(r"^\|[-:| ]+\|$", l)]
cells = {unmd(c) for r in rows for c in r.strip("|").split(" | ")}
head_cells = set()
for block in md.split("\n\n"):
    ls = [l for l in block.splitlines() if l.startswith("|")]
    if ls:
        head_cells |= {unmd(c) for c in ls[0].strip("|").split(" | ")}
pages = raw.split("\f")
for n, page in enumerate(pages, 1):
    lines = [l.strip() for l in page.splitlines() if l.strip() and not re.fullmatch(r"—\s*\d+\s*—", l.strip())]
    if not lines:
        continue
    if "--page-numbers" in sys.argv[3:] and not re.search(r"—\s*%d\s*—" % n, page):
        print(f"page {n}: no page number «— {n} —»"); ok = False
    if lines[-1] in heads and n < len(pages) - 1:
        print(f"page {n} ends with the heading «{lines[-1]}»"); ok = False
    if n > 1 and lines[0] in cells - head_cells:
        print(f"page {n} continues a table without its header: «{lines[0]}»"); ok = False
print(f"{sys.argv[1].rsplit('/',1)[1]}: {len(figs)} figures, {len(pages)-1} pages")
sys.exit(0 if ok else 1)
