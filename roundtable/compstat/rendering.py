"""The pack as HTML and as PDF, from one template.

`_pack_body.html` is the pack itself: the page shows it, issuing stores it
(once per language), and the PDF is drawn from it (stored or live) inside a
print frame with the agency, the area, the month and the issue line on its
first page (the title repeats at the top of every page, the page number at
the bottom). The PDF's style is the page's own static stylesheets, read from
disk and handed to WeasyPrint: the pack has no inline styles (the CSP forbids
them) and WeasyPrint fetches nothing, from this server or any other.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import weasyprint  # type: ignore[import-untyped]
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from roundtable.compstat.models import MeetingPack
from roundtable.compstat.selectors import Pack
from roundtable.disclosure import RESPONDENTS, minimum_count

# The page's own stylesheets, in the page's order; the print one last.
STYLESHEETS = (
    "roundtable/app.css",
    "incidents/incidents.css",
    "measures/measures.css",
    "compstat/pack.css",
    "compstat/pack-print.css",
)


def body_context(pack: Pack) -> dict[str, Any]:
    return {
        "pack": pack,
        "agency": pack.agency,
        "survey_min_count": minimum_count(RESPONDENTS),
    }


def render_body(pack: Pack) -> SafeString:
    """The pack's body in the active language."""
    return mark_safe(render_to_string("compstat/_pack_body.html", body_context(pack)))  # noqa: S308


def stored_body(issued: MeetingPack) -> SafeString:
    # Rendered by render_body (every value escaped by the template) when issued.
    return mark_safe(issued.html)  # noqa: S308


@lru_cache(maxsize=1)
def _stylesheets() -> tuple[str, ...]:
    texts = []
    for name in STYLESHEETS:
        found = finders.find(name)
        if not isinstance(found, str):
            raise FileNotFoundError(name)
        texts.append(Path(found).read_text(encoding="utf-8"))
    return tuple(texts)


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """WeasyPrint's URL fetcher: the pack is self-contained (inline SVG, the CSS
    handed in), so nothing is fetched, from this server or any other."""
    raise ValueError(f"The meeting pack's PDF fetches nothing ({url}).")


def pdf_bytes(context: dict[str, Any]) -> bytes:
    """The PDF of `compstat/pdf.html` rendered with `context` (which holds `body`)."""
    html = render_to_string("compstat/pdf.html", context)
    document = weasyprint.HTML(string=html, base_url=".", url_fetcher=_no_fetching)
    stylesheets = [weasyprint.CSS(string=text) for text in _stylesheets()]
    pdf: bytes = document.write_pdf(stylesheets=stylesheets)
    return pdf
