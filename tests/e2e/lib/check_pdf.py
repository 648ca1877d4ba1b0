#!/usr/bin/env python3
"""check_pdf.py PAPER.txt PAPER.pdf: the PDF printed from a paper holds every column header
and every total row's figures of the paper's tables (PAPER.txt, the same document rendered
as text in the same units), and no page is larger than A4 in either orientation. Prints a
line of counts; exits 1 naming what is missing."""
import re
import subprocess
import sys

A4 = (595.3, 842.0)


def tables(text):
    """(headers, total rows) of each text table."""
    lines = text.split("\n")
    heads, totals = [], []
    for i, line in enumerate(lines):
        if line.startswith("===") and i > 0:
            heads.append(lines[i - 1])
            j = i + 1
            while j < len(lines) and lines[j].strip():
                if lines[j].startswith("---") and j + 1 < len(lines):
                    totals.append(lines[j + 1])
                j += 1
    return heads, totals


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    pdf = sys.argv[2]
    out = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True).stdout
    words = set(out.split())
    flat = " ".join(out.split())
    heads, totals = tables(text)
    missing = []
    nwords = 0
    for h in heads:
        for w in h.split():
            nwords += 1
            if w not in words and w not in flat:
                missing.append("header word %r" % w)
    nfig = 0
    for t in totals:
        for w in re.split(r"\s{2,}", t.strip())[1:]:
            if re.match(r"^\(?[0-9][0-9,.]*\)?%?$", w):
                nfig += 1
                if w not in words:
                    missing.append("total figure %r (%s)" % (w, t.split("  ")[0]))
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", pdf], capture_output=True, text=True).stdout
    pages = 0
    for m in re.finditer(r"Page +\d+ size: +([0-9.]+) x ([0-9.]+)", info):
        pages += 1
        w, h = float(m.group(1)), float(m.group(2))
        if max(w, h) > A4[1] + 1 or min(w, h) > A4[0] + 1:
            missing.append("page %d is %gx%g pt, larger than A4" % (pages, w, h))
    for m in missing:
        print("missing: " + m)
    print("%d tables, %d header words, %d total figures, %d A4 pages: %s" %
          (len(heads), nwords, nfig, pages, "all on the page" if not missing else "NOT all"))
    sys.exit(1 if missing else 0)


main()
