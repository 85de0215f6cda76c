#!/usr/bin/env python3
# dump_xlsx.py — print the cells of a reviewer's checklist (.xlsx) as
# tab-separated rows, one sheet after another, with the standard library only
# (zipfile + ElementTree): used once to write the truth files next to it, so
# that reading the checklists adds no runtime or test dependency.
import re, sys, zipfile
import xml.etree.ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}

def col(ref):
    n = 0
    for ch in re.match(r"[A-Z]+", ref).group(0):
        n = n * 26 + ord(ch) - 64
    return n - 1

def main(path):
    z = zipfile.ZipFile(path)
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            shared.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels}
    for sh in wb.find("m:sheets", NS):
        rid = sh.get("{%s}id" % NS["r"])
        t = target[rid].lstrip("/")
        t = t if t.startswith("xl/") else "xl/" + t
        print("### sheet", sh.get("name"))
        root = ET.fromstring(z.read(t))
        for row in root.iter("{%s}row" % NS["m"]):
            cells = {}
            for c in row.findall("m:c", NS):
                v = c.find("m:v", NS)
                isv = c.find("m:is", NS)
                if c.get("t") == "s" and v is not None:
                    s = shared[int(v.text)]
                elif isv is not None:
                    s = "".join(x.text or "" for x in isv.iter("{%s}t" % NS["m"]))
                else:
                    s = v.text if v is not None else ""
                if s:
                    cells[col(c.get("r"))] = s.replace("\n", " / ").replace("\t", " ")
            if cells:
                print(row.get("r"), "\t".join(cells.get(i, "") for i in range(max(cells) + 1)), sep="\t")

if __name__ == "__main__":
    main(sys.argv[1])
