"""Reads of priorities: themes, candidates with the inputs behind them, and
the theme suggestions (the grouping itself is `analytics.text_groups`).

The worksheet's table is `selectors_worksheet`, decisions `selectors_decisions`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from roundtable.agencies.models import Agency
from roundtable.analytics.text_groups import suggest_groups
from roundtable.inputs.models import Input, InputLink, Moderation
from roundtable.inputs.receipts import normalise
from roundtable.inputs.redaction import ADDRESS, EMAIL, PHONE, redact
from roundtable.priorities.models import Candidate, InputTheme, Theme
from roundtable.stakeholders.models import Stance

# The suggestions look at this many of the most recent untagged inputs: enough
# for a season of listening, few enough to group within a page load.
SUGGESTION_POOL = 2000
SUGGESTION_MIN_SIZE = 3
SAMPLE_SIZE = 10
# Statuses on the worksheet and the shortlist's first tab.
CURRENT_STATUSES = (Candidate.Status.ACTIVE, Candidate.Status.CHOSEN)
NON_CRITIC_STANCES = [stance for stance in Stance if stance != Stance.CRITIC]


def candidate_title(candidate: Candidate, language: str | None = None) -> str:
    """The candidate's title in `language` (default: the active language),
    falling back to the title as written."""
    code = (language or get_language() or "").lower()
    translations = candidate.title_translations or {}
    for key in (code, code.split("-")[0]):
        text = translations.get(key)
        if isinstance(text, str) and text.strip():
            return text.strip()
    return candidate.title


# --- Themes ---


def theme_list(*, agency: Agency) -> QuerySet[Theme]:
    """The agency's themes with how many inputs and candidates each has."""
    return Theme.objects.filter(agency=agency).annotate(
        input_count=Count("tags", distinct=True),
        candidate_count=Count("candidates", distinct=True),
    )


def theme_detail(*, agency: Agency, pk: int) -> Theme:
    """Raises Theme.DoesNotExist for a theme of another agency."""
    return Theme.objects.select_related("created_by").get(agency=agency, pk=pk)


def theme_tags(*, theme: Theme) -> QuerySet[InputTheme]:
    """The inputs tagged with `theme`, most recent input first."""
    return (
        InputTheme.objects.filter(theme=theme)
        .select_related("input__area", "input__organisation", "tagged_by")
        .order_by("-input__received_at", "-input__pk")
    )


def taggable_inputs(
    *, agency: Agency, theme: Theme | None = None, q: str = "", include_tagged: bool = False
) -> QuerySet[Input]:
    """Inputs that could be tagged: by default only those in no theme yet; never
    those already in `theme`. `q` matches the text or a receipt code."""
    qs = Input.objects.filter(agency=agency).select_related("area", "organisation")
    if theme is not None:
        qs = qs.exclude(theme_tags__theme=theme)
    if not include_tagged:
        qs = qs.filter(theme_tags__isnull=True)
    q = q.strip()
    if q:
        code = normalise(q)
        qs = (
            qs.filter(Q(text__icontains=q) | Q(receipt_code=code))
            if code
            else qs.filter(text__icontains=q)
        )
    return qs.order_by("-received_at", "-pk")


# --- Suggestions ---


@dataclass(frozen=True)
class SuggestedMember:
    input: Input
    text: str  # redacted


@dataclass(frozen=True)
class Suggestion:
    name: str
    terms: list[str]
    cohesion: float
    members: list[SuggestedMember]


def _said(item: Input) -> str:
    """What the person said, interview answers included."""
    return " ".join([item.text, *(str(v) for v in (item.interview or {}).values())]).strip()


def suggestion_pool(*, agency: Agency, limit: int = SUGGESTION_POOL) -> list[Input]:
    """The most recent inputs in no theme, except those kept from view."""
    return list(
        Input.objects.filter(agency=agency, theme_tags__isnull=True)
        .exclude(moderation=Moderation.HIDDEN)
        .select_related("area")
        .order_by("-received_at", "-pk")[:limit]
    )


def theme_suggestions(*, agency: Agency, limit: int = SUGGESTION_POOL) -> list[Suggestion]:
    """Groups of similar untagged inputs, proposed as themes. Nothing is saved.

    The texts are redacted before grouping, not only before display, so that
    the terms proposed as a theme's name cannot carry an address or a phone
    number from one person's message.
    """
    pool = suggestion_pool(agency=agency, limit=limit)
    texts = [redact(_said(item)) for item in pool]
    # The placeholders themselves ("[address]") would otherwise be a word many
    # unrelated messages share.
    words = [text.replace(EMAIL, " ").replace(PHONE, " ").replace(ADDRESS, " ") for text in texts]
    groups = suggest_groups(
        words, [item.language for item in pool], min_size=SUGGESTION_MIN_SIZE, seed=0
    )
    suggestions = []
    for group in groups:
        members = [SuggestedMember(input=pool[i], text=texts[i]) for i in group.members]
        name = ", ".join(group.terms[:3])[:120] or _("Untitled group")
        suggestions.append(
            Suggestion(name=name, terms=group.terms, cohesion=group.cohesion, members=members)
        )
    return suggestions


# --- Candidates and the inputs behind them ---


@dataclass
class Heard:
    """Who spoke in the inputs behind a candidate. Residents spoke for no
    organisation; partners for an organisation on the Community Map that is not
    a critic; critics for one whose stance is critic. Anonymous cuts across."""

    total: int = 0
    residents: int = 0
    partners: int = 0
    critics: int = 0
    anonymous: int = 0


@dataclass
class Evidence:
    heard: Heard
    areas: list[tuple[str, int]]
    sample: list[tuple[Input, str]] = field(default_factory=list)


def candidate_links(candidate_ids: Iterable[int]) -> QuerySet[InputLink]:
    return InputLink.objects.filter(
        content_type=ContentType.objects.get_for_model(Candidate), object_id__in=list(candidate_ids)
    )


def heard_by_candidate(candidate_ids: Iterable[int]) -> dict[int, Heard]:
    """Who was heard for each candidate, in one query (candidates without
    linked inputs are left out)."""
    rows = (
        candidate_links(candidate_ids)
        .values("object_id")
        .annotate(
            total=Count("pk"),
            residents=Count("pk", filter=Q(input__organisation__isnull=True)),
            partners=Count("pk", filter=Q(input__organisation__stance__in=NON_CRITIC_STANCES)),
            critics=Count("pk", filter=Q(input__organisation__stance=Stance.CRITIC)),
            anonymous=Count("pk", filter=Q(input__is_anonymous=True)),
        )
        .order_by()
    )
    return {
        row["object_id"]: Heard(
            total=row["total"],
            residents=row["residents"],
            partners=row["partners"],
            critics=row["critics"],
            anonymous=row["anonymous"],
        )
        for row in rows
    }


def areas_by_candidate(candidate_ids: Iterable[int]) -> dict[int, list[tuple[str, int]]]:
    """For each candidate, the areas its inputs came from with how many each,
    most first (inputs without an area under "No area"), in one query."""
    rows = (
        candidate_links(candidate_ids)
        .values("object_id", "input__area__name")
        .annotate(count=Count("pk"))
        .order_by()
    )
    result: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for row in rows:
        result[row["object_id"]].append((row["input__area__name"] or _("No area"), row["count"]))
    for counts in result.values():
        counts.sort(key=lambda pair: (-pair[1], pair[0]))
    return dict(result)


def candidate_list(*, agency: Agency, statuses: Iterable[str] | None = None) -> QuerySet[Candidate]:
    qs = (
        Candidate.objects.filter(agency=agency)
        .select_related("theme")
        .prefetch_related("areas")
        .order_by("title", "pk")
    )
    if statuses is not None:
        qs = qs.filter(status__in=list(statuses))
    return qs


def status_counts(*, agency: Agency) -> dict[str, int]:
    rows = (
        Candidate.objects.filter(agency=agency)
        .values("status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {row["status"]: row["count"] for row in rows}


def candidate_detail(*, agency: Agency, pk: int) -> Candidate:
    """Raises Candidate.DoesNotExist for a candidate of another agency."""
    return (
        Candidate.objects.select_related("theme", "created_by")
        .prefetch_related("areas", "partners")
        .get(agency=agency, pk=pk)
    )


def candidate_inputs(*, candidate: Candidate) -> QuerySet[Input]:
    return (
        Input.objects.filter(
            links__content_type=ContentType.objects.get_for_model(Candidate),
            links__object_id=candidate.pk,
        )
        .select_related("area", "organisation")
        .order_by("-received_at", "-pk")
    )


def candidate_evidence(*, candidate: Candidate, sample_size: int = SAMPLE_SIZE) -> Evidence:
    """The inputs behind a candidate: how many, from where, from whom, and a
    redacted sample of what was said (never one kept from public view)."""
    heard = heard_by_candidate([candidate.pk]).get(candidate.pk, Heard())
    areas = areas_by_candidate([candidate.pk]).get(candidate.pk, [])
    sample = [
        (item, redact(_said(item)))
        for item in candidate_inputs(candidate=candidate).exclude(moderation=Moderation.HIDDEN)[
            :sample_size
        ]
    ]
    return Evidence(heard=heard, areas=areas, sample=sample)


def theme_input_areas(*, theme: Theme) -> list[int]:
    """The ids of the areas a theme's inputs came from (to prefill a candidate)."""
    return list(
        Input.objects.filter(theme_tags__theme=theme, area__isnull=False)
        .values_list("area_id", flat=True)
        .distinct()
        .order_by("area_id")
    )
