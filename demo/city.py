"""The demo city: a Helsingborg-like municipality with a goal programme, a four-level goal chain,
real Kolada figures and demo accounts, for trying Styrkort out (``manage.py load_demo``).

Loading is idempotent: every row has a stable key (a unit's or indicator's ``code``, a goal's
scorecard and title, a measurement's indicator, unit and period), and ``upsert`` writes only what
differs, so a second run neither duplicates rows nor adds history entries. Decisions, dates, §
and diarienummer are invented; the Kolada values up to 2022 are Helsingborg's real figures.
"""

import csv
import json
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from demo import economy as demo_economy
from demo import forecast as demo_forecast
from followup.assessments import suggestions_for
from followup.models import (
    Action,
    ActionState,
    Assessment,
    FollowUpOccasion,
    Measurement,
    OccasionKind,
    OccasionLog,
)
from followup.rollup import batched_refresh, refresh_goal_statuses
from kolada.benchmark import cache_store, group_record, group_store, municipalities_store
from kolada.catalogue import SHIPPED_CATALOGUE, catalogue_load, read_csv
from kolada.client import KoladaDatum, data_row
from kolada.models import KoladaKpi
from organisation.models import OrgUnit, Role, RoleAssignment, UnitKind
from scorecards.chain import link_goal
from scorecards.models import (
    Aggregation,
    Comparator,
    Direction,
    Frequency,
    Goal,
    GoalProgramme,
    Indicator,
    Metric,
    Perspective,
    Scorecard,
    ScorecardStatus,
    Source,
    Strategy,
    Target,
    YearValue,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
KOLADA_CSV = DATA_DIR / "helsingborg_and_riket_real_values_2015-2022.csv"
# Well known on purpose: the demo is for trying things out, never for real data.
DEMO_PASSWORD = "styrkort-demo"  # noqa: S105
YEARS = (2025, 2026)
LAST_MONTH = (2026, 10)  # the demo's "now": monthly values run up to October 2026
SEED = "styrkort-demo"
STOCKHOLM = ZoneInfo("Europe/Stockholm")

# The four perspectives of balanserad styrning; core.testing uses the same list, one source.
DEFAULT_PERSPECTIVES = [
    ("medborgare", "Medborgare", "#0b5394", "people"),
    ("ekonomi", "Ekonomi", "#1e7b34", "coins"),
    ("organisation", "Organisation", "#8a4baf", "building"),
    ("framtid", "Framtid", "#b35900", "leaf"),
]
PERSPECTIVE_DESCRIPTIONS = {
    "medborgare": "Hur staden möter helsingborgarnas behov: service, trygghet, utbildning och "
    "livskvalitet.",
    "ekonomi": "En långsiktigt hållbar ekonomi där skattepengarna används effektivt.",
    "organisation": "Medarbetare, ledarskap och arbetssätt – en attraktiv arbetsgivare.",
    "framtid": "Hållbar utveckling, klimat och miljö – en stad som växer för kommande "
    "generationer.",
}

K = UnitKind
# (code, name, kind, parent code). Codes are the stable keys; parents come before children.
UNITS = [
    ("helsingborg", "Helsingborgs stad", K.MUNICIPALITY, None),
    ("ks", "Kommunstyrelsen", K.BOARD, "helsingborg"),
    ("slf", "Stadsledningsförvaltningen", K.ADMINISTRATION, "ks"),
    ("slf-hr", "HR-avdelningen", K.DEPARTMENT, "slf"),
    ("mn", "Miljönämnden", K.COMMITTEE, "helsingborg"),
    ("mf", "Miljöförvaltningen", K.ADMINISTRATION, "mn"),
    ("sofn", "Skol- och fritidsnämnden", K.COMMITTEE, "helsingborg"),
    ("sof", "Skol- och fritidsförvaltningen", K.ADMINISTRATION, "sofn"),
    ("sof-grundskola", "Grundskoleavdelningen", K.DEPARTMENT, "sof"),
    ("sof-raaskolan", "Rååskolan", K.UNIT, "sof-grundskola"),
    ("sof-tagaborgsskolan", "Tågaborgsskolan", K.UNIT, "sof-grundskola"),
    ("von", "Vård- och omsorgsnämnden", K.COMMITTEE, "helsingborg"),
    ("vof", "Vård- och omsorgsförvaltningen", K.ADMINISTRATION, "von"),
    ("vof-hemvard", "Hemvårdsavdelningen", K.DEPARTMENT, "vof"),
    ("vof-hemtjanst-norr", "Hemtjänst Norr", K.UNIT, "vof-hemvard"),
    ("vof-hemtjanst-soder", "Hemtjänst Söder", K.UNIT, "vof-hemvard"),
    ("vof-hemtjanst-centrum", "Hemtjänst Centrum", K.UNIT, "vof-hemvard"),
    ("sbn", "Stadsbyggnadsnämnden", K.COMMITTEE, "helsingborg"),
    ("sbf", "Stadsbyggnadsförvaltningen", K.ADMINISTRATION, "sbn"),
    ("socn", "Socialnämnden", K.COMMITTEE, "helsingborg"),
    ("sf", "Socialförvaltningen", K.ADMINISTRATION, "socn"),
    ("sf-myndighet", "Myndighetsavdelningen", K.DEPARTMENT, "sf"),
    ("kn", "Kulturnämnden", K.COMMITTEE, "helsingborg"),
    ("kf", "Kulturförvaltningen", K.ADMINISTRATION, "kn"),
    ("kf-dunkers", "Dunkers kulturhus", K.UNIT, "kf"),
    ("kf-stadsbiblioteket", "Stadsbiblioteket", K.UNIT, "kf"),
    ("amn", "Arbetsmarknadsnämnden", K.COMMITTEE, "helsingborg"),
    ("amf", "Arbetsmarknadsförvaltningen", K.ADMINISTRATION, "amn"),
    ("fn", "Fastighetsnämnden", K.COMMITTEE, "helsingborg"),
    ("ff", "Fastighetsförvaltningen", K.ADMINISTRATION, "fn"),
    ("ff-drift", "Drift- och underhållsavdelningen", K.DEPARTMENT, "ff"),
    ("ff-energi", "Energienheten", K.UNIT, "ff-drift"),
    ("ff-service", "Fastighetsservice", K.UNIT, "ff-drift"),
    ("helsingborgshem", "Helsingborgshem AB", K.COMPANY, "helsingborg"),
    ("oresundskraft", "Öresundskraft AB", K.COMPANY, "helsingborg"),
]
# History: Hemtjänst Centrum was merged into Hemtjänst Söder at the turn of 2024/2025.
MERGED = ("vof-hemtjanst-centrum", date(2024, 12, 31), "vof-hemtjanst-soder")

H, L, R = Direction.HIGHER, Direction.LOWER, Direction.RANGE
M, T, Y = Frequency.MONTHLY, Frequency.TERTIAL, Frequency.YEARLY
# code → Indicator fields. "kpi" makes it a yearly Kolada indicator; "base" is the usual level of
# an indicator followed without a target, "season" spreads monthly values over the year.
SICK_SEASON = (1.2, 1.2, 1.1, 1.0, 0.95, 0.85, 0.7, 0.8, 1.0, 1.05, 1.1, 1.15)
VISIT_SEASON = (0.8, 0.85, 0.95, 1.0, 1.05, 1.1, 1.3, 1.25, 0.95, 0.95, 0.9, 0.9)
INDICATORS = {
    "kolada-n00667": dict(kpi="N00667", name="Medborgarundersökningen – bra plats att bo", unit="%", direction=H),
    "kolada-n15428": dict(kpi="N15428", name="Åk 9 behöriga till yrkesprogram, hemkommun", unit="%", direction=H),
    "kolada-n17461": dict(kpi="N17461", name="Gymnasieexamen inom 4 år, hemkommun", unit="%", direction=H),
    "kolada-n03102": dict(kpi="N03102", name="Årets resultat, % av skatt och generella statsbidrag", unit="%", direction=H),
    "kolada-n03002": dict(kpi="N03002", name="Soliditet inkl. pensionsåtagande", unit="%", direction=H),
    "kolada-n00090": dict(kpi="N00090", name="Sjukfrånvaro totalt bland anställda", unit="%", direction=L),
    "kolada-u00200": dict(kpi="U00200", name="Hållbart medarbetarengagemang (HME), totalindex", unit="index", direction=H),
    "kolada-n00209": dict(kpi="N00209", name="Heltidsarbetande månadsavlönade", unit="%", direction=H),
    "kolada-n00401": dict(kpi="N00401", name="Växthusgasutsläpp per invånare", unit="ton CO2e/inv", direction=L, decimals=2),
    "kolada-u00502": dict(kpi="U00502", name="Fossiloberoende fordon i kommunorganisationen", unit="%", direction=H),
    "kolada-n45930": dict(kpi="N45930", name="Förnybar fjärrvärme", unit="%", direction=H),
    "kolada-n01951": dict(kpi="N01951", name="Folkmängd", unit="invånare", direction=H, decimals=0),
    "energi-lokaler": dict(name="Energianvändning i kommunala lokaler", unit="kWh/m²", direction=L, frequency=M, decimals=0,
                           description="Rullande tolv månader, normalårskorrigerat."),
    "arenden-6-veckor": dict(name="Andel ärenden handlagda inom 6 veckor", unit="%", direction=H, frequency=M, year_value=YearValue.MEAN),
    "besokare-kulturhus": dict(name="Antal besökare i kulturhusen", unit="besökare", direction=H, frequency=M, decimals=0,
                               year_value=YearValue.SUM, aggregation=Aggregation.SUM, season=VISIT_SEASON),
    "sjukfranvaro": dict(name="Sjukfrånvaro", unit="%", direction=L, frequency=M, year_value=YearValue.MEAN,
                         aggregation=Aggregation.MEAN, season=SICK_SEASON),
    "budgetavvikelse": dict(name="Resultat i förhållande till budget", unit="%", direction=R, frequency=T,
                            description="Prognostiserat resultat mot budget, i procent av nettokostnaden."),
    "bostader": dict(name="Antal färdigställda bostäder", unit="bostäder", direction=H, decimals=0),
    "e-tjanster": dict(name="Andel ärenden som kan startas digitalt", unit="%", direction=H),
    "tillsyn": dict(name="Andel genomförd planerad tillsyn", unit="%", direction=H, frequency=T),
    "trygga-elever": dict(name="Andel elever som känner sig trygga i skolan", unit="%", direction=H),
    "klimat-maltider": dict(name="Klimatpåverkan från inköpta livsmedel", unit="kg CO2e/kg", direction=L, frequency=M,
                            decimals=2, year_value=YearValue.MEAN),
    "nojd-omsorg": dict(name="Andel brukare nöjda med vård och omsorg", unit="%", direction=H),
    "fossilfria-fordon": dict(name="Andel fossilfria fordon i verksamheten", unit="%", direction=H),
    "bygglovstid": dict(name="Handläggningstid för bygglov", unit="veckor", direction=L, frequency=M, year_value=YearValue.MEAN),
    "planlagda-bostader": dict(name="Antal bostäder i antagna detaljplaner", unit="bostäder", direction=H, decimals=0),
    "till-arbete": dict(name="Andel deltagare som gått till arbete eller studier", unit="%", direction=H, frequency=T),
    "yrkesutbildning": dict(name="Antal deltagare i yrkesutbildning", unit="deltagare", direction=H, decimals=0, base=450),
    "nki-hyresgaster": dict(name="Nöjd kundindex (NKI) hyresgäster", unit="index", direction=H, decimals=0),
    "solceller": dict(name="Installerad effekt solceller", unit="kW", direction=H, decimals=0, base=2600),
    "bolag-soliditet": dict(name="Soliditet i bolaget", unit="%", direction=H),
    "energi-bostader": dict(name="Energianvändning i bostadsbeståndet", unit="kWh/m²", direction=L, decimals=0),
    "avbrottstid": dict(name="Genomsnittlig avbrottstid per elkund", unit="minuter", direction=L, decimals=0),
    "fjarrvarme-fornybar": dict(name="Andel förnybar och återvunnen energi i fjärrvärmen", unit="%", direction=H),
    "felanmalningar": dict(name="Andel felanmälningar åtgärdade inom 5 arbetsdagar", unit="%", direction=H, frequency=M,
                           year_value=YearValue.MEAN),
    "energironder": dict(name="Antal genomförda energironder", unit="st", direction=H, decimals=0),
    "energibesparing": dict(name="Minskad energianvändning jämfört med föregående år", unit="%", direction=H),
    "kontinuitet": dict(name="Antal personal en hemtjänstbrukare möter under 14 dagar", unit="personer", direction=L,
                        frequency=M, decimals=0, year_value=YearValue.MEAN),
}  # fmt: skip


def t(comparator: str, value, high=None, tol=0) -> dict:
    """A target: ≤ / ≥ a value, or a range [value, high]; ``tol`` is how far off still counts as close."""
    return {
        "comparator": comparator,
        "value": Decimal(str(value)),
        "value_high": None if high is None else Decimal(str(high)),
        "tolerance": Decimal(str(tol)),
    }


class G(NamedTuple):
    """A goal in the demo data. ``parent`` names the goal it contributes to in the parent unit's
    scorecard; a goal whose title also exists there links to that one instead (shared goals)."""

    perspective: str
    title: str
    parent: str = ""
    metrics: tuple = ()  # (indicator code, target dict or None for an "inriktning")
    strategies: tuple = ()
    prioritised: bool = False


# The city's goals; the first Framtid goal and its target are the seed's example, verbatim.
C_ATTRACTIVE = "Helsingborg ska vara en attraktiv stad att bo och leva i"
C_SCHOOL = "Alla barn och unga ska ha goda förutsättningar att lyckas i skolan"
C_SERVICE = "Helsingborgarna ska få en snabb och tillgänglig service"
C_ECONOMY = "Helsingborgs stad ska ha en långsiktigt hållbar ekonomi"
C_EFFICIENT = "Skattepengarna ska användas effektivt"
C_EMPLOYER = "Helsingborgs stad ska vara en attraktiv arbetsgivare"
C_CLIMATE = "Helsingborgs stad ska ligga i framkant i miljö- och klimatfrågor"
C_GROWTH = "Helsingborg ska växa hållbart med bostäder för alla"
CITY_GOALS = [
    G("medborgare", C_ATTRACTIVE, metrics=(("kolada-n00667", t("gte", 92, tol=2)),),
      strategies=("Skapa trygga och levande stadsmiljöer i alla stadsdelar",
                  "Involvera helsingborgarna i stadens utveckling"), prioritised=True),
    G("medborgare", C_SCHOOL, metrics=(("kolada-n15428", t("gte", 88, tol=2)), ("kolada-n17461", t("gte", 75, tol=3))),
      strategies=("Tidiga insatser för elever som riskerar att inte nå målen",
                  "Samverkan mellan skola, socialtjänst och fritid"), prioritised=True),
    G("medborgare", C_SERVICE, metrics=(("arenden-6-veckor", t("gte", 90, tol=5)),),
      strategies=("Utveckla fler e-tjänster", "Korta handläggningstiderna")),
    G("ekonomi", C_ECONOMY, metrics=(("kolada-n03102", t("gte", 2, tol=0.5)), ("kolada-n03002", t("gte", 40, tol=2))),
      strategies=("Investeringar prioriteras utifrån långsiktig nytta",), prioritised=True),
    G("ekonomi", C_EFFICIENT, metrics=(("budgetavvikelse", t("range", 0, 2, tol=0.5)),),
      strategies=("Jämför kostnader och kvalitet med liknande kommuner",)),
    G("organisation", C_EMPLOYER, metrics=(("kolada-n00090", t("lte", 6.5, tol=0.5)), ("kolada-u00200", t("gte", 82, tol=1))),
      strategies=("Utveckla ett nära och tillitsbaserat ledarskap", "Förebygg ohälsa genom tidiga insatser"),
      prioritised=True),
    G("organisation", "Fler medarbetare ska arbeta heltid", metrics=(("kolada-n00209", None),),
      strategies=("Heltid som norm vid nyanställning",)),
    G("framtid", C_CLIMATE,
      metrics=(("energi-lokaler", t("lte", 160, tol=5)), ("kolada-n00401", t("lte", 3.0, tol=0.2)),
               ("kolada-u00502", t("gte", 95, tol=2)), ("kolada-n45930", t("gte", 85, tol=3))),
      strategies=("Energieffektivisera stadens lokaler", "Ställ om stadens fordon till fossilfria drivmedel",
                  "Öka produktionen av förnybar energi"), prioritised=True),
    G("framtid", C_GROWTH, metrics=(("bostader", t("gte", 1000, tol=100)), ("kolada-n01951", None)),
      strategies=("Planera för blandade bostäder i hela staden",)),
]  # fmt: skip

# Shared Ekonomi and Organisation goals: every unit below the city has them, each level linking
# to the same goal one level up, so staff and budget follow-up chains all the way down.
COMMON_ECONOMY = G("ekonomi", "Verksamheten ska bedrivas inom tilldelad budgetram", C_EFFICIENT,
                   (("budgetavvikelse", t("range", 0, 2, tol=0.5)),),
                   ("Månatlig ekonomisk uppföljning med verksamhetens chefer",))  # fmt: skip
STAFF = "Medarbetarna ska ha en hälsosam och utvecklande arbetsmiljö"
COMMON_STAFF = G("organisation", STAFF, C_EMPLOYER, (("sjukfranvaro", t("lte", 6.5, tol=0.5)),),
                 ("Arbeta förebyggande med hälsa och arbetsmiljö", "Följ upp korttidssjukfrånvaro tidigt"))  # fmt: skip
CARE_STAFF = COMMON_STAFF._replace(metrics=(("sjukfranvaro", t("lte", 8, tol=1)),))
COMPANY_ECONOMY = G("ekonomi", "Bolaget ska ha en långsiktigt stabil ekonomi", C_ECONOMY)


def unit_goals(
    medborgare: G, framtid: G, ekonomi: G = COMMON_ECONOMY, organisation: G = COMMON_STAFF
):
    return [medborgare, ekonomi, organisation, framtid]


FN_CITIZENS = "Stadens lokaler ska vara trygga, tillgängliga och ändamålsenliga"
FN_ENERGY = "Stadens lokaler ska bli mer energieffektiva"
FF_CITIZENS = "Hyresgästerna ska vara nöjda med lokaler och service"
FF_ENERGY = "Energianvändningen i förvaltade lokaler ska minska"
DRIFT_CITIZENS = "Felanmälningar ska åtgärdas snabbt"
DRIFT_ENERGY = "Byggnaderna ska drivas med låg energianvändning"
VON_CITIZENS = "Äldre ska känna sig trygga och nöjda med vård och omsorg"
VON_FUTURE = "Vård och omsorg ska ställa om till fossilfria transporter"
VOF_CITIZENS = "Brukarna ska vara nöjda med hemtjänst och boende"
VOF_FUTURE = "Förvaltningens transporter ska vara fossilfria"
HEMVARD_CITIZENS = "Brukarna ska få hemtjänst med hög kontinuitet"
HEMVARD_FUTURE = "Hemtjänstens resor ska ske med cykel, el eller till fots"

# Scorecards, parents first: the city, every board and company, and two branches down to an
# enhet (Fastighets: the seed's energy chain; Vård och omsorg: drafts in 2026).
SCORECARDS = {
    "helsingborg": CITY_GOALS,
    "ks": unit_goals(
        G("medborgare", "Stadens service ska vara digital först och enkel att använda", C_SERVICE,
          (("e-tjanster", t("gte", 80, tol=5)),), ("Gemensam plattform för e-tjänster",)),
        G("framtid", "Stadens klimatarbete ska leda till minskade utsläpp", C_CLIMATE,
          (("fossilfria-fordon", t("gte", 95, tol=3)),), ("Samordna stadens klimatprogram",), True)),
    "mn": unit_goals(
        G("medborgare", "Helsingborgarna ska ha en god och hälsosam livsmiljö", C_ATTRACTIVE,
          (("tillsyn", t("gte", 95, tol=5)),), ("Riskbaserad tillsynsplanering",)),
        G("framtid", "Miljönämndens verksamhet ska vara fossilfri", C_CLIMATE,
          (("fossilfria-fordon", t("gte", 95, tol=3)),), ("Elcyklar och elbilar vid inspektioner",))),
    "sofn": unit_goals(
        G("medborgare", "Alla elever ska känna sig trygga i skolan", C_SCHOOL,
          (("trygga-elever", t("gte", 90, tol=3)),), ("Trygghetsvandringar på varje skola",), True),
        G("framtid", "Skolmåltiderna ska ha låg klimatpåverkan", C_CLIMATE,
          (("klimat-maltider", t("lte", 1.5, tol=0.1)),), ("Mer vegetariskt i skolmaten",))),
    "von": unit_goals(
        G("medborgare", VON_CITIZENS, C_ATTRACTIVE, (("nojd-omsorg", t("gte", 90, tol=3)),),
          ("Individanpassad omsorg med brukarens delaktighet",), True),
        G("framtid", VON_FUTURE, C_CLIMATE, (("fossilfria-fordon", t("gte", 90, tol=5)),),
          ("Elbilar och elcyklar i hemtjänsten",)),
        organisation=CARE_STAFF),
    "sbn": unit_goals(
        G("medborgare", "Bygglov ska handläggas snabbt och rättssäkert", C_SERVICE,
          (("bygglovstid", t("lte", 5, tol=1)),), ("Digital bygglovsansökan",)),
        G("framtid", "Planberedskapen ska möjliggöra nya bostäder", C_GROWTH,
          (("planlagda-bostader", t("gte", 1500, tol=200)),), ("Planprogram för stadsdelar i förändring",), True)),
    "socn": unit_goals(
        G("medborgare", "Barn och vuxna ska få rätt stöd i rätt tid", C_SERVICE,
          (("arenden-6-veckor", t("gte", 90, tol=5)),), ("Tydliga rutiner för utredningstider",), True),
        G("framtid", "Socialtjänsten ska minska sin klimatpåverkan", C_CLIMATE,
          (("fossilfria-fordon", t("gte", 90, tol=5)),), ("Digitala möten där det passar",))),
    "kn": unit_goals(
        G("medborgare", "Kulturlivet ska vara tillgängligt för alla helsingborgare", C_ATTRACTIVE,
          (("besokare-kulturhus", t("gte", 650000, tol=30000)),), ("Fri entré för barn och unga",), True),
        G("framtid", "Kulturens lokaler och evenemang ska ha låg klimatpåverkan", C_CLIMATE,
          (("energi-lokaler", t("lte", 170, tol=5)),), ("Klimatsmarta evenemang",))),
    "amn": unit_goals(
        G("medborgare", "Fler helsingborgare ska gå från bidrag till arbete eller studier", C_ATTRACTIVE,
          (("till-arbete", t("gte", 40, tol=5)),), ("Samverkan med näringslivet om praktik",), True),
        G("framtid", "Arbetsmarknadsinsatserna ska möta framtidens kompetensbehov", C_GROWTH,
          (("yrkesutbildning", None),), ("Yrkesutbildningar inom bristyrken",))),
    "fn": unit_goals(
        G("medborgare", FN_CITIZENS, C_ATTRACTIVE, (("nki-hyresgaster", t("gte", 75, tol=3)),),
          ("Tillgänglighetsinventering av alla lokaler",)),
        G("framtid", FN_ENERGY, C_CLIMATE, (("energi-lokaler", t("lte", 155, tol=5)), ("solceller", None)),
          ("Energieffektivisering vid varje större renovering", "Solceller på stadens tak"), True)),
    "helsingborgshem": unit_goals(
        G("medborgare", "Hyresgästerna ska trivas och känna sig trygga i sitt boende", C_ATTRACTIVE,
          (("nki-hyresgaster", t("gte", 80, tol=3)),), ("Trygghetsskapande åtgärder i bostadsområdena",), True),
        G("framtid", "Bostadsbeståndet ska bli mer energieffektivt", C_CLIMATE,
          (("energi-bostader", t("lte", 120, tol=5)),), ("Energirenovering av miljonprogramsområden",)),
        ekonomi=COMPANY_ECONOMY._replace(metrics=(("bolag-soliditet", t("gte", 25, tol=2)),))),
    "oresundskraft": unit_goals(
        G("medborgare", "Kunderna ska ha en trygg och säker energiförsörjning", C_ATTRACTIVE,
          (("avbrottstid", t("lte", 20, tol=5)),), ("Kablifiering av luftledningar",)),
        G("framtid", "Fjärrvärmen ska vara förnybar eller återvunnen", C_CLIMATE,
          (("fjarrvarme-fornybar", t("gte", 98, tol=1)),), ("Ta tillvara spillvärme från industrin",), True),
        ekonomi=COMPANY_ECONOMY._replace(metrics=(("bolag-soliditet", t("gte", 30, tol=2)),))),
    "ff": unit_goals(
        G("medborgare", FF_CITIZENS, FN_CITIZENS, (("nki-hyresgaster", t("gte", 75, tol=3)),),
          ("Regelbundna hyresgästmöten",)),
        G("framtid", FF_ENERGY, FN_ENERGY, (("energi-lokaler", t("lte", 155, tol=5)),),
          ("Energikartläggning av de 50 största byggnaderna",), True)),
    "ff-drift": unit_goals(
        G("medborgare", DRIFT_CITIZENS, FF_CITIZENS, (("felanmalningar", t("gte", 85, tol=5)),),
          ("Mobil arbetsorder för drifttekniker",)),
        G("framtid", DRIFT_ENERGY, FF_ENERGY, (("energi-lokaler", t("lte", 152, tol=4)),),
          ("Optimera ventilationens drifttider",), True)),
    "ff-energi": unit_goals(
        G("medborgare", "Verksamheterna ska få stöd att spara energi", DRIFT_CITIZENS,
          (("energironder", t("gte", 40, tol=5)),), ("Energironder tillsammans med verksamheterna",)),
        G("framtid", "Energieffektiviseringen ska ge minst 2 % lägre energianvändning per år", DRIFT_ENERGY,
          (("energi-lokaler", t("lte", 150, tol=3)), ("energibesparing", t("gte", 2, tol=0.5))),
          ("Byte till LED-belysning", "Injustering av värmesystem"), True)),
    "vof": unit_goals(
        G("medborgare", VOF_CITIZENS, VON_CITIZENS, (("nojd-omsorg", t("gte", 90, tol=3)),),
          ("Brukarenkät med uppföljning i varje enhet",)),
        G("framtid", VOF_FUTURE, VON_FUTURE, (("fossilfria-fordon", t("gte", 90, tol=5)),),
          ("Upphandling av fossilfria leasingbilar",)),
        organisation=CARE_STAFF),
    "vof-hemvard": unit_goals(
        G("medborgare", HEMVARD_CITIZENS, VOF_CITIZENS, (("kontinuitet", t("lte", 12, tol=2)),),
          ("Mindre arbetslag kring varje brukare",)),
        G("framtid", HEMVARD_FUTURE, VOF_FUTURE, (("fossilfria-fordon", t("gte", 95, tol=5)),),
          ("Elcyklar i alla hemtjänstgrupper",)),
        organisation=CARE_STAFF),
    "vof-hemtjanst-soder": unit_goals(
        G("medborgare", "Varje brukare ska ha en fast kontaktperson", HEMVARD_CITIZENS,
          (("kontinuitet", t("lte", 10, tol=2)),), ("Kontaktmannaskap i schemaläggningen",)),
        G("framtid", "Alla resor i hemtjänsten ska vara fossilfria", HEMVARD_FUTURE,
          (("fossilfria-fordon", t("gte", 100, tol=5)),), ("Byt de sista bensinbilarna",)),
        organisation=CARE_STAFF),
}  # fmt: skip
DRAFTS_2026 = {"vof-hemvard", "vof-hemtjanst-soder"}  # still being worked on

# Demo accounts, one per role: (username, first name, last name, role, unit code).
ACCOUNTS = [
    ("admin", "Annika", "Berg", Role.ADMIN, "helsingborg"),
    ("redaktor", "Erik", "Lund", Role.EDITOR, "ff"),
    ("rapportor", "Sara", "Nilsson", Role.REPORTER, "ff-energi"),
    ("lasare", "Lars", "Holm", Role.READER, "kn"),
]

# Improvement actions on the city's and the energy unit's 2026 goals: (unit, goal, title, owner,
# due date, state, indicator code of the metric it started from).
ACTIONS = [
    ("helsingborg", C_CLIMATE, "Energieffektivisering av 20 skolor och förskolor",
     "Fastighetsförvaltningen", date(2026, 12, 31), ActionState.ONGOING, "energi-lokaler"),
    ("helsingborg", C_EMPLOYER, "Stöd till chefer vid upprepad korttidssjukfrånvaro",
     "HR-avdelningen", date(2026, 6, 30), ActionState.DONE, "kolada-n00090"),
    ("ff-energi", "Energieffektiviseringen ska ge minst 2 % lägre energianvändning per år",
     "Byte till LED-belysning i idrottshallar", "Energienheten", date(2027, 3, 31),
     ActionState.PLANNED, "energi-lokaler"),
]  # fmt: skip

# Status that the latest generated value should give against its target, for a few series the
# demo tells a story with; the rest are drawn at random (mostly met, some close, some not).
OUTCOMES = {("energi-lokaler", "helsingborg"): "met", ("kolada-n00090", "helsingborg"): "close"}
# Series for units without a scorecard: the merged unit keeps its sick leave until it closed.
EXTRA_SERIES = [
    ("sjukfranvaro", "vof-hemtjanst-centrum", t("lte", 8, tol=1), (2024, 12)),
    # The visitors Kulturnämnden follows up are counted in its enheter, two levels down, across
    # Kulturförvaltningen, which has no scorecard of its own (see COMPUTED).
    ("besokare-kulturhus", "kf-dunkers", t("gte", 380000, tol=20000), LAST_MONTH),
    ("besokare-kulturhus", "kf-stadsbiblioteket", t("gte", 300000, tol=15000), LAST_MONTH),
]
# Metrics whose unit enters no values of its own: the figure is aggregated from the units below.
# "besokare-kulturhus" is also cumulative (the year's sum), so before December it is judged
# against the share of its annual target due so far.
COMPUTED = {("besokare-kulturhus", "kn")}
# An owner's judgement that departs from the suggestion, at 2026's first tertial report; it
# travels up the chain to Fastighetsnämnden's and the city's roll-ups.
ASSESSED = [
    ("ff-drift", DRIFT_ENERGY,
     "Energianvändningen följer planen, men ventilationens nya drifttider införs först i höst.",
     "Förslaget bygger på fyra vintermånader; effekten av de nya drifttiderna syns under hösten."),
]  # fmt: skip


# ── Writing ────────────────────────────────────────────────────────────────────────────────────


def upsert(model, lookup: dict, values: dict | None = None):
    """get_or_create, then bring an existing row up to date. Saving only when something differs
    keeps a repeated load from writing history rows."""
    values = values or {}
    obj, created = model.objects.get_or_create(**lookup, defaults=values)
    if not created:
        changed = [name for name, value in values.items() if _differs(obj, name, value)]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save(update_fields=changed)
    return obj


def _differs(obj, name: str, value) -> bool:
    field = obj._meta.get_field(name)
    if field.is_relation:  # compare ids: no query for the related row
        return getattr(obj, field.attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value


@transaction.atomic
def load() -> list[tuple[str, str, str, str]]:
    """Load (or bring up to date) the demo city; returns the sign-ins to print."""
    from demo.yearreports import load_year_reports

    with batched_refresh():  # statuses are refreshed once, below, not per saved target
        perspectives = load_perspectives()
        units = load_units()
        programme = load_programme()
        indicators = load_indicators()
        series: dict[tuple[str, str], dict | None] = {}  # (indicator, unit) → target to aim at
        goals: dict[tuple[str, str], Goal] = {}
        for year in YEARS:  # each year's goals are copies of the year before's
            goals = load_scorecards(year, programme, perspectives, units, indicators, series, goals)
        load_actions(goals)
        load_measurements(units, indicators, series)
        users = load_accounts(units)
        load_occasions(users["admin"])
        load_assessments(units, users["admin"])
        from . import assignments  # here: demo.assignments imports this module's helpers

        assignments.load(units, goals, users["admin"])
        from . import internalcontrol

        internalcontrol.load(units, users["admin"])
        load_kolada_cache()
        load_adopted_versions()
        demo_economy.load(units, users["admin"])  # issue 22: demo/economy.py
        demo_forecast.load(users["admin"])  # after economy: its metric gets a forecast too
    refresh_goal_statuses()  # measurements were bulk-inserted, past the signals
    load_year_reports(users["admin"])  # after the statuses: the delårsrapport freezes them
    return [
        (username, password_hint(users[username]), role.label, units[code].name)
        for username, _first, _last, role, code in ACCOUNTS
    ]


def password_hint(user) -> str:
    """What to print as the account's password: the demo's, unless someone has changed it, and
    nothing about an account that is not the demo's."""
    if user is None:
        return "(kontot fanns redan, inte demons – lämnat orört)"
    return DEMO_PASSWORD if user.check_password(DEMO_PASSWORD) else "(ändrat – ej demolösenordet)"


def load_perspectives() -> dict[str, Perspective]:
    return {
        slug: upsert(
            Perspective,
            {"slug": slug},
            {
                "name": name,
                "colour": colour,
                "icon": icon,
                "order": i,
                "description": PERSPECTIVE_DESCRIPTIONS[slug],
            },
        )
        for i, (slug, name, colour, icon) in enumerate(DEFAULT_PERSPECTIVES)
    }


def load_units() -> dict[str, OrgUnit]:
    units: dict[str, OrgUnit] = {}
    for i, (code, name, kind, parent) in enumerate(UNITS):
        values = {"name": name, "kind": kind, "parent": units.get(parent), "order": i}
        if kind == K.MUNICIPALITY:
            values["kolada_id"] = "1283"
        units[code] = upsert(OrgUnit, {"code": code}, values)
    code, until, successor = MERGED
    upsert(
        OrgUnit,
        {"code": code},
        {
            "active_from": date(2012, 1, 1),
            "active_until": until,
            "replaced_by": units[successor],
            "description": f"Sammanslagen med {units[successor].name} {until.year + 1}.",
        },
    )
    return units


def load_programme() -> GoalProgramme:
    return upsert(
        GoalProgramme,
        {"name": "Målprogram", "start_year": 2023},
        {
            "end_year": 2026,
            "vision": "Helsingborg 2035 – den skapande, pulserande, gemensamma och globala staden",
            "description": "Stadens mål för mandatperioden, uppdelade i fyra perspektiv.",
            "decided_by": "Kommunfullmäktige",
            "decided_on": date(2022, 11, 23),
            "paragraph": "§ 282",
            "diary_number": "KS 2022/00745",
        },
    )


def load_indicators() -> dict[str, Indicator]:
    indicators = {}
    for code, spec in INDICATORS.items():
        values = {k: v for k, v in spec.items() if k not in ("kpi", "base", "season")}
        if "kpi" in spec:  # Kolada publishes yearly figures
            values.update(source=Source.KOLADA, kolada_kpi=spec["kpi"], frequency=Frequency.YEARLY)
            values.setdefault("description", f"Källa: Kolada ({spec['kpi']}).")
        if spec["unit"] == "%":
            values.update(plausible_min=Decimal(0), plausible_max=Decimal(100))
        indicators[code] = upsert(Indicator, {"code": code}, values)
    return indicators


NO_DECISION = {"decided_by": "", "decided_on": None, "paragraph": "", "diary_number": ""}


def decision(unit: OrgUnit, year: int, n: int, *, draft: bool = False) -> dict:
    """The (invented) decision adopting a scorecard: the city's in the council's budget in
    November, boards' in December, units' by their manager in January."""
    if draft:
        return NO_DECISION
    by, on = {
        K.MUNICIPALITY: ("Kommunfullmäktige", date(year - 1, 11, 26)),
        K.BOARD: (unit.name, date(year - 1, 12, 10)),
        K.COMMITTEE: (unit.name, date(year - 1, 12, 10 + n % 10)),
        K.COMPANY: (f"Styrelsen för {unit.name}", date(year - 1, 12, 5 + n % 10)),
        K.ADMINISTRATION: ("Förvaltningschefen", date(year, 1, 15)),
        K.DEPARTMENT: ("Avdelningschefen", date(year, 1, 22)),
        K.UNIT: ("Enhetschefen", date(year, 1, 29)),
    }[unit.kind]
    return {
        "decided_by": by,
        "decided_on": on,
        "paragraph": f"§ {100 + 7 * n}",
        "diary_number": f"{diary_prefix(unit)} {year - 1}/{(n * 113) % 900 + 100:05d}",
    }


def diary_prefix(unit: OrgUnit) -> str:
    """The diary series a unit's cases are filed in: the city's with Kommunstyrelsen, otherwise
    the first part of the unit's code (``ff-energi`` → FF)."""
    short = {"helsingborg": "KS", "helsingborgshem": "HBGHEM", "oresundskraft": "ÖKAB"}
    return short.get(unit.code, unit.code.split("-")[0].upper())


def load_scorecards(year, programme, perspectives, units, indicators, series, previous) -> dict:
    """Every demo scorecard for ``year`` with goals, strategies, metrics, targets and chain links.
    Returns {(unit code, goal title): goal}."""
    goals: dict[tuple[str, str], Goal] = {}
    parent_code = {code: parent for code, _n, _k, parent in UNITS}
    for n, (code, specs) in enumerate(SCORECARDS.items()):
        unit = units[code]
        draft = year == 2026 and code in DRAFTS_2026
        status = {2025: ScorecardStatus.ARCHIVED}.get(year, ScorecardStatus.ADOPTED)
        card = upsert(
            Scorecard,
            {"unit": unit, "year": year},
            {
                "programme": programme,
                "status": ScorecardStatus.DRAFT if draft else status,
                "introduction": f"Styrkort för {unit.name} {year}, utifrån {programme}.",
                **decision(unit, year, n, draft=draft),
            },
        )
        card.perspectives.set(perspectives.values())
        # Targets on the city's and on prioritised goals trace back to the scorecard's decision.
        target_decision = {k: getattr(card, k) for k in NO_DECISION}
        for order, spec in enumerate(specs):
            goal = upsert(
                Goal,
                {"scorecard": card, "title": spec.title},
                {
                    "perspective": perspectives[spec.perspective],
                    "prioritised": spec.prioritised,
                    "order": order,
                    "copied_from": previous.get((code, spec.title)),
                },
            )
            goals[(code, spec.title)] = goal
            for i, text in enumerate(spec.strategies):
                upsert(Strategy, {"goal": goal, "text": text}, {"order": i})
            for i, (indicator_code, target) in enumerate(spec.metrics):
                metric = upsert(
                    Metric, {"goal": goal, "indicator": indicators[indicator_code]}, {"order": i}
                )
                series.setdefault((indicator_code, code), target)
                if target is not None:
                    traced = code == "helsingborg" or spec.prioritised
                    values = {**target, **(target_decision if traced else NO_DECISION)}
                    upsert(Target, {"metric": metric, "year": year}, values)
            parent = parent_code[code]
            if parent is not None:
                # The parent unit's goal with the same title (shared goals), else the named one;
                # link_goal validates the link against the chain rule.
                above = goals.get((parent, spec.title)) or goals[(parent, spec.parent)]
                link_goal(goal, above)
    return goals


def load_actions(goals: dict[tuple[str, str], Goal]) -> None:
    for code, goal_title, title, owner, due, state, indicator_code in ACTIONS:
        goal = goals[(code, goal_title)]
        upsert(
            Action,
            {"goal": goal, "title": title},
            {
                "owner": owner,
                "start_date": date(goal.scorecard.year, 1, 15),
                "due_date": due,
                "state": state,
                "metric": goal.metrics.get(indicator__code=indicator_code),
            },
        )


# ── Actual values ──────────────────────────────────────────────────────────────────────────────


def read_kolada(kolada_id: str) -> dict[str, dict[int, Decimal]]:
    """{KPI: {year: value}} for one municipality, totals (gender T) only, from the stored copy."""
    values: dict[str, dict[int, Decimal]] = {}
    with KOLADA_CSV.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["municipality"] == kolada_id and row["gender"] == "T" and row["value"]:
                values.setdefault(row["kpi"], {})[int(row["period"])] = Decimal(row["value"])
    return values


def periods(frequency: str, until: tuple[int, int] = LAST_MONTH) -> list[tuple[int, int]]:
    """(year, last month) of each period to fill: yearly 2023–2025 (2026 is not over yet),
    tertials and months from January 2024."""
    if frequency == Frequency.YEARLY:
        wanted = [(year, 12) for year in (2023, 2024, 2025)]
    else:
        months = range(1, 13) if frequency == Frequency.MONTHLY else (4, 8, 12)
        wanted = [(year, month) for year in (2024, 2025, 2026) for month in months]
    return [p for p in wanted if p <= until]


def aim(rng: random.Random, target: dict, outcome: str) -> float:
    """A value that gives ``outcome`` (met / close / not_met) against ``target``."""
    value, tolerance = float(target["value"]), float(target["tolerance"])
    gap = tolerance or max(abs(value) * 0.03, 0.1)
    if outcome == "close" and not tolerance:  # without a tolerance there is no "close"
        outcome = "not_met"
    if target["comparator"] == Comparator.RANGE:
        low, value, worse = value, float(target["value_high"]), 1  # miss on the high side
        if outcome == "met":
            return low + (value - low) * rng.uniform(0.2, 0.8)
    else:
        worse = 1 if target["comparator"] == Comparator.LTE else -1
    if outcome == "met":
        return value - worse * gap * rng.uniform(0.2, 1.5)
    if outcome == "close":
        return value + worse * tolerance * rng.uniform(0.2, 0.8)
    return value + worse * gap * rng.uniform(1.5, 3)


def generate(indicator: Indicator, spec: dict, target, rng, when, anchor=None) -> list[float]:
    """Values for the periods ``when``: a trend from ``anchor`` (the last real value) or from a
    somewhat worse level, ending at a value chosen against the target, with noise on the way."""
    worse = {Direction.LOWER: 1, Direction.HIGHER: -1}.get(indicator.direction, rng.choice((-1, 1)))
    if target is not None:
        outcome = rng.choices(("met", "close", "not_met"), weights=(5, 3, 2))[0]
        end = aim(rng, target, spec.get("outcome") or outcome)
    elif anchor is not None:  # an "inriktning": the real trend keeps improving a little
        end = anchor * (1 - worse * rng.uniform(0.01, 0.03) * len(when))
    else:
        end = spec["base"]
    if anchor is not None:  # the first value is a step on from the real one
        start, steps, shift = anchor, len(when), 1
    else:
        start = end + worse * max(abs(end) * rng.uniform(0.03, 0.08), 0.5)
        steps, shift = max(len(when) - 1, 1), 0
    noise = abs(end) * (0.015 if indicator.frequency == Frequency.MONTHLY else 0.01) or 0.1
    season = spec.get("season", (1,) * 12)
    values = []
    for i, (_year, month) in enumerate(when):
        level = start + (end - start) * (i + shift) / steps
        if i < len(when) - 1:  # the last value lands exactly where it was aimed
            level += rng.gauss(0, noise)
        if indicator.year_value == YearValue.SUM:  # the target is for the year's total
            level /= 12
        values.append(level * season[month - 1])
    return values


def load_measurements(units, indicators, series) -> None:
    """Helsingborg's real Kolada figures up to 2022 (source Kolada), then generated values, the
    same on every run: each series has its own random generator seeded by its key."""
    city = units["helsingborg"]
    kolada = read_kolada(city.kolada_id)
    wanted = [
        (code, unit_code, target, LAST_MONTH)
        for (code, unit_code), target in series.items()
        if (code, unit_code) not in COMPUTED
    ]
    rows: list[Measurement] = []
    for code, unit_code, target, until in wanted + EXTRA_SERIES:
        indicator, unit = indicators[code], units[unit_code]
        spec = {**INDICATORS[code], "outcome": OUTCOMES.get((code, unit_code))}
        real = kolada.get(indicator.kolada_kpi, {}) if unit == city else {}
        for year, value in sorted(real.items()):
            rows.append(_measurement(indicator, unit, year, 12, value, Source.KOLADA))
        when = periods(indicator.frequency, until)
        rng = random.Random(f"{SEED}:{code}:{unit_code}")
        anchor = float(real[max(real)]) if real else None
        for (year, month), value in zip(
            when, generate(indicator, spec, target, rng, when, anchor), strict=True
        ):
            rows.append(_measurement(indicator, unit, year, month, _tidy(indicator, value)))
    existing = set(
        Measurement.objects.filter(
            indicator__in=indicators.values(), unit__in=units.values()
        ).values_list("indicator_id", "unit_id", "year", "month")
    )
    new = [m for m in rows if (m.indicator_id, m.unit_id, m.year, m.month) not in existing]
    bulk_create_with_history(new, Measurement, batch_size=500)


def _measurement(indicator, unit, year, month, value, source=Source.MANUAL) -> Measurement:
    return Measurement(
        indicator=indicator, unit=unit, year=year, month=month, value=value, source=source
    )


def _tidy(indicator: Indicator, value: float) -> Decimal:
    """Rounded to the indicator's decimals and kept within what is plausible (no negative counts)."""
    if indicator.direction != Direction.RANGE:
        value = max(value, 0)
    if indicator.plausible_max is not None:
        value = min(value, float(indicator.plausible_max))
    return Decimal(f"{value:.{indicator.decimals}f}")


# ── People and follow-up occasions ─────────────────────────────────────────────────────────────


def demo_email(username: str) -> str:
    """The demo's accounts carry this address; it is how a later load knows them as its own."""
    return f"{username}@example.org"


def load_accounts(units) -> dict:
    """One demo account per role, all with the well-known demo password.

    An account with a demo's user name that the demo did not make (another e-mail address: say
    the administrator ``createsuperuser`` made as "admin") is never taken over — no new name,
    role, rights or password — and stands as None in the answer.
    """
    User = get_user_model()
    users = {}
    for username, first, last, role, code in ACCOUNTS:
        existing = User.objects.filter(username=username).first()
        if existing is not None and existing.email != demo_email(username):
            users[username] = None
            continue
        admin = role == Role.ADMIN  # staff and superuser, so the Django admin works too
        user = upsert(
            User,
            {"username": username},
            {
                "first_name": first,
                "last_name": last,
                "email": demo_email(username),
                "is_active": True,
                "is_staff": admin,
                "is_superuser": admin,
            },
        )
        if not user.password:
            # Only an account the demo has just created (no password yet) gets the demo
            # password: an existing account's password is never overwritten.
            validate_password(DEMO_PASSWORD, user)
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        RoleAssignment.objects.get_or_create(user=user, unit=units[code], role=role)
        users[username] = user
    return users


# (kind, name, end month, deadline as (years after, month, day))
OCCASIONS = [
    (OccasionKind.TERTIAL, "Tertialrapport", 4, (0, 5, 8)),
    (OccasionKind.INTERIM, "Delårsrapport", 8, (0, 9, 10)),
    (OccasionKind.ANNUAL, "Årsredovisning", 12, (1, 2, 6)),
]


def load_occasions(admin) -> None:
    """Follow-up occasions for both years; 2025's reports are adopted, so they are locked (with a
    log entry, as a lock through the UI would leave). 2026's lock state is left as it is.
    ``admin`` (who locked them) is None when the demo's administrator is someone else's account."""
    for year in YEARS:
        for kind, name, end_month, (later, month, day) in OCCASIONS:
            deadline = date(year + later, month, day)
            values = {"kind": kind, "name": name, "deadline": deadline}
            if year == 2025:  # locked three weeks after the deadline, when the report was adopted
                locked_at = datetime.combine(deadline + timedelta(days=21), time(16), STOCKHOLM)
                values.update(locked_at=locked_at, locked_by=admin)
            occasion = upsert(FollowUpOccasion, {"year": year, "end_month": end_month}, values)
            if year == 2025:
                log, created = OccasionLog.objects.get_or_create(
                    occasion=occasion, action=OccasionLog.Action.LOCK, defaults={"by": admin}
                )
                if created:  # ``at`` is set on creation; give it the historical date
                    OccasionLog.objects.filter(pk=log.pk).update(at=occasion.locked_at)


def load_adopted_versions() -> None:
    """What adopting and locking through the UI keep: each adopted scorecard's version as decided
    (once; the demo's cards are adopted as loaded) and the names of locked occasions' reports."""
    from followup import locked_names
    from scorecards.adoption import record_adoption

    adopted = Scorecard.objects.exclude(status=ScorecardStatus.DRAFT).filter(
        adopted_versions__isnull=True
    )
    for card in adopted.select_related("unit", "programme"):
        record_adoption(card, None)
    for occasion in FollowUpOccasion.objects.filter(locked_at__isnull=False, names_at_lock=None):
        locked_names.take(occasion)


def load_assessments(units, admin) -> None:
    """The ASSESSED goals at 2026's first tertial, assessed one step from the suggestion."""
    occasion = FollowUpOccasion.objects.get(year=2026, end_month=4)
    for code, title, analysis, comment in ASSESSED:
        goal = Goal.objects.get(scorecard__unit=units[code], scorecard__year=2026, title=title)
        _result, suggested = suggestions_for([goal.pk], occasion)[goal.pk]
        status = "close" if suggested.value == "met" else "met"
        upsert(
            Assessment,
            {"goal": goal, "occasion": occasion},
            {
                "status": status,
                "suggested": suggested.value,
                "analysis": analysis,
                "deviation_comment": comment,
                "assessed_by": admin,
            },
        )


def load_kolada_cache() -> None:
    """Real Kolada figures for the benchmark pages: the recorded answers and the CSV."""
    if not KoladaKpi.objects.exists():
        catalogue_load(records=read_csv(SHIPPED_CATALOGUE))
    municipalities_store(_recorded("v3_municipality_5mun_plus_riket.json"))
    group = group_record(_recorded("v3_municipality_groups_G37394.json"), "G37394")
    if group:
        group_store(group)
    rows = [
        datum for row in _recorded("v3_data_3kpi_5mun_2018-2022.json") for datum in data_row(row)
    ]
    with KOLADA_CSV.open(newline="", encoding="utf-8") as f:
        rows += [
            KoladaDatum(
                kpi=r["kpi"],
                municipality=r["municipality"],
                year=int(r["period"]),
                gender=r["gender"],
                value=Decimal(r["value"]) if r["value"] else None,
            )
            for r in csv.DictReader(f)
        ]
    cache_store(rows)


def _recorded(name: str) -> list[dict]:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"), parse_float=Decimal)["values"]
