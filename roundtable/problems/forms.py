"""Forms for a problem and its team. Field checks live here; rules that need the
database (who may lead, which agency owns what) are the services' and come
back as form errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from roundtable.accounts.models import STAFF_ROLES, User
from roundtable.agencies.models import Agency, Area
from roundtable.priorities.models import Candidate
from roundtable.problems.models import Problem, Side
from roundtable.problems.rules import current_members_q
from roundtable.stakeholders.models import Organisation, Sector

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 4})


def _area_field(label: Any, help_text: Any = "") -> forms.ModelChoiceField[Area]:
    return forms.ModelChoiceField(
        label=label,
        required=False,
        queryset=Area.objects.none(),
        empty_label=_("None"),
        help_text=help_text,
    )


def _sectors_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Government areas the problem needs"),
        required=False,
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The team should hold a government member for each."),
    )


def agency_users(agency: Agency) -> QuerySet[User]:
    return (
        User.objects.filter(memberships__agency=agency)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def team_and_staff_users(problem: Problem, also: User | None = None) -> QuerySet[User]:
    """The agency's staff and the problem's current members with an account
    (and `also`, when given): the people a team page may list by name."""
    members = problem.members.filter(current_members_q(), user__isnull=False)
    extra = Q(pk=also.pk) if also is not None else Q(pk__in=[])
    return (
        User.objects.filter(
            Q(memberships__agency=problem.agency, memberships__role__in=STAFF_ROLES)
            | Q(pk__in=members.values("user_id"))
            | extra
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class _AreasMixin(forms.Form):
    area = _area_field(_("Response area"))
    comparison_area = _area_field(
        _("Comparison area"), _("An area like the response area, where the team does not act.")
    )
    buffer_area = _area_field(
        _("Buffer area"), _("The area around the response area, where crime could move to.")
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("area", "comparison_area", "buffer_area"):
            self.fields[name].queryset = Area.objects.filter(agency=agency)  # type: ignore[attr-defined]


class ProblemCreateForm(_AreasMixin):
    title = forms.CharField(label=_("Title"), max_length=200)
    priority = forms.ModelChoiceField(
        label=_("Chosen priority"),
        required=False,
        queryset=Candidate.objects.none(),
        empty_label=_("None"),
        help_text=_("The inputs behind the priority are linked to the problem too."),
    )
    statement = forms.CharField(label=_("Problem statement"), required=False, widget=TEXT)
    sectors = _sectors_field()
    field_order = ["title", "priority", "statement", "area", "comparison_area", "buffer_area"]

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, agency=agency, **kwargs)
        self.fields["priority"].queryset = Candidate.objects.filter(  # type: ignore[attr-defined]
            agency=agency, status=Candidate.Status.CHOSEN
        )


class ScanningForm(_AreasMixin):
    title = forms.CharField(label=_("Title"), max_length=200)
    statement = forms.CharField(label=_("Problem statement"), required=False, widget=TEXT)
    scanning_data = forms.CharField(
        label=_("Data that show the problem"), required=False, widget=TEXT
    )
    sectors = _sectors_field()
    field_order = ["title", "statement", "scanning_data"]


class AnalysisForm(forms.Form):
    place = forms.CharField(label=_("Place"), required=False, widget=TEXT)
    victim = forms.CharField(label=_("Victim"), required=False, widget=TEXT)
    offender = forms.CharField(label=_("Offender"), required=False, widget=TEXT)
    managers = forms.CharField(label=_("Managers (of places)"), required=False, widget=TEXT)
    guardians = forms.CharField(label=_("Guardians (of victims)"), required=False, widget=TEXT)
    handlers = forms.CharField(label=_("Handlers (of offenders)"), required=False, widget=TEXT)
    partner_data = forms.CharField(label=_("Partner data"), required=False, widget=TEXT)


class PublicForm(forms.Form):
    public_summary = forms.CharField(
        label=_("What is being done, in plain language"),
        required=False,
        widget=TEXT,
        help_text=_(
            "Shown on the public page. No names, addresses or details of victims or offenders."
        ),
    )
    is_public = forms.BooleanField(label=_("On the public site"), required=False)

    def __init__(self, *args: Any, may_publish: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_publish:
            del self.fields["is_public"]


class LinkInputsForm(forms.Form):
    codes = forms.CharField(
        label=_("Receipt codes of inputs"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or more, separated by spaces, commas or new lines."),
    )


class MemberForm(forms.Form):
    side = forms.ChoiceField(label=_("Side"), choices=Side.choices)
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the account's name."),
    )
    user = forms.ModelChoiceField(
        label=_("Account"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("No account"),
        help_text=_("Lets the member sign in to the team's pages."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("None"),
    )
    role = forms.CharField(label=_("Role in the team"), max_length=200, required=False)
    lives_in_area = forms.BooleanField(
        label=_("Lives or works in the affected area"), required=False
    )
    joined_on = forms.DateField(label=_("Joined on"), required=False, widget=DATE_WIDGET)
    left_on = forms.DateField(label=_("Left on"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, agency: Agency, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = agency_users(agency)  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            agency=agency
        ).order_by("name", "pk")
        if not editing:
            del self.fields["left_on"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("name", "").strip() and not data.get("user"):
            self.add_error("name", _("Give the member's name, or choose their account."))
        return data


class CoLeadsForm(forms.Form):
    police_co_lead = forms.ModelChoiceField(
        label=_("Police co-lead"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("Nobody yet"),
        help_text=_("Agency staff, or a police member of the team."),
    )
    community_co_lead = forms.ModelChoiceField(
        label=_("Community co-lead"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("Nobody yet"),
        help_text=_("A community member of the team, with an account."),
    )

    def __init__(self, *args: Any, problem: Problem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = problem.members.filter(current_members_q(), user__isnull=False)
        police = User.objects.filter(
            memberships__agency=problem.agency, memberships__role__in=STAFF_ROLES
        ) | User.objects.filter(pk__in=members.filter(side=Side.POLICE).values("user_id"))
        self.fields["police_co_lead"].queryset = police.distinct().order_by("username")  # type: ignore[attr-defined]
        self.fields["community_co_lead"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            pk__in=members.filter(side=Side.COMMUNITY).values("user_id")
        ).order_by("username")


class SignOffForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
