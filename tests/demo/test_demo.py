"""`roundtable demo` and `roundtable totp`.

Building the demo takes a few seconds, so the module builds it once, inside a
transaction rolled back when the module ends; each test runs in a savepoint
of its own on top, so a test that resets or rebuilds leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from roundtable.accounts.models import STAFF_ROLES, Membership, Role, User
from roundtable.agencies.models import Agency, Area
from roundtable.audit.models import AuditEntry
from roundtable.demo.accounts import DEMO_PASSWORD, DEMO_TOTP_BASE32, DEMO_TOTP_KEY
from roundtable.demo.services import DemoSummary, demo_build, demo_reset
from roundtable.engagement.models import ActionItem, Attendance, Event, Registration
from roundtable.engagement.selectors import event_rotation
from roundtable.incidents.models import AreaBoundary, ImportRun, Incident, SentimentScore
from roundtable.inputs.models import (
    Input,
    InputChannel,
    InputLink,
    InputReferral,
    Moderation,
    Notification,
    Status,
    Topic,
)
from roundtable.inputs.selectors import overdue_count
from roundtable.inputs.selectors_public import answer_figures
from roundtable.stakeholders.models import (
    Category,
    Contact,
    Interaction,
    Organisation,
    OrganisationSector,
    Referral,
    Sector,
    Stance,
    StanceChange,
)
from tests.factories import AgencyFactory, InputFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[DemoSummary]:
    with django_db_blocker.unblock(), transaction.atomic():
        summary = demo_build()
        yield summary
        transaction.set_rollback(True)


@pytest.fixture
def riverside(demo) -> Agency:
    return Agency.objects.get(slug="riverside")


@pytest.fixture
def rsu(demo) -> Agency:
    return Agency.objects.get(slug="rsu")


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


# ------------------------------------------------------------------ the jurisdiction


def test_it_builds_a_city_and_a_university_sharing_ground(riverside, rsu):
    assert riverside.kind == Agency.Kind.MUNICIPAL
    assert rsu.kind == Agency.Kind.UNIVERSITY
    assert Agency.objects.count() == 2
    districts = Area.objects.filter(agency=riverside, kind=Area.Kind.DISTRICT)
    assert sorted(d.name for d in districts) == [
        "Central District",
        "North District",
        "South District",
    ]
    neighbourhoods = Area.objects.filter(agency=riverside, kind=Area.Kind.NEIGHBOURHOOD)
    assert neighbourhoods.count() == 9
    assert {n.parent_id for n in neighbourhoods} == {d.pk for d in districts}
    assert Area.objects.filter(agency=riverside, kind=Area.Kind.BEAT).exists()
    village = Area.objects.get(agency=rsu, name="Student Village")
    hill = Area.objects.get(agency=riverside, name="University Hill")
    assert list(village.overlaps.all()) == [hill]
    assert village in hill.overlaps.all()


def test_it_maps_about_150_organisations_of_every_kind(demo, riverside, rsu):
    organisations = Organisation.objects.all()
    assert organisations.count() == demo.organisations
    assert 140 <= demo.organisations <= 160
    assert organisations.filter(agency=riverside).count() > organisations.filter(agency=rsu).count()
    assert set(organisations.values_list("category", flat=True)) == set(Category.values)
    assert set(OrganisationSector.objects.values_list("sector", flat=True)) == set(Sector.values)
    assert organisations.filter(kind=Organisation.Kind.INDIVIDUAL).count() >= 5
    several_sectors = organisations.annotate(n=Count("sectors")).filter(n__gt=1)
    several_areas = organisations.annotate(n=Count("areas")).filter(n__gt=1)
    assert several_sectors.count() >= 30
    assert several_areas.count() >= 5
    assert not organisations.filter(stance_note="", stance=Stance.CRITIC).exists()


def _cells(agency: Agency) -> set[tuple[str, str]]:
    return set(
        OrganisationSector.objects.filter(organisation__agency=agency).values_list(
            "sector", "organisation__category"
        )
    )


def test_every_city_sector_has_community_ngo_and_government_partners(riverside):
    cells = _cells(riverside)
    for sector in Sector:
        for category in (Category.COMMUNITY_GROUP, Category.NATIONAL_NGO, Category.GOVERNMENT):
            assert (sector.value, category.value) in cells, (sector, category)


def test_the_deliberate_gaps_stay_open(riverside):
    cells = _cells(riverside)
    assert (Sector.PUBLIC_WORKS_TRAFFIC.value, Category.BUSINESS.value) not in cells
    assert (Sector.HOUSING.value, Category.FAITH.value) not in cells


def test_each_agency_has_supporters_and_critics(riverside, rsu):
    for agency in (riverside, rsu):
        stances = Counter(
            Organisation.objects.filter(agency=agency).values_list("stance", flat=True)
        )
        assert stances[Stance.SUPPORTER] >= 5
        assert stances[Stance.CRITIC] >= 5
    shares = Counter(Organisation.objects.values_list("stance", flat=True))
    total = sum(shares.values())
    assert 0.30 <= shares[Stance.SUPPORTER] / total <= 0.42
    assert 0.20 <= shares[Stance.NEUTRAL] / total <= 0.32
    assert 0.14 <= shares[Stance.CRITIC] / total <= 0.26
    assert 0.14 <= shares[Stance.UNKNOWN] / total <= 0.26


def test_about_twenty_organisations_changed_stance_over_time(demo):
    changed = Organisation.objects.annotate(n=Count("stance_history")).filter(n__gt=1)
    assert 18 <= changed.count() <= 25
    now = timezone.now()
    for organisation in changed:
        history = list(organisation.stance_history.order_by("changed_at"))
        assert history[-1].stance == organisation.stance
        assert history[0].changed_at < history[-1].changed_at < now
    assert StanceChange.objects.filter(changed_at__lt=now - dt.timedelta(days=300)).exists()


# ------------------------------------------------------------------ contacts, referrals, history


def test_contacts_have_roles_languages_and_terms(riverside, rsu):
    per_organisation = Organisation.objects.annotate(n=Count("contacts")).values_list(
        "n", flat=True
    )
    assert set(per_organisation) <= {1, 2, 3}
    contacts = Contact.objects.all()
    assert not contacts.filter(role="").exists()
    spanish = contacts.filter(preferred_language="es").count() / contacts.count()
    assert 0.18 <= spanish <= 0.32
    assert contacts.filter(preferred_channel="phone").exists()
    today = timezone.localdate()
    for agency in (riverside, rsu):
        mine = contacts.filter(organisation__agency=agency, is_active=True)
        ending = mine.filter(
            term_ends_on__gte=today, term_ends_on__lte=today + dt.timedelta(days=30)
        )
        assert ending.count() >= 3
        assert mine.filter(term_ends_on__lt=today).exists()
    student_leaders = contacts.filter(
        organisation__category=Category.CAMPUS_GROUP, role="President", organisation__agency=rsu
    )
    assert student_leaders.filter(term_ends_on__month=5, term_ends_on__day=31).count() >= 5


def test_referrals_form_a_network_with_hubs(riverside, rsu):
    assert 55 <= Referral.objects.count() <= 65
    assert (
        not Referral.objects.exclude(referrer__agency=riverside)
        .exclude(referrer__agency=rsu)
        .exists()
    )
    made = Counter(Referral.objects.values_list("referrer__name", flat=True))
    assert made["Riverside Interfaith Council"] >= 8
    assert made["NAACP Riverside Branch"] >= 8
    assert made["RSU Student Government Association"] >= 5
    for referral in Referral.objects.select_related("referrer", "referred"):
        assert referral.referrer.agency_id == referral.referred.agency_id


def test_contact_history_covers_18_months_with_relationships_to_renew(riverside):
    today = timezone.localdate()
    assert Interaction.objects.aggregate(last=Max("occurred_on"))["last"] < today
    assert not Interaction.objects.filter(occurred_on__lt=today - dt.timedelta(days=550)).exists()
    assert Interaction.objects.filter(occurred_on__lt=today - dt.timedelta(days=365)).exists()
    assert set(Interaction.objects.values_list("kind", flat=True)) == set(Interaction.Kind.values)
    last = Organisation.objects.filter(agency=riverside).annotate(
        last=Max("interactions__occurred_on")
    )
    never = last.filter(last__isnull=True).count()
    stale = last.filter(last__lt=today - dt.timedelta(days=180)).count()
    recent = last.filter(last__gte=today - dt.timedelta(days=180)).count()
    assert never >= 5
    assert stale >= 5
    assert recent > never + stale


def test_the_audit_log_shows_the_coordinators_work(riverside):
    coordinator = User.objects.get(username="coordinator")
    entries = AuditEntry.objects.filter(agency=riverside, actor=coordinator)
    actions = Counter(entries.values_list("action", flat=True))
    assert actions["organisation.create"] == Organisation.objects.filter(agency=riverside).count()
    assert actions["organisation.update"] >= 10
    assert actions["referral.create"] >= 40
    assert actions["interaction.record"] > 100


# ------------------------------------------------------------------ listening


def test_a_year_of_meetings_convened_by_the_agency_and_by_organisations(riverside, rsu):
    today = timezone.localdate()
    for agency, at_least in ((riverside, 60), (rsu, 20)):
        events = Event.objects.filter(agency=agency)
        held = events.filter(starts_at__lt=timezone.now())
        assert held.count() >= at_least
        first = timezone.localdate(held.order_by("starts_at")[0].starts_at)
        assert today - dt.timedelta(days=370) <= first <= today - dt.timedelta(days=300)
        assert events.filter(starts_at__gt=timezone.now()).exists()
        assert held.filter(convener__isnull=False).exists()
        assert held.filter(convener__isnull=True).exists()
    held = Event.objects.filter(agency=riverside, starts_at__lt=timezone.now())
    assert set(held.values_list("kind", flat=True)) >= {"beat_meeting", "town_hall", "focus_group"}
    assert Attendance.objects.filter(event__agency=riverside, source="paper_sheet").count() > 300
    assert held.filter(minutes_published_at__isnull=False).count() > 30
    items = ActionItem.objects.filter(event__agency=riverside)
    assert set(items.values_list("status", flat=True)) == {"open", "done", "dropped"}
    assert Registration.objects.filter(event__agency=riverside, event__starts_at__gt=timezone.now())


def test_the_rotation_check_finds_the_habits_the_demo_was_given(riverside):
    report = event_rotation(agency=riverside)
    result = report.result
    assert result.meetings >= 60
    assert {4, 6} <= set(result.weekdays.missing)  # nobody meets on a Friday or a Sunday
    missing_areas = {report.area_names[str(a)] for a in result.areas.missing}
    assert {"Fairview", "Harlow Park"} <= missing_areas
    assert result.suggestion.weekday in result.weekdays.missing
    assert result.suggestion.language == "es"  # Spanish is the least offered
    assert report.area_names[str(result.suggestion.area)] in missing_areas


def test_a_few_hundred_inputs_from_every_channel_in_every_state(riverside, rsu):
    inputs = Input.objects.filter(agency=riverside)
    assert 300 <= inputs.count() <= 400
    assert Input.objects.filter(agency=rsu).count() >= 60
    assert set(inputs.values_list("status", flat=True)) == set(Status.values)
    assert set(inputs.values_list("channel", flat=True)) >= set(InputChannel.values) - {"api"}
    assert set(inputs.values_list("topic", flat=True)) == set(Topic.values)
    spanish = inputs.filter(language="es").count()
    assert 0.1 * inputs.count() < spanish < 0.5 * inputs.count()
    assert inputs.filter(is_anonymous=True).exists() and inputs.filter(is_anonymous=False).exists()
    assert inputs.filter(moderation=Moderation.HELD).exists()
    assert inputs.filter(moderation=Moderation.HIDDEN).exists()
    assert 10 <= overdue_count(agency=riverside) <= 80
    referrals = InputReferral.objects.filter(input__agency=riverside)
    assert referrals.filter(returned_at__isnull=True).exists()
    assert referrals.filter(returned_at__isnull=False).exists()
    assert InputLink.objects.filter(input__agency=riverside).count() >= 20
    # Answers were given over the year, mostly within the 30-day target.
    answered = inputs.filter(answered_at__isnull=False)
    assert answered.count() > 150
    late = [i for i in answered if i.answered_at and (i.answered_at - i.received_at).days > 30]
    assert 0 < len(late) < answered.count() / 4
    # The notices of the past count as sent; nothing waits in the queue.
    assert not Notification.objects.exclude(state=Notification.State.SENT).exists()


def test_the_public_figures_have_cells_to_show_and_cells_to_hide(riverside):
    figures = answer_figures(agency=riverside)
    received, answered = figures.overall.received, figures.overall.answered
    assert received is not None and answered is not None and received > 200
    assert 0.5 < answered / received < 0.95
    shown = [row for row in figures.by_area if not row.cell.suppressed]
    assert len(shown) >= 5


# ------------------------------------------------------------------ accounts


def test_each_role_has_a_login(riverside, rsu):
    def roles(username: str) -> set[tuple[str, str]]:
        return set(
            Membership.objects.filter(user__username=username).values_list("agency__slug", "role")
        )

    assert roles("admin") == {("riverside", Role.ADMINISTRATOR), ("rsu", Role.ADMINISTRATOR)}
    assert roles("coordinator") == {("riverside", Role.COORDINATOR)}
    assert roles("analyst") == {("riverside", Role.ANALYST)}
    assert roles("command") == {("riverside", Role.COMMAND)}
    assert roles("pst") == {("riverside", Role.PST_MEMBER)}
    assert roles("partner") == {("riverside", Role.PARTNER)}
    assert roles("resident") == {("riverside", Role.RESIDENT)}
    assert roles("unicoordinator") == {("rsu", Role.COORDINATOR)}
    assert User.objects.get(username="resident").preferred_language == "es"
    assert User.objects.get(username="analyst").check_password(DEMO_PASSWORD)


def test_staff_have_a_confirmed_authenticator_with_the_demo_secret(demo):
    staff = set(
        Membership.objects.filter(role__in=STAFF_ROLES).values_list("user__username", flat=True)
    )
    assert staff == {"admin", "coordinator", "analyst", "command", "unicoordinator"}
    devices = TOTPDevice.objects.filter(confirmed=True)
    assert set(devices.values_list("user__username", flat=True)) == staff
    assert set(devices.values_list("key", flat=True)) == {DEMO_TOTP_KEY}


def test_the_partner_is_a_contact_of_the_organisation_it_speaks_for(demo):
    partner = User.objects.get(username="partner")
    contact = Contact.objects.get(email=partner.email)
    assert contact.organisation.name == "Riverside Interfaith Council"


# ------------------------------------------------------------------ the command


def test_if_empty_skips_when_there_are_agencies(demo):
    out = run("demo", "--if-empty")
    assert "already has agencies" in out
    assert Organisation.objects.count() == demo.organisations


def test_it_refuses_to_build_twice(demo):
    with pytest.raises(CommandError, match="--reset"):
        run("demo")
    assert Agency.objects.count() == 2


def test_reset_rebuilds_the_same_demo_and_leaves_other_agencies_alone(demo):
    """One rebuild (a demo build is the slowest thing in the suite) checks it all:
    the same contacts and incidents come back, and another agency's waiting
    notice is neither sent nor dropped."""
    names_before = sorted(Contact.objects.values_list("name", flat=True))
    incidents_before = sorted(Incident.objects.values_list("source_id", "offence", "occurred_on"))
    admin_before = User.objects.get(username="admin").pk
    entries_before = AuditEntry.objects.count()
    other = AgencyFactory.create(name="Elsewhere Police", slug="elsewhere")
    item = InputFactory.create(
        agency=other, is_anonymous=False, contact_email="a@example.org", reply_channel="email"
    )
    waiting = Notification.objects.create(
        input=item, channel="email", language="en", subject="s", body="b"
    )
    out = run("demo", "--reset")
    assert "Built the demo" in out
    assert f"{len(incidents_before)} incidents" in out
    assert Agency.objects.count() == 3
    assert Organisation.objects.count() == demo.organisations
    assert sorted(Contact.objects.values_list("name", flat=True)) == names_before
    assert (
        sorted(Incident.objects.values_list("source_id", "offence", "occurred_on"))
        == incidents_before
    )
    assert User.objects.get(username="admin").pk != admin_before
    # The factory's agency and input left no audit entries; the rest is the demo's.
    assert AuditEntry.objects.count() == entries_before
    waiting.refresh_from_db()
    assert waiting.state == Notification.State.QUEUED and waiting.sent_at is None


def test_reset_leaves_someone_elses_admin_alone(demo):
    demo_reset()
    # The incident data goes with the demo's agencies.
    assert not Incident.objects.exists() and not AreaBoundary.objects.exists()
    assert not SentimentScore.objects.exists() and not ImportRun.objects.exists()
    boss = User.objects.create(username="admin", email="chief@city.example")
    with pytest.raises(CommandError, match="admin"):
        run("demo")
    with pytest.raises(CommandError, match="admin"):
        run("demo", "--reset")
    assert User.objects.filter(pk=boss.pk).exists()
    assert not Agency.objects.exists()


def test_logins_prints_accounts_password_and_second_factor(demo):
    out = run("demo", "--logins")
    for username in ("admin", "coordinator", "analyst", "command", "pst", "partner", "resident"):
        assert f"\n{username} " in out
    assert "unicoordinator" in out
    assert "Riverside State University Police Department" in out
    assert DEMO_PASSWORD in out
    grouped = " ".join(DEMO_TOTP_BASE32[i : i + 4] for i in range(0, len(DEMO_TOTP_BASE32), 4))
    assert grouped in out
    assert "roundtable totp" in out
    assert "Riverside Interfaith Council" in out


def test_logins_prints_even_when_if_empty_skips(demo):
    out = run("demo", "--if-empty", "--logins")
    assert "already has agencies" in out
    assert DEMO_PASSWORD in out


def test_logins_without_the_demo_says_how_to_build_it(demo):
    demo_reset()
    out = run("demo", "--logins")
    assert "no demo accounts" in out


def test_the_demo_refuses_to_run_in_production(demo, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        run("demo", "--reset")
    assert Organisation.objects.count() == demo.organisations


def test_totp_prints_a_code_the_authenticator_accepts(demo):
    code = run("totp", "coordinator").strip()
    assert len(code) == 6
    assert code.isdigit()
    device = TOTPDevice.objects.get(user__username="coordinator", confirmed=True)
    assert device.verify_token(code)


def test_totp_refuses_in_production(demo, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        run("totp", "coordinator")


def test_totp_refuses_an_account_without_an_authenticator(demo):
    with pytest.raises(CommandError, match="no confirmed authenticator"):
        run("totp", "resident")
    with pytest.raises(CommandError, match="no user"):
        run("totp", "nobody")
