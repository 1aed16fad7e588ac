"""Moving through SARA: both co-leads sign, the move is logged, audited and relayed."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from roundtable.audit.models import AuditEntry
from roundtable.inputs.models import Notification, PublicUpdate
from roundtable.inputs.services import input_link
from roundtable.problems import stages
from roundtable.problems.models import Problem, Stage, StageMove, StageSignOff
from tests.factories import GoalFactory, InputFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contributor(team, agency, casey):
    """Someone who asked, in Spanish and with an email, about the break-ins."""
    item = InputFactory.create(
        agency=agency,
        text="Me rompieron la ventanilla del coche en la estación.",
        language="es",
        is_anonymous=False,
        contact_name="Lucía Ortega",
        contact_email="lucia@example.org",
        reply_channel="email",
    )
    input_link(actor=casey, input=item, item=team)
    return item


def _both_sign(problem, cleo, marta):
    stages.stage_sign_off(actor=cleo, problem=problem)
    return stages.stage_sign_off(actor=marta, problem=problem)


def test_next_stage_follows_sara():
    assert stages.next_stage(Stage.SCANNING) == Stage.ANALYSIS
    assert stages.next_stage("assessment") == Stage.CLOSED
    assert stages.next_stage(Stage.CLOSED) is None


def test_one_sign_off_does_not_move_the_problem(team, cleo):
    result = stages.stage_sign_off(actor=cleo, problem=team, note=" Ready. ")
    assert result.move is None
    assert result.sign_off.side == "police" and result.sign_off.note == "Ready."
    team.refresh_from_db()
    assert team.stage == Stage.SCANNING
    entry = AuditEntry.objects.get(action="problems.stage.sign_off")
    assert entry.actor == cleo
    assert entry.after == {"from": "scanning", "to": "analysis", "side": "police"}


def test_the_second_co_lead_moves_it(team, cleo, marta):
    result = _both_sign(team, cleo, marta)
    assert result.move is not None
    assert team.stage == Stage.ANALYSIS and team.stage_changed_at is not None
    stored = Problem.objects.get(pk=team.pk)
    assert stored.stage == Stage.ANALYSIS
    move = StageMove.objects.get(problem=team)
    assert (move.from_stage, move.to_stage) == ("scanning", "analysis")
    entry = AuditEntry.objects.get(action="problems.stage.move")
    assert entry.actor == marta
    assert entry.before == {"stage": "scanning"} and entry.after == {"stage": "analysis"}


def test_a_co_lead_cannot_sign_twice(team, cleo):
    stages.stage_sign_off(actor=cleo, problem=team)
    with pytest.raises(ValidationError):
        stages.stage_sign_off(actor=cleo, problem=team)
    assert StageSignOff.objects.count() == 1


@pytest.mark.parametrize("persona", ["casey", "adam", "ana", "pat", "uma"])
def test_someone_not_a_co_lead_cannot_sign(persona, team, request):
    with pytest.raises(PermissionDenied):
        stages.stage_sign_off(actor=request.getfixturevalue(persona), problem=team)
    assert not StageSignOff.objects.exists()


def test_the_response_waits_for_a_goal(team, cleo, marta):
    _both_sign(team, cleo, marta)
    assert team.stage == Stage.ANALYSIS
    with pytest.raises(ValidationError) as error:
        stages.stage_sign_off(actor=cleo, problem=team)
    assert "goal" in str(error.value)
    GoalFactory.create(problem=team)
    _both_sign(team, cleo, marta)
    assert team.stage == Stage.RESPONSE


def test_the_whole_way_to_closed_and_no_further(team, cleo, marta):
    GoalFactory.create(problem=team)
    for expected in (Stage.ANALYSIS, Stage.RESPONSE, Stage.ASSESSMENT, Stage.CLOSED):
        _both_sign(team, cleo, marta)
        assert team.stage == expected
    assert list(StageMove.objects.values_list("to_stage", flat=True)) == [
        "analysis",
        "response",
        "assessment",
        "closed",
    ]
    with pytest.raises(ValidationError):
        stages.stage_sign_off(actor=cleo, problem=team)


def test_a_stale_copy_cannot_move_the_problem_twice(team, cleo, marta):
    """Each sign-off reads the stage under a lock: a late signer holding an old
    copy signs the next move, and does not push the problem on by itself."""
    GoalFactory.create(problem=team)
    stale = Problem.objects.get(pk=team.pk)
    _both_sign(team, cleo, marta)
    result = stages.stage_sign_off(actor=cleo, problem=stale)
    assert result.move is None
    assert result.sign_off.from_stage == Stage.ANALYSIS
    assert Problem.objects.get(pk=team.pk).stage == Stage.ANALYSIS
    assert StageMove.objects.count() == 1


def test_contributors_are_told_of_each_move_in_their_language(team, cleo, marta, contributor):
    _both_sign(team, cleo, marta)
    update = PublicUpdate.objects.get(input=contributor)
    assert "Car break-ins at the station car park" in update.text
    notification = Notification.objects.get(input=contributor)
    assert notification.language == "es" and update.text in notification.body
    # Public words: no names of the co-leads or the team.
    for private in ("Cleo", "Marta", "Mendoza", "Gloria"):
        assert private not in update.text


def test_a_single_sign_off_tells_nobody(team, cleo, contributor):
    stages.stage_sign_off(actor=cleo, problem=team)
    assert not PublicUpdate.objects.filter(input=contributor).exists()
