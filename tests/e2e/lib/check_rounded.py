#!/usr/bin/env python3
"""Reads s75's text tables (stdin) and checks that, as printed, the rows of each total add
up to it: a total row (ruled off above) is the sum of the rows since the previous total
(that total included, unless it was a "Subtotal:"), and a "Total" after subtotals is the
sum of the subtotals. Amounts are the figures at the end of each line; percentages are
left out. Prints one line per table and exits 1 on a mismatch."""
import re
import sys

NUM = re.compile(r"^\(?-?[0-9][0-9,]*(\.[0-9]+)?\)?$")


def value(tok):
    neg = tok.startswith("(")
    t = tok.strip("()").replace(",", "")
    whole, _, frac = t.partition(".")
    v = int(whole) * 100 + int((frac + "00")[:2])
    return -v if neg else v


def trailing_numbers(line):
    toks = re.split(r"\s{2,}", line.strip())
    nums = []
    for t in reversed(toks):
        if t.endswith("%"):
            continue
        if not NUM.match(t):
            break
        nums.append(value(t))
    return toks[0], list(reversed(nums))


def main():
    lines = sys.stdin.read().split("\n")
    bad = 0
    tables = 0
    i = 0
    while i < len(lines):
        if not lines[i].startswith("==="):
            i += 1
            continue
        tables += 1
        rows = []  # (kind, label, nums): kind row/total/sub
        i += 1
        ruled = False
        while i < len(lines) and lines[i].strip():
            if lines[i].startswith("---"):
                ruled = True
            else:
                label, nums = trailing_numbers(lines[i])
                kind = "row"
                if ruled:
                    kind = "sub" if label.startswith("Subtotal") else "total"
                rows.append((kind, label, nums))
                ruled = False
            i += 1
        checked = 0
        start = 0
        subs = []
        for k, (kind, label, nums) in enumerate(rows):
            if kind == "row":
                continue
            if kind == "total" and subs:
                members = subs
                subs = []
            else:
                members = rows[start:k]
            for c in range(len(nums)):
                # figures line up from the right: a total may leave a column empty (the
                # packages of the partners, which overlap, are not summed)
                col = [m[2][len(m[2]) - len(nums) + c] for m in members if len(m[2]) >= len(nums)]
                if sum(col) != nums[c]:
                    print("%s: column %d: rows add to %d, the total shows %d" % (label, c + 1, sum(col), nums[c]))
                    bad += 1
                checked += 1
            if kind == "sub":
                subs.append(rows[k])
                start = k + 1
            else:
                start = k
        print("table %d: %d totals checked" % (tables, checked))
    sys.exit(1 if bad else 0)


main()
