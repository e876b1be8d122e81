"""The value-entry page's table rows as HTML, formed in Python (#16).

A 30-row month spent most of the page's CPU in Django's template engine: about 60 variable
lookups, translations and filters per row, 2,000 a page. The rows' markup is the same as the
template's was, byte for byte — the same names, ids, labels, ``aria-*`` attributes and error
texts — and every value is escaped as the template escaped it (``format_html`` below). The
rest of the page (the form, the error summary, the buttons) stays in
``followup/value_entry.html``. The trend cell is ``followup/_trend_arrows.html`` as Python;
``followup/tests/test_entry_html.py`` holds the two equal.
"""

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .entry import EntryRow

# Each row as the template's loop left it: a newline before, the loop's indent after.
_ROW = """
      <tr{error_class}>
        <th scope="row">
          <span id="name-{key}">{name}</span>
          <span class="kind">{kind}</span>
        </th>
        <td data-label="{target_col}">{target}</td>
        <td class="num" data-label="{earlier_col}">{earlier}</td>
        <td data-label="{value_col}">
          {computed}
          <label class="visually-hidden" for="v-{key}">{value_label}</label>
          <input type="text" inputmode="decimal" id="v-{key}" name="v-{key}" value="{value}" \
size="9" autocomplete="off"{disabled}{invalid}>
          <input type="hidden" name="ver-{key}" value="{version}">
          {error}
          {entered}
        </td>
        <td data-label="{comment_col}">
          <label class="visually-hidden" for="c-{key}">{comment_label}</label>
          <input type="text" id="c-{key}" name="c-{key}" value="{comment}" size="18"{disabled}>
        </td>
        <td data-label="{status_col}">{badge}
{so_far}</td>
        <td data-label="{trend_col}">{trends}
</td>
      </tr>
    """


def format_html(template: str, *args, **kwargs) -> SafeString:
    """``django.utils.html.format_html``, the same escaping (``conditional_escape``: HTML as it
    is, anything else as ``escape`` gives it) without its lazy-string wrappers, which were a
    third of these rows' time at 25 values a row."""
    return mark_safe(  # noqa: S308 - every value escaped
        template.format(*map(_escaped, args), **{k: _escaped(v) for k, v in kwargs.items()})
    )


def _escaped(value) -> str:
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


_NOTHING = mark_safe("")  # noqa: S308 - an empty string
_DISABLED = mark_safe(" disabled")  # noqa: S308 - a constant


def rows_html(rows: list[EntryRow], *, locked: bool) -> SafeString:
    """Every row of the table body, as ``value_entry.html`` shows them."""
    labels = {
        "target_col": _("Målvärde"),
        "earlier_col": _("Tidigare värden"),
        "value_col": _("Utfall"),
        "comment_col": _("Kommentar"),
        "status_col": _("Status hittills i år"),
        "trend_col": _("Trend"),
        "no_target": _("inget"),
        "computed": _("Beräknat:"),
        "from_below": _("av underliggande enheter"),
    }
    disabled = _DISABLED if locked else _NOTHING
    return mark_safe("".join(_row(row, labels, disabled) for row in rows))  # noqa: S308 - format_html's


def _row(row: EntryRow, labels: dict, disabled: SafeString) -> str:
    key = row.key
    return format_html(
        _ROW,
        error_class=mark_safe(' class="has-error"') if row.error else _NOTHING,  # noqa: S308
        key=key,
        name=row.indicator.name,
        kind=row.kind,
        target_col=labels["target_col"],
        target=row.target.label
        if row.target
        else format_html('<span class="muted">{}</span>', labels["no_target"]),
        earlier_col=labels["earlier_col"],
        earlier=_earlier(row),
        value_col=labels["value_col"],
        computed=_computed(row, labels),
        value_label=row.value_label,
        value=row.input_value,
        disabled=disabled,
        invalid=format_html(' aria-invalid="true" aria-describedby="e-{}"', key)
        if row.error
        else _NOTHING,
        version=str(row.version),
        error=format_html('<p class="errorlist" id="e-{}">{}</p>', key, row.error)
        if row.error
        else _NOTHING,
        entered=format_html('<span class="kind">{}</span>', row.entered)
        if row.measurement
        else _NOTHING,
        comment_col=labels["comment_col"],
        comment_label=row.comment_label,
        comment=row.input_comment,
        status_col=labels["status_col"],
        badge=row.status.badge,
        so_far=_so_far(row),
        trend_col=labels["trend_col"],
        trends=trend_cell(row.result),
    )


def _earlier(row: EntryRow) -> SafeString:
    shown = [format_html('<span class="earlier">{}</span>', text) for text in row.earlier_shown]
    return mark_safe("<br>".join(shown)) if shown else mark_safe("–")  # noqa: S308 - escaped above


def _computed(row: EntryRow, labels: dict) -> SafeString:
    if not row.is_computed or row.computed is None:
        return _NOTHING
    return format_html(
        '<p class="computed"><span aria-hidden="true">Σ</span> {} {} <span class="kind">({} {})'
        "</span></p>",
        labels["computed"],
        row.computed_shown,
        row.aggregation_shown,
        labels["from_below"],
    )


def _so_far(row: EntryRow) -> SafeString:
    """The year-to-date figure, what it covers and, for a cumulative metric, the share of the
    target judged so far."""
    html = _NOTHING
    if row.year_to_date is not None:
        html = format_html(
            '<br><span class="kind">{} ({})</span>', row.year_to_date_shown, row.result.covers
        )
    so_far = row.result.target_so_far if row.result else ""
    if so_far:
        html = format_html('{}<br><span class="kind">{}</span>', html, so_far)
    return html


def trend_cell(result) -> SafeString:
    """``followup/_trend_arrows.html`` for one metric's result (without its closing newline)."""
    previous = getattr(result, "trend_previous", None)
    last_year = getattr(result, "trend_last_year", None)
    if not previous and not last_year:
        return mark_safe('<span class="muted">–</span>')  # noqa: S308 - a constant
    arrows = [_arrow(a) for a in (previous, last_year) if a]
    return mark_safe("<br>".join(arrows))  # noqa: S308 - each escaped by format_html


def _arrow(arrow) -> SafeString:
    return format_html(
        '<span class="trend {}"><span aria-hidden="true">{}</span> {} <span class="kind">{}'
        "</span></span>",
        arrow.css,
        arrow.icon,
        arrow.label,
        arrow.against,
    )
