"""`roundtable opinions`: analyse, import and export Polis folders; recompute a map.

    roundtable opinions analyze FOLDER [--seed S] [--json]
    roundtable opinions import FOLDER [--agency SLUG] [--title T] [--user USERNAME] [--json]
    roundtable opinions export CONVERSATION_ID FOLDER [--with-external-ids]
    roundtable opinions recompute CONVERSATION_ID

`analyze` reads a Polis open-data folder (docs/opinions-import.md) and runs the
same analysis as the web app on it, without touching the database (it works on
a fresh checkout before `migrate`). With --json it prints
`AnalysisResult.as_json()`; `seconds` there is the analysis alone, from loaded
votes to the finished result. `import` stores a folder as a new, closed,
unpublished conversation and maps it; `export` writes a conversation back out
in the same layout (with our group ids; participants' external ids only with
--with-external-ids, since they identify people in another system);
`recompute` redraws a conversation's map now (for a schedule, or after
changing moderation by hand).
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from roundtable.analytics.polis import AnalysisResult, analyze
from roundtable.core.command_args import agency_named, member_named
from roundtable.opinions.models import Analysis, Conversation
from roundtable.opinions.polis_folder import (
    FILES,
    PolisFolder,
    PolisFolderError,
    meta,
    moderated_out,
    read_polis_folder,
    vote_table,
)
from roundtable.opinions.polis_folder_write import write_polis_folder
from roundtable.opinions.services_analysis import analysis_run
from roundtable.opinions.services_polis import (
    conversation_as_polis_folder,
    conversation_import_polis,
)

# Characters of a statement shown in the human summary.
SHOWN = 100


def _letter(group: int) -> str:
    return chr(ord("A") + group) if 0 <= group < 26 else str(group)


class Command(BaseCommand):
    help = "Analyse, import or export Polis open-data folders; recompute an opinion map."
    # `analyze` must run before `migrate`: the system checks touch no database,
    # but nothing here needs them either.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{analyze,import,export,recompute}"
        )
        analysing = actions.add_parser("analyze", help="Analyse a folder; no database needed.")
        analysing.add_argument("folder", help="A Polis open-data export folder.")
        analysing.add_argument("--seed", type=int, default=0, help="Random seed (default 0).")
        analysing.add_argument("--json", action="store_true", help="Print the result as JSON.")
        importing = actions.add_parser("import", help="Import a folder as a new conversation.")
        importing.add_argument("folder", help="A Polis open-data export folder.")
        importing.add_argument(
            "--agency", help="The agency's short name (slug); optional with one agency."
        )
        importing.add_argument("--title", default="", help="Title (default: the export's topic).")
        importing.add_argument("--user", help="Username of the staff member importing it.")
        importing.add_argument("--json", action="store_true", help="Print the report as JSON.")
        exporting = actions.add_parser("export", help="Write a conversation as a Polis folder.")
        exporting.add_argument("conversation", type=int, help="The conversation's id.")
        exporting.add_argument("folder", help="Where to write (created; must hold no export).")
        exporting.add_argument(
            "--with-external-ids",
            action="store_true",
            help="Write participants' external ids (the xid column); left out by default.",
        )
        recomputing = actions.add_parser("recompute", help="Recompute a conversation's map now.")
        recomputing.add_argument("conversation", type=int, help="The conversation's id.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "analyze":
            self._analyze(Path(options["folder"]), seed=options["seed"], as_json=options["json"])
        elif action == "import":
            self._import(options)
        elif action == "export":
            self._export(
                options["conversation"], Path(options["folder"]), options["with_external_ids"]
            )
        else:
            self._recompute(options["conversation"])

    def _read(self, path: Path) -> PolisFolder:
        try:
            return read_polis_folder(path)
        except PolisFolderError as error:
            raise CommandError(str(error)) from None

    def _analyze(self, path: Path, *, seed: int, as_json: bool) -> None:
        folder = self._read(path)
        result = analyze(
            vote_table(folder), moderated_out=moderated_out(folder), meta=meta(folder), seed=seed
        )
        if as_json:
            self.stdout.write(json.dumps(result.as_json()))
        else:
            self._summary(folder, result)

    def _summary(self, folder: PolisFolder, result: AnalysisResult) -> None:
        texts = {comment.number: " ".join(comment.text.split()) for comment in folder.comments}

        def text(number: int) -> str:
            words = texts.get(number, "")
            return words if len(words) <= SHOWN else words[: SHOWN - 1] + "…"

        sizes = ", ".join(f"{_letter(g.group)} {g.participants.size}" for g in result.groups)
        self.stdout.write(
            f"{result.participants.size} participants, {int(result.in_conv.sum())} in the map, "
            f"{len(result.groups)} groups ({sizes or 'none'}); "
            f"{result.statements.size} statements."
        )
        for group in result.groups:
            self.stdout.write(
                f"Group {_letter(group.group)} ({group.participants.size} participants):"
            )
            for rep in group.repness:
                share = 100 * rep.p_success
                self.stdout.write(f"  {rep.direction} {share:.0f}%  #{rep.statement} "
                                  f"{text(rep.statement)}")  # fmt: skip
        for direction, items in (("agree", result.consensus_agree),
                                 ("disagree", result.consensus_disagree)):  # fmt: skip
            if items:
                self.stdout.write(f"Consensus, {direction}:")
                for item in items:
                    self.stdout.write(f"  {100 * item.p_success:.0f}%  #{item.statement} "
                                      f"{text(item.statement)}")  # fmt: skip
        self.stdout.write(f"Analysis: {result.seconds:.3f} s.")

    def _import(self, options: dict[str, Any]) -> None:
        agency = agency_named(options["agency"], only_one_may_be_implied=True)
        actor = member_named(options["user"], agency)
        path = Path(options["folder"])
        folder = self._read(path)
        try:
            conversation = conversation_import_polis(
                actor=actor, agency=agency, folder=folder, title=options["title"],
                source=str(path.resolve()),
            )  # fmt: skip
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        analysis = Analysis.objects.filter(conversation=conversation).first()
        report = {
            "conversation": conversation.pk,
            "title": conversation.title,
            "statements": conversation.statements.count(),
            "participants": conversation.participants.count(),
            "votes": conversation.votes.count(),
            "vote_rows": folder.vote_rows,
            "groups": analysis.group_count if analysis else None,
            "clustered": analysis.clustered_count if analysis else None,
            "seconds": analysis.seconds if analysis else None,
        }
        if options["json"]:
            self.stdout.write(json.dumps(report))
            return
        self.stdout.write(
            f"Imported conversation {report['conversation']} ({report['title']}): "
            f"{report['statements']} statements, {report['participants']} participants, "
            f"{report['votes']} votes ({report['vote_rows']} rows read, the latest per pair "
            f"kept)."
        )
        if analysis is not None:
            self.stdout.write(
                f"Opinion map: {analysis.group_count} groups, {analysis.clustered_count} "
                f"participants grouped, {analysis.seconds:.3f} s."
            )

    def _conversation(self, pk: int) -> Conversation:
        conversation = Conversation.objects.filter(pk=pk).first()
        if conversation is None:
            raise CommandError(f"No conversation with id {pk}.")
        return conversation

    def _export(self, pk: int, path: Path, external_ids: bool) -> None:
        conversation = self._conversation(pk)
        there = [name for name in FILES if (path / name).exists()]
        if there:
            raise CommandError(f"{path} already holds {', '.join(there)}; choose another folder.")
        try:
            folder = conversation_as_polis_folder(
                conversation=conversation, include_external_ids=external_ids
            )
            written = write_polis_folder(path, folder)
        except OSError as error:
            raise CommandError(f"Cannot write to {path}: {error.strerror}.") from None
        self.stdout.write(f"Wrote {', '.join(p.name for p in written)} to {path}.")

    def _recompute(self, pk: int) -> None:
        analysis = analysis_run(conversation=self._conversation(pk))
        self.stdout.write(
            f"Conversation {pk}: {analysis.vote_count} votes, {analysis.participant_count} "
            f"participants, {analysis.clustered_count} grouped into {analysis.group_count} "
            f"groups; {analysis.seconds:.3f} s."
        )
