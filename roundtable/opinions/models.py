"""Opinion-mapping conversations, Polis-style.

A conversation asks one question. Participants add short statements and vote
agree, disagree or pass on other people's statements, one at a time. The
analysis (`roundtable.analytics.polis`) maps participants in two dimensions,
finds opinion groups, what each group stands for and what they all agree on.

Numbers: statements and participants carry a per-conversation `number` (Polis's
`tid` and `pid`). Imported conversations keep the numbers of the export, so an
analysis of an import can be compared with the one Polis published.

Privacy: an anonymous participant is known only by the SHA-256 of a random
token kept in their own browser's cookie; no address, user agent or account is
stored. A participant from another system is known by the external id that
system gave them (`external_id`), which it vouches for by signing the link.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Polis's vote codes as exported (1 agree, -1 disagree, 0 pass).
AGREE, DISAGREE, PASS = 1, -1, 0


class Conversation(models.Model):
    class Moderation(models.TextChoices):
        STRICT = "strict", _("Strict: statements appear once a moderator accepts them")
        PERMISSIVE = (
            "permissive",
            _("Permissive: statements appear unless a moderator rejects them"),
        )

    class Status(models.TextChoices):
        OPEN = "open", _("Open for votes and statements")
        CLOSED = "closed", _("Closed")

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, related_name="conversations"
    )
    # The partner organisation hosting the conversation with the agency, if any.
    organisation = models.ForeignKey(
        "stakeholders.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
        verbose_name=_("hosted with"),
    )
    title = models.CharField(_("title"), max_length=200)
    question = models.TextField(_("question"))
    description = models.TextField(_("background"), blank=True)
    moderation = models.CharField(
        _("moderation"), max_length=20, choices=Moderation.choices, default=Moderation.STRICT
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    allow_statements = models.BooleanField(_("participants may add statements"), default=True)
    public_report = models.BooleanField(_("publish the report"), default=True)
    # Seed of every random choice in the analysis, so it can be repeated exactly.
    analysis_seed = models.PositiveIntegerField(_("analysis seed"), default=0)
    # Set when votes have arrived that no analysis has seen and one is queued;
    # cleared by the analysis task when it starts (the debounce, see services).
    analysis_requested_at = models.DateTimeField(null=True, blank=True)
    # Where an imported conversation came from (e.g. a Polis export's folder).
    imported_from = models.CharField(_("imported from"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["agency", "status"])]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return self.title


class Participant(models.Model):
    """Someone taking part: anonymous (a cookie token), signed in, or external."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    number = models.PositiveIntegerField(_("participant number"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    external_id = models.CharField(_("external id"), max_length=200, blank=True)
    # SHA-256 (hex) of the anonymous participant's cookie token.
    token_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["conversation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "number"], name="opinion_participant_number"
            ),
            models.UniqueConstraint(
                fields=["conversation", "external_id"],
                condition=~models.Q(external_id=""),
                name="opinion_participant_external_id",
            ),
            models.UniqueConstraint(
                fields=["conversation", "token_hash"],
                condition=~models.Q(token_hash=""),
                name="opinion_participant_token",
            ),
            models.UniqueConstraint(
                fields=["conversation", "user"],
                condition=models.Q(user__isnull=False),
                name="opinion_participant_user",
            ),
        ]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return f"#{self.number}"


class Statement(models.Model):
    class Moderation(models.TextChoices):
        UNMODERATED = "unmoderated", _("Awaiting moderation")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Moderated out")

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="statements"
    )
    number = models.PositiveIntegerField(_("statement number"))
    text = models.TextField(_("statement"))
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    # The participant who wrote it; seed statements have none (staff wrote them).
    author = models.ForeignKey(
        Participant,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements",
    )
    is_seed = models.BooleanField(_("seed statement"), default=False)
    # About the conversation itself ("I don't know enough to answer"): shown and
    # voted on, left out of the map (as Polis does).
    is_meta = models.BooleanField(_("meta statement"), default=False)
    moderation = models.CharField(
        _("moderation"), max_length=20, choices=Moderation.choices, default=Moderation.UNMODERATED
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    # The candidate priority a coordinator made of this statement (common ground
    # taken to the priority worksheet).
    candidate = models.ForeignKey(
        "priorities.Candidate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements",
        verbose_name=_("candidate priority"),
    )

    class Meta:
        ordering = ["conversation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "number"], name="opinion_statement_number"
            )
        ]
        indexes = [models.Index(fields=["conversation", "moderation"])]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")

    def __str__(self) -> str:
        return self.text[:80]


class Vote(models.Model):
    """A participant's current vote on a statement (a new vote replaces it)."""

    class Value(models.IntegerChoices):
        AGREE = AGREE, _("Agree")
        DISAGREE = DISAGREE, _("Disagree")
        PASS = PASS, _("Pass / unsure")

    # Denormalised so that an analysis loads a conversation's votes in one scan.
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(_("vote"), choices=Value.choices)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "statement"], name="opinion_vote_once")
        ]
        indexes = [models.Index(fields=["conversation", "updated_at"])]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")

    def __str__(self) -> str:
        return f"{self.participant_id} on {self.statement_id}: {self.value}"


class Analysis(models.Model):
    """The latest opinion map of a conversation (replaced by each recompute).

    `result` holds `roundtable.analytics.polis.AnalysisResult.as_json()` with
    statement and participant numbers as keys; `votes_seen_at` is the newest vote
    time it includes (the report says "stale" when newer votes exist), and
    `run_started_at` orders runs, so a slower, older run never overwrites a
    newer one.
    """

    conversation = models.OneToOneField(
        Conversation, on_delete=models.CASCADE, related_name="analysis"
    )
    result = models.JSONField(default=dict)
    seed = models.PositiveIntegerField(default=0)
    # When the run that made this map started (cleared the request mark): a
    # run that started later has seen every vote and moderation this one saw,
    # so it may replace the map, and an earlier one may not.
    run_started_at = models.DateTimeField(null=True, blank=True)
    votes_seen_at = models.DateTimeField(null=True, blank=True)
    vote_count = models.PositiveIntegerField(default=0)
    participant_count = models.PositiveIntegerField(default=0)
    clustered_count = models.PositiveIntegerField(default=0)
    group_count = models.PositiveSmallIntegerField(default=0)
    seconds = models.FloatField(default=0.0)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("opinion map")
        verbose_name_plural = _("opinion maps")

    def __str__(self) -> str:
        return f"{self.conversation} ({self.computed_at:%Y-%m-%d %H:%M})"
