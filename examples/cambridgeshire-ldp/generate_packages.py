#!/usr/bin/env python3
"""Writes packages.csv: a synthetic register of care packages for the Cambridgeshire
Learning Disability Partnership example (docs/packages.md describes the columns).

Every value is illustrative: the report (seed 000) gives only the pool's 2022/23 budget,
£122,050k (§1.4), the partners' wish to move the risk share towards 70:30 or 60:40 "depending
on the outcome of reassessment activity" (§1.6), and that ending the pool means reassessing
every jointly funded package (§2.14). The register is drawn with a fixed seed, then its
weekly costs are scaled so that the annual cost of the packages active on 1 April 2022 is
within a few percent of the pool's £122,050k, as the register would be if the whole pool
were packages. Person ids are pseudonymous (LDP-nnnnnn), never names or NHS numbers.

    python3 generate_packages.py            # writes packages.csv beside this script
    python3 generate_packages.py -          # to stdout
"""
import csv
import datetime as dt
import os
import random
import sys
from decimal import ROUND_HALF_UP, Decimal

SEED = 75
PACKAGES = 720
TARGET_PENCE = 122_050_000_00  # the pool's 2022/23 budget (seed 000 §1.4)
COSTED_ON = dt.date(2022, 4, 1)

# service: (element, share of packages, weekly cost range in £)
SERVICES = [
    ("residential", "placements", 0.22, (1_600, 4_200)),
    ("nursing", "placements", 0.06, (2_000, 5_000)),
    ("supported living", "placements", 0.34, (1_000, 4_800)),
    ("home care", "placements", 0.08, (250, 1_100)),
    ("direct payment", "placements", 0.12, (200, 950)),
    ("day service", "day", 0.16, (150, 800)),
    ("inpatient bed", "atu", 0.02, (8_500, 14_000)),
]
# funding: (share of packages, health share choices in %)
FUNDING = [
    ("chc", 0.10, [100]),
    ("joint", 0.30, [25, 30, 40, 50, 60, 70]),
    ("s117", 0.06, [33.33, 50, 60]),
    ("social_care", 0.54, [0]),
]
PROVIDERS = ["Fenland Care", "Ouse Valley Homes", "Cam Supported Living", "Granta Nursing",
             "Isle of Ely Day Services", "Huntingdon Home Care", "Riverside Lodge",
             "St Neots Community Support", "Wisbech Care Trust", "Peterborough Road ATU"]


def pick(rng, table):
    r, acc = rng.random(), 0.0
    for row in table:
        acc += row[2] if len(row) > 3 else row[1]
        if r < acc:
            return row
    return table[-1]


def day(rng, start, end):
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def money(pence):
    return f"{pence // 100}.{pence % 100:02d}"


def draw(rng):
    """The packages as dicts, weekly costs in pence before scaling."""
    out = []
    person = 0
    for i in range(1, PACKAGES + 1):
        service, element, _, (lo, hi) = pick(rng, SERVICES)
        if element == "atu":
            funding, share = "chc", 100
        elif element == "day":
            funding = "social_care" if rng.random() < 0.8 else "joint"
            share = 0 if funding == "social_care" else rng.choice([25, 30, 50])
        else:
            funding, _, shares = pick(rng, FUNDING)
            if service == "direct payment" and funding == "chc":
                funding, shares = "joint", [50]  # a personal health budget, jointly funded
            share = rng.choice(shares)
        # one person in six has a second package (a placement and day services)
        if i == 1 or rng.random() > 1 / 6:
            person += 1
        start = day(rng, dt.date(2006, 4, 1), dt.date(2022, 3, 31))
        if rng.random() < 0.12:  # new packages after the budget was set
            start = day(rng, dt.date(2022, 4, 1), dt.date(2024, 6, 30))
        end = None
        if rng.random() < 0.10:
            end = day(rng, max(start, dt.date(2022, 6, 1)), dt.date(2024, 7, 31))
        weekly = rng.randrange(lo * 100, hi * 100)
        client = 0
        if funding in ("social_care", "joint") and service != "direct payment" and rng.random() < 0.7:
            client = rng.randrange(20_00, 140_00)
        # the register as extracted on 1 August 2024: most reviewed in the last year,
        # some not for longer (§2.13: annual reviews not consistently completed), some never
        last, r = None, rng.random()
        if r < 0.65:
            last = day(rng, dt.date(2023, 9, 1), dt.date(2024, 7, 31))
        elif r < 0.87:
            last = day(rng, dt.date(2021, 1, 1), dt.date(2023, 8, 31))
        if last is not None and last < start:
            last = None
        out.append(dict(package=f"PKG-{i:05d}", person=f"LDP-{person:06d}", element=element,
                        service=service, provider=rng.choice(PROVIDERS), start=start, end=end,
                        weekly=weekly, funding=funding, share=share, client=client, last=last,
                        versions=[]))
    # reassessments: a share of the jointly funded packages had their split changed, and
    # some placements a price uplift from April 2023
    for p in out:
        lo = max(p["start"] + dt.timedelta(days=30), dt.date(2022, 5, 1))
        hi = min(p["end"] or dt.date(2024, 6, 30), dt.date(2024, 6, 30))
        if lo >= hi:
            continue
        if p["funding"] in ("joint", "s117") and rng.random() < 0.25:
            new = rng.choice([s for s in (25, 30, 40, 50, 60, 70, 75) if s != p["share"]])
            p["versions"].append(dict(effective=day(rng, lo, hi), share=new, factor=None,
                                      reason="reassessment: health needs reviewed"))
        if p["element"] == "placements" and rng.random() < 0.15 and lo <= dt.date(2023, 4, 1) <= hi:
            p["versions"].append(dict(effective=dt.date(2023, 4, 1), share=None,
                                      factor=Decimal("1.05"), reason="provider uplift 5%"))
    return out


def annual_pence(weekly, client):
    """A year from COSTED_ON (365 days: no 29 February before 1 April 2023)."""
    return ((weekly - client) * 365 + 3) // 7


def main():
    rng = random.Random(SEED)
    packages = draw(rng)
    active = [p for p in packages
              if p["start"] <= COSTED_ON and (p["end"] is None or p["end"] >= COSTED_ON)]
    before = sum(annual_pence(p["weekly"], p["client"]) for p in active)
    scale = Decimal(TARGET_PENCE) / Decimal(before)
    for p in packages:
        w = (Decimal(p["weekly"]) * scale).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        p["weekly"] = max(int(w), p["client"] + 100)

    header = ["package", "person", "pool", "element", "cost_centre", "service", "provider",
              "start", "end", "effective", "weekly_cost", "funding", "health_share",
              "client_contribution", "last_review", "next_review", "reason"]
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "packages.csv")
    fp = sys.stdout if path == "-" else open(path, "w", newline="")
    w = csv.writer(fp, lineterminator="\n")
    w.writerow(header)
    for p in packages:
        if p["element"] == "atu":
            cc = "LDP300"
        elif p["element"] == "day":
            cc = "LDP200"
        elif p["funding"] == "chc":
            cc = "LDP120"
        elif p["funding"] == "social_care":
            cc = "LDP100" if p["service"] in ("residential", "nursing") else "LDP110"
        else:
            cc = ""  # jointly funded: each partner's part to its own cost centres
        rows = [dict(effective=None, weekly=p["weekly"], share=p["share"], reason="")]
        for v in sorted(p["versions"], key=lambda v: v["effective"]):
            prev = rows[-1]
            weekly = prev["weekly"]
            if v["factor"]:
                weekly = int((Decimal(weekly) * v["factor"]).quantize(Decimal(1), rounding=ROUND_HALF_UP))
            if any(r["effective"] == v["effective"] for r in rows):
                continue
            rows.append(dict(effective=v["effective"], weekly=weekly,
                             share=v["share"] if v["share"] is not None else prev["share"],
                             reason=v["reason"]))
        # the council collects a contribution: never more than its part of any version
        client = p["client"]
        for r in rows:
            bp = 0 if p["funding"] == "social_care" else int(Decimal(str(r["share"])) * 100)
            client = min(client, r["weekly"] * (10000 - bp) // 10000)
        last = p["last"]
        for r in rows:
            # a reassessment is a review: the record carries the latest one
            if r["effective"] and (last is None or r["effective"] > last):
                last = r["effective"]
        for r in rows:
            share = r["share"]
            w.writerow([p["package"], p["person"], "ldp", p["element"], cc, p["service"],
                        p["provider"], p["start"].isoformat(),
                        p["end"].isoformat() if p["end"] else "",
                        r["effective"].isoformat() if r["effective"] else "",
                        money(r["weekly"]), p["funding"],
                        "" if p["funding"] in ("chc", "social_care") else f"{share:g}",
                        money(client) if client else "",
                        last.isoformat() if last else "", "", r["reason"]])
    if fp is not sys.stdout:
        fp.close()


if __name__ == "__main__":
    main()
