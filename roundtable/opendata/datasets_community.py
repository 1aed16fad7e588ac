"""Open data of listening and meeting: "you said, we did" figures, the published
answers, and the public meetings calendar.

From `inputs.selectors_public` (figures with small cells suppressed, answers
redacted, never a receipt code, contact detail or name) and
`engagement.selectors.public_calendar` (public events only).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roundtable.agencies.models import Agency, Area
from roundtable.analytics.response_figures import Cell
from roundtable.engagement import ical
from roundtable.engagement.languages import language_label
from roundtable.engagement.models import Event
from roundtable.engagement.selectors import public_calendar
from roundtable.inputs import selectors_public
from roundtable.inputs.models import Input, Topic
from roundtable.opendata.dataset import (
    ALL_AREAS,
    BOOLEAN,
    DATE,
    DATETIME,
    INTEGER,
    NUMBER,
    STRING,
    Dataset,
    Field,
    Row,
    iso,
    text_id,
    unique_ids,
)

# Published answers in the file at most, latest first.
ANSWERS_LIMIT = 1000
NO_AREA = "none"


def _figure(row_id: str, breakdown: str, key: str, label: str, since: dt.date, cell: Cell) -> Row:
    return {
        "id": row_id,
        "breakdown": breakdown,
        "key": key,
        "label": label,
        "since": iso(since),
        "received": cell.received,
        "share_answered": None if cell.share is None else round(100 * cell.share, 1),
        "median_days_to_answer": None if cell.median_days is None else round(cell.median_days, 1),
        "suppressed": cell.suppressed,
        "median_withheld": cell.median_withheld,
    }


def ledger_rows(agency: Agency) -> list[Row]:
    figures = selectors_public.answer_figures(agency=agency)
    # The selector lists topics in Topic order, and areas by name then "no area" last.
    topics = [t.value for t in Topic]
    areas = [
        *Area.objects.filter(agency=agency).order_by("name").values_list("slug", flat=True),
        NO_AREA,
    ]
    since = figures.since
    rows = [_figure(ALL_AREAS, "overall", "", str(agency.name), since, figures.overall)]
    for code, row in zip(topics, figures.by_topic, strict=True):
        rows.append(_figure(f"topic/{code}", "topic", code, row.label, since, row.cell))
    for slug, row in zip(areas, figures.by_area, strict=True):
        rows.append(_figure(f"area/{slug}", "area", slug, row.label, since, row.cell))
    return rows


def today(agency: Agency) -> dt.date:
    """Figures over the last 365 days change every day."""
    return timezone.localdate()


def answer_rows(agency: Agency) -> list[Row]:
    rows = [
        {
            # Answers have no public key of their own (a receipt code is never
            # published): the id is made from what was said and when.
            "id": text_id(answer.received_on.isoformat(), answer.said),
            "topic": answer.topic_label,
            "area_name": answer.area,
            "received_on": iso(answer.received_on),
            "answered_on": iso(answer.answered_on),
            "said": answer.said,
            "answer": answer.answer,
        }
        for answer in selectors_public.recent_answers(agency=agency, limit=ANSWERS_LIMIT)
    ]
    # Oldest first, so that a new answer never renumbers an older one's id.
    return unique_ids(sorted(rows, key=lambda r: (r["answered_on"], r["received_on"], r["id"])))


def answers_updated(agency: Agency) -> dt.date | None:
    found = Input.objects.filter(agency=agency).aggregate(latest=Max("answered_at"))["latest"]
    return None if found is None else timezone.localdate(found)


def meeting_rows(agency: Agency) -> list[Row]:
    rows = []
    for event in public_calendar(agency=agency):
        rows.append(
            {
                "id": f"event-{event.pk}",
                "title": event.title,
                "kind": event.kind,
                "kind_label": event.get_kind_display(),
                "starts_at": iso(timezone.localtime(event.starts_at)),
                "ends_at": iso(timezone.localtime(event.ends_at)),
                "format": event.format,
                "format_label": event.get_format_display(),
                "place": event.place_name if event.format != "virtual" else "",
                "address": event.address if event.format != "virtual" else "",
                "area": "" if event.area is None else event.area.slug,
                "area_name": "" if event.area is None else event.area.name,
                "languages": ";".join(event.languages),
                "language_names": ", ".join(language_label(code) for code in event.languages),
                "interpretation": event.interpretation,
                "accessibility": event.accessibility,
                "childcare": event.childcare,
                "transport": event.transport,
                "convened_by": ical.convened_by(event),
                "co_hosts": ", ".join(host.name for host in event.co_hosts.all()),
                "cancelled": event.status == Event.Status.CANCELLED,
                "url": reverse("events_public:detail", args=[agency.slug, event.pk]),
            }
        )
    return rows


def meetings_updated(agency: Agency) -> dt.date | None:
    found = Event.objects.filter(agency=agency, is_public=True).aggregate(latest=Max("updated_at"))[
        "latest"
    ]
    return None if found is None else timezone.localdate(found)


LEDGER = Dataset(
    key="ledger-figures",
    title=_("You said, we did: figures"),
    description=_(
        "How many inputs the agency received in the last 12 months, the share it answered "
        "and the median days to answer: overall, by topic and by area. Groups with few "
        "inputs are withheld, and so is the next smallest, so the total cannot give them away."
    ),
    fields=(
        Field(
            "id",
            STRING,
            _("Stable identifier: all, topic/<topic>, or area/<area short name, or none>."),
        ),
        Field("breakdown", STRING, _("overall, topic or area.")),
        Field("key", STRING, _("The topic's key, or the area's short name (none: no area).")),
        Field("label", STRING, _("The topic or area in words.")),
        Field("since", DATE, _("First day counted: the figures cover the 12 months to today.")),
        Field(
            "received",
            INTEGER,
            _("Inputs received (empty: withheld)."),
            unit=_("inputs"),
            count="count",
        ),
        Field(
            "share_answered",
            NUMBER,
            _("Share of those inputs answered so far."),
            unit=_("percent"),
        ),
        Field(
            "median_days_to_answer",
            NUMBER,
            _("Median days from receipt to answer, over the inputs answered."),
            unit=_("days"),
        ),
        Field("suppressed", BOOLEAN, _("True when the group's figures are withheld.")),
        Field(
            "median_withheld",
            BOOLEAN,
            _("True when the median is withheld because too few inputs were answered."),
        ),
    ),
    build=ledger_rows,
    updated=today,
)

ANSWERS = Dataset(
    key="public-answers",
    title=_("Public answers"),
    description=_(
        "What people wrote to the agency through its public form, and the agency's public "
        "answer, with emails, phone numbers and street addresses removed. Never a name, a "
        "contact detail or a receipt code."
    ),
    fields=(
        Field("id", STRING, _("Stable identifier made from the date and the words received.")),
        Field("topic", STRING, _("What the input is about.")),
        Field("area_name", STRING, _("The area the person chose, if any.")),
        Field("received_on", DATE, _("Day the input was received.")),
        Field("answered_on", DATE, _("Day it was answered.")),
        Field("said", STRING, _("What the person said, redacted.")),
        Field("answer", STRING, _("The agency's public answer, redacted.")),
    ),
    build=answer_rows,
    updated=answers_updated,
)

MEETINGS = Dataset(
    key="meetings",
    title=_("Upcoming meetings"),
    description=_(
        "Public meetings not yet over: when and where, in which languages, and what is "
        "offered so that everyone can take part."
    ),
    fields=(
        Field("id", STRING, _("Stable identifier: event-<number>, as in the meeting's address.")),
        Field("title", STRING, _("Title of the meeting.")),
        Field("kind", STRING, _("Key of the kind of meeting.")),
        Field("kind_label", STRING, _("The kind of meeting in words.")),
        Field("starts_at", DATETIME, _("Start, local time with its offset from UTC.")),
        Field("ends_at", DATETIME, _("End, local time with its offset from UTC.")),
        Field("format", STRING, _("in_person, virtual or hybrid.")),
        Field("format_label", STRING, _("The format in words.")),
        Field("place", STRING, _("Name of the venue.")),
        Field("address", STRING, _("Address of the venue.")),
        Field("area", STRING, _("Short name of the area (empty: the whole jurisdiction).")),
        Field("area_name", STRING, _("Name of the area.")),
        Field("languages", STRING, _("Languages offered, as codes separated by semicolons.")),
        Field("language_names", STRING, _("Languages offered, in words.")),
        Field("interpretation", STRING, _("Interpretation offered.")),
        Field("accessibility", STRING, _("Accessibility of the venue and the meeting.")),
        Field("childcare", STRING, _("Childcare offered.")),
        Field("transport", STRING, _("How to get there.")),
        Field("convened_by", STRING, _("Who convenes the meeting.")),
        Field("co_hosts", STRING, _("Organisations co-hosting it.")),
        Field("cancelled", BOOLEAN, _("True when the meeting is cancelled.")),
        Field("url", STRING, _("The meeting's public page, to register (path on this site).")),
    ),
    build=meeting_rows,
    updated=meetings_updated,
)
