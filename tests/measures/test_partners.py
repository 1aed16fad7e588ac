"""Partner data sharing: Pat shares the school district's attendance; the
agency approves (the figures become the measure's, with their provenance) or
rejects with a note. A partner of another organisation is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from roundtable.accounts.models import Role
from roundtable.audit.models import AuditEntry
from roundtable.measures.figures import Figure
from roundtable.measures.models import Measure, MeasureValue, PartnerSubmission, ValueSource
from roundtable.measures.services import data_sharer_grant, measure_choose
from roundtable.measures.services_partners import (
    partner_submit,
    partner_submit_csv,
    submission_approve,
    submission_reject,
)
from tests.factories import (
    AreaFactory,
    MeasureValueFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PROVENANCE = "Attendance system extract, every district school, 20 school days"


@pytest.fixture
def school(agency):
    return OrganisationFactory.create(agency=agency, name="Riverside Unified School District")


@pytest.fixture
def attendance(agency, casey, school, pat):
    measure = measure_choose(
        actor=casey, agency=agency, catalogue_key="school_attendance", partner=school
    )
    data_sharer_grant(actor=casey, agency=agency, organisation=school, user=pat)
    return measure


def test_a_partner_submits_figures_held_for_approval(attendance, pat, school):
    submission = partner_submit(
        actor=pat,
        measure=attendance,
        figures=[Figure(dt.date(2026, 9, 1), 93.5), Figure(dt.date(2026, 10, 1), 94.1)],
        provenance=PROVENANCE,
    )
    assert submission.status == PartnerSubmission.Status.PENDING
    assert submission.organisation == school and submission.submitted_by == pat
    assert [row["period"] for row in submission.rows] == ["2026-09-01", "2026-10-01"]
    # Nothing is a figure of the measure before approval.
    assert not MeasureValue.objects.exists()
    assert AuditEntry.objects.filter(action="measures.submission.create", actor=pat).exists()


def test_provenance_is_required(attendance, pat):
    with pytest.raises(ValidationError) as refused:
        partner_submit(
            actor=pat,
            measure=attendance,
            figures=[Figure(dt.date(2026, 9, 1), 93.5)],
            provenance=" ",
        )
    assert "provenance" in refused.value.message_dict


def test_a_partner_of_another_organisation_is_refused(agency, attendance, casey):
    hospital = OrganisationFactory.create(agency=agency, name="Riverside General Hospital")
    nurse = UserFactory.create(username="nora")
    MembershipFactory.create(user=nurse, agency=agency, role=Role.PARTNER)
    data_sharer_grant(actor=casey, agency=agency, organisation=hospital, user=nurse)
    with pytest.raises(PermissionDenied):
        partner_submit(
            actor=nurse,
            measure=attendance,
            figures=[Figure(dt.date(2026, 9, 1), 93.5)],
            provenance=PROVENANCE,
        )
    assert not PartnerSubmission.objects.exists()


def test_people_who_are_not_sharers_are_refused(attendance, rosa, casey, uma):
    # Rosa is a resident, Casey staff without a DataSharer row, Uma of another agency.
    for person in (rosa, casey, uma):
        with pytest.raises(PermissionDenied):
            partner_submit(
                actor=person,
                measure=attendance,
                figures=[Figure(dt.date(2026, 9, 1), 93.5)],
                provenance=PROVENANCE,
            )


def test_a_measure_not_shared_by_partners_is_refused(agency, casey, pat, school):
    imported = measure_choose(actor=casey, agency=agency, catalogue_key="clearance_rate")
    data_sharer_grant(actor=casey, agency=agency, organisation=school, user=pat)
    with pytest.raises(PermissionDenied):
        partner_submit(
            actor=pat,
            measure=imported,
            figures=[Figure(dt.date(2026, 7, 1), 40.0)],
            provenance=PROVENANCE,
        )


def test_rows_are_validated(attendance, pat):
    with pytest.raises(ValidationError) as refused:
        partner_submit(
            actor=pat,
            measure=attendance,
            figures=[Figure(dt.date(2026, 9, 1), 193.5)],
            provenance=PROVENANCE,
        )
    assert "value" in refused.value.message_dict


def test_a_csv_from_the_partner(attendance, pat):
    data = b"period,area,value,count,base\n2026-08,,91.2,,\n2026-09,,93.5,,\n"
    submission = partner_submit_csv(
        actor=pat, measure=attendance, data=data, file_name="attendance.csv", provenance=PROVENANCE
    )
    assert submission.method == PartnerSubmission.Method.CSV
    assert submission.file_name == "attendance.csv"
    assert len(submission.rows) == 2


def test_a_wrong_csv_keeps_nothing_and_says_where(attendance, pat):
    data = b"period,value\n2026-08,91.2\n2026-Q3,93.5\nschool_attendance,90\n"
    with pytest.raises(ValidationError) as refused:
        partner_submit_csv(
            actor=pat, measure=attendance, data=data, file_name="a.csv", provenance=PROVENANCE
        )
    assert refused.value.messages == [
        "line 3, column period: This measure is not quarterly. Write the period as 2026-10.",
        "line 4, column period: school_attendance is not a period. Write the period as 2026-10.",
    ]
    assert not PartnerSubmission.objects.exists()


def test_a_csv_naming_another_measure_is_refused(attendance, pat):
    data = b"measure,period,value\nclearance_rate,2026-08,91.2\n"
    with pytest.raises(ValidationError) as refused:
        partner_submit_csv(
            actor=pat, measure=attendance, data=data, file_name="a.csv", provenance=PROVENANCE
        )
    assert "No measure of the agency is called clearance_rate." in refused.value.messages[0]


def test_approval_writes_the_figures_with_their_provenance(attendance, pat, ana):
    old = MeasureValueFactory.create(
        measure=attendance,
        period_start=dt.date(2026, 9, 1),
        value=90.0,
        source=ValueSource.IMPORTED,
    )
    submission = partner_submit(
        actor=pat,
        measure=attendance,
        figures=[Figure(dt.date(2026, 9, 1), 93.5), Figure(dt.date(2026, 10, 1), 94.1)],
        provenance=PROVENANCE,
    )
    submission_approve(actor=ana, submission=submission)
    submission.refresh_from_db()
    assert submission.status == PartnerSubmission.Status.APPROVED
    assert submission.reviewed_by == ana and submission.reviewed_at is not None
    values = list(MeasureValue.objects.filter(measure=attendance).order_by("period_start"))
    assert [v.value for v in values] == [93.5, 94.1]
    assert values[0].pk == old.pk  # the earlier figure was replaced, not duplicated
    for value in values:
        assert value.source == ValueSource.PARTNER
        assert value.provenance == PROVENANCE
        assert value.submission == submission
    trail = AuditEntry.objects.get(action="measures.values.partner")
    assert trail.before is not None and trail.before["2026-09"]["value"] == 90.0
    assert trail.after is not None and trail.after["2026-09"]["value"] == 93.5
    with pytest.raises(ValidationError):
        submission_approve(actor=ana, submission=submission)


def test_rejection_needs_a_note(attendance, pat, casey):
    submission = partner_submit(
        actor=pat,
        measure=attendance,
        figures=[Figure(dt.date(2026, 9, 1), 93.5)],
        provenance=PROVENANCE,
    )
    with pytest.raises(ValidationError):
        submission_reject(actor=casey, submission=submission, note="")
    submission_reject(actor=casey, submission=submission, note="September is not over yet.")
    submission.refresh_from_db()
    assert submission.status == PartnerSubmission.Status.REJECTED
    assert submission.review_note == "September is not over yet."
    assert not MeasureValue.objects.exists()


def test_command_staff_and_partners_do_not_approve(attendance, pat, cleo):
    submission = partner_submit(
        actor=pat,
        measure=attendance,
        figures=[Figure(dt.date(2026, 9, 1), 93.5)],
        provenance=PROVENANCE,
    )
    for person in (cleo, pat):
        with pytest.raises(PermissionDenied):
            submission_approve(actor=person, submission=submission)


def test_figures_per_area_of_a_by_area_partner_measure(agency, casey, pat):
    city = OrganisationFactory.create(agency=agency, name="Code Enforcement")
    north = AreaFactory.create(agency=agency, name="North District", slug="north")
    complaints = measure_choose(
        actor=casey, agency=agency, catalogue_key="code_complaints", partner=city
    )
    data_sharer_grant(actor=casey, agency=agency, organisation=city, user=pat)
    submission = partner_submit_csv(
        actor=pat,
        measure=complaints,
        data=b"period,area,value\n2026-09,north,14\n2026-09,,52\n",
        file_name="complaints.csv",
        provenance="311 complaints system",
    )
    submission_approve(actor=casey, submission=submission)
    assert MeasureValue.objects.get(measure=complaints, area=north).value == 14
    assert MeasureValue.objects.get(measure=complaints, area=None).value == 52


def test_an_agency_whose_partners_shared_figures_can_be_deleted(agency, attendance, pat, casey):
    """Approved and waiting figures, a data sharer: deleting the agency takes them
    all with it (a partner's measure and submissions no longer block it)."""
    approved = partner_submit(
        actor=pat,
        measure=attendance,
        figures=[Figure(dt.date(2026, 9, 1), 93.5)],
        provenance=PROVENANCE,
    )
    submission_approve(actor=casey, submission=approved)
    partner_submit(
        actor=pat,
        measure=attendance,
        figures=[Figure(dt.date(2026, 10, 1), 94.0)],
        provenance=PROVENANCE,
    )
    assert MeasureValue.objects.filter(source=ValueSource.PARTNER).count() == 1
    # The audit log protects the agencies it names; removing an agency removes its
    # entries first, as the demo's reset does.
    AuditEntry._base_manager.filter(agency=agency).delete()
    agency.delete()
    assert not Measure.objects.exists()
    assert not MeasureValue.objects.exists() and not PartnerSubmission.objects.exists()


def test_a_partner_leaving_the_map_leaves_the_measure_and_its_figures(
    agency, attendance, pat, casey, school
):
    submission = partner_submit(
        actor=pat,
        measure=attendance,
        figures=[Figure(dt.date(2026, 9, 1), 93.5)],
        provenance=PROVENANCE,
    )
    submission_approve(actor=casey, submission=submission)
    school.delete()
    attendance.refresh_from_db()
    assert attendance.partner is None and attendance.active
    (value,) = MeasureValue.objects.filter(measure=attendance)
    assert value.submission is None and value.provenance == PROVENANCE
    assert not PartnerSubmission.objects.exists()
