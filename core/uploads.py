"""Checking uploaded files before anything reads them: size, extension and actual content.

Use in a form: ``forms.FileField(validators=[UploadValidator(kinds=("xlsx", "csv"))])``, or call
``validate_upload(file, kinds=…)`` in a service. The content check reads the first bytes, so a
renamed executable or HTML page is refused even with an allowed name.
"""

import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
SNIFF_BYTES = 8192


def _is_zip_with(file, member_prefix: str) -> bool:
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            return any(name.startswith(member_prefix) for name in archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        file.seek(0)


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "cp1252"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        # A CSV file is not a web page: refuse markup that a browser would render.
        lowered = text.lstrip("\ufeff \t\r\n").lower()
        return not lowered.startswith(("<!doctype", "<html", "<script", "<svg", "<?xml"))
    return False


# extension -> (accepted content types reported by the browser, content check)
KINDS = {
    "csv": (
        {"text/csv", "text/plain", "application/vnd.ms-excel", "application/octet-stream", ""},
        lambda f, head: _is_text(head),
    ),
    "xlsx": (
        {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/octet-stream",
            "application/zip",
            "",
        },
        lambda f, head: head.startswith(b"PK\x03\x04") and _is_zip_with(f, "xl/"),
    ),
    # Word documents and templates: the package's main part lives under word/. Either Word type
    # is accepted for either name (a browser may report a template as a document).
    **dict.fromkeys(
        ("docx", "dotx"),
        (
            {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.template",
                "application/octet-stream",
                "application/zip",
                "",
            },
            lambda f, head: head.startswith(b"PK\x03\x04") and _is_zip_with(f, "word/"),
        ),
    ),
    "pdf": (
        {"application/pdf", "application/octet-stream", ""},
        lambda f, head: head[:5] == b"%PDF-",
    ),
    "png": ({"image/png", ""}, lambda f, head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    "jpg": ({"image/jpeg", ""}, lambda f, head: head.startswith(b"\xff\xd8\xff")),
}
# SIE (sie.se) accounting files: text starting with a #label, in IBM codepage 437, whose Å (0x8F)
# is no Windows-1252 character — hence a check of its own rather than the CSV one.
KINDS["sie"] = (
    {"text/plain", "application/octet-stream", ""},
    lambda f, head: b"\x00" not in head and head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"#"),
)
ALIASES = {"jpeg": "jpg", "se": "sie", "si": "sie"}


def validate_upload(file, *, kinds, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Raise ``ValidationError`` (in Swedish) unless ``file`` is one of ``kinds``; return its kind."""
    kinds = tuple(kinds)
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"Unknown upload kinds: {sorted(unknown)}")
    allowed = ", ".join(f".{k}" for k in kinds)
    size = getattr(file, "size", None)
    if size is None:
        raise ValidationError(_("Filen kunde inte läsas."), code="unreadable")
    if size == 0:
        raise ValidationError(_("Filen är tom."), code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("Filen är för stor (%(size)s). Största tillåtna storlek är %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(max_bytes)},
            code="too_large",
        )
    suffix = PurePath(getattr(file, "name", "") or "").suffix.lower().lstrip(".")
    kind = ALIASES.get(suffix, suffix)
    if kind not in kinds:
        raise ValidationError(
            _("Filtypen stöds inte. Tillåtna filtyper: %(allowed)s.") % {"allowed": allowed},
            code="extension",
        )
    content_types, sniff = KINDS[kind]
    content_type = (getattr(file, "content_type", "") or "").split(";")[0].strip().lower()
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    if content_type not in content_types or not sniff(file, head):
        raise ValidationError(
            _("Filens innehåll stämmer inte med filtypen .%(kind)s.") % {"kind": kind},
            code="content",
        )
    return kind


@deconstructible
class UploadValidator:
    def __init__(self, kinds=("csv", "xlsx"), max_bytes: int = DEFAULT_MAX_BYTES):
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes

    def __call__(self, file) -> None:
        validate_upload(file, kinds=self.kinds, max_bytes=self.max_bytes)

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, UploadValidator)
            and self.kinds == other.kinds
            and self.max_bytes == other.max_bytes
        )
