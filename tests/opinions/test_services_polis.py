"""Importing a Polis folder into a conversation, and exporting one back out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from roundtable.audit.models import AuditEntry
from roundtable.opinions import services_polis
from roundtable.opinions.models import Analysis, Conversation, Participant, Statement, Vote
from roundtable.opinions.polis_folder import (
    COMMENTS,
    PARTICIPANTS_VOTES,
    VOTES,
    PolisFolder,
    parse_polis_files,
    read_polis_folder,
)
from roundtable.opinions.services_analysis import analysis_run
from roundtable.opinions.services_polis import (
    conversation_export_polis,
    conversation_import_polis,
)
from tests.opinions.conftest import plant_votes

LONDON = Path(__file__).resolve().parents[1] / "fixtures" / "polis" / "london.youth.policing"
TOPIC = "What is the best way to engage more young people in local scrutiny of policing?"


@pytest.fixture
def london() -> PolisFolder:
    return read_polis_folder(LONDON)


def latest(folder: PolisFolder) -> set[tuple[int, int, int]]:
    keep = folder.latest_votes()
    return set(
        zip(
            folder.participants[keep].tolist(),
            folder.statements[keep].tolist(),
            folder.values[keep].tolist(),
            strict=True,
        )
    )


def stored(conversation: Conversation) -> set[tuple[int, int, int]]:
    return set(
        Vote.objects.filter(conversation=conversation).values_list(
            "participant__number", "statement__number", "value"
        )
    )


@pytest.mark.django_db
def test_it_imports_london_keeping_the_numbers(
    agency, casey, london, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        conversation = conversation_import_polis(
            actor=casey, agency=agency, folder=london, title="", source=str(LONDON)
        )
    assert len(callbacks) == 1  # the analysis waits for the commit
    assert conversation.title == TOPIC and conversation.question == TOPIC
    assert conversation.status == Conversation.Status.CLOSED
    assert conversation.public_report is False
    assert conversation.imported_from == str(LONDON) and conversation.created_by == casey

    statements = Statement.objects.filter(conversation=conversation)
    assert statements.count() == 39
    assert set(statements.filter(moderation=Statement.Moderation.REJECTED)
               .values_list("number", flat=True)) == {0, 2, 3}  # fmt: skip
    assert statements.filter(moderation=Statement.Moderation.ACCEPTED).count() == 36
    bias = statements.get(number=35)
    assert bias.text.startswith("Eliminate bias") and bias.author is not None
    assert bias.author.number == 23
    assert bias.created_at == dt.datetime(2022, 7, 27, 15, 9, 49, 213000, tzinfo=dt.UTC)

    # 26 voters and participant 0, who wrote the seed comments and never voted.
    numbers = set(Participant.objects.filter(conversation=conversation)
                  .values_list("number", flat=True))  # fmt: skip
    assert numbers == set(range(27))
    assert stored(conversation) == latest(london)
    assert Vote.objects.filter(conversation=conversation).count() == 638
    # A re-vote keeps both times: first vote and latest vote.
    revote = Vote.objects.get(conversation=conversation, participant__number=5,
                              statement__number=25)  # fmt: skip
    assert revote.created_at == dt.datetime.fromtimestamp(1658934352.107, tz=dt.UTC)
    assert revote.updated_at == dt.datetime.fromtimestamp(1658934577.925, tz=dt.UTC)

    entry = AuditEntry.objects.get(action="opinions.import")
    assert entry.actor == casey and entry.agency == agency
    assert entry.object_id == str(conversation.pk)
    assert entry.after is not None
    assert entry.after["votes"] == 638 and entry.after["vote_rows"] == 640
    assert entry.after["statements"] == 39 and entry.after["moderated_out"] == 3

    assert not Analysis.objects.exists()
    callbacks[0]()
    analysis = Analysis.objects.get(conversation=conversation)
    assert analysis.vote_count == 638 and analysis.participant_count == 26
    assert analysis.group_count >= 2


@pytest.mark.django_db
def test_the_import_is_a_bounded_number_of_queries(
    agency, london, django_assert_max_num_queries
) -> None:
    # 27 participants, 39 statements and 638 votes: a query per batch, not per row.
    with django_assert_max_num_queries(16):
        conversation_import_polis(actor=None, agency=agency, folder=london, title="",
                                  source="london")  # fmt: skip


@pytest.mark.django_db
def test_a_title_given_wins_and_a_folder_without_topic_is_named_by_its_source(
    agency, london
) -> None:
    named = conversation_import_polis(actor=None, agency=agency, folder=london,
                                      title="  Youth  scrutiny ", source="x")  # fmt: skip
    assert named.title == "Youth scrutiny" and named.question == TOPIC
    bare = parse_polis_files({COMMENTS: (LONDON / COMMENTS).read_bytes(),
                              VOTES: (LONDON / VOTES).read_bytes()})  # fmt: skip
    unnamed = conversation_import_polis(actor=None, agency=agency, folder=bare, title="",
                                        source="exports/london")  # fmt: skip
    assert unnamed.title == "exports/london" and unnamed.question == "exports/london"
    with pytest.raises(ValidationError):
        conversation_import_polis(actor=None, agency=agency, folder=bare, title="", source=" ")


@pytest.mark.django_db
def test_xids_become_external_ids(agency) -> None:
    folder = parse_polis_files({
        COMMENTS: "comment-id,author-id,moderated,comment-body\n1,7,1,Lights\n2,,0,Benches\n",
        PARTICIPANTS_VOTES: "participant,xid,group-id,1,2\n7,crm-7,0,1,\n8,,,-1,0\n",
    })  # fmt: skip
    conversation = conversation_import_polis(actor=None, agency=agency, folder=folder,
                                             title="Park", source="crm")  # fmt: skip
    people = dict(Participant.objects.filter(conversation=conversation)
                  .values_list("number", "external_id"))  # fmt: skip
    assert people == {7: "crm-7", 8: ""}
    benches = Statement.objects.get(conversation=conversation, number=2)
    assert benches.author is None and benches.moderation == Statement.Moderation.UNMODERATED
    assert stored(conversation) == {(7, 1, 1), (8, 1, -1), (8, 2, 0)}


@pytest.mark.django_db
def test_a_failure_half_way_leaves_nothing_behind(agency, london, monkeypatch) -> None:
    def broken(**kwargs):
        raise RuntimeError("the audit log is down")

    monkeypatch.setattr(services_polis, "audit_record", broken)
    with pytest.raises(RuntimeError):
        conversation_import_polis(actor=None, agency=agency, folder=london, title="", source="x")
    assert not Conversation.objects.exists()
    assert not Vote.objects.exists() and not Statement.objects.exists()


@pytest.mark.django_db
def test_an_overlong_external_id_is_refused(agency) -> None:
    folder = parse_polis_files({
        COMMENTS: "comment-id,comment-body\n1,Lights\n",
        PARTICIPANTS_VOTES: f"participant,xid,1\n7,{'x' * 201},1\n",
    })  # fmt: skip
    with pytest.raises(ValidationError, match="longer than 200"):
        conversation_import_polis(actor=None, agency=agency, folder=folder, title="t", source="x")
    assert not Conversation.objects.exists()


@pytest.mark.django_db
def test_an_export_reimports_to_the_same_votes_with_our_groups(agency, london) -> None:
    conversation = conversation_import_polis(actor=None, agency=agency, folder=london,
                                             title="", source="london")  # fmt: skip
    analysis = analysis_run(conversation=conversation)
    again = parse_polis_files(conversation_export_polis(conversation=conversation))
    assert latest(again) == latest(london)
    assert [(c.number, c.author, c.text, c.moderated, c.created) for c in again.comments] == [
        (c.number, c.author, c.text, c.moderated, c.created) for c in london.comments
    ]
    ours = {p["participant"]: p["group"] for p in analysis.result["participants"]}
    assert {p: g for p, g in again.exported_groups.items() if p in ours} == ours
    assert again.exported_groups[0] is None  # the author who never voted
    gic = analysis.result["group_informed_consensus"]
    assert {str(c.number): c.group_informed_consensus for c in again.comments
            if c.group_informed_consensus is not None} == gic  # fmt: skip
    assert again.summary["topic"] == TOPIC and again.summary["question"] == TOPIC
    assert again.summary["groups"] == str(analysis.group_count)
    # And the export imports again to the same votes.
    copy = conversation_import_polis(actor=None, agency=agency, folder=again, title="",
                                     source="re-import")  # fmt: skip
    assert stored(copy) == stored(conversation)


@pytest.mark.django_db
def test_a_native_conversation_exports_without_a_map(park) -> None:
    plant_votes(park, 3)
    files = conversation_export_polis(conversation=park)
    folder = parse_polis_files(files)
    assert [c.number for c in folder.comments] == list(range(7))
    assert all(c.author is None and c.is_seed and c.moderated == 1 for c in folder.comments)
    assert all(g is None for g in folder.exported_groups.values())
    # External ids identify people in another system: out unless asked for.
    assert folder.xids == {}
    assert "planted-" not in files[PARTICIPANTS_VOTES].decode()
    assert latest(folder) == stored(park)
    files = conversation_export_polis(conversation=park, include_external_ids=True)
    assert parse_polis_files(files).xids == {n: f"planted-{n}" for n in range(6)}
    assert files[PARTICIPANTS_VOTES].decode().splitlines()[1].startswith("0,planted-0,,0,7,")
