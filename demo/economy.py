"""The demo city's economy (issue 22): a year of monthly budget and utfall for its
administrations, written as the SIE 3 file an accounting system would export and imported
through the same path as an upload (economy.importing); a budget-deviation metric filled from it
in the city's Ekonomi perspective, and a forecast with a comment from Vård- och omsorgsnämnden.

The accounting system's cost centres (dimension 1, "Ansvar") are four-digit codes, mapped to the
administrations; each nämnd's economy page sums its administration. Amounts are invented but of
Helsingborg's order of magnitude, deterministic (a fixed seed), so a second load changes nothing.
"""

import random
from decimal import Decimal

from economy.importing import import_file, read_file
from economy.mapping import ensure_default_statement
from economy.models import Amount, EconomyImport, ForecastNote, ObjectMapping, Version
from scorecards.models import (
    Comparator,
    Direction,
    EconomyFigure,
    Frequency,
    Goal,
    Indicator,
    Metric,
    Source,
    Target,
)

YEAR = 2026
UTFALL_UNTIL = 10  # the demo's "now" (demo.city.LAST_MONTH)
FILENAME = f"demo-ekonomi-{YEAR}.se"
# (ansvar, name in the accounting system, unit code, net cost a year in MSEK, utfall vs budget)
COST_CENTRES = [
    ("1000", "Stadsledningsförvaltningen", "slf", 450, 0.99),
    ("1100", "Miljöförvaltningen", "mf", 45, 1.00),
    ("1200", "Skol- och fritidsförvaltningen", "sof", 2900, 1.01),
    ("1300", "Vård- och omsorgsförvaltningen", "vof", 2400, 1.03),
    ("1400", "Stadsbyggnadsförvaltningen", "sbf", 160, 0.97),
    ("1500", "Socialförvaltningen", "sf", 950, 1.04),
    ("1600", "Kulturförvaltningen", "kf", 260, 0.995),
    ("1700", "Arbetsmarknadsförvaltningen", "amf", 320, 0.98),
    ("1800", "Fastighetsförvaltningen", "ff", 120, 1.02),
]
# Kommun-Bas accounts and each one's share of the net cost (income negative).
ACCOUNTS = [
    ("3010", "Taxor och avgifter", -0.12),
    ("3510", "Hyror och arrenden", -0.04),
    ("4010", "Löner", 0.62),
    ("4510", "Sociala avgifter", 0.20),
    ("5410", "Förbrukningsinventarier", 0.05),
    ("6110", "Kontorsmaterial", 0.01),
    ("7010", "Köp av huvudverksamhet", 0.22),
    ("7810", "Avskrivningar", 0.05),
    ("8410", "Räntekostnader", 0.01),
]
INDICATOR = "ekonomi-budgetavvikelse"
CITY_GOAL = "Skattepengarna ska användas effektivt"  # demo.city.C_EFFICIENT


def sie3(seed: int = 22) -> bytes:
    """The year's SIE 3 file: #PBUDGET for all twelve months and #PSALDO up to October, per
    cost centre, with the account totals (rows without objects) alongside, as real exports do."""
    rng = random.Random(seed)
    lines = [
        "#FLAGGA 0",
        '#PROGRAM "Demoekonomi" 1.0',
        "#FORMAT PC8",
        f"#GEN {YEAR}1105",
        "#SIETYP 3",
        '#FNAMN "Helsingborgs stad"',
        f"#RAR 0 {YEAR}0101 {YEAR}1231",
        f"#RAR -1 {YEAR - 1}0101 {YEAR - 1}1231",
        "#KPTYP KOMMUNBAS",
        '#DIM 1 "Ansvar"',
    ]
    lines += [f'#KONTO {nr} "{name}"' for nr, name, _share in ACCOUNTS]
    lines += [f'#OBJEKT 1 "{code}" "{name}"' for code, name, *_rest in COST_CENTRES]
    totals: dict = {}
    for code, _name, _unit, msek, level in COST_CENTRES:
        for nr, _account, share in ACCOUNTS:
            budget_month = Decimal(msek * 1_000_000 * share / 12).quantize(Decimal("0.01"))
            for month in range(1, 13):
                period = f"{YEAR}{month:02}"
                _row(lines, totals, "#PBUDGET", period, nr, code, budget_month)
                if month <= UTFALL_UNTIL:
                    season = 1.08 if month in (6, 7, 8) and share > 0.5 else 1.0  # summer staff
                    factor = Decimal(str(round(level * season * rng.uniform(0.97, 1.03), 4)))
                    _row(lines, totals, "#PSALDO", period, nr, code, budget_month * factor)
    for (label, period, nr), amount in sorted(totals.items()):
        lines.append(f"{label} 0 {period} {nr} {{}} {amount:.2f}")
    return ("\n".join(lines) + "\n").encode("cp437")


def _row(lines, totals, label, period, account, code, amount: Decimal) -> None:
    amount = amount.quantize(Decimal("0.01"))
    lines.append(f'{label} 0 {period} {account} {{1 "{code}"}} {amount:.2f}')
    key = (label, period, account)
    totals[key] = totals.get(key, Decimal(0)) + amount


def load(units: dict, admin) -> None:
    """Map the cost centres, import the file, fill the metric; a second load changes nothing."""
    for code, name, unit_code, *_rest in COST_CENTRES:
        ObjectMapping.objects.update_or_create(
            dimension=1, code=code, defaults={"name": name, "unit": units[unit_code]}
        )
    _metric(units["helsingborg"])
    EconomyImport.objects.filter(filename=FILENAME).delete()  # the latest load's record only
    import_file(read_file(sie3()), filename=FILENAME, dimension=1, user=admin)
    _forecast(units["von"], admin)


def _metric(city) -> None:
    """Budgetavvikelse in kronor, year to date, on the city's cost-efficiency goal (Ekonomi)."""
    indicator, _created = Indicator.objects.update_or_create(
        code=INDICATOR,
        defaults={
            "name": "Budgetavvikelse hittills i år",
            "description": "Budget minus utfall hittills i år för hela staden, ur ekonomisystemet "
            "(SIE). Positivt är bättre än budget.",
            "unit": "kr",
            "decimals": 0,
            "direction": Direction.HIGHER,
            "frequency": Frequency.MONTHLY,
            "source": Source.ECONOMY,
            "economy_figure": EconomyFigure.BUDGET_DEVIATION,
        },
    )
    goal = Goal.objects.filter(scorecard__unit=city, scorecard__year=YEAR, title=CITY_GOAL).first()
    if goal is None:
        return
    metric, _created = Metric.objects.get_or_create(
        goal=goal, indicator=indicator, defaults={"order": 9}
    )
    Target.objects.get_or_create(
        metric=metric,
        year=YEAR,
        defaults={
            "comparator": Comparator.GTE,
            "value": Decimal(0),
            "tolerance": Decimal(20_000_000),
        },
    )


def _forecast(unit, admin) -> None:
    """Vård- och omsorgsnämnden's forecast in October: personnel costs over budget."""
    rows = {r.name: r for r in ensure_default_statement()}
    personal = rows["Personalkostnader"]
    budget = sum(
        Amount.objects.filter(
            unit__in=unit.descendants(include_self=True),
            year=YEAR,
            version=Version.BUDGET,
            row=personal,
        ).values_list("amount", flat=True),
        Decimal(0),
    )
    Amount.objects.update_or_create(
        unit=unit, row=personal, year=YEAR, month=UTFALL_UNTIL, version=Version.FORECAST,
        defaults={"amount": (budget * Decimal("1.035")).quantize(Decimal(1))},
    )  # fmt: skip
    ForecastNote.objects.update_or_create(
        unit=unit,
        year=YEAR,
        month=UTFALL_UNTIL,
        defaults={
            "comment": "Höga kostnader för bemanning under sommaren och fler brukare i "
            "hemtjänsten än planerat; prognosen är ett underskott mot budget.",
            "updated_by": admin,
        },
    )
