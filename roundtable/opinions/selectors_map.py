"""The opinion map as the report pages show it, and the common ground the
priority worksheet takes from every conversation of an agency.

Both read the stored `Analysis.result` (`AnalysisResult.as_json()`: numbers as
keys, counts per group and statement) and fetch the statements' texts in one
query. Percentages are of those in a group who voted on the statement, as in
Polis's report: a group's agreement is A/S of the group, "everyone else" pools
the other groups.

The public report shows positions and groups but no participant numbers, and
a group smaller than the small-cell minimum only as "fewer than N". The groups
and the participants who are in none add up to the participant count shown,
so the one disclosure rule (`roundtable.disclosure.protect_counts`,
docs/disclosure.md) may withhold a larger group too, so that a small one is not
"everyone − the groups shown"; such a group says its size is withheld.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Q
from django.utils.translation import gettext as _

from roundtable import disclosure
from roundtable.agencies.models import Agency
from roundtable.opinions.models import Analysis, Conversation, Statement, Vote
from roundtable.opinions.visibility import visible_q
from roundtable.priorities.models import Candidate

# How many group-informed consensus statements the report lists.
SHARED_LIMIT = 5


def group_label(group: int) -> str:
    """Polis's names for groups: A, B, C… (Z, then AA if ever needed)."""
    letters = string.ascii_uppercase
    return (
        letters[group]
        if group < len(letters)
        else f"{letters[group // 26 - 1]}{letters[group % 26]}"
    )


def percent(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


@dataclass(frozen=True)
class MapPoint:
    x: float
    y: float
    group: int | None  # None when not clustered (too few votes yet)
    participant: int | None  # None on the public report


@dataclass(frozen=True)
class GroupStatement:
    """A statement representative of a group: how the group voted against the rest."""

    number: int
    text: str
    direction: str  # "agree" or "disagree"
    group_percent: float | None
    others_percent: float | None
    repness: float


@dataclass(frozen=True)
class MapGroup:
    group: int  # 0, 1, … as in the analysis
    label: str  # "A", "B", …
    size: int | None  # None when suppressed on the public report
    size_text: str
    statements: list[GroupStatement]
    # Too small to show figures for on the public report (the small-cell minimum),
    # or withheld beside such a group so that its size cannot be worked out.
    withheld: bool = False
    covering: bool = False  # withheld only to protect a smaller group


@dataclass(frozen=True)
class ConsensusStatement:
    number: int
    text: str
    direction: str
    percent: float | None  # of everyone in the map who voted on it


@dataclass(frozen=True)
class GroupAgreement:
    label: str
    percent: float | None
    voted: int


@dataclass(frozen=True)
class SharedStatement:
    """High group-informed consensus: every group tends to agree."""

    number: int
    text: str
    consensus: float
    groups: list[GroupAgreement]


@dataclass(frozen=True)
class OpinionMap:
    computed_at: dt.datetime
    participant_count: int
    vote_count: int
    clustered_count: int
    points: list[MapPoint]
    groups: list[MapGroup]
    consensus: list[ConsensusStatement]
    shared: list[SharedStatement]
    stale: bool  # votes have arrived that this map has not seen


@dataclass(frozen=True)
class CommonGround:
    """One statement of one conversation, for the priority worksheet."""

    conversation_id: int
    conversation_title: str
    number: int
    text: str
    consensus: float
    groups: list[GroupAgreement]
    candidate: Candidate | None
    computed_at: dt.datetime


class _Tallies:
    """Per statement and group: agree, disagree and seen counts of a result."""

    def __init__(self, result: Mapping[str, Any]) -> None:
        self.groups = [int(g["group"]) for g in result.get("groups", [])]
        self.by_statement: dict[int, dict[int, dict[str, int]]] = {
            int(s["statement"]): {int(g): counts for g, counts in s.get("groups", {}).items()}
            for s in result.get("statements", [])
        }

    def share(self, number: int, direction: str, groups: Iterable[int]) -> float | None:
        counts = self.by_statement.get(number, {})
        chosen = [counts[g] for g in groups if g in counts]
        return percent(sum(c[direction] for c in chosen), sum(c["seen"] for c in chosen))

    def agreement(self, number: int) -> list[GroupAgreement]:
        counts = self.by_statement.get(number, {})
        return [
            GroupAgreement(
                group_label(g),
                self.share(number, "agree", [g]),
                int(counts.get(g, {}).get("seen", 0)),
            )
            for g in self.groups
        ]


def _texts(conversation: Conversation, numbers: set[int], public: bool) -> dict[int, str]:
    """Texts of the statements a map names, in one query; the public report
    names only statements participants can see (never one awaiting a strict
    moderator, nor one moderated out)."""
    qs = Statement.objects.filter(conversation=conversation, number__in=numbers)
    if public:
        qs = qs.filter(visible_q(conversation))
    return dict(qs.values_list("number", "text"))


def _withhold(
    agreement: list[GroupAgreement], groups: list[int], hidden: set[int]
) -> list[GroupAgreement]:
    """Each group's agreement (in the order of `groups`), with the groups too
    small to show blanked."""
    return [
        GroupAgreement(a.label, None, 0) if g in hidden else a
        for g, a in zip(groups, agreement, strict=True)
    ]


def _small_text() -> str:
    return _("fewer than %(n)d") % {"n": disclosure.minimum_count()}


def _size_text(size: int, public: bool, hidden: bool) -> tuple[int | None, str]:
    if not public or not hidden:
        return size, str(size)
    if size < disclosure.minimum_count():
        return None, _small_text()
    # Withheld to protect a smaller group: "fewer than N" would be untrue.
    return None, _("a withheld number of")


def _hidden_groups(raw_groups: list[dict[str, Any]], participants: int) -> set[int]:
    """The groups the public report does not count: those under the small-cell
    minimum and those the disclosure rule withholds beside them. The groups
    and the participants in none add up to the participant count shown; those
    in none are never shown (the reader knows only that they are at least 0),
    and the page tells "fewer than N" from a withheld size."""
    sizes = {int(g["group"]): int(g["size"]) for g in raw_groups}
    loose = participants - sum(sizes.values())
    if loose < 0:  # an analysis whose counts do not add up: only the small rule
        return {g for g, n in sizes.items() if disclosure.is_small(n)}
    values: dict[object, int] = {"participants": participants, "loose": loose}
    for group, size in sizes.items():
        values[group] = size
    hidden = disclosure.protect_counts(
        values,
        [("participants", ["loose", *sizes])],
        labelled=True,
        fixed=["participants"],
        unpublished=["loose"],
    )
    return {g for g in sizes if g in hidden}


def opinion_map(*, conversation: Conversation, public: bool) -> OpinionMap | None:
    """The latest map, ready for the report page; None before the first analysis."""
    analysis = Analysis.objects.filter(conversation=conversation).first()
    if analysis is None:
        return None
    result: dict[str, Any] = analysis.result or {}
    tallies = _Tallies(result)
    raw_groups = result.get("groups", [])
    consensus_ids = result.get("consensus", {})
    gic = {int(k): float(v) for k, v in result.get("group_informed_consensus", {}).items()}
    shared_ids = sorted(gic, key=lambda n: (-gic[n], n))[: SHARED_LIMIT * 2]
    numbers = {int(r["statement"]) for g in raw_groups for r in g.get("repness", [])}
    numbers |= {int(n) for ids in consensus_ids.values() for n in ids}
    numbers |= set(shared_ids)
    texts = _texts(conversation, numbers, public)

    # The public report never lets a group under the small-cell threshold be
    # counted: its members are drawn as not yet grouped, left out of the
    # grouped count, and its percentages (or a comparison whose "everyone
    # else" is only such groups) are withheld.
    hidden = _hidden_groups(raw_groups, analysis.participant_count) if public else set()
    shown = [g for g in tallies.groups if g not in hidden]
    groups = []
    for g in raw_groups:
        number = int(g["group"])
        others = [o for o in shown if o != number]
        withheld = number in hidden
        size, size_text = _size_text(int(g["size"]), public, withheld)
        groups.append(
            MapGroup(
                group=number,
                label=group_label(number),
                size=size,
                size_text=size_text,
                statements=[
                    GroupStatement(
                        number=int(r["statement"]),
                        text=texts[int(r["statement"])],
                        direction=r["direction"],
                        group_percent=None
                        if withheld
                        else tallies.share(int(r["statement"]), r["direction"], [number]),
                        others_percent=None
                        if withheld or not others
                        else tallies.share(int(r["statement"]), r["direction"], others),
                        repness=float(r["repness"]),
                    )
                    for r in g.get("repness", [])
                    if int(r["statement"]) in texts
                ],
                withheld=withheld,
                covering=withheld and not disclosure.is_small(int(g["size"])),
            )
        )
    clustered = analysis.clustered_count - sum(
        int(g["size"]) for g in raw_groups if int(g["group"]) in hidden
    )
    consensus = [
        ConsensusStatement(
            number=int(n),
            text=texts[int(n)],
            direction=direction,
            percent=tallies.share(int(n), direction, tallies.groups)
            if not public or clustered >= disclosure.minimum_count()
            else None,
        )
        for direction in ("agree", "disagree")
        for n in consensus_ids.get(direction, [])
        if int(n) in texts
    ]
    shared = [
        SharedStatement(
            n, texts[n], gic[n], _withhold(tallies.agreement(n), tallies.groups, hidden)
        )
        for n in shared_ids
        if n in texts
    ][:SHARED_LIMIT]
    points = [
        MapPoint(
            x=float(p["x"]),
            y=float(p["y"]),
            group=int(p["group"])
            if p.get("group") is not None and int(p["group"]) not in hidden
            else None,
            participant=None if public else int(p["participant"]),
        )
        for p in result.get("participants", [])
    ]
    votes = Vote.objects.filter(conversation=conversation)
    if analysis.votes_seen_at is not None:
        votes = votes.filter(updated_at__gt=analysis.votes_seen_at)
    stale = votes.exists()
    return OpinionMap(
        computed_at=analysis.computed_at,
        participant_count=analysis.participant_count,
        vote_count=analysis.vote_count,
        clustered_count=clustered,
        points=points,
        groups=groups,
        consensus=consensus,
        shared=shared,
        stale=stale,
    )


# --- Common ground for the priority worksheet ---


def _analyses(conversation_filter: Q) -> list[dict[str, Any]]:
    """The parts of each map that common ground needs (not the participants,
    which are most of a large result), one query."""
    rows = Analysis.objects.filter(conversation_filter).values(
        "conversation_id",
        "conversation__title",
        "computed_at",
        "result__group_informed_consensus",
        "result__statements",
        "result__groups",
    )
    return cast(list[dict[str, Any]], list(rows))


def _ground(row: Mapping[str, Any], statement: Statement, gic: float) -> CommonGround:
    tallies = _Tallies(
        {"groups": row["result__groups"] or [], "statements": row["result__statements"] or []}
    )
    return CommonGround(
        conversation_id=row["conversation_id"],
        conversation_title=row["conversation__title"],
        number=statement.number,
        text=statement.text,
        consensus=gic,
        groups=tallies.agreement(statement.number),
        candidate=statement.candidate,
        computed_at=row["computed_at"],
    )


def _pairs_q(pairs: Sequence[tuple[int, int]]) -> Q:
    by_conversation: dict[int, list[int]] = {}
    for conversation_id, number in pairs:
        by_conversation.setdefault(conversation_id, []).append(number)
    q = Q(pk__in=[])
    for conversation_id, numbers in by_conversation.items():
        q |= Q(conversation_id=conversation_id, number__in=numbers)
    return q


def common_ground(*, agency: Agency, limit: int = 10) -> list[CommonGround]:
    """The statements with the highest group-informed consensus across the
    agency's conversations (meta and moderated-out statements left out), each
    with its groups' agreement and the candidate it became, if any. Three
    queries whatever the number of conversations."""
    rows = {row["conversation_id"]: row for row in _analyses(Q(conversation__agency=agency))}
    ranked = sorted(
        (
            (float(value), conversation_id, int(number))
            for conversation_id, row in rows.items()
            for number, value in (row["result__group_informed_consensus"] or {}).items()
        ),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    # Some of the best may be moderated out or meta: look a little further.
    shortlist = ranked[: limit * 3]
    statements = {
        (s.conversation_id, s.number): s
        for s in Statement.objects.filter(_pairs_q([(c, n) for _v, c, n in shortlist]))
        .exclude(moderation=Statement.Moderation.REJECTED)
        .exclude(is_meta=True)
        .select_related("candidate")
    }
    found = []
    for value, conversation_id, number in shortlist:
        statement = statements.get((conversation_id, number))
        if statement is not None:
            found.append(_ground(rows[conversation_id], statement, value))
    return found[:limit]


def candidate_common_ground(*, candidate_ids: Iterable[int]) -> dict[int, list[CommonGround]]:
    """For candidates made from statements: how the conversation's groups voted
    on each statement. Two queries for any number of candidates."""
    statements = list(
        Statement.objects.filter(candidate_id__in=list(candidate_ids)).select_related("candidate")
    )
    if not statements:
        return {}
    rows = {
        row["conversation_id"]: row
        for row in _analyses(Q(conversation_id__in={s.conversation_id for s in statements}))
    }
    found: dict[int, list[CommonGround]] = {}
    for statement in sorted(statements, key=lambda s: (s.conversation_id, s.number)):
        row = rows.get(statement.conversation_id)
        if row is None:
            continue
        gic = (row["result__group_informed_consensus"] or {}).get(str(statement.number))
        if gic is None:
            continue
        assert statement.candidate_id is not None
        found.setdefault(statement.candidate_id, []).append(_ground(row, statement, float(gic)))
    return found
