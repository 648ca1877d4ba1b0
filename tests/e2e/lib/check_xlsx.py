#!/usr/bin/env python3
"""Reads an XLSX with the standard library only (zip + XML) and reports what the tests
check: the sheet names, every SUM formula against the cells it sums (a range, or a list of
subtotal cells), that every cell with a £ format holds a number and every date a date (no
YYYY-MM-DD left as text), and the cells asked for.

usage: check_xlsx.py FILE [SHEET!CELL ...]
"""
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}


def col_index(letters):
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def main():
    path = sys.argv[1]
    z = zipfile.ZipFile(path)
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels}
    strings = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            strings.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
    sheets = {}
    order = []
    styled = []
    for s in wb.find("m:sheets", NS):
        name = s.get("name")
        rid = s.get("{%s}id" % NS["r"])
        xml = ET.fromstring(z.read("xl/" + target[rid]))
        cells = {}
        for c in xml.iter("{%s}c" % NS["m"]):
            f = c.find("m:f", NS)
            v = c.find("m:v", NS)
            val = v.text if v is not None else None
            if c.get("t") == "s" and val is not None:
                val = strings[int(val)]
            cells[c.get("r")] = (val, f.text if f is not None else None, c.get("t"))
            styled.append((name, c.get("r"), int(c.get("s") or 0), c.get("t"), val))
        frozen = xml.find(".//m:pane", NS)
        filt = xml.find("m:autoFilter", NS)
        sheets[name] = (cells, frozen is not None and frozen.get("state") == "frozen",
                        filt.get("ref") if filt is not None else None)
        order.append(name)
    print("sheets:", ", ".join(order))
    styles = ET.fromstring(z.read("xl/styles.xml"))
    fmts = [f.get("formatCode") for f in styles.iter("{%s}numFmt" % NS["m"])]
    print("number formats:", "; ".join(fmts))
    codes = {int(f.get("numFmtId")): f.get("formatCode") for f in styles.iter("{%s}numFmt" % NS["m"])}
    xfs = [int(x.get("numFmtId") or 0) for x in styles.find("m:cellXfs", NS)]
    checked = bad = 0
    nmoney = ndate = 0
    for name, ref, xf, t, val in styled:
        code = codes.get(xfs[xf] if xf < len(xfs) else 0, "")
        if "£" in code:
            nmoney += 1
            if t in ("s", "str", "inlineStr"):
                print("%s!%s: a £ cell holds text %r" % (name, ref, val))
                bad += 1
        if "yy" in code:
            ndate += 1
            if t in ("s", "str", "inlineStr"):
                print("%s!%s: a date cell holds text %r" % (name, ref, val))
                bad += 1
        if t == "s" and val and re.fullmatch(r"\d{4}-\d\d-\d\d", val):
            print("%s!%s: a date stored as text %r" % (name, ref, val))
            bad += 1
    print("cells: %d with a £ format, all numbers; %d dates, all dates" % (nmoney, ndate)
          if not bad else "cells: some are text")
    for name in order:
        cells, frozen, filt = sheets[name]
        nformula = 0
        for ref, (val, f, _t) in sorted(cells.items()):
            if not f:
                continue
            m = re.fullmatch(r"SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)", f)
            listed = re.fullmatch(r"SUM\(([A-Z]+\d+(,[A-Z]+\d+)*)\)", f)
            if listed and not m:
                total = sum(float(cells[x][0]) for x in listed.group(1).split(",")
                            if x in cells and cells[x][0] is not None)
                checked += 1
                nformula += 1
                if abs(total - float(val)) > 0.005:
                    print("%s!%s: %s cached %s but the cells sum to %.2f" % (name, ref, f, val, total))
                    bad += 1
                continue
            if not m or m.group(1) != m.group(3):
                print("%s!%s: unexpected formula %s" % (name, ref, f))
                bad += 1
                continue
            col, lo, hi = m.group(1), int(m.group(2)), int(m.group(4))
            total = 0.0
            for r in range(lo, hi + 1):
                x = cells.get("%s%d" % (col, r))
                if x and x[0] is not None and x[2] not in ("s", "str"):
                    total += float(x[0])
            checked += 1
            nformula += 1
            if abs(total - float(val)) > 0.005:
                print("%s!%s: %s cached %s but the cells sum to %.2f" % (name, ref, f, val, total))
                bad += 1
        if name != "Cover":
            print("sheet %s: %d SUM formulas, header frozen: %s, filter: %s"
                  % (name, nformula, "yes" if frozen else "no", filt or "none"))
    print("formulas: %d checked, %d wrong" % (checked, bad))
    for arg in sys.argv[2:]:
        sheet, ref = arg.rsplit("!", 1)
        val, f, _t = sheets[sheet][0].get(ref, (None, None, None))
        print("%s = %s%s" % (arg, val, " (=%s)" % f if f else ""))
    return 1 if bad else 0


sys.exit(main())
