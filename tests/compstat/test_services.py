"""Issuing a pack: one stored body per language, audited, once, after the month."""

from __future__ import annotations

import pytest

from roundtable.audit.models import AuditEntry
from roundtable.compstat import months
from roundtable.compstat.services import AlreadyIssued, MonthNotEnded, pack_issue
from tests.compstat.helpers import MID, MONTH, TODAY, many
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db


def test_issuing_stores_the_body_in_each_language_and_audits_it(agency, cleo):
    many(agency, MID, 2, "robbery")
    english, spanish = pack_issue(agency=agency, month=MONTH, area=None, actor=cleo)
    assert (english.language, spanish.language) == ("en", "es")
    assert english.issued_at == spanish.issued_at
    assert 'id="period-table"' in english.html
    assert "Robbery" in english.html and "Robo" in spanish.html
    entry = AuditEntry.objects.get(action="compstat.pack.issue")
    assert entry.actor == cleo and entry.agency == agency
    assert entry.after == {
        "month": months.key(MONTH),
        "area": None,
        "languages": ["en", "es"],
        "packs": [english.pk, spanish.pk],
    }


def test_a_month_is_issued_once_and_only_after_it_ends(agency, cleo, ana):
    pack_issue(agency=agency, month=MONTH, area=None, actor=cleo)
    with pytest.raises(AlreadyIssued):
        pack_issue(agency=agency, month=MONTH, area=None, actor=ana)
    with pytest.raises(MonthNotEnded):
        pack_issue(agency=agency, month=months.first_day(TODAY), area=None, actor=cleo)
    # Each area's pack is a pack of its own.
    north = AreaFactory.create(agency=agency, slug="north")
    assert len(pack_issue(agency=agency, month=MONTH, area=north, actor=cleo)) == 2


def test_an_area_of_another_agency_is_refused(agency, other_agency, cleo):
    theirs = AreaFactory.create(agency=other_agency)
    with pytest.raises(ValueError, match="another agency"):
        pack_issue(agency=agency, month=MONTH, area=theirs, actor=cleo)
