#!/usr/bin/env python3
"""The ERP-shaped variant of a benchmark data set (bench/run-erp.sh).

usage: gen_erp.py DIR      (DIR from gen.py: agreement.yaml, ledger.csv)

Writes, from DIR/ledger.csv, the same transactions as a council ERP would export them:

  DIR/ledger-erp.csv     a `directorate` column after `partner` ("Adult Social Care" on
                         every row), and the first 500 cost centres (CC0001..CC0500) under
                         ERP codes AS1000..AS1499
  DIR/erp-codes.csv      the 500-code mapping file: erp_code,cost_centre
  DIR/erp-agreement.yaml agreement.yaml with the import profile `erp`, which maps the
                         codes through erp-codes.csv and keeps rows by directorate
                         (include_when), so every row goes through the filter and a
                         quarter of them through the mapping file

The totals are those of ledger.csv, so run-erp.sh checks s75 against sqlite3 as run.sh does.
"""

import os
import sys

NCODES = 500

PROFILE = """import_profiles:
  - id: erp
    columns: {date: date, partner: partner, cost_centre: cost_centre, account: account,
              kind: kind, amount: amount, description: description, reference: reference}
    kind: {column_values: {expenditure: expenditure, income: income, transfer: transfer}}
    include_when:
      - {column: directorate, in: ["Adult Social Care", "Adults"]}
    cost_centre_map_file: erp-codes.csv
"""


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    d = argv[1]
    erp = {f"CC{i + 1:04d}": f"AS{1000 + i}" for i in range(NCODES)}
    with open(os.path.join(d, "erp-codes.csv"), "w", newline="") as f:
        f.write("erp_code,cost_centre\n")
        for cc, code in erp.items():
            f.write(f"{code},{cc}\n")
    with open(os.path.join(d, "agreement.yaml")) as f:
        text = f.read()
    with open(os.path.join(d, "erp-agreement.yaml"), "w") as f:
        f.write(text + PROFILE)
    with open(os.path.join(d, "ledger.csv"), newline="") as src, \
            open(os.path.join(d, "ledger-erp.csv"), "w", newline="") as out:
        src.readline()
        out.write("date,partner,directorate,cost_centre,account,kind,amount,description,reference\n")
        buf = []
        for line in src:
            date, partner, cc, rest = line.split(",", 3)
            buf.append(f"{date},{partner},Adult Social Care,{erp.get(cc, cc)},{rest}")
            if len(buf) >= 100000:
                out.write("".join(buf))
                buf = []
        out.write("".join(buf))


if __name__ == "__main__":
    main(sys.argv)
