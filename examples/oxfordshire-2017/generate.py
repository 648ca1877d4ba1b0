#!/usr/bin/env python3
"""Generates a year of illustrative ledger data for the Oxfordshire 2017/18 example.

Writes, beside this script:

  budgets-2017-18.csv           cost-centre budgets (£'000), summing to each element's net
  ledger/occ-2017-MM.csv        the council's monthly ERP extract   (profile occ-erp)
  ledger/occg-2017-MM.csv       the CCG's monthly ledger extract    (profile occg-ledger)
  forecasts/forecasts-2017-08.csv, forecasts-2017-09.csv   forecast outturns at P5 and P6

Every figure is invented (the seed report gives only the contributions): the script is
here so that the data can be regenerated and its modelling read. Standard library only,
fixed seed, deterministic output:

  python3 generate.py

Modelling, in short:

* Each cost centre has a net annual budget (the element's net contribution allocated to
  cost centres, plus or minus the CCG's contribution transfers, below). Monthly spend
  follows the budget's profile (even twelfths, or a winter-weighted profile for care
  homes and hospital discharge) times a trend factor: a few cost centres drift over
  budget (learning disability placements, older people's care homes, continuing
  healthcare), a few under (psychological therapies vacancies, carers' grants). The
  pressure builds through the year, as it does in practice.
* The council's cost centres carry service-user income (client contributions), booked
  as credits to 9xxx income accounts; their expenditure is grossed up by the income, so
  that expenditure less income tracks the net budget.
* The improved Better Care Fund grant arrives in quarterly instalments on its own
  income cost centre (BCIB00, a negative budget), and pays for BCIB01 and BCIB02: the
  iBCF element nets to zero, as in the contributions schedule.
* The CCG pays part of its contributions to the council each quarter, in advance
  (learning disability packages, section 117 after-care, carers and prevention). These
  are transfers: paid (positive) in the CCG's ledger, received (a credit) in the
  council's. s75 leaves them out of the monitoring report. The council's cost-centre
  budgets include the money transferred and the CCG's exclude it.
* Large NHS contracts are block payments of an exact twelfth each month; care packages
  and placements are many invoices of skewed sizes, with the odd credit note.
"""

import csv
import datetime as dt
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20170401)

FY_START = 2017  # 2017/18: P1 = April 2017 ... P12 = March 2018
MONTHS = [(2017, m) for m in range(4, 13)] + [(2018, m) for m in range(1, 4)]
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July",
               "August", "September", "October", "November", "December"]

# England and Wales bank holidays in 2017/18: no postings on these days.
BANK_HOLIDAYS = {dt.date(2017, 4, 14), dt.date(2017, 4, 17), dt.date(2017, 5, 1),
                 dt.date(2017, 5, 29), dt.date(2017, 8, 28), dt.date(2017, 12, 25),
                 dt.date(2017, 12, 26), dt.date(2018, 1, 1), dt.date(2018, 3, 30)}

EVEN = [1] * 12
# Winter pressure: more care-home placements and discharges from November to March.
WINTER_CARE_HOMES = [8, 8, 8, 8, 8, 8, 8, 9, 9, 9, 9, 8]
WINTER_DISCHARGE = [7, 7, 7, 7, 7, 8, 9, 10, 10, 10, 9, 9]


class CostCentre:
    """One cost centre's budget and how its ledger lines are made.

    budget   net annual budget in £'000 (what goes in budgets-2017-18.csv)
    income   expected service-user income in £'000 (council only; grossed up into spend)
    trend    full-year outturn as a multiple of the net budget (1.06 = 6% overspend);
             the pressure ramps from half at P1 to one and a half at P12
    profile  12 monthly weights, P1 (April) to P12 (March)
    blocks   fixed monthly payments: (annual £'000, account, supplier, service)
    spot     (account, suppliers, services): invoices making up the rest of the spend
    rows     typical number of spot invoices a month
    skew     spread of invoice sizes (log-normal sigma)
    credits  chance in a month of a credit note (a refund of expenditure)
    """

    def __init__(self, code, partner, budget, *, income=0, trend=1.0, profile=EVEN,
                 blocks=(), spot=None, rows=10, skew=0.8, credits=0.0, noise=0.02):
        self.code, self.partner, self.budget, self.income = code, partner, budget, income
        self.trend, self.profile, self.blocks, self.spot = trend, profile, blocks, spot
        self.rows, self.skew, self.credits, self.noise = rows, skew, credits, noise

    def share(self, p):
        """The fraction of the year's budget profiled to period p (1..12)."""
        return self.profile[p - 1] / sum(self.profile)

    def ramp(self, p, trend=None):
        """Trend multiplier for period p: the pressure grows through the year."""
        t = self.trend if trend is None else trend
        return 1 + (t - 1) * (0.5 + (p - 1) / 11)

    def expected_net(self, p, trend=None):
        """Expected expenditure less income in period p, in pence (no noise)."""
        return round(self.budget * 100000 * self.share(p) * self.ramp(p, trend))


# Council (occ) suppliers. Names are invented; a few carry the accented letters and
# symbols a Windows-1252 extract really contains (é, £, en dash).
LD_HOMES = ["Résidence Belmont Nursing Home", "Cherwell Vale Care Ltd", "Thames Court Care",
            "Wychwood Lodge", "Ridgeway Community Homes", "Out of county – Wiltshire placement",
            "Evenlode House", "Chiltern Edge Care Ltd"]
LD_SUPPORT = ["Banbury Supported Living Ltd", "Vale Housing & Support", "Oxford Homeshare CIC",
              "Windrush Support Services", "Isis Care at Home", "Kidlington Living Options",
              "Abingdon Supported Tenancies"]
LD_DAY = ["Café Aroma Day Opportunities", "Didcot Day Centre", "Green Shoots Farm Project",
          "Direct payment – four-weekly", "Wantage Skills Café", "Art4All Oxford"]
MH_CARE = ["Restore Recovery Services", "Oxford Mind – floating support", "Elmore Community Services",
           "s117 after-care placement – Berkshire", "Riverside Recovery House"]
ABI_CARE = ["Headway Oxford", "Brain Injury Rehab Trust (placement)", "Apex Neuro Care"]
OP_HOMES = ["Résidence Marston Court", "Cotswold Grange Care Home", "Headington Care Home",
            "Bicester Lodge Nursing Home", "Henley Riverside Care", "Thame Meadows Care Centre",
            "Witney Manor Nursing Home", "Banbury Heights Care Home", "Wallingford Court"]
OP_HOME_CARE = ["Allied Home Care Oxford", "Bluebird Care Cherwell", "Home Instead Vale",
                "Oxfordshire Homecare Ltd", "Carefound Home Care", "HART reablement recharge"]
PD_CARE = ["Direct payment – PD four-weekly", "Able Living Services", "Equipment & Adaptations Ltd",
           "Independent Living Oxford", "Care at Home (PD) Ltd"]
BCF_ASC = ["Adult social care protection – staffing recharge", "Social work teams – hospital",
           "Assessment & review team recharge", "Emergency duty team recharge"]
BCF_CARERS = ["Carers Oxfordshire – contract", "Carers' personal budgets", "Age UK Oxfordshire – prevention",
              "Community Information Network", "Dementia Oxfordshire – carer support"]
IBCF_DISCHARGE = ["Reablement – additional capacity", "Discharge to assess beds – Résidence Marston Court",
                  "Hospital social work – weekend cover", "Trusted assessor posts"]
IBCF_MARKET = ["Home care market – fee uplift", "Care home market – quality support",
               "Workforce recruitment campaign"]

# CCG (occg) suppliers.
OH = "Oxford Health NHS FT"
OUH = "Oxford University Hospitals NHS FT"
CCG_LD = ["Southern Health NHS FT – LD assessment & treatment", "Cygnet Health Care – LD in-patient",
          "Priory Group – specialist LD placement"]
CCG_MH = ["Cygnet Health Care – out of area bed", "Priory Healthcare – PICU", "Response – step-down",
          "Oxfordshire Mind – recovery college", "s117 health share – joint package"]
CCG_IAPT = ["Talking Space Plus – Oxford Health FT", "Talking Space Plus – Mind sessional"]
CCG_ABI = ["Oxford Centre for Enablement", "Brain injury rehab – spot placement"]
CCG_COMMUNITY = ["Sue Ryder – Nettlebed hospice", "Marie Curie – rapid response",
                 "Community equipment – NRS Healthcare", "Age UK Oxfordshire – falls prevention"]
CCG_CHC = ["CHC package – nursing home", "CHC package – domiciliary", "FNC – funded nursing care",
           "CHC package – fast track end of life", "CHC package – 1:1 care"]
CCG_PD = ["CHC package – PD domiciliary", "CHC package – PD nursing", "Personal health budget – PD"]
CCG_DISCHARGE = ["Discharge to assess – interim beds", "Home first – rapid response",
                 "Hospital at home – Age UK", "Winter escalation beds"]

# Cost centres, in agreement order. Budgets in £'000; each element's budgets sum to its net
# contribution (gross - income - grants), adjusted for the CCG's transfers to the council:
#   LD  occ 69,381 + 9,000 transferred = ADLD01-03 78,381;  occg 13,477 - 9,000 = ADLD04 4,477
#   MH  occ  9,734 + 1,600 transferred = ADMH01 11,334;     occg 46,067 - 1,600 = ADMH02-03 44,467
#   BCF occ 21,531 + 4,000 transferred = BCBF01-02 25,531;  occg 14,423 - 4,000 = BCBF03 10,423
#   iBCF: 6,276 gross - 6,276 grant = 0: BCIB00 (grant) -6,276 + BCIB01 3,776 + BCIB02 2,500
CC = [
    # ---- Pool 1: adults
    CostCentre("ADLD01", "occ", 28400, income=3100, trend=1.065, rows=24, skew=0.6, credits=0.4,
               spot=("5101", LD_HOMES, ["residential placement", "nursing placement", "respite stay"])),
    CostCentre("ADLD02", "occ", 36500, income=1900, trend=1.015, rows=26, skew=0.7, credits=0.2,
               spot=("5111", LD_SUPPORT, ["supported living", "home support", "waking night cover"])),
    CostCentre("ADLD03", "occ", 13481, income=502, trend=0.99, rows=16, skew=0.7, credits=0.5,
               spot=("5131", LD_DAY, ["day opportunities", "direct payment", "transport"])),
    CostCentre("ADLD04", "occg", 4477, trend=1.03, rows=4, skew=0.5, noise=0.02,
               blocks=[(3000, "521100", OH, "LD community health block")],
               spot=("522000", CCG_LD, ["bed days", "placement", "assessment"])),
    CostCentre("ADMH01", "occ", 11334, trend=1.02, rows=14, skew=0.7, credits=0.2,
               spot=("5121", MH_CARE, ["care package", "supported accommodation", "after-care"])),
    CostCentre("ADMH02", "occg", 39867, trend=1.0, rows=8, skew=0.8, noise=0.02,
               blocks=[(33600, "521100", OH, "adult mental health block")],
               spot=("522000", CCG_MH, ["bed days", "placement", "contract"])),
    CostCentre("ADMH03", "occg", 4600, trend=0.92, rows=3, skew=0.3, noise=0.02,
               spot=("521100", CCG_IAPT, ["IAPT sessions"])),
    CostCentre("ADAB01", "occ", 621, trend=1.08, rows=4, skew=0.5,
               spot=("5101", ABI_CARE, ["care and support", "placement"])),
    CostCentre("ADAB02", "occg", 1672, trend=1.0, rows=4, skew=0.5, noise=0.02,
               spot=("522000", CCG_ABI, ["rehabilitation", "bed days"])),
    # ---- Pool 2: Better Care Fund
    CostCentre("BCOP01", "occ", 32000, income=20000, trend=1.045, profile=WINTER_CARE_HOMES, noise=0.015,
               rows=34, skew=0.6, credits=0.5,
               spot=("5102", OP_HOMES, ["residential placement", "nursing placement", "respite"])),
    CostCentre("BCOP02", "occ", 25683, income=6484, trend=1.01, rows=26, skew=0.8, credits=0.3,
               spot=("5121", OP_HOME_CARE, ["home care hours", "reablement hours", "live-in care"])),
    CostCentre("BCOP03", "occg", 31583, trend=1.0, rows=6, skew=0.6, noise=0.02,
               blocks=[(27000, "521100", OH, "community services block"),
                       (3000, "521100", OUH, "ambulatory care block")],
               spot=("522000", CCG_COMMUNITY, ["service", "contract"])),
    CostCentre("BCOP04", "occg", 23000, income=240, trend=1.035, rows=40, skew=0.7, credits=0.3,
               noise=0.02, spot=("521500", CCG_CHC, ["four-weekly", "monthly", "invoice"])),
    CostCentre("BCPD01", "occ", 15078, trend=1.0, rows=18, skew=0.8, credits=0.4,
               spot=("5141", PD_CARE, ["care package", "direct payment", "equipment"])),
    CostCentre("BCPD02", "occg", 7085, trend=1.0, rows=12, skew=0.7, noise=0.02,
               spot=("521500", CCG_PD, ["four-weekly", "monthly"])),
    CostCentre("BCBF01", "occ", 18531, trend=1.0, rows=5, skew=0.4, noise=0.01,
               spot=("5301", BCF_ASC, ["monthly recharge"])),
    CostCentre("BCBF02", "occ", 7000, trend=0.94, rows=10, skew=0.8,
               spot=("5201", BCF_CARERS, ["grant payment", "contract payment", "carers' breaks"])),
    CostCentre("BCBF03", "occg", 10423, trend=1.02, profile=WINTER_DISCHARGE, rows=8, skew=0.6,
               noise=0.02, spot=("522000", CCG_DISCHARGE, ["service", "bed days", "contract"])),
    CostCentre("BCIB00", "occ", -6276),  # the grant itself: income only, see grant_rows()
    CostCentre("BCIB01", "occ", 3776, trend=0.97, rows=7, skew=0.5,
               spot=("5401", IBCF_DISCHARGE, ["monthly", "additional capacity"])),
    CostCentre("BCIB02", "occ", 2500, trend=1.0, rows=4, skew=0.5,
               spot=("5201", IBCF_MARKET, ["payment", "instalment"])),
]
BY_CODE = {c.code: c for c in CC}

# The CCG's quarterly contribution transfers to the council, in advance, £'000 a year.
TRANSFERS = [("ADLD02", 9000, "learning disability packages"),
             ("ADMH01", 1600, "section 117 after-care"),
             ("BCBF02", 4000, "carers and prevention")]
IBCF_GRANT = 6276  # £'000 a year, paid to the council in four instalments

# Forecasts: at P5 and P6 the cost-centre managers forecast the year. The forecast is the
# actual to date plus the expected spend of the months left, rounded to the nearest £1,000.
# At P5 the pressures on learning disability and care homes were not yet fully seen.
FORECASTS = {
    5: {"ADLD01": (1.04, "Placement pressures emerging: three new residential placements"),
        "BCOP01": (1.025, "Care home numbers above budget; winter not yet assumed"),
        "ADMH02": (None, "Block contract on budget; out of area beds watched"),
        "ADMH03": (None, "IAPT therapist vacancies"),
        "BCOP04": (None, "Continuing healthcare eligibility growth")},
    6: {"ADLD01": (None, "Placement pressures: six new placements since April, two Transforming Care discharges"),
        "ADLD02": (None, "Supported living on plan; new schemes open in October"),
        "BCOP01": (None, "Care home placements above budgeted numbers; winter pressure assumed from November"),
        "BCOP02": (None, "Home care hours slightly above plan"),
        "ADMH02": (None, "Block contract on budget; out of area beds watched"),
        "ADMH03": (None, "IAPT therapist vacancies; recruitment under way"),
        "BCOP04": (None, "Continuing healthcare eligibility growth; £0.1m of disputed cases"),
        "BCBF02": (None, "Carers' grants slow to start"),
        "BCIB01": (None, "Reablement posts recruited from July")},
}


# ----------------------------------------------------------------------------- helpers

def working_days(year, month):
    d, out = dt.date(year, month, 1), []
    while d.month == month:
        if d.weekday() < 5 and d not in BANK_HOLIDAYS:
            out.append(d)
        d += dt.timedelta(days=1)
    return out


def split(total, weights):
    """Splits `total` pence into parts in proportion to `weights`, summing exactly."""
    s = sum(weights)
    parts = [int(total * w / s) for w in weights]
    parts[-1] += total - sum(parts)
    return parts


def pounds(pence):
    """1234567 -> '12345.67' (and negative with a leading minus)."""
    sign = "-" if pence < 0 else ""
    pence = abs(pence)
    return f"{sign}{pence // 100}.{pence % 100:02d}"


class Ledger:
    """The lines of one partner's extract for one month."""

    def __init__(self, partner, year, month):
        self.partner, self.year, self.month = partner, year, month
        self.days = working_days(year, month)
        self.lines = []  # (date, cost centre, account, kind, pence, description, reference)
        self.doc = 0

    def ref(self, prefix):
        self.doc += 1
        yy = self.year % 100
        return f"{prefix}{yy:02d}{self.month:02d}{self.doc:04d}"

    def add(self, date, cc, account, kind, pence, description, prefix):
        self.lines.append((date, cc, account, kind, pence, description, self.ref(prefix)))


# ----------------------------------------------------------------------------- the model

def spend_rows(led, c, p):
    """Expenditure (and service-user income) of cost centre c in period p."""
    mname = MONTH_NAMES[led.month - 1]
    exp_inc = round(c.income * 100000 * c.share(p))  # expected income this month
    income = round(exp_inc * rng.gauss(1.0, 0.04)) if c.income else 0
    gross = round((c.expected_net(p) + exp_inc) * rng.gauss(1.0, c.noise))
    prefix = "PI" if c.partner == "occ" else "INV"

    # block contracts: an exact twelfth, paid on the first working day
    for annual, account, supplier, service in c.blocks:
        amount = annual * 100000 // 12
        led.add(led.days[0], c.code, account, "expenditure", amount,
                f"{supplier} – {service} {mname[:3]} {led.year}", prefix)
        gross -= amount

    # credit notes: care suspended during a hospital stay, unspent direct payments
    credit = 0
    if rng.random() < c.credits:
        credit = round(gross * rng.uniform(0.002, 0.012))
        why = rng.choice(["hospital stay, care suspended", "overpayment recovered",
                          "unspent direct payment returned", "package ended"])
        led.add(rng.choice(led.days), c.code, c.spot[0], "expenditure", -credit,
                f"Credit note – {why}", "CN" if c.partner == "occ" else "CRN")

    # spot invoices of skewed sizes, adding up to the rest
    account, suppliers, services = c.spot
    n = max(1, round(c.rows * rng.uniform(0.8, 1.2)))
    weights = [rng.lognormvariate(0, c.skew) for _ in range(n)]
    for amount in split(gross + credit, weights):
        supplier, service = rng.choice(suppliers), rng.choice(services)
        led.add(rng.choice(led.days), c.code, account, "expenditure", amount,
                f"{supplier} – {service} {mname}", prefix)

    # income: client contributions in a few receipt batches (council); CHC recharges (CCG)
    if income and c.partner == "occ":
        residential = c.spot[0] in ("5101", "5102")
        acct = "9101" if residential else "9102"
        n = rng.randint(3, 6)
        for amount in split(income, [rng.uniform(0.5, 1.5) for _ in range(n)]):
            what = rng.choice(["Client contributions – direct debit run",
                               "Client contributions – cheques and cards",
                               f"Assessed charges {mname} (£ weekly contributions)",
                               "Deferred payment agreement – property charge"]
                              if residential else
                              ["Client contributions – direct debit run",
                               f"Non-residential charges {mname} (£ weekly contributions)",
                               "Client contributions – cheques and cards"])
            led.add(rng.choice(led.days), c.code, acct, "income", amount, what, "CR")
    elif income:
        led.add(rng.choice(led.days), c.code, "410000", "income", income,
                "CHC recharge – responsible commissioner elsewhere", "SI")


def grant_rows(led, p):
    """The improved Better Care Fund grant: quarterly instalments in P1, P4, P7, P10."""
    if p in (1, 4, 7, 10):
        q = (p + 2) // 3
        led.add(led.days[9], "BCIB00", "9501", "income", IBCF_GRANT * 100000 // 4,
                f"Improved Better Care Fund grant – s31 instalment Q{q}", "CR")


def transfer_rows(occ, occg, p):
    """The CCG's quarterly contributions to the council, paid in the quarter's first month."""
    if p not in (1, 4, 7, 10):
        return
    q = (p + 2) // 3
    day = occ.days[14]
    for code, annual, what in TRANSFERS:
        amount = annual * 100000 // 4
        occg.add(day, code, "580100", "transfer", amount,
                 f"Section 75 pooled fund contribution Q{q} – {what} (to OCC)", "JNL")
        occ.add(day, code, "T100", "transfer", -amount,
                f"Pooled fund contribution from OCCG Q{q} – {what}", "JV")


# ----------------------------------------------------------------------------- writers

def write_occ(led, p, path):
    """The council's ERP extract: titles, dd/mm/yyyy, debit/credit, Windows-1252, CRLF."""
    mname = MONTH_NAMES[led.month - 1]
    with open(path, "w", encoding="cp1252", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["Oxfordshire County Council – General Ledger Transactions – Pooled Budgets",
                    "", "", "", "", "", ""])
        w.writerow([f"Period {p} {FY_START}/{(FY_START + 1) % 100} ({mname} {led.year}) – values in £",
                    "", "", "", "", "", ""])
        w.writerow(["Posting Date", "Cost Centre", "Subjective", "Description", "Debit", "Credit",
                    "Doc No"])
        for date, cc, account, kind, pence, desc, ref in sorted(led.lines, key=lambda r: (r[0], r[6])):
            # the ledger's own sign: debits are spend and payments; credits are income,
            # refunds and contributions received
            if kind == "income":
                pence = -pence
            w.writerow([date.strftime("%d/%m/%Y"), cc, account, desc,
                        pounds(pence) if pence > 0 else "", pounds(-pence) if pence < 0 else "",
                        ref])


def write_occg(led, path):
    """The CCG's ledger: ISO dates, a Type column, one signed amount (debit positive)."""
    types = {"expenditure": "EXP", "income": "INC", "transfer": "TRF"}
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["Date", "CostCentre", "Account", "Type", "Amount", "Narrative", "Ref"])
        for date, cc, account, kind, pence, desc, ref in sorted(led.lines, key=lambda r: (r[0], r[6])):
            signed = -pence if kind == "income" else pence  # income is a credit
            w.writerow([date.isoformat(), cc, account, types[kind], pounds(signed), desc, ref])


def write_budgets(path):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["cost_centre", "budget"] + [f"p{i}" for i in range(1, 13)])
        for c in CC:
            w.writerow([c.code, c.budget] + c.profile)


def write_forecasts(p, actual, path):
    """Forecast outturn in £ at period p: actual to date + expected rest of the year."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["cost_centre", "forecast", "note"])
        for code, (trend, note) in FORECASTS[p].items():
            c = BY_CODE[code]
            to_date = sum(actual[code][:p])
            rest = sum(c.expected_net(q, trend) for q in range(p + 1, 13))
            forecast = round((to_date + rest) / 100000) * 1000  # nearest £1,000
            w.writerow([code, forecast, note])


def main():
    os.makedirs(os.path.join(HERE, "ledger"), exist_ok=True)
    os.makedirs(os.path.join(HERE, "forecasts"), exist_ok=True)
    write_budgets(os.path.join(HERE, "budgets-2017-18.csv"))
    actual = {c.code: [] for c in CC}  # net pence per period, for the forecasts
    for p, (year, month) in enumerate(MONTHS, start=1):
        occ, occg = Ledger("occ", year, month), Ledger("occg", year, month)
        for c in CC:
            if c.spot:
                spend_rows(occ if c.partner == "occ" else occg, c, p)
        grant_rows(occ, p)
        transfer_rows(occ, occg, p)
        for c in CC:
            net = sum((pence if kind == "expenditure" else -pence)
                      for led in (occ, occg) for _, cc, _, kind, pence, _, _ in led.lines
                      if cc == c.code and kind != "transfer")
            actual[c.code].append(net)
        write_occ(occ, p, os.path.join(HERE, "ledger", f"occ-{year}-{month:02d}.csv"))
        write_occg(occg, os.path.join(HERE, "ledger", f"occg-{year}-{month:02d}.csv"))
    for p, (year, month) in enumerate(MONTHS, start=1):
        if p in FORECASTS:
            write_forecasts(p, actual, os.path.join(HERE, "forecasts",
                                                    f"forecasts-{year}-{month:02d}.csv"))


if __name__ == "__main__":
    main()
