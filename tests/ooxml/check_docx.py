#!/usr/bin/env python3
"""check_docx.py — validates Word documents the way Word reads them.

Usage: check_docx.py DIR|FILE.docx ...   (a DIR is an unzipped package)

For every package:
- each XML part is validated with `xmllint --noout --schema` against the
  hand-written ECMA-376 subset in this directory, the schema and the root
  element chosen by the part's content type in [Content_Types].xml (a part
  whose content type is unknown here fails);
- the package rules of ECMA-376 Part 2 that a schema cannot express: every
  part has a content type, every Override names a part that exists, every
  internal relationship target exists, the package's officeDocument
  relationship leads to the main document, every r:id / r:embed names a
  relationship of its part, of the right type;
- the WordprocessingML rules Word repairs silently or refuses (Part 1,
  §17.4 and §20.4): the cells of each table row span exactly the table grid,
  a vMerge continuation sits under a merged cell, drawing ids are unique,
  every style a paragraph names exists.
Exit status 0 when every package passes; problems are printed one a line.
"""
import os
import posixpath
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from urllib.parse import quote

HERE = os.path.dirname(os.path.abspath(__file__))
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
DOC_REL = R + "/"

# content type -> (schema, root element)
PARTS = {
    WML + "document.main+xml": ("wml.xsd", "{%s}document" % W),
    WML + "styles+xml": ("wml.xsd", "{%s}styles" % W),
    WML + "settings+xml": ("wml.xsd", "{%s}settings" % W),
    WML + "fontTable+xml": ("wml.xsd", "{%s}fonts" % W),
    WML + "footer+xml": ("wml.xsd", "{%s}ftr" % W),
    WML + "header+xml": ("wml.xsd", "{%s}hdr" % W),
    "application/vnd.openxmlformats-package.core-properties+xml":
        ("opc-coreProperties.xsd", "{%s}coreProperties" % CP),
    "application/vnd.openxmlformats-package.relationships+xml":
        ("opc-relationships.xsd", "{%s}Relationships" % REL),
}
# relationship type -> the content type its target must have
REL_TARGET = {
    DOC_REL + "officeDocument": WML + "document.main+xml",
    DOC_REL + "styles": WML + "styles+xml",
    DOC_REL + "settings": WML + "settings+xml",
    DOC_REL + "fontTable": WML + "fontTable+xml",
    DOC_REL + "footer": WML + "footer+xml",
    DOC_REL + "header": WML + "header+xml",
    DOC_REL + "image": "image/png",
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties":
        "application/vnd.openxmlformats-package.core-properties+xml",
}
PNG = b"\x89PNG\r\n\x1a\n"


def w(name):
    return "{%s}%s" % (W, name)


class Package:
    def __init__(self, root, label):
        self.root, self.label, self.problems = root, label, []
        self.schema_files = {}  # schema -> the parts it validates
        self.names = set()
        for d, _, files in os.walk(root):
            for f in files:
                self.names.add(os.path.relpath(os.path.join(d, f), root).replace(os.sep, "/"))

    def bad(self, msg):
        self.problems.append("%s: %s" % (self.label, msg))

    def parse(self, name):
        return ET.parse(os.path.join(self.root, name)).getroot()


def content_types(pkg):
    """part name -> content type, and the problems of [Content_Types].xml."""
    if "[Content_Types].xml" not in pkg.names:
        pkg.bad("no [Content_Types].xml")
        return {}
    t = pkg.parse("[Content_Types].xml")
    default = {d.get("Extension").lower(): d.get("ContentType") for d in t.iter("{%s}Default" % CT)}
    override = {o.get("PartName"): o.get("ContentType") for o in t.iter("{%s}Override" % CT)}
    for part in override:
        if part.lstrip("/") not in pkg.names:
            pkg.bad("[Content_Types].xml overrides %s, which is not in the package" % part)
    types = {}
    for name in pkg.names:
        if name == "[Content_Types].xml":
            continue
        last = name.rsplit("/", 1)[-1]  # "_rels/.rels": the extension is "rels"
        ext = last.rsplit(".", 1)[1].lower() if "." in last else ""
        ct = override.get("/" + name) or default.get(ext)
        if not ct:
            pkg.bad("%s has no content type" % name)
        else:
            types[name] = ct
    return types


def rels_of(pkg, part):
    """The relationships of `part` ("" = the package): Id -> (Type, target part)."""
    d, f = posixpath.split(part)
    rname = posixpath.join(d, "_rels", f + ".rels")
    if rname not in pkg.names:
        return {}
    out = {}
    for r in pkg.parse(rname).iter("{%s}Relationship" % REL):
        target = r.get("Target")
        if r.get("TargetMode") == "External":
            continue
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(d, target))
        out[r.get("Id")] = (r.get("Type"), resolved)
    return out


def check_relationships(pkg, types):
    sources = [""] + [n for n in types if not n.endswith(".rels")]
    for src in sources:
        for rid, (rtype, target) in rels_of(pkg, src).items():
            if target not in pkg.names:
                pkg.bad("relationship %s of %s targets %s, which is not in the package"
                        % (rid, src or "the package", target))
            elif rtype in REL_TARGET and types.get(target) != REL_TARGET[rtype]:
                pkg.bad("relationship %s of %s: %s has content type %s, not %s"
                        % (rid, src or "the package", target, types.get(target), REL_TARGET[rtype]))
    main = [t for ty, t in rels_of(pkg, "").values() if ty == DOC_REL + "officeDocument"]
    if len(main) != 1:
        pkg.bad("the package has %d officeDocument relationships, not 1" % len(main))
    return main[0] if len(main) == 1 else None


def check_references(pkg, part, types):
    """r:id and r:embed name relationships of this part, of the right type."""
    rels = rels_of(pkg, part)
    want = {w("footerReference"): DOC_REL + "footer", w("headerReference"): DOC_REL + "header",
            "{%s}blip" % A: DOC_REL + "image"}
    for el in pkg.parse(part).iter():
        for attr in ("{%s}id" % R, "{%s}embed" % R):
            rid = el.get(attr)
            if rid is None:
                continue
            if rid not in rels:
                pkg.bad("%s: %s names relationship %s, which %s does not have" % (part, el.tag, rid, part))
            elif el.tag in want and rels[rid][0] != want[el.tag]:
                pkg.bad("%s: relationship %s is %s, not %s" % (part, rid, rels[rid][0], want[el.tag]))


def check_tables(pkg, doc, part):
    for n, tbl in enumerate(doc.iter(w("tbl")), 1):
        ncols = len(tbl.findall("%s/%s" % (w("tblGrid"), w("gridCol"))))
        above = {}  # grid column -> the vMerge state of the cell above
        for r, tr in enumerate(tbl.findall(w("tr")), 1):
            col, row = 0, {}
            for tc in tr.findall(w("tc")):
                pr = tc.find(w("tcPr"))
                span = int(pr.find(w("gridSpan")).get(w("val"))) if pr is not None and pr.find(w("gridSpan")) is not None else 1
                vm = pr.find(w("vMerge")) if pr is not None else None
                state = None if vm is None else (vm.get(w("val")) or "continue")
                if state == "continue" and above.get(col) not in ("restart", "continue"):
                    pkg.bad("%s: table %d row %d: a vMerge continuation at grid column %d has no merged cell above"
                            % (part, n, r, col + 1))
                for c in range(col, col + span):
                    row[c] = state
                col += span
            if col != ncols:
                pkg.bad("%s: table %d row %d spans %d grid columns, the grid has %d" % (part, n, r, col, ncols))
            above = row


def check_document(pkg, part, styles):
    doc = pkg.parse(part)
    check_tables(pkg, doc, part)
    ids = [d.get("id") for d in doc.iter("{%s}docPr" % WP)]
    if len(ids) != len(set(ids)):
        pkg.bad("%s: drawing ids (wp:docPr/@id) repeat" % part)
    for ps in doc.iter(w("pStyle")):
        if ps.get(w("val")) not in styles:
            pkg.bad("%s: paragraph style %s is not defined in styles.xml" % (part, ps.get(w("val"))))


def style_ids(pkg, part):
    ids = set()
    if part:
        st = pkg.parse(part)
        ids = {s.get(w("styleId")) for s in st.iter(w("style"))}
        for s in st.iter(w("style")):
            for ref in ("basedOn", "next", "link"):
                e = s.find(w(ref))
                if e is not None and e.get(w("val")) not in ids:
                    pkg.bad("%s: style %s: %s %s is not defined" % (part, s.get(w("styleId")), ref, e.get(w("val"))))
    return ids


def check_package(pkg):
    types = content_types(pkg)
    by_schema = {"opc-contentTypes.xsd": ["[Content_Types].xml"]}
    for name, ct in sorted(types.items()):
        if ct in PARTS:
            schema, root = PARTS[ct]
            try:
                tag = pkg.parse(name).tag
            except ET.ParseError as e:
                pkg.bad("%s is not well-formed XML: %s" % (name, e))
                continue
            if tag != root:
                pkg.bad("%s (%s) has root %s, not %s" % (name, ct, tag, root))
            by_schema.setdefault(schema, []).append(name)
        elif ct == "image/png":
            with open(os.path.join(pkg.root, name), "rb") as f:
                if f.read(8) != PNG:
                    pkg.bad("%s is declared image/png but is not a PNG" % name)
        else:
            pkg.bad("%s has content type %s, which this validator does not know" % (name, ct))
    for schema, names in by_schema.items():
        pkg.schema_files.setdefault(schema, []).extend(os.path.join(pkg.root, n) for n in names)
    main = check_relationships(pkg, types)
    for name, ct in types.items():
        if ct in PARTS and PARTS[ct][0] == "wml.xsd":
            check_references(pkg, name, types)
    if main and main in types:
        rels = rels_of(pkg, main)
        st = [t for ty, t in rels.values() if ty == DOC_REL + "styles"]
        check_document(pkg, main, style_ids(pkg, st[0] if st else None))
    return pkg.problems


def validate(pkgs):
    """One xmllint run per schema for the parts of all packages (a schema is
    compiled once); its complaints go to the package of the part."""
    files = {}
    for pkg in pkgs:
        for schema, names in pkg.schema_files.items():
            files.setdefault(schema, []).extend((pkg, n) for n in names)
    for schema, parts in sorted(files.items()):
        p = subprocess.run(["xmllint", "--noout", "--schema", os.path.join(HERE, schema)]
                           + [n for _, n in parts], capture_output=True, text=True)
        if p.returncode == 0:
            continue
        for line in p.stderr.splitlines():
            if line.endswith(" validates"):
                continue
            # xmllint writes a non-ASCII file name URI-escaped
            owner = [pkg for pkg, n in parts
                     if any(line.startswith(m + c) for m in (n, quote(n, safe="/")) for c in ": ")]
            if owner:
                owner[0].bad(line.replace(owner[0].root + "/", ""))
            else:
                pkgs[0].problems.append("xmllint: " + line)


def main(args):
    pkgs, tmp = [], []
    try:
        for a in args:
            if os.path.isdir(a):
                pkgs.append(Package(a, a))
                continue
            d = tempfile.mkdtemp()
            tmp.append(d)
            bad = []
            with zipfile.ZipFile(a) as z:
                for info in z.infolist():
                    # a part name never climbs out of the package
                    if info.filename.startswith("/") or ".." in info.filename.split("/"):
                        bad.append("%s: part name %s" % (a, info.filename))
                        continue
                    z.extract(info, d)
            pkgs.append(Package(d, a))
            pkgs[-1].problems += bad
        for pkg in pkgs:
            check_package(pkg)
        if pkgs:
            validate(pkgs)
        problems = [p for pkg in pkgs for p in pkg.problems]
    finally:
        for d in tmp:
            shutil.rmtree(d, ignore_errors=True)
    for p in problems:
        print(p)
    print("check_docx: %d package(s), %d problem(s)" % (len(pkgs), len(problems)), file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
