"""Each column's values in a backup: read as the database stores them, written back unchanged.

Django's serialisers lose what a backup must keep: the JSON one cuts datetimes to milliseconds,
and on SQLite a decimal column holds what was written (84.21828909) while the ORM reads it
rounded to the field's decimal places (84.2183). So a backup reads each table with plain SQL, and
this module turns every stored value into a JSON value that keeps all of it, and back:

=========  ========================================  =========================================
kind       in the file                               written back
=========  ========================================  =========================================
int, text  the number or string itself               as it is
bool       true / false                              true / false (1 / 0 on SQLite)
float      the number (Python writes it exactly)     as it is
decimal    the stored number as a string:            on SQLite the same integer or float, on
           PostgreSQL's text, or SQLite's integer    PostgreSQL ``Decimal`` of the string
           or float written exactly ("84.21828909")
datetime   ISO 8601 with offset and microseconds     Django's adapter for the database
date/time  ISO 8601                                  Django's adapter for the database
duration   microseconds                              microseconds (SQLite), ``timedelta``
uuid       32 hex digits                             32 hex digits (SQLite), ``UUID``
json       the stored JSON text                      that text (SQLite), ``jsonb`` of it
ip         the address as text                       as it is (SQLite), ``inet``
binary     base64                                    bytes
=========  ========================================  =========================================

A foreign key to a content type or a permission is written as its natural key
(``[app_label, model]``, ``[codename, app_label, model, name]``): ``migrate`` makes those rows
anew, maybe with other ids.

On the same database every row comes back byte for byte; between SQLite and PostgreSQL each value
comes back as Django would have written it there (PostgreSQL rounds a decimal to its column's
scale, as it does for any write).
"""

import base64
import datetime
import json
import uuid
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.utils.duration import duration_microseconds

KINDS = {
    **dict.fromkeys(
        (
            "AutoField",
            "BigAutoField",
            "SmallAutoField",
            "IntegerField",
            "BigIntegerField",
            "SmallIntegerField",
            "PositiveIntegerField",
            "PositiveBigIntegerField",
            "PositiveSmallIntegerField",
        ),
        "int",
    ),
    **dict.fromkeys(
        ("CharField", "TextField", "SlugField", "EmailField", "URLField", "FilePathField"), "text"
    ),
    **dict.fromkeys(("FileField", "ImageField"), "text"),
    **dict.fromkeys(("GenericIPAddressField", "IPAddressField"), "ip"),
    **dict.fromkeys(("BooleanField", "NullBooleanField"), "bool"),
    "FloatField": "float",
    "DecimalField": "decimal",
    "DateTimeField": "datetime",
    "DateField": "date",
    "TimeField": "time",
    "DurationField": "duration",
    "UUIDField": "uuid",
    "JSONField": "json",
    "BinaryField": "binary",
}


class BackupValueError(ValueError):
    """A stored value, or a value in a backup, that cannot be carried over exactly."""


def column_kind(field) -> str:
    if field.is_relation and field.related_model is ContentType:
        return "contenttype"
    if field.is_relation and field.related_model is Permission:
        return "permission"
    target = field
    while target.is_relation:  # a foreign key holds its target's type
        target = target.target_field
    kind = KINDS.get(target.get_internal_type())
    if kind is None:
        raise BackupValueError(
            f"{field.model._meta.label}.{field.name}: fälttypen {target.get_internal_type()} "
            "kan inte säkerhetskopieras än (lägg till den i reports/backup_values.py)."
        )
    return kind


def select_expression(column: str, connection) -> str:
    """The column as stored: on SQLite ``+col``, which skips sqlite3's converters by declared
    type (they would turn a datetime's text into a datetime, or drop a value they cannot parse)."""
    quoted = connection.ops.quote_name(column)
    return f"+{quoted}" if connection.vendor == "sqlite" else quoted


# ── Stored value → JSON ─────────────────────────────────────────────────────────────────────


def _decimal_out(raw) -> str:
    if isinstance(raw, float):
        return repr(raw)  # the shortest text that reads back as the very same float
    return str(raw)  # Decimal (PostgreSQL), int or text (SQLite)


def _datetime_out(raw, connection) -> str:
    if isinstance(raw, str):  # SQLite: Django's text, in the connection's time zone
        raw = datetime.datetime.fromisoformat(raw)
        if raw.tzinfo is None and connection.timezone is not None:
            raw = raw.replace(tzinfo=connection.timezone)
    return raw.isoformat()


def _temporal_out(cls):
    def out(raw, connection):
        return (cls.fromisoformat(raw) if isinstance(raw, str) else raw).isoformat()

    return out


def _duration_out(raw, connection) -> int:
    return raw if isinstance(raw, int) else duration_microseconds(raw)


def _uuid_out(raw, connection) -> str:
    return raw.hex if isinstance(raw, uuid.UUID) else uuid.UUID(raw).hex


def _binary_out(raw, connection) -> str:
    return base64.b64encode(bytes(raw)).decode("ascii")


_OUT = {
    "bool": lambda raw, connection: bool(raw),
    "decimal": lambda raw, connection: _decimal_out(raw),
    "datetime": _datetime_out,
    "date": _temporal_out(datetime.date),
    "time": _temporal_out(datetime.time),
    "duration": _duration_out,
    "uuid": _uuid_out,
    "json": lambda raw, connection: raw,  # Django has both backends hand over jsonb as text
    "binary": _binary_out,
}


class Dumper:
    """Stored values → JSON values, for one database; content types and permissions by their
    natural keys."""

    def __init__(self, connection):
        self.connection = connection
        using = connection.alias
        self.natural = {
            "contenttype": {
                ct.pk: [ct.app_label, ct.model] for ct in ContentType.objects.using(using)
            },
            "permission": {
                p.pk: [p.codename, p.content_type.app_label, p.content_type.model, p.name]
                for p in Permission.objects.using(using).select_related("content_type")
            },
        }

    def value(self, kind: str, raw):
        if raw is None:
            return None
        if kind in self.natural:
            return self.natural[kind][raw]
        out = _OUT.get(kind)
        return raw if out is None else out(raw, self.connection)


# ── JSON → value to write ───────────────────────────────────────────────────────────────────


def _decimal_in(value, connection):
    text = _string(value)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise BackupValueError(f"väntade ett tal, fann {value!r}") from None
    if connection.vendor != "sqlite":
        return connection.ops.adapt_decimalfield_value(number)
    try:  # what SQLite held: an integer, else a float, both written exactly in the file
        return int(text)
    except ValueError:
        return float(text)


def _string(value) -> str:
    if not isinstance(value, str):
        raise BackupValueError(f"väntade text, fann {value!r}")
    return value


def _natural(value, size: int) -> tuple:
    if (
        not isinstance(value, list)
        or len(value) != size
        or not all(isinstance(v, str) for v in value)
    ):
        raise BackupValueError(f"väntade en naturlig nyckel, fann {value!r}")
    return tuple(value)


def _json_in(value, connection):
    text = _string(value)
    if connection.features.has_native_json_field:
        return connection.ops.adapt_json_value(json.loads(text), None)
    return text


def _ip_in(value, connection):
    text = _string(value)
    if connection.vendor == "sqlite":
        return text
    return connection.ops.adapt_ipaddressfield_value(text)


def _duration_in(value, connection):
    if not isinstance(value, int) or isinstance(value, bool):
        raise BackupValueError(f"väntade mikrosekunder, fann {value!r}")
    if connection.features.has_native_duration_field:
        return datetime.timedelta(microseconds=value)
    return value


def _uuid_in(value, connection):
    parsed = uuid.UUID(_string(value))
    return parsed if connection.features.has_native_uuid_field else parsed.hex


def _typed(*types):
    def check(value, connection):
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise BackupValueError(f"väntade {types[0].__name__}, fann {value!r}")
        return value

    return check


_IN = {
    "int": _typed(int),
    "text": _typed(str),
    "float": _typed(float, int),
    "bool": _typed(bool),
    "decimal": _decimal_in,
    "datetime": lambda value, connection: connection.ops.adapt_datetimefield_value(
        datetime.datetime.fromisoformat(_string(value))
    ),
    "date": lambda value, connection: connection.ops.adapt_datefield_value(
        datetime.date.fromisoformat(_string(value))
    ),
    "time": lambda value, connection: connection.ops.adapt_timefield_value(
        datetime.time.fromisoformat(_string(value))
    ),
    "duration": _duration_in,
    "uuid": _uuid_in,
    "json": _json_in,
    "ip": _ip_in,
    "binary": lambda value, connection: base64.b64decode(_string(value), validate=True),
}


class Loader:
    """JSON values → values to write, for one database; natural keys → this database's ids
    (a content type or permission it lacks, e.g. of a model since removed, is made)."""

    def __init__(self, connection):
        self.connection = connection
        self.using = connection.alias
        self.ids: dict[tuple, int] = {}

    def value(self, kind: str, value):
        if value is None:
            return None
        if kind == "contenttype":
            return self._content_type(*_natural(value, 2))
        if kind == "permission":
            return self._permission(*_natural(value, 4))
        return _IN[kind](value, self.connection)

    def _content_type(self, app_label: str, model: str) -> int:
        key = ("contenttype", app_label, model)
        if key not in self.ids:
            content_type, _ = ContentType.objects.using(self.using).get_or_create(
                app_label=app_label, model=model
            )
            self.ids[key] = content_type.pk
        return self.ids[key]

    def _permission(self, codename: str, app_label: str, model: str, name: str) -> int:
        key = ("permission", codename, app_label, model)
        if key not in self.ids:
            permission, _ = Permission.objects.using(self.using).get_or_create(
                codename=codename,
                content_type_id=self._content_type(app_label, model),
                defaults={"name": name},
            )
            self.ids[key] = permission.pk
        return self.ids[key]
