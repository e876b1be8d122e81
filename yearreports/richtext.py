"""The rich text a writer may put in a report section: one safe subset of HTML, one sanitiser.

Every path that stores section text (form, autosave, API, quoting a child's text) and every
renderer (HTML, PDF, Word) relies on this subset, so the Word writer needs to know no other tag.
nh3 (Rust's ammonia) does the parsing; we only choose what survives.

Writers do not type that HTML: the section page's text box holds Markdown-like plain text
(``yearreports.markup.to_html``, markdown-it-py), and the stored HTML comes back to the box as
that text (``yearreports.markup.to_text``, markdownify). The stored format never changes, so the renderers, the API (which
keeps taking and giving HTML), backups and completed reports need to know nothing of it.
"""

from html import unescape

import nh3

from core.text import clean_text

# Headings start at h2: the section's own heading is the h1/h2 of the rendered document.
TAGS = frozenset(
    {
        "p", "br", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "b", "i", "a",
        "blockquote", "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ATTRIBUTES = {"a": {"href"}, "th": {"scope"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def sanitise(html: str) -> str:
    """The stored form of a writer's text: only ``TAGS``, links with safe schemes, no control
    characters (core.text), and ``rel="noopener noreferrer"`` on every link."""
    return nh3.clean(
        clean_text(html or ""),
        tags=set(TAGS),
        attributes={tag: set(attrs) for tag, attrs in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
    ).strip()


def plain_text(html: str) -> str:
    """The words of a text without its markup (search, previews, 'is this section empty?')."""
    return " ".join(unescape(nh3.clean(html or "", tags=set())).split())
