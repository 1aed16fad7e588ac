"""From scanning to chosen priorities: themes across inputs, candidate
priorities with their worksheet, the community's ranking (pairwise wiki survey
and dot votes) and the advisory group's decision.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Theme(models.Model):
    """A thread running through many inputs ("speeding near schools"), named by staff.

    The text-grouping suggestions only propose themes; a theme exists once a
    person has confirmed it.
    """

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="theme_unique_name_per_agency")
        ]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name


class InputTheme(models.Model):
    """A person confirmed that this input speaks to this theme."""

    input = models.ForeignKey("inputs.Input", on_delete=models.CASCADE, related_name="theme_tags")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="tags")
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Accepted from a machine suggestion rather than tagged by hand.
    from_suggestion = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["input", "theme"], name="input_theme_unique")
        ]

    def __str__(self) -> str:
        return f"{self.input_id} · {self.theme_id}"


class Harm(models.IntegerChoices):
    VERY_LOW = 1, _("1 — very low")
    LOW = 2, _("2 — low")
    MODERATE = 3, _("3 — moderate")
    HIGH = 4, _("4 — high")
    VERY_HIGH = 5, _("5 — very high")


class Candidate(models.Model):
    """A candidate public safety priority, with its worksheet.

    Staff shortlist candidates (often from a theme); the public may suggest
    more in the pairwise survey, which wait for moderation (PROPOSED). The
    advisory group's published decision marks them CHOSEN or NOT_CHOSEN.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Suggested, awaiting moderation")
        ACTIVE = "active", _("On the shortlist")
        REJECTED = "rejected", _("Not accepted for the shortlist")
        CHOSEN = "chosen", _("Chosen as a priority")
        NOT_CHOSEN = "not_chosen", _("Not chosen")

    class Source(models.TextChoices):
        STAFF = "staff", _("Added by staff")
        THEME = "theme", _("From a theme across inputs")
        PUBLIC = "public", _("Suggested by a participant")
        CONVERSATION = "conversation", _("Common ground in an opinion conversation")

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, related_name="candidate_priorities"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # Titles in other languages, keyed by language code ({"es": "…"}).
    title_translations = models.JSONField(_("title in other languages"), default=dict, blank=True)
    # The language a public suggestion was written in.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    theme = models.ForeignKey(
        Theme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="candidates",
        verbose_name=_("theme"),
    )
    areas = models.ManyToManyField(
        "agencies.Area", blank=True, related_name="candidate_priorities", verbose_name=_("areas")
    )
    # Common incident categories (persons, property, society; violent, property)
    # whose figures belong on the worksheet once incident data is imported.
    offence_categories = models.JSONField(_("offence categories"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.STAFF
    )
    # The worksheet (the public safety priority worksheet of CompStat360).
    harm = models.PositiveSmallIntegerField(_("harm"), choices=Harm.choices, null=True, blank=True)
    harm_note = models.TextField(_("why this harm"), blank=True)
    feasibility = models.PositiveSmallIntegerField(
        _("feasibility"), choices=Harm.choices, null=True, blank=True
    )
    feasibility_note = models.TextField(_("why this feasibility"), blank=True)
    # Figures an analyst enters while the agency has no incident data imported.
    incident_note = models.TextField(_("incident figures (entered)"), blank=True)
    equity_affected = models.TextField(_("who is affected"), blank=True)
    equity_heard = models.TextField(_("who was heard, and who was not"), blank=True)
    partners = models.ManyToManyField(
        "stakeholders.Organisation",
        blank=True,
        related_name="candidate_priorities",
        verbose_name=_("partners able to help"),
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_note = models.CharField(_("moderation note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "pk"]
        indexes = [models.Index(fields=["agency", "status"])]
        verbose_name = _("candidate priority")
        verbose_name_plural = _("candidate priorities")

    def __str__(self) -> str:
        return self.title


class PairwiseSurvey(models.Model):
    """A wiki survey: participants pick the more important of two candidates.

    Works without an account; nothing about a participant is stored with a
    comparison but the area they chose to give.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", pgettext_lazy("survey status", "Open")
        CLOSED = "closed", pgettext_lazy("survey status", "Closed")

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, related_name="pairwise_surveys"
    )
    question = models.CharField(_("question"), max_length=300)
    question_translations = models.JSONField(
        _("question in other languages"), default=dict, blank=True
    )
    candidates = models.ManyToManyField(
        Candidate, blank=True, related_name="pairwise_surveys", verbose_name=_("candidates")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    accepts_suggestions = models.BooleanField(
        _("participants may suggest a priority"), default=True
    )
    asks_area = models.BooleanField(_("ask participants for their area"), default=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pairwise survey")
        verbose_name_plural = _("pairwise surveys")

    def __str__(self) -> str:
        return self.question


class Comparison(models.Model):
    """One vote in a pairwise survey: the left or right candidate, or neither."""

    class Outcome(models.TextChoices):
        LEFT = "left", _("Left")
        RIGHT = "right", _("Right")
        CANT_DECIDE = "cant_decide", _("Can't decide")

    survey = models.ForeignKey(PairwiseSurvey, on_delete=models.CASCADE, related_name="comparisons")
    left = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    # The area the participant chose to give (optional), for results by area.
    area = models.ForeignKey(
        "agencies.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, default="en")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["survey", "outcome"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(left=models.F("right")), name="comparison_two_candidates"
            )
        ]

    def __str__(self) -> str:
        return f"{self.left_id} vs {self.right_id}: {self.outcome}"


class DotVote(models.Model):
    """Dots placed on a candidate at an in-person meeting, counted and entered by staff."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="dot_votes")
    event = models.ForeignKey(
        "engagement.Event",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dot_votes",
        verbose_name=_("meeting"),
    )
    dots = models.PositiveIntegerField(_("dots"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-entered_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.candidate_id}: {self.dots}"


class Decision(models.Model):
    """The advisory group's decision on which candidates become priorities.

    Drafted, voted on and then published; publishing marks the candidates
    chosen or not and tells every linked input's contributor.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, related_name="priority_decisions"
    )
    title = models.CharField(_("title"), max_length=200)
    decided_by = models.CharField(
        _("decided by"), max_length=200, help_text=_("The advisory group, by its public name.")
    )
    decided_on = models.DateField(_("decided on"))
    event = models.ForeignKey(
        "engagement.Event",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="priority_decisions",
        verbose_name=_("meeting"),
    )
    chosen = models.ManyToManyField(
        Candidate, blank=True, related_name="decisions", verbose_name=_("chosen priorities")
    )
    rationale = models.TextField(_("rationale"))
    dissent = models.TextField(_("dissent"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.title


class AdvisoryVote(models.Model):
    """How one member of the advisory group voted on a decision."""

    class Vote(models.TextChoices):
        FOR = "for", _("For")
        AGAINST = "against", _("Against")
        ABSTAIN = "abstain", _("Abstained")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    member_name = models.CharField(_("member"), max_length=200)
    organisation = models.ForeignKey(
        "stakeholders.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="advisory_votes",
        verbose_name=_("organisation"),
    )
    vote = models.CharField(_("vote"), max_length=10, choices=Vote.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "member_name"], name="advisory_vote_one_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_name}: {self.vote}"
