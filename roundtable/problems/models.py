"""Problem-solving teams working a chosen priority through SARA.

A problem has a team (police, community and government members, two co-leads)
and moves through Scanning, Analysis, Response and Assessment; each move needs
both co-leads' sign-off. Goals are agreed before the response, and the
assessment compares counts before and after in the response, comparison and
buffer areas.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    SCANNING = "scanning", _("Scanning")
    ANALYSIS = "analysis", _("Analysis")
    RESPONSE = "response", _("Response")
    ASSESSMENT = "assessment", _("Assessment")
    CLOSED = "closed", _("Closed")


# The order a problem moves in; each step forward needs both co-leads.
STAGE_ORDER: tuple[Stage, ...] = (
    Stage.SCANNING,
    Stage.ANALYSIS,
    Stage.RESPONSE,
    Stage.ASSESSMENT,
    Stage.CLOSED,
)


class Side(models.TextChoices):
    POLICE = "police", _("Police")
    COMMUNITY = "community", _("Community")
    GOVERNMENT = "government", _("Government")


class Problem(models.Model):
    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="problems")
    priority = models.ForeignKey(
        "priorities.Candidate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
        verbose_name=_("priority"),
    )
    title = models.CharField(_("title"), max_length=200)
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.SCANNING
    )
    stage_changed_at = models.DateTimeField(null=True, blank=True)
    # Scanning
    statement = models.TextField(_("problem statement"), blank=True)
    scanning_data = models.TextField(_("data that show the problem"), blank=True)
    area = models.ForeignKey(
        "agencies.Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
        verbose_name=_("response area"),
    )
    comparison_area = models.ForeignKey(
        "agencies.Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("comparison area"),
    )
    buffer_area = models.ForeignKey(
        "agencies.Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("buffer area"),
    )
    # stakeholders.Sector values: the government services this problem needs.
    sectors = models.JSONField(_("government areas involved"), default=list, blank=True)
    # Analysis: the problem analysis triangle (internal; never on the public page).
    place = models.TextField(_("place"), blank=True)
    victim = models.TextField(_("victim"), blank=True)
    offender = models.TextField(_("offender"), blank=True)
    guardians = models.TextField(_("guardians (of victims)"), blank=True)
    managers = models.TextField(_("managers (of places)"), blank=True)
    handlers = models.TextField(_("handlers (of offenders)"), blank=True)
    partner_data = models.TextField(_("partner data"), blank=True)
    # Public
    public_summary = models.TextField(_("what is being done, in plain language"), blank=True)
    is_public = models.BooleanField(_("on the public site"), default=False)
    police_co_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("police co-lead"),
    )
    community_co_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("community co-lead"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["agency", "stage"])]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")

    def __str__(self) -> str:
        return self.title


class TeamMember(models.Model):
    """A member of a problem-solving team, linked to the Community Map."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="members")
    side = models.CharField(_("side"), max_length=20, choices=Side.choices)
    name = models.CharField(_("name"), max_length=200)
    # An account lets the member sign in to the team's pages (and a co-lead sign off).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="team_memberships",
        verbose_name=_("account"),
    )
    organisation = models.ForeignKey(
        "stakeholders.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="team_members",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role in the team"), max_length=200, blank=True)
    lives_in_area = models.BooleanField(_("lives or works in the affected area"), default=False)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["side", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["problem", "user"],
                condition=models.Q(user__isnull=False),
                name="team_member_one_account_per_team",
            )
        ]

    def __str__(self) -> str:
        return self.name


class StageSignOff(models.Model):
    """A co-lead agrees that the problem may move on to `to_stage`."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="sign_offs")
    from_stage = models.CharField(max_length=20, choices=Stage.choices)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    side = models.CharField(max_length=20, choices=Side.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)
    signed_at = models.DateTimeField()

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["problem", "from_stage", "to_stage", "side"],
                name="stage_sign_off_once_per_side",
            )
        ]

    def __str__(self) -> str:
        return f"{self.problem_id}: {self.from_stage} → {self.to_stage} ({self.side})"


class StageMove(models.Model):
    """The log of a problem's moves from stage to stage."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="moves")
    from_stage = models.CharField(max_length=20, choices=Stage.choices)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    moved_at = models.DateTimeField()

    class Meta:
        ordering = ["moved_at", "pk"]

    def __str__(self) -> str:
        return f"{self.problem_id}: {self.from_stage} → {self.to_stage}"


class Hypothesis(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("To test")
        SUPPORTED = "supported", _("Supported by the evidence")
        REJECTED = "rejected", _("Not supported")

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="hypotheses")
    text = models.TextField(_("hypothesis"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    evidence = models.TextField(_("evidence"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = _("hypotheses")

    def __str__(self) -> str:
        return self.text[:80]


class ResponseAction(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(_("what will be done"))
    owner_name = models.CharField(_("owner"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    partner = models.ForeignKey(
        "stakeholders.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="response_actions",
        verbose_name=_("partner"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:80]


class Goal(models.Model):
    """What success means, agreed before the response starts."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="goals")
    metric = models.CharField(_("metric"), max_length=300)
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    target_date = models.DateField(_("by"))
    result = models.DecimalField(
        _("result"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    result_note = models.TextField(_("about the result"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["target_date", "pk"]

    def __str__(self) -> str:
        return self.metric


class Assessment(models.Model):
    """Counts before and after the response, in the response area and around it.

    Entered by hand (the data may live with a partner) or, once incident data
    is imported, filled from it. The figures (gross and net effect, WDQ, WDD,
    E-test) are computed on reading by roundtable.analytics.displacement.
    """

    class Source(models.TextChoices):
        HAND = "hand", _("Entered by hand")
        INCIDENTS = "incidents", _("From the incident data")

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="assessments")
    label = models.CharField(_("what was counted"), max_length=200)
    before_start = models.DateField(_("before: from"))
    before_end = models.DateField(_("before: to"))
    after_start = models.DateField(_("after: from"))
    after_end = models.DateField(_("after: to"))
    target_before = models.PositiveIntegerField(_("response area, before"))
    target_after = models.PositiveIntegerField(_("response area, after"))
    control_before = models.PositiveIntegerField(
        _("comparison area, before"), null=True, blank=True
    )
    control_after = models.PositiveIntegerField(_("comparison area, after"), null=True, blank=True)
    buffer_before = models.PositiveIntegerField(_("buffer area, before"), null=True, blank=True)
    buffer_after = models.PositiveIntegerField(_("buffer area, after"), null=True, blank=True)
    buffer_control_before = models.PositiveIntegerField(
        _("buffer's comparison area, before"), null=True, blank=True
    )
    buffer_control_after = models.PositiveIntegerField(
        _("buffer's comparison area, after"), null=True, blank=True
    )
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.HAND
    )
    source_note = models.CharField(_("where the counts come from"), max_length=300, blank=True)
    conclusion = models.TextField(_("the team's conclusion"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(before_end__gte=models.F("before_start"))
                & models.Q(after_end__gte=models.F("after_start")),
                name="assessment_periods_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.label


class ProblemMeeting(models.Model):
    """A team meeting: an engagement event (time, place, minutes) plus its agenda."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="meetings")
    event = models.OneToOneField(
        "engagement.Event", on_delete=models.CASCADE, related_name="problem_meeting"
    )
    agenda = models.TextField(_("agenda"), blank=True)

    class Meta:
        ordering = ["event__starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.problem_id}: {self.event_id}"
