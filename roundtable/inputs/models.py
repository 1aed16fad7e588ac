"""Community input from every channel, and the response ledger around it.

Every input, however it arrived, gets a receipt code, an owner, a status with
due dates, internal notes and a public answer ("you said, we did").

Anonymous input stores no IP address, user agent or account: `submitted_by`
and every contact field stay empty (a database constraint holds it).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    SAFETY_CONCERN = "safety_concern", _("A safety concern")
    POLICY = "policy", _("A new or existing policy")
    INCIDENT = "incident", _("A high-profile incident")
    TECHNOLOGY = "technology", _("Agency technology (body cameras, licence-plate readers …)")
    INTERACTIONS = "interactions", _("Day-to-day interactions with agency staff")
    OTHER = "other", _("Something else")


class InputChannel(models.TextChoices):
    WEB = "web", _("Web form")
    API = "api", _("API")
    PHONE = "phone", _("Phone call")
    MEETING = "meeting", _("Meeting")
    FOCUS_GROUP = "focus_group", _("Focus group")
    SCANNING_INTERVIEW = "scanning_interview", _("Scanning interview")
    IN_PERSON = "in_person", _("In person")
    SOCIAL_MEDIA = "social_media", _("Social media")
    THREE_ONE_ONE = "311", _("311")
    SMS = "sms", _("Text message")
    EMAIL = "email", _("Email")
    SURVEY = "survey", _("Survey (a free-text answer)")


# Channels through which a person writes to us themselves (the rest are typed
# in by staff or imported).
PUBLIC_CHANNELS = frozenset({InputChannel.WEB, InputChannel.API})


class Status(models.TextChoices):
    NEW = "new", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    REFERRED = "referred", _("Referred")
    CLOSED = "closed", _("Closed")


# Statuses in which the input still waits for an answer.
OPEN_STATUSES = frozenset({Status.NEW, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.REFERRED})


class ReplyChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")


class Moderation(models.TextChoices):
    VISIBLE = "visible", _("Shown (with personal details redacted)")
    HELD = "held", _("Held for moderation")
    HIDDEN = "hidden", _("Kept from public view")


class Input(models.Model):
    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="inputs")
    # Stored without separators, in Crockford base 32 (see receipts.py).
    receipt_code = models.CharField(_("receipt code"), max_length=16, unique=True)
    channel = models.CharField(_("channel"), max_length=30, choices=InputChannel.choices)
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)
    text = models.TextField(_("what was said"))
    # The language it was written or spoken in (answers and notices use it).
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    area = models.ForeignKey(
        "agencies.Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inputs",
        verbose_name=_("area"),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    is_anonymous = models.BooleanField(_("anonymous"), default=True)
    contact_name = models.CharField(_("name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("email"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    reply_channel = models.CharField(
        _("send news by"), max_length=10, choices=ReplyChannel.choices, blank=True
    )
    # A signed-in person who chose not to be anonymous; never set when anonymous.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inputs_submitted",
    )
    # Staff who typed it in (a call, a meeting, an interview), or who imported it.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inputs_recorded",
    )
    event = models.ForeignKey(
        "engagement.Event",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inputs",
        verbose_name=_("heard at"),
    )
    organisation = models.ForeignKey(
        "stakeholders.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inputs",
        verbose_name=_("speaking for"),
    )
    # A scanning interview's answers, keyed by catalogue.INTERVIEW_GUIDE.
    interview = models.JSONField(_("interview answers"), default=dict, blank=True)
    # The id in the source system (a 311 case, a post, an SMS), for idempotent imports.
    external_id = models.CharField(_("external id"), max_length=200, null=True, blank=True)
    received_at = models.DateTimeField(_("received"))

    # The ledger.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inputs_owned",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    acknowledge_by = models.DateField(_("acknowledge by"))
    answer_by = models.DateField(_("answer by"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    public_answer = models.TextField(_("public answer"), blank=True)
    moderation = models.CharField(
        _("moderation"), max_length=10, choices=Moderation.choices, default=Moderation.VISIBLE
    )
    moderation_note = models.CharField(_("moderation note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["agency", "received_at"]),
            models.Index(fields=["agency", "moderation"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "channel", "external_id"], name="input_unique_external_id"
            ),
            models.CheckConstraint(
                name="input_anonymous_keeps_no_contact",
                condition=models.Q(is_anonymous=False)
                | models.Q(
                    contact_name="",
                    contact_email="",
                    contact_phone="",
                    reply_channel="",
                    submitted_by__isnull=True,
                ),
            ),
        ]
        verbose_name = _("input")
        verbose_name_plural = _("inputs")

    def __str__(self) -> str:
        return f"{self.receipt_code} ({self.get_topic_display()})"


class InputNote(models.Model):
    """An internal note on an input: staff only, never public."""

    input = models.ForeignKey(Input, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class InputReferral(models.Model):
    """The input was passed to another agency or partner; open until it comes back."""

    input = models.ForeignKey(Input, on_delete=models.CASCADE, related_name="referrals")
    to_organisation = models.ForeignKey(
        "stakeholders.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="input_referrals",
        verbose_name=_("referred to (Community Map)"),
    )
    to_name = models.CharField(_("referred to"), max_length=200)
    reference = models.CharField(_("their reference"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    referred_at = models.DateTimeField(_("referred"))
    expected_back_by = models.DateField(_("expected back by"), null=True, blank=True)
    returned_at = models.DateTimeField(_("came back"), null=True, blank=True)
    outcome = models.TextField(_("what they did"), blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["referred_at", "pk"]

    def __str__(self) -> str:
        return self.to_name


class InputLink(models.Model):
    """The input is tied to something the agency does about it: an event, a
    priority, a problem, a decision. When that item changes, the people who
    spoke are told (services.linked_item_changed)."""

    input = models.ForeignKey(Input, on_delete=models.CASCADE, related_name="links")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["input", "content_type", "object_id"], name="input_link_unique"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.input_id} → {self.content_type_id}:{self.object_id}"


class PublicUpdate(models.Model):
    """News on an input that anyone holding its receipt code may read: a change
    of status, the answer, progress on a linked item. Written in the input's
    language, redacted."""

    input = models.ForeignKey(Input, on_delete=models.CASCADE, related_name="updates")
    text = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Notification(models.Model):
    """A message to a contributor who left contact details, sent by a task.

    The address is not copied here: the task reads it from the input when it
    sends, so correcting or erasing a contact also stops the message.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("No longer reachable")

    input = models.ForeignKey(Input, on_delete=models.CASCADE, related_name="notifications")
    channel = models.CharField(max_length=10, choices=ReplyChannel.choices)
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject
