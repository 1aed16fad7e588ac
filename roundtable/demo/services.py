"""Build and remove the demo jurisdiction; `roundtable demo` calls these."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.test import override_settings
from django.utils import timezone

from roundtable.agencies.models import Agency, Area
from roundtable.audit.models import AuditEntry
from roundtable.compstat.models import MeetingPack
from roundtable.demo.accounts import demo_users, foreign_users
from roundtable.demo.builder import AGENCIES, Builder
from roundtable.demo.measures import demo_measure_counts
from roundtable.engagement.models import Event
from roundtable.incidents.models import AreaBoundary, Incident
from roundtable.inputs.models import Input
from roundtable.priorities.models import Candidate, Comparison
from roundtable.problems.models import Problem
from roundtable.stakeholders.models import Contact, Interaction, Referral
from roundtable.surveys.models import Response, Survey

SEED = 360
NO_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


class DemoError(Exception):
    """The demo cannot be built or removed here; the message says why."""


@dataclass(frozen=True)
class DemoSummary:
    agencies: int
    areas: int
    organisations: int
    contacts: int
    referrals: int
    interactions: int
    users: int
    events: int
    inputs: int
    candidates: int
    comparisons: int
    problems: int
    boundaries: int
    incidents: int
    surveys: int
    survey_responses: int
    measures: int
    measure_values: int
    partner_submissions: int
    meeting_packs: int


def demo_agencies() -> list[Agency]:
    names = [name for name, _kind in AGENCIES.values()]
    return list(Agency.objects.filter(Q(slug__in=AGENCIES) | Q(name__in=names)))


def demo_build(
    *, reset: bool = False, today: dt.date | None = None, seed: int = SEED
) -> DemoSummary:
    """Build the demo; with `reset`, remove the old one first, in the same transaction."""
    _refuse_production()
    builder = Builder(random.Random(seed), today or timezone.localdate())
    # The year of inputs queues a notice to every contributor who left contact
    # details, as real use does; those notices belong to the past (the builder
    # marks them sent), so nothing is handed to the task queue.
    with override_settings(TASKS=NO_TASKS), transaction.atomic():
        if reset:
            demo_reset()
        if demo_agencies():
            raise DemoError(
                "The demo agencies already exist. Use `roundtable demo --reset` to rebuild them."
            )
        _refuse_foreign_users()
        if demo_users():
            raise DemoError(
                "The demo accounts already exist. Use `roundtable demo --reset` to rebuild them."
            )
        builder.build()
    agencies = list(builder.agencies.values())
    measures, measure_values, submissions = demo_measure_counts(agencies)
    return DemoSummary(
        agencies=len(agencies),
        areas=Area.objects.filter(agency__in=agencies).count(),
        organisations=len(builder.organisations),
        contacts=Contact.objects.filter(organisation__agency__in=agencies).count(),
        referrals=Referral.objects.filter(agency__in=agencies).count(),
        interactions=Interaction.objects.filter(organisation__agency__in=agencies).count(),
        users=len(builder.users),
        events=Event.objects.filter(agency__in=agencies).count(),
        inputs=Input.objects.filter(agency__in=agencies).count(),
        candidates=Candidate.objects.filter(agency__in=agencies).count(),
        comparisons=Comparison.objects.filter(survey__agency__in=agencies).count(),
        problems=Problem.objects.filter(agency__in=agencies).count(),
        boundaries=AreaBoundary.objects.filter(area__agency__in=agencies).count(),
        incidents=Incident.objects.filter(agency__in=agencies).count(),
        surveys=Survey.objects.filter(agency__in=agencies).count(),
        survey_responses=Response.objects.filter(survey__agency__in=agencies).count(),
        measures=measures,
        measure_values=measure_values,
        partner_submissions=submissions,
        meeting_packs=MeetingPack.objects.filter(agency__in=agencies).count(),
    )


@transaction.atomic
def demo_reset() -> None:
    """Remove the demo agencies (with everything in them) and the demo accounts."""
    _refuse_production()
    _refuse_foreign_users()
    agencies = demo_agencies()
    users = demo_users()
    # The audit log is append-only for the application, and its rows protect the
    # agencies and people they name. The demo's history is made up, so it goes
    # with the made-up agencies. Entries in other agencies stay; if they name a
    # demo user, the reset stops below and nothing is removed.
    AuditEntry._base_manager.filter(
        Q(agency__in=agencies) | Q(actor__in=users, agency__isnull=True)
    ).delete()
    for user in users:
        if AuditEntry.objects.filter(actor=user).exists():
            raise DemoError(
                f"The demo user {user.username!r} appears in the audit log of an agency "
                "outside the demo; remove that user by hand."
            )
    for agency in agencies:
        agency.delete()
    for user in users:
        user.delete()


def _refuse_production() -> None:
    if settings.PRODUCTION:
        raise DemoError(
            "The demo publishes its password and two-factor secret, so it does not run "
            "with ROUNDTABLE_ENV=production."
        )


def _refuse_foreign_users() -> None:
    taken = foreign_users()
    if taken:
        raise DemoError(
            "These usernames belong to accounts the demo did not create: "
            f"{', '.join(taken)}. The demo leaves them alone; rename them first."
        )
