"""Bytes to text for a SIE file: IBM codepage 437 (#FORMAT PC8), with one documented fallback.

Real exports exist that declare PC8 but hold UTF-8. Valid UTF-8 with non-ASCII characters is
practically never meant as CP437 (CP437's Swedish letters 0x84 ä, 0x86 å, 0x94 ö, 0x8E Ä, 0x8F Å,
0x99 Ö are lone continuation bytes, which UTF-8 forbids), so such a file is read as UTF-8 and a
warning says so in the preview and the dry run. A file whose Swedish letters are ISO-8859-1 or
Windows-1252 bytes (å 0xE5, ä 0xE4, ö 0xF6…) would turn into σ, Σ and ÷ in CP437: it is refused
with a message asking for a new export, rather than imported with garbled names.
"""

import re

from django.utils.translation import gettext as _

FORMAT = re.compile(rb"^[ \t]*#FORMAT[ \t]+\"?([A-Za-z0-9-]+)", re.MULTILINE)
LATIN1_LETTERS = frozenset(b"\xe5\xe4\xf6\xc5\xc4\xd6\xe9")
CP437_LETTERS = frozenset(b"\x84\x86\x94\x8e\x8f\x99\x82")


def decode(data: bytes) -> tuple[str, str, list[str]]:
    """(text, encoding used, warnings); raises ``SieError`` for bytes that are not PC8."""
    from .parser import SieError

    warnings: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        if _utf8(data):
            return data.decode("utf-8"), "utf-8", [_utf8_warning()]
    found = FORMAT.search(data)
    declared = found.group(1).decode("ascii").upper() if found else "PC8"
    if declared != "PC8":
        raise SieError(
            [
                (
                    0,
                    _("Okänt teckenformat #FORMAT %(format)s; SIE-filer ska vara PC8.")
                    % {"format": declared},
                )
            ]
        )
    if data.isascii():
        return data.decode("ascii"), "cp437", warnings
    if _utf8(data):
        return data.decode("utf-8"), "utf-8", [_utf8_warning()]
    present = set(data)
    if present & LATIN1_LETTERS and not present & CP437_LETTERS:
        raise SieError(
            [
                (
                    0,
                    _(
                        "Filen anger #FORMAT PC8 (IBM 437) men verkar vara kodad som ISO-8859-1 "
                        "eller Windows-1252: å, ä och ö skulle bli fel. Exportera filen igen som PC8."
                    ),
                )
            ]
        )
    return data.decode("cp437"), "cp437", warnings


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _utf8_warning() -> str:
    return _("Filen anger #FORMAT PC8 men är kodad som UTF-8; den lästes som UTF-8.")
