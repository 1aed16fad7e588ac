"""Engagement events: who convenes them, where and when, who came, what was promised."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    TOWN_HALL = "town_hall", _("Town hall")
    BEAT_MEETING = "beat_meeting", _("Beat meeting")
    FOCUS_GROUP = "focus_group", _("Focus group")
    LISTENING_SESSION = "listening_session", _("Listening session")
    ADVISORY_BOARD = "advisory_board", _("Advisory board")
    PST_MEETING = "pst_meeting", _("Problem-solving team meeting")
    SENATE_VISIT = "senate_visit", _("Student or staff senate visit")
    SCANNING_INTERVIEW = "scanning_interview", _("One-to-one scanning interview or call")
    COMMUNITY_EVENT = "community_event", _("Community event")


class EventFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIRTUAL = "virtual", _("Virtual")
    HYBRID = "hybrid", _("Hybrid (in person and online)")


class Event(models.Model):
    """A meeting with the community, convened by the agency or by an organisation.

    `convener` empty means the agency convenes; otherwise the organisation does,
    and the public page says so. `co_hosts` are further organisations hosting.
    """

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    convener = models.ForeignKey(
        "stakeholders.Organisation",
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="events_convened",
        verbose_name=_("convened by"),
    )
    co_hosts = models.ManyToManyField(
        "stakeholders.Organisation",
        blank=True,
        related_name="events_cohosted",
        verbose_name=_("co-hosts"),
    )
    format = models.CharField(
        _("format"), max_length=20, choices=EventFormat.choices, default=EventFormat.IN_PERSON
    )
    join_url = models.URLField(_("join link"), blank=True)
    place_name = models.CharField(_("place"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    area = models.ForeignKey(
        "agencies.Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("area"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    # Codes from engagement.languages.MEETING_LANGUAGES, spoken at the meeting.
    languages = models.JSONField(_("languages offered"), default=list, blank=True)
    interpretation = models.CharField(_("interpretation"), max_length=300, blank=True)
    accessibility = models.TextField(_("accessibility"), blank=True)
    childcare = models.CharField(_("childcare"), max_length=300, blank=True)
    transport = models.CharField(_("transport"), max_length=300, blank=True)
    # Scanning interviews and some focus groups are not announced.
    is_public = models.BooleanField(_("on the public calendar"), default=True)
    registration_open = models.BooleanField(_("registration open"), default=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    cancellation_note = models.CharField(_("why cancelled"), max_length=300, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    # Minutes are drafted first; the public sees them once published.
    minutes_published_at = models.DateTimeField(_("minutes published"), null=True, blank=True)
    # People counted in the room (or online), signed in or not.
    headcount = models.PositiveIntegerField(_("headcount"), null=True, blank=True)
    # iCalendar SEQUENCE: raised whenever time, place or status changes, so
    # calendar apps replace their copy.
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["agency", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
            )
        ]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    """Someone coming, no account needed. Contact details are optional and used
    only for reminders and changes to this event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    needs = models.TextField(_("what would help you take part"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.name or str(_("Registration %(id)s")) % {"id": self.pk}


class Attendance(models.Model):
    """One person present. Paper sign-in sheets are typed in later (source)."""

    class Source(models.TextChoices):
        REGISTRATION = "registration", _("Registered and came")
        WALK_IN = "walk_in", _("Walk-in")
        PAPER_SHEET = "paper_sheet", _("Paper sign-in sheet")
        VIRTUAL = "virtual", _("Joined online")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    name = models.CharField(_("name"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "stakeholders.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attendances",
        verbose_name=_("organisation"),
    )
    # As written on a paper sheet when it matches no organisation on the map.
    organisation_name = models.CharField(_("organisation (as written)"), max_length=200, blank=True)
    area = models.ForeignKey(
        "agencies.Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("lives or works in"),
    )
    source = models.CharField(_("how recorded"), max_length=20, choices=Source.choices)
    registration = models.OneToOneField(
        Registration, null=True, blank=True, on_delete=models.SET_NULL, related_name="attendance"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.name or str(self.get_source_display())


class ActionItem(models.Model):
    """A commitment made at a meeting, with an owner and a date."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="action_items")
    description = models.TextField(_("what was promised"))
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
        verbose_name=_("owner (agency staff)"),
    )
    owner_organisation = models.ForeignKey(
        "stakeholders.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
        verbose_name=_("owner (organisation)"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    outcome = models.TextField(_("outcome"), blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:80]
