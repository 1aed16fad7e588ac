from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Agency(models.Model):
    """A police agency. One installation serves several, whose areas may overlap."""

    class Kind(models.TextChoices):
        MUNICIPAL = "municipal", _("Municipal police department")
        UNIVERSITY = "university", _("University or campus police department")
        SHERIFF = "sheriff", _("Sheriff's office")
        TRANSIT = "transit", _("Transit police")
        OTHER = "other", _("Other law enforcement agency")

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # Days without contact after which a Community Map relationship is "to renew".
    renewal_after_days = models.PositiveIntegerField(
        _("renew a relationship after (days)"), default=180
    )
    # Response ledger targets: every input's due dates are counted from these.
    acknowledge_within_days = models.PositiveSmallIntegerField(
        _("acknowledge input within (days)"), default=3
    )
    answer_within_days = models.PositiveSmallIntegerField(
        _("answer input within (days)"), default=30
    )
    referral_back_within_days = models.PositiveSmallIntegerField(
        _("expect a referral back within (days)"), default=14
    )
    # Where maps of the agency open (the public form's point picker).
    map_latitude = models.DecimalField(
        _("map centre latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    map_longitude = models.DecimalField(
        _("map centre longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    map_zoom = models.PositiveSmallIntegerField(_("map zoom"), default=13)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    """A place an agency answers for: beat, district, neighbourhood or campus.

    Later capabilities (inputs, incidents, surveys, measures) hang their data on
    areas. `overlaps` records that an area of one agency covers the same ground as
    an area of another (a campus inside a city district).
    """

    class Kind(models.TextChoices):
        DISTRICT = "district", _("District")
        BEAT = "beat", _("Beat")
        NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")
        CAMPUS = "campus", _("Campus")
        OTHER = "other", _("Other area")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    overlaps = models.ManyToManyField("self", blank=True, symmetrical=True)

    class Meta:
        ordering = ["agency", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "slug"], name="area_unique_slug_per_agency"),
            models.UniqueConstraint(fields=["agency", "name"], name="area_unique_name_per_agency"),
        ]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return self.name
