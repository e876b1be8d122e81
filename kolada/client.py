"""A small client for the Kolada API, version 3 (https://api.kolada.se/v3/docs).

Kolada is read-only, needs no key and answers JSON in an envelope
``{"count", "values", "next_url", "previous_url"}``. The client hides three things callers should
not have to think about:

* **paging** – every list is followed through ``next_url`` until it is null, empty or absent;
* **long id lists** – Kolada takes at most 25 ids per path segment, so larger requests are split
  into several and their rows joined;
* **bad days** – timeouts and network errors, HTTP 429 and 5xx are retried with exponential
  backoff, honouring ``Retry-After``; when the retries run out the caller gets
  :class:`KoladaUnavailable`, and an answer that is not the documented JSON gives
  :class:`KoladaBadResponse`. Every exception carries a Swedish message fit to show a user.

``sleep`` and ``clock`` are injectable so tests never wait. Nothing here touches the database.
"""

from __future__ import annotations

import itertools
import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from email.utils import parsedate_to_datetime
from urllib.parse import urlencode, urljoin, urlsplit

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from core.numbers import check_size

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.kolada.se/v3/"
MAX_IDS = 25  # per path segment, documented
PER_PAGE = 5000  # Kolada's maximum
GENDERS = ("T", "K", "M")
DEFAULT_TIMEOUT = 20.0  # seconds; settings.KOLADA_TIMEOUT
DEFAULT_RETRIES = 4  # settings.KOLADA_RETRIES


class KoladaError(Exception):
    """Anything that went wrong talking to Kolada; ``str(error)`` is a Swedish message."""

    def __init__(self, message: str = "", *, status: int | None = None):
        super().__init__(message)
        self.status = status  # the HTTP status, when Kolada answered with an error


class KoladaUnavailable(KoladaError):
    """Kolada could not be reached or kept failing (network, timeouts, 429, 5xx)."""


class KoladaBadResponse(KoladaError):
    """Kolada answered, but not with what the API documents."""


class UnknownKpi(KoladaError):
    """A KPI id that Kolada does not know."""


@dataclass(frozen=True)
class KoladaDatum:
    """One value of a data row: a KPI for a municipality, a year and a gender (T, K or M)."""

    kpi: str
    municipality: str
    year: int
    gender: str
    value: Decimal | None  # None: Kolada has no value
    count: int | None = None  # for a group: how many members contributed
    status: str = ""
    is_deleted: bool = False  # only in from_date answers


def configured_base_url() -> str:
    return getattr(settings, "KOLADA_BASE_URL", DEFAULT_BASE_URL) or DEFAULT_BASE_URL


def chunks(ids: Iterable[str], size: int = MAX_IDS) -> list[list[str]]:
    """Unique ids in their given order, in lists of at most ``size``."""
    unique = list(dict.fromkeys(str(i).strip() for i in ids if str(i).strip()))
    return [unique[i : i + size] for i in range(0, len(unique), size)]


class KoladaClient:
    def __init__(
        self,
        *,
        base_url: str | None = None,
        timeout: float | None = None,
        retries: int | None = None,
        backoff: float = 1.0,
        max_wait: float = 60.0,
        min_interval: float = 0.2,
        per_page: int = PER_PAGE,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        transport: httpx.BaseTransport | None = None,
    ):
        root = base_url or configured_base_url()
        self.base_url = root if root.endswith("/") else root + "/"
        if timeout is None:
            timeout = float(getattr(settings, "KOLADA_TIMEOUT", DEFAULT_TIMEOUT))
        if retries is None:
            retries = int(getattr(settings, "KOLADA_RETRIES", DEFAULT_RETRIES))
        # httpx's timeout bounds each wait for bytes; a server trickling a byte at a time could
        # still hold a request for ever, so each attempt also has a deadline of its own.
        self.deadline = timeout * 3
        self.retries = retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.min_interval = min_interval  # ~5 requests/s keeps a client well-behaved
        self.per_page = per_page
        self.sleep = sleep
        self.clock = clock
        self.requests = 0
        self._last_request: float | None = None
        self._http = httpx.Client(
            timeout=timeout,
            transport=transport,
            headers={"Accept": "application/json", "User-Agent": "Styrkort (Kolada-klient)"},
            follow_redirects=True,
        )

    def __enter__(self) -> KoladaClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # ── Metadata ──────────────────────────────────────────────────────────────────────────────

    def kpis(self, ids: Iterable[str] | None = None) -> list[dict]:
        """KPI records (all of them when ``ids`` is None)."""
        if ids is None:
            return list(self._pages("kpi"))
        rows = []
        for part in chunks(ids):
            try:
                rows += self._pages(f"kpi/{','.join(part)}")
            except KoladaError as error:
                if error.status != 404:
                    raise
                # One unknown id may make Kolada refuse the whole list: ask for each on its own.
                for kpi_id in part if len(part) > 1 else ():
                    try:
                        rows += self._pages(f"kpi/{kpi_id}")
                    except KoladaError as single:
                        if single.status != 404:
                            raise
        return rows

    def kpi(self, kpi_id: str) -> dict:
        for row in self.kpis([kpi_id]):
            if str(row.get("id", "")).upper() == kpi_id.strip().upper():
                return row
        raise UnknownKpi(_("Kolada känner inte till KPI:n ”%(id)s”.") % {"id": kpi_id})

    def kpi_search(self, title: str) -> list[dict]:
        return list(self._pages("kpi", {"title": title}))

    def municipalities(
        self, ids: Iterable[str] | None = None, *, title: str = "", region_type: str = ""
    ) -> list[dict]:
        params = {k: v for k, v in (("title", title), ("region_type", region_type)) if v}
        if ids is None:
            return list(self._pages("municipality", params))
        return [
            row
            for part in chunks(ids)
            for row in self._pages(f"municipality/{','.join(part)}", params)
        ]

    def municipality_groups(self, ids: Iterable[str] | None = None, *, title: str = "") -> list:
        params = {"title": title} if title else {}
        if ids is None:
            return list(self._pages("municipality_groups", params))
        return [
            row
            for part in chunks(ids)
            for row in self._pages(f"municipality_groups/{','.join(part)}", params)
        ]

    # ── Data ──────────────────────────────────────────────────────────────────────────────────

    def data(
        self,
        *,
        kpis: Iterable[str],
        municipalities: Iterable[str],
        years: Iterable[int] | None = None,
        from_date: date | None = None,
        on_page: Callable[[int], None] | None = None,
    ) -> list[KoladaDatum]:
        """Values of ``kpis`` × ``municipalities`` (× ``years``; all years when None).

        With ``from_date`` only what changed since that day, each value with its deletion flag.
        ``on_page`` is called with the number of rows of every page fetched (for progress).
        """
        kpi_parts, mun_parts = chunks(kpis), chunks(municipalities)
        year_parts = chunks(str(y) for y in years) if years is not None else [None]
        params = {"from_date": from_date.isoformat()} if from_date else {}
        out: list[KoladaDatum] = []
        for k, m, y in itertools.product(kpi_parts, mun_parts, year_parts):
            path = f"data/kpi/{','.join(k)}/municipality/{','.join(m)}"
            if y is not None:
                path += f"/year/{','.join(y)}"
            for row in self._pages(path, params, on_page=on_page):
                out.extend(data_row(row))
        return out

    # ── HTTP ──────────────────────────────────────────────────────────────────────────────────

    def _pages(
        self, path: str, params: dict | None = None, *, on_page: Callable[[int], None] | None = None
    ) -> Iterator[dict]:
        query = {**(params or {}), "per_page": self.per_page}
        url: str | None = urljoin(self.base_url, path) + "?" + urlencode(query)
        seen: set[str] = set()
        while url:
            if url in seen:  # a server that links a page to itself must not loop us forever
                raise KoladaBadResponse(_("Kolada skickade samma sida två gånger."))
            seen.add(url)
            envelope = self._get_json(url)
            values = envelope.get("values")
            if not isinstance(values, list):
                raise KoladaBadResponse(_("Kolada svarade utan någon lista med värden."))
            if on_page:
                on_page(len(values))
            yield from values
            next_url = envelope.get("next_url")
            url = self._rebase(next_url) if next_url else None

    def _rebase(self, next_url: str) -> str:
        """``next_url`` on the configured base URL.

        Kolada names its public host in ``next_url``; keeping only the part below the API root
        lets a mirror or proxy in ``KOLADA_BASE_URL`` (or a test server) serve every page, and the
        client never follows an answer to another host.
        """
        if not isinstance(next_url, str):
            raise KoladaBadResponse(_("Kolada skickade en ogiltig länk till nästa sida."))
        parts = urlsplit(next_url)
        roots = {urlsplit(self.base_url).path, urlsplit(DEFAULT_BASE_URL).path}
        root = max((r for r in roots if parts.path.startswith(r)), key=len, default=None)
        if root is None:
            raise KoladaBadResponse(_("Kolada skickade en ogiltig länk till nästa sida."))
        url = urljoin(self.base_url, parts.path[len(root) :])
        return f"{url}?{parts.query}" if parts.query else url

    def _get_json(self, url: str) -> dict:
        response = self._get(url)
        try:
            data = json.loads(response.content, parse_float=Decimal)
        except (ValueError, UnicodeDecodeError):
            # The address goes to the log, not to the user: it is the server's business.
            log.warning("Kolada answered %s with invalid JSON", url)
            raise KoladaBadResponse(
                _("Kolada svarade med något som inte är giltig JSON.")
            ) from None
        if not isinstance(data, dict):
            raise KoladaBadResponse(_("Kolada svarade inte med det väntade formatet."))
        return data

    def _get(self, url: str) -> httpx.Response:
        for attempt in range(self.retries + 1):
            last_try = attempt == self.retries
            self._throttle()
            self.requests += 1
            try:
                response = self._fetch(url)
            except httpx.TimeoutException:
                problem = _("Kolada svarade inte i tid.")
                wait = None
            except httpx.UnsupportedProtocol as error:
                raise self._request_error(url, error) from None
            except httpx.TransportError:
                problem = _("Det gick inte att nå Kolada (nätverksfel).")
                wait = None
            except (httpx.HTTPError, httpx.InvalidURL) as error:
                raise self._request_error(url, error) from None
            else:
                status = response.status_code
                if status < 400:
                    return response
                if status != 429 and status < 500:
                    raise self._client_error(status, url)
                problem = (
                    _("Kolada begränsar antalet frågor (HTTP 429).")
                    if status == 429
                    else _("Kolada har tekniska problem (HTTP %(status)s).") % {"status": status}
                )
                wait = retry_after(response.headers.get("Retry-After"))
            if last_try:
                break
            if wait is None:
                wait = self.backoff * 2**attempt
            if wait > self.max_wait:
                raise KoladaUnavailable(
                    problem
                    + " "
                    + _("Kolada ber oss vänta %(seconds)d sekunder; försök igen senare.")
                    % {"seconds": wait}
                )
            self.sleep(wait)
        raise KoladaUnavailable(
            problem
            + " "
            + _("Gav upp efter %(n)d försök; försök igen senare.") % {"n": self.retries + 1}
        )

    def _fetch(self, url: str) -> httpx.Response:
        """One GET, read within ``self.deadline`` seconds in all."""
        deadline = time.monotonic() + self.deadline
        with self._http.stream("GET", url) as response:
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout("deadline", request=response.request)
        # The body is decoded already: its encoding and length headers no longer describe it.
        headers = [
            (k, v)
            for k, v in response.headers.multi_items()
            if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        ]
        return httpx.Response(
            response.status_code,
            headers=headers,
            content=bytes(body),
            request=response.request,
        )

    def _client_error(self, status: int, url: str) -> KoladaError:
        if status == 404:
            return KoladaError(
                _("Kolada hittar inte det som efterfrågades (HTTP 404)."), status=status
            )
        log.warning("Kolada refused %s with HTTP %s", url, status)
        return KoladaError(
            _("Kolada avvisade frågan (HTTP %(status)s).") % {"status": status}, status=status
        )

    def _request_error(self, url: str, error: Exception) -> KoladaError:
        """httpx's own texts name the address; the log keeps it, the user gets a plain reason."""
        log.warning("Kolada request %s failed: %r", url, error)
        if isinstance(error, httpx.TooManyRedirects):
            return KoladaBadResponse(
                _("Kolada skickade frågan vidare för många gånger (omdirigeringar).")
            )
        if isinstance(error, httpx.DecodingError):
            return KoladaBadResponse(_("Kolada skickade ett svar som inte gick att avkoda."))
        if isinstance(error, httpx.InvalidURL | httpx.UnsupportedProtocol):
            return KoladaError(_("Kolada-adressen i inställningen KOLADA_BASE_URL är ogiltig."))
        return KoladaError(_("Frågan till Kolada misslyckades."))

    def _throttle(self) -> None:
        now = self.clock()
        if self._last_request is not None and self.min_interval > 0:
            gap = now - self._last_request
            if gap < self.min_interval:
                self.sleep(self.min_interval - gap)
                now = self.clock()
        self._last_request = now


def retry_after(header: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date); None if absent."""
    if not header:
        return None
    header = header.strip()
    if header.isdigit():
        return float(header)
    try:
        when = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def data_row(row) -> list[KoladaDatum]:
    """The values of one data row, checked against the documented shape."""
    bad = KoladaBadResponse(_("Kolada skickade en datarad i ett oväntat format."))
    if not isinstance(row, dict) or not isinstance(row.get("values"), list):
        raise bad
    kpi, municipality, period = row.get("kpi"), row.get("municipality"), row.get("period")
    if not isinstance(kpi, str) or not isinstance(municipality, str):
        raise bad
    if isinstance(period, bool) or not isinstance(period, int | str):
        raise bad
    try:
        year = int(period)
    except ValueError:
        raise bad from None
    out = []
    for item in row["values"]:
        if not isinstance(item, dict) or item.get("gender") not in GENDERS:
            raise bad
        value = item.get("value")
        if value is not None:
            if isinstance(value, bool) or not isinstance(value, int | Decimal):
                raise bad
            try:  # a value no column holds fails here, named, not when it is rounded
                value = check_size(Decimal(value))
            except ValueError:
                raise bad from None
        count = item.get("count")
        out.append(
            KoladaDatum(
                kpi=kpi,
                municipality=municipality,
                year=year,
                gender=item["gender"],
                value=value,
                count=count if isinstance(count, int) and not isinstance(count, bool) else None,
                status=str(item.get("status") or ""),
                is_deleted=item.get("isdeleted") is True,
            )
        )
    return out
