"""The Community Map: organisations and people the agency works with, or should."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    COMMUNITY_GROUP = "community_group", _("Community group")
    NATIONAL_NGO = "national_ngo", _("Chapter or affiliate of a national NGO")
    GOVERNMENT = "government", _("Government agency or service")
    FAITH = "faith", _("Faith community")
    BUSINESS = "business", _("Business")
    CAMPUS_GROUP = "campus_group", _("School or campus group")
    OVERSIGHT = "oversight", _("Advocacy or oversight body")
    OTHER = "other", _("Other")


class Sector(models.TextChoices):
    """The six CompStat360 Community Map areas (called sectors in code, to keep
    them apart from an agency's geographic areas)."""

    EDUCATION_YOUTH = "education_youth", _("Education and youth services")
    HEALTH = "health", _("Health")
    JUSTICE_CRIME = "justice_crime", _("Justice and crime")
    HOUSING = "housing", _("Housing")
    LABOUR_ECONOMY = "labour_economy", _("Labour and economic development")
    PUBLIC_WORKS_TRAFFIC = "public_works_traffic", _("Public works and traffic")


class Stance(models.TextChoices):
    SUPPORTER = "supporter", _("Supporter")
    NEUTRAL = "neutral", _("Neutral")
    CRITIC = "critic", _("Critic")
    UNKNOWN = "unknown", _("Unknown")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone call")
    SMS = "sms", _("Text message")
    IN_PERSON = "in_person", _("In person")
    POST = "post", _("Post")


class Organisation(models.Model):
    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("Organisation")
        INDIVIDUAL = "individual", _("Individual")

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, related_name="organisations"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.ORGANISATION
    )
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # The current stance; every change also writes a StanceChange row (the history).
    stance = models.CharField(
        _("stance"), max_length=20, choices=Stance.choices, default=Stance.UNKNOWN
    )
    stance_note = models.TextField(_("why this stance"), blank=True)
    areas = models.ManyToManyField(
        "agencies.Area", blank=True, related_name="organisations", verbose_name=_("areas")
    )
    # Stable id from the agency's own spreadsheet or CRM, for idempotent re-imports.
    external_id = models.CharField(_("external id"), max_length=100, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "external_id"], name="organisation_unique_external_id"
            )
        ]
        indexes = [models.Index(fields=["agency", "name"])]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class OrganisationSector(models.Model):
    """Which of the six CS360 areas an organisation serves (one row each)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="sectors")
    sector = models.CharField(_("CS360 area"), max_length=30, choices=Sector.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "sector"], name="organisation_sector_unique"
            )
        ]
        ordering = ["sector"]

    def __str__(self) -> str:
        return self.get_sector_display()


class StanceChange(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="stance_history"
    )
    stance = models.CharField(_("stance"), max_length=20, choices=Stance.choices)
    note = models.TextField(_("why"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_stance_display()}"


class Contact(models.Model):
    """A person at an organisation. Terms end: student leaders change every year."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=20, choices=Channel.choices, default=Channel.EMAIL
    )
    term_ends_on = models.DateField(_("term ends on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Referral(models.Model):
    """`referrer` recommended `referred` to the agency."""

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, related_name="referrals"
    )
    referrer = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="referrals_made"
    )
    referred = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="referrals_received"
    )
    note = models.TextField(_("note"), blank=True)
    referred_on = models.DateField(_("date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["referrer", "referred"], name="referral_unique_pair"),
            models.CheckConstraint(
                condition=~models.Q(referrer=models.F("referred")), name="referral_not_self"
            ),
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.referrer} → {self.referred}"


class Interaction(models.Model):
    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        CALL = "call", _("Call")
        EMAIL = "email", _("Email")
        EVENT = "event", _("Event")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="interactions"
    )
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="interactions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    occurred_on = models.DateField(_("date"))
    summary = models.TextField(_("summary"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["organisation", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"
