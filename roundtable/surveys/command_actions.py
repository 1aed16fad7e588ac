"""The database actions of `roundtable surveys`: reference populations and after-contact links.

    roundtable surveys population FILE --agency SLUG --name NAME [--source S] [--user U] [--json]
    roundtable surveys invite SURVEY_ID CALLS.csv --user USERNAME [--batch B] [--json]

`population` imports census margins (the CMAP community-area profile layout or
the long layout `area,characteristic,category,count[,universe]`,
docs/surveys.md); rows whose area matches none of the agency's are listed, not
fatal. `invite` sends each eligible caller of a calls-for-service export a
one-time link to an open after-contact survey: never after domestic violence,
sexual offences or calls still in progress; nobody's contact details are
kept. Both print a summary (or one JSON line with --json); a refused file
exits with status 1 and changes nothing.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from roundtable.core.command_args import agency_named, member_named
from roundtable.surveys.models import Survey
from roundtable.surveys.services_invitations import contact_invitations_send, contacts_from_csv
from roundtable.surveys.services_population import population_import


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
    except UnicodeDecodeError as error:
        raise CommandError(f"{path} is not UTF-8 text.") from error


def _refusal(error: ValidationError) -> CommandError:
    return CommandError(" ".join(str(message) for message in error.messages))


def population_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("file", help="A CSV of census margins (CMAP profile or long layout).")
    parser.add_argument("--agency", required=True, help="The agency's short name (slug).")
    parser.add_argument("--name", required=True, help="A name for the population.")
    parser.add_argument("--source", default="", help="Where the figures come from.")
    parser.add_argument("--user", help="Username of the staff member importing them.")
    parser.add_argument("--json", action="store_true", help="Print the report as JSON.")


def population(command: BaseCommand, options: dict[str, Any]) -> None:
    agency = agency_named(options["agency"])
    actor = member_named(options["user"], agency)
    try:
        imported = population_import(
            agency=agency,
            actor=actor,
            name=options["name"],
            source=options["source"],
            text=_read(options["file"]),
        )
    except ValidationError as error:
        raise _refusal(error) from error
    unmatched: list[str] = [str(name) for name in imported.unmatched_areas]
    report = {
        "population": imported.pk,
        "areas": imported.margins.values("area").distinct().count(),
        "margins": imported.margins.count(),
        "unmatched_areas": unmatched,
    }
    if options["json"]:
        command.stdout.write(json.dumps(report))
        return
    command.stdout.write(
        f"Imported {report['margins']} margins for {report['areas']} areas "
        f"as population {imported.pk} ({imported.name})."
    )
    if unmatched:
        command.stdout.write("No area matched: " + ", ".join(unmatched))


def invite_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("survey", type=int, help="The after-contact survey's number.")
    parser.add_argument("file", help="A calls-for-service export (CSV, docs/surveys.md).")
    parser.add_argument(
        "--user", required=True, help="Username of the coordinator sending the links."
    )
    parser.add_argument("--batch", default="", help="A name for this batch of links.")
    parser.add_argument("--json", action="store_true", help="Print the report as JSON.")


def invite(command: BaseCommand, options: dict[str, Any]) -> None:
    survey = Survey.objects.select_related("agency").filter(pk=options["survey"]).first()
    if survey is None:
        raise CommandError(f"There is no survey {options['survey']}.")
    actor = member_named(options["user"], survey.agency)
    assert actor is not None  # --user is required
    batch = options["batch"] or f"Calls for service, sent {timezone.localdate():%Y-%m-%d}"
    try:
        outcome = contact_invitations_send(
            survey=survey,
            actor=actor,
            contacts=contacts_from_csv(_read(options["file"])),
            batch=batch,
        )
    except ValidationError as error:
        raise _refusal(error) from error
    if options["json"]:
        command.stdout.write(json.dumps({"sent": outcome.sent, "excluded": outcome.excluded}))
        return
    command.stdout.write(f"Sent {outcome.sent} one-time links ({batch}).")
    for reason, count in sorted(outcome.excluded.items()):
        command.stdout.write(f"Not sent, {reason}: {count}")
