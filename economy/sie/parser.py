"""Reading a SIE 4B text file (types 1-4) into plain data, or an error naming the line.

Written here because the one SIE reader on PyPI (pysie-accounting 0.0.2, 2024) reads files as
UTF-8, uses floats for money, matches records with regular expressions that ignore quoting and
escapes, and knows neither #PSALDO/#PBUDGET nor #DIM/#OBJEKT.

What is read: #SIETYP, #FORMAT, #FNAMN, #ORGNR, #RAR, #KONTO, #DIM, #UNDERDIM, #OBJEKT,
#PSALDO, #PBUDGET, #VER with its #TRANS rows (#RTRANS is followed by the same row as a #TRANS,
which is the one counted; #BTRANS, a removed row, is not counted). #IB, #UB, #RES, #OIB and #OUB
are checked for shape. Other labels are skipped, as the specification asks of a reader.
Every record is checked; malformed lines are collected (up to ``MAX_ERRORS``) and raised together
as ``SieError`` — the caller writes nothing.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .encoding import decode

MAX_ERRORS = 20
TOKEN = re.compile(
    r'\s*(?:(?P<q>"(?:[^"\\]|\\.)*")|(?P<o>\{)|(?P<c>\})|(?P<w>[^\s"{}]+)|(?P<bad>"))'
)
AMOUNT = re.compile(r"^-?\d+(?:\.\d+)?$")
ACCOUNT = re.compile(r"^\d{1,10}$")
UNESCAPE = re.compile(r"\\([\"\\])")
IGNORED = {"#IB", "#UB", "#RES", "#OIB", "#OUB"}
# No amount reaches this: it is what an economy amount stores (16 digits, 2 decimals). A larger
# one is a broken file, and would overflow the summary's Decimal arithmetic (a 500).
MAX_AMOUNT = Decimal(10) ** 14
# The common shape of a #TRANS row, read without the general tokenizer: a SIE 4 file is mostly
# these, and 100,000 of them must import in seconds. Any other shape takes the general path.
TRANS_FAST = re.compile(
    r'#TRANS[ \t]+(\d{1,10})[ \t]+\{((?:[ \t]*\d{1,9}[ \t]+(?:"[^"\\]*"|[^\s"{}\\]+))*)[ \t]*\}'
    r"[ \t]+(-?\d+(?:\.\d+)?)"
    r'(?:[ \t]+(?:(\d{8})|"(\d{8})"|"")(?:[ \t]+(?:"(?:[^"\\]|\\.)*"|[^\s"{}]+))*)?[ \t]*$'
)
# Only CR and LF end a line: str.splitlines() also breaks at \x0b, \x1c-\x1e, \x85 and U+2028,
# which would put the error on a line number the person's editor does not show.
LINE_BREAK = re.compile(r"\r\n|\r|\n")
OBJECT_PAIR = re.compile(r'(\d{1,9})[ \t]+(?:"([^"\\]*)"|([^\s"{}\\]+))')


# What a field is, named in an error only: lazy, so reading a good line translates nothing.
W_BELOPPET = gettext_lazy("beloppet")
W_KONTOT = gettext_lazy("kontot")
W_DATUMET = gettext_lazy("datumet")
W_PERIODEN = gettext_lazy("perioden")
W_DIMENSIONEN = gettext_lazy("dimensionen")
W_ARSNUMRET = gettext_lazy("årsnumret")
W_SIETYPEN = gettext_lazy("SIE-typen")
W_NAMNET = gettext_lazy("namnet")
W_ORGANISATIONSNUMRET = gettext_lazy("organisationsnumret")
W_OVERDIMENSIONEN = gettext_lazy("överdimensionen")
W_OBJEKTKODEN = gettext_lazy("objektkoden")


class SieError(ValueError):
    """The file cannot be read. ``errors`` is a list of (line number, Swedish message)."""

    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = errors
        super().__init__("; ".join(format_error(n, m) for n, m in errors))


def format_error(line: int, message: str) -> str:
    return _("Rad %(line)s: %(message)s") % {"line": line, "message": message} if line else message


class _LineError(Exception):
    pass


@dataclass(slots=True)
class Dimension:
    number: int
    name: str
    parent: int | None = None
    objects: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Balance:
    """A #PSALDO (kind "actual") or #PBUDGET (kind "budget") row: one month of one account."""

    kind: str
    year_no: int
    month: date  # the period's first day
    account: str
    objects: tuple[tuple[int, str], ...]
    amount: Decimal


@dataclass(slots=True)
class Transaction:
    account: str
    objects: tuple[tuple[int, str], ...]
    amount: Decimal
    day: date


@dataclass
class SieFile:
    sie_type: int | None = None
    company: str = ""
    org_no: str = ""
    encoding: str = "cp437"
    warnings: list[str] = field(default_factory=list)
    years: dict[int, tuple[date, date]] = field(default_factory=dict)
    accounts: dict[str, str] = field(default_factory=dict)
    dimensions: dict[int, Dimension] = field(default_factory=dict)
    balances: list[Balance] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)
    vouchers: int = 0


def parse(data: bytes) -> SieFile:
    """The file's content; raises ``SieError`` for bytes or lines that are not SIE."""
    text, encoding, warnings = decode(data)
    sie = SieFile(encoding=encoding, warnings=warnings)
    reader = _Reader(sie)
    errors = []
    for number, line in enumerate(LINE_BREAK.split(text), start=1):
        try:
            reader.line(number, line)
        except _LineError as exc:
            errors.append((number, str(exc)))
            if len(errors) >= MAX_ERRORS:
                break
    if not errors and (reader.voucher is not None or reader.pending_ver is not None):
        errors.append((reader.voucher_line, _("#VER saknar avslutande }.")))
    if errors:
        raise SieError(errors)
    return sie


def tokens(line: str) -> list:
    """The fields of one line: strings, and lists of strings for ``{…}`` object lists."""
    out: list = []
    current: list | None = None
    pos, end = 0, len(line.rstrip())
    while pos < end:
        m = TOKEN.match(line, pos)
        if m is None or m.group("bad") is not None:
            raise _LineError(_("citattecken saknar sitt slut."))
        pos = m.end()
        if m.group("o") is not None:
            if current is not None:
                raise _LineError(_("objektlistor kan inte ligga i varandra."))
            current = []
        elif m.group("c") is not None:
            if current is None:
                raise _LineError(_("} utan {."))
            out.append(current)
            current = None
        else:
            word = m.group("q")
            word = UNESCAPE.sub(r"\1", word[1:-1]) if word is not None else m.group("w")
            (out if current is None else current).append(word)
    if current is not None:
        raise _LineError(_("{ saknar sitt }."))
    return out


class _Reader:
    """Reads line by line; keeps whether it is inside a #VER's braces."""

    def __init__(self, sie: SieFile):
        self.sie = sie
        self.voucher: date | None = None  # the open #VER's date
        self.voucher_line = 0
        self.pending_ver: date | None = None  # a #VER read, its { not yet

    def line(self, number: int, line: str) -> None:
        stripped = line.strip()
        if not stripped:
            return
        if self.pending_ver is not None:
            if stripped != "{":
                raise _LineError(_("efter #VER ska en rad med { komma."))
            self.voucher, self.pending_ver = self.pending_ver, None
            return
        if self.voucher is not None and stripped.startswith("#TRANS"):
            fast = TRANS_FAST.match(stripped)
            if fast is not None:
                self.sie.transactions.append(_fast_trans(fast, self.voucher))
                return
        if stripped in ("{", "}"):
            if stripped == "{" or self.voucher is None:
                raise _LineError(_("%(brace)s står utanför en verifikation.") % {"brace": stripped})
            self.voucher = None
            return
        fields = tokens(stripped)
        head = fields[0]
        if isinstance(head, list) or not head.startswith("#"):
            raise _LineError(_("raden börjar inte med en etikett (#…)."))
        label = head.upper()
        if self.voucher is not None:
            self._in_voucher(label, fields)
            return
        handler = HANDLERS.get(label)
        if handler is not None:
            handler(self, fields[1:], number)
        elif label in IGNORED:
            _year_amount(fields[1:], label)

    def _in_voucher(self, label, fields):
        if label == "#TRANS":
            self.sie.transactions.append(_trans(fields[1:], self.voucher))
        elif label in ("#RTRANS", "#BTRANS"):
            _trans(fields[1:], self.voucher)  # checked, not counted (see the module doc)
        else:
            raise _LineError(_("%(label)s får inte stå inom en verifikation.") % {"label": label})


def _need(fields, count: int, label: str, shape: str) -> None:
    if len(fields) < count:
        raise _LineError(_("%(label)s ska ha formen %(shape)s.") % {"label": label, "shape": shape})


def _text(value, what: str) -> str:
    if isinstance(value, list):
        raise _LineError(_("%(what)s får inte vara en objektlista.") % {"what": str(what)})
    return value


def _int(value, what: str) -> int:
    value = _text(value, what)
    if not re.fullmatch(r"-?\d{1,9}", value):
        raise _LineError(
            _("%(what)s ska vara ett heltal, inte ”%(value)s”.")
            % {"what": str(what), "value": value}
        )
    return int(value)


def _amount(value) -> Decimal:
    value = _text(value, W_BELOPPET)
    if not AMOUNT.match(value):
        raise _LineError(
            _("”%(value)s” är inget belopp (punkt som decimaltecken).") % {"value": value}
        )
    return bounded(Decimal(value), value)


def bounded(amount: Decimal, written: str) -> Decimal:
    """The amount, or a line error for one beyond ``MAX_AMOUNT``."""
    if abs(amount) >= MAX_AMOUNT:
        raise _LineError(_("”%(value)s” är ett orimligt stort belopp.") % {"value": written[:40]})
    return amount


def _account(value) -> str:
    value = _text(value, W_KONTOT)
    if not ACCOUNT.match(value):
        raise _LineError(_("”%(value)s” är inget kontonummer.") % {"value": value})
    return value


def _date(value) -> date:
    value = _text(value, W_DATUMET)
    try:
        if not re.fullmatch(r"\d{8}", value):
            raise ValueError
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise _LineError(_("”%(value)s” är inget datum (ÅÅÅÅMMDD).") % {"value": value}) from None


def _period(value) -> date:
    value = _text(value, W_PERIODEN)
    try:
        if not re.fullmatch(r"\d{6}", value):
            raise ValueError
        return date(int(value[:4]), int(value[4:]), 1)
    except ValueError:
        raise _LineError(_("”%(value)s” är ingen period (ÅÅÅÅMM).") % {"value": value}) from None


def _objects(value) -> tuple[tuple[int, str], ...]:
    if not isinstance(value, list):
        raise _LineError(_("objektlistan ska stå inom {}."))
    if len(value) % 2:
        raise _LineError(_("objektlistan ska bestå av par: dimension och objekt."))
    return tuple((_int(value[i], W_DIMENSIONEN), value[i + 1]) for i in range(0, len(value), 2))


def _year_amount(fields, label):
    """#IB/#UB/#RES årsnr konto saldo; #OIB/#OUB årsnr konto {objektlista} saldo."""
    with_objects = label in ("#OIB", "#OUB")
    shape = (
        f"{label} årsnr konto {{objektlista}} saldo"
        if with_objects
        else f"{label} årsnr konto saldo"
    )
    _need(fields, 4 if with_objects else 3, label, shape)
    _int(fields[0], W_ARSNUMRET)
    _account(fields[1])
    if with_objects:
        _objects(fields[2])
    _amount(fields[3 if with_objects else 2])


def _trans(fields, voucher_day: date) -> Transaction:
    _need(fields, 3, "#TRANS", "#TRANS konto {objektlista} belopp [transdat …]")
    account = _account(fields[0])
    objects = _objects(fields[1])
    amount = _amount(fields[2])
    day = voucher_day
    if len(fields) > 3 and fields[3] != "":
        day = _date(fields[3])
    return Transaction(account, objects, amount, day)


def _fast_trans(m: re.Match, voucher_day: date) -> Transaction:
    objects = tuple(
        (int(d), q if q is not None else w) for d, q, w in OBJECT_PAIR.findall(m.group(2))
    )
    given = m.group(4) or m.group(5)
    day = _date(given) if given else voucher_day
    return Transaction(m.group(1), objects, bounded(Decimal(m.group(3)), m.group(3)), day)


def _sietyp(reader, fields, number):
    _need(fields, 1, "#SIETYP", "#SIETYP typ")
    value = _int(fields[0], W_SIETYPEN)
    if value not in (1, 2, 3, 4):
        raise _LineError(_("SIE-typen ska vara 1, 2, 3 eller 4."))
    reader.sie.sie_type = value


def _fnamn(reader, fields, number):
    _need(fields, 1, "#FNAMN", '#FNAMN "namn"')
    reader.sie.company = _text(fields[0], W_NAMNET)


def _orgnr(reader, fields, number):
    _need(fields, 1, "#ORGNR", "#ORGNR organisationsnummer")
    reader.sie.org_no = _text(fields[0], W_ORGANISATIONSNUMRET)


def _rar(reader, fields, number):
    _need(fields, 3, "#RAR", "#RAR årsnr start slut")
    year_no = _int(fields[0], W_ARSNUMRET)
    start, end = _date(fields[1]), _date(fields[2])
    if end < start:
        raise _LineError(_("räkenskapsåret slutar före sin start."))
    reader.sie.years[year_no] = (start, end)


def _konto(reader, fields, number):
    _need(fields, 1, "#KONTO", '#KONTO nr "namn"')
    account = _account(fields[0])
    reader.sie.accounts[account] = _text(fields[1], W_NAMNET) if len(fields) > 1 else ""


def _dim(reader, fields, number):
    _need(fields, 2, "#DIM", '#DIM dimnr "namn"')
    nr = _int(fields[0], W_DIMENSIONEN)
    dim = reader.sie.dimensions.setdefault(nr, Dimension(nr, ""))
    dim.name = _text(fields[1], W_NAMNET)


def _underdim(reader, fields, number):
    _need(fields, 3, "#UNDERDIM", '#UNDERDIM dimnr "namn" överdimension')
    nr = _int(fields[0], W_DIMENSIONEN)
    dim = reader.sie.dimensions.setdefault(nr, Dimension(nr, ""))
    dim.name = _text(fields[1], W_NAMNET)
    dim.parent = _int(fields[2], W_OVERDIMENSIONEN)


def _objekt(reader, fields, number):
    _need(fields, 3, "#OBJEKT", '#OBJEKT dimnr "objektkod" "namn"')
    nr = _int(fields[0], W_DIMENSIONEN)
    code = _text(fields[1], W_OBJEKTKODEN)
    if code == "":
        raise _LineError(_("objektkoden är tom."))
    dim = reader.sie.dimensions.setdefault(nr, Dimension(nr, ""))
    dim.objects[code] = _text(fields[2], W_NAMNET)


def _balance(kind: str, label: str):
    def handler(reader, fields, number):
        _need(fields, 5, label, f"{label} årsnr period konto {{objektlista}} saldo")
        reader.sie.balances.append(
            Balance(
                kind=kind,
                year_no=_int(fields[0], W_ARSNUMRET),
                month=_period(fields[1]),
                account=_account(fields[2]),
                objects=_objects(fields[3]),
                amount=_amount(fields[4]),
            )
        )

    return handler


def _ver(reader, fields, number):
    _need(fields, 3, "#VER", '#VER serie vernr verdatum ["text"]')
    reader.pending_ver = _date(fields[2])
    reader.voucher_line = number
    reader.sie.vouchers += 1


def _trans_outside(reader, fields, number):
    raise _LineError(_("#TRANS står utanför en verifikation (#VER … { … })."))


def _ksumma(reader, fields, number):
    message = _("Kontrollsumman (#KSUMMA) kontrolleras inte.")
    if fields and message not in reader.sie.warnings:
        reader.sie.warnings.append(message)


HANDLERS = {
    "#SIETYP": _sietyp,
    "#FNAMN": _fnamn,
    "#ORGNR": _orgnr,
    "#RAR": _rar,
    "#KONTO": _konto,
    "#DIM": _dim,
    "#UNDERDIM": _underdim,
    "#OBJEKT": _objekt,
    "#PSALDO": _balance("actual", "#PSALDO"),
    "#PBUDGET": _balance("budget", "#PBUDGET"),
    "#VER": _ver,
    "#TRANS": _trans_outside,
    "#RTRANS": _trans_outside,
    "#BTRANS": _trans_outside,
    "#KSUMMA": _ksumma,
}
