"""CompStat360 measures: what an agency chose to measure, the figures, and partners' data.

The catalogue of dimensions, goals, indicators and suggested measures is code
(`catalogue.py`), translated like any other text; an agency's choices are rows
here. A measure chosen from the catalogue keeps its `catalogue_key` and takes
its name and definition from the catalogue (in the reader's language) unless
the agency wrote its own; a measure the agency added itself has no key and
carries its own texts, with translations in `translations`.

Figures (`MeasureValue`) come from three sources:
- computed from Roundtable's own data (the ledger, events, surveys, incidents,
  problems) by `computed.py`, refreshed by `roundtable measures refresh`;
- imported from a CSV file by staff;
- shared by a partner organisation (`PartnerSubmission`): held for approval
  and written as figures only when staff approve them, with their provenance.

Partners share aggregates only: a period, an area and a figure (with the count
and base it came from, when it is a rate, so public pages can suppress small
cells). No record about a person is ever taken in.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    COUNT = "count", _("Count")
    PERCENT = "percent", _("Percent")
    PER_1000 = "per_1000", _("Rate per 1,000")
    SCORE = "score", _("Score (0–100)")
    DAYS = "days", _("Days")
    HOURS = "hours", _("Hours")
    OTHER = "other", _("Other")


class Polarity(models.TextChoices):
    HIGHER_IS_BETTER = "higher", _("Higher is better")
    LOWER_IS_BETTER = "lower", _("Lower is better")
    NEITHER = "neither", _("Neither (context)")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    ANNUAL = "annual", _("Yearly")


class Source(models.TextChoices):
    COMPUTED = "computed", _("Computed from Roundtable's own data")
    IMPORTED = "imported", _("Imported from a file")
    PARTNER = "partner", _("Shared by a partner organisation")


class Measure(models.Model):
    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="measures")
    # The catalogue measure this was chosen from ("" for the agency's own).
    catalogue_key = models.CharField(_("catalogue measure"), max_length=60, blank=True)
    goal = models.CharField(_("goal"), max_length=40)  # catalogue.GOALS key
    indicator = models.CharField(_("indicator"), max_length=60)  # catalogue indicator key
    # Blank: the catalogue's text, in the reader's language.
    name = models.CharField(_("name"), max_length=200, blank=True)
    definition = models.TextField(_("definition"), blank=True)
    # Other languages of the agency's own texts: {"es": {"name": …, "definition": …}}.
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    polarity = models.CharField(_("polarity"), max_length=10, choices=Polarity.choices)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    target = models.FloatField(_("target"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    # computed.COMPUTATIONS key when the source is COMPUTED.
    computation = models.CharField(_("computation"), max_length=60, blank=True)
    # The organisation whose figures these are when the source is PARTNER. If it
    # leaves the Community Map the measure stays, with its figures (each keeps
    # its provenance), and no partner until staff name another.
    partner = models.ForeignKey(
        "stakeholders.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("partner organisation"),
    )
    # Figures kept per area as well as for the whole jurisdiction.
    by_area = models.BooleanField(_("figures per area"), default=False)
    # Whether the figures count people or what people did or suffered (inputs,
    # crimes, complaints, respondents), so that public pages withhold small
    # ones; False for counts of meetings, inspections and the like, which
    # disclose nobody. The agency's own measures only: a catalogue measure
    # takes the catalogue's (`texts.counts_people`). True unless said otherwise.
    counts_people = models.BooleanField(_("counts people"), default=True)
    # On the public dashboard and in open data. Internal measures (officer
    # wellness) can never be made public (services refuse it).
    is_public = models.BooleanField(_("published"), default=True)
    # Dropping a measure keeps its history; it only leaves the pack and dashboard.
    active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "catalogue_key"],
                condition=~Q(catalogue_key=""),
                name="measure_unique_catalogue_key",
            )
        ]
        ordering = ["goal", "indicator", "pk"]

    def __str__(self) -> str:
        return self.name or self.catalogue_key


class ValueSource(models.TextChoices):
    COMPUTED = "computed", _("Computed")
    IMPORTED = "imported", _("Imported")
    PARTNER = "partner", _("Partner")
    ENTERED = "entered", _("Entered by staff")


class MeasureValue(models.Model):
    """One figure: a measure, a period (its first day) and an area (None: everywhere)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="values")
    period_start = models.DateField(_("period"))
    area = models.ForeignKey(
        "agencies.Area", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    value = models.FloatField(_("value"))
    # When the value is a count, a rate or a share: the count of people or events
    # behind it (and the base), so that public figures can withhold small cells.
    numerator = models.PositiveIntegerField(_("count"), null=True, blank=True)
    denominator = models.PositiveIntegerField(_("base"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=ValueSource.choices)
    provenance = models.TextField(_("provenance"), blank=True)
    submission = models.ForeignKey(
        "PartnerSubmission",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="values",
    )
    recorded_at = models.DateTimeField(auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period_start", "area"],
                condition=Q(area__isnull=False),
                name="measure_value_unique_area",
            ),
            models.UniqueConstraint(
                fields=["measure", "period_start"],
                condition=Q(area__isnull=True),
                name="measure_value_unique_overall",
            ),
        ]
        indexes = [models.Index(fields=["measure", "period_start"])]
        ordering = ["measure", "period_start", "area"]

    def __str__(self) -> str:
        return f"{self.measure}: {self.period_start:%Y-%m} = {self.value:g}"


class DataSharer(models.Model):
    """A partner's representative allowed to share figures for their organisation."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "stakeholders.Organisation", on_delete=models.CASCADE, related_name="data_sharers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_sharing"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="data_sharer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} for {self.organisation}"


class PartnerSubmission(models.Model):
    """Figures a partner shared, held until staff approve them."""

    class Method(models.TextChoices):
        FORM = "form", _("Form")
        CSV = "csv", _("CSV file")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="submissions")
    # Removing the organisation (or its agency) removes its submissions; the
    # figures approved from them stay with the measure (their `submission`
    # cleared, their provenance kept).
    organisation = models.ForeignKey(
        "stakeholders.Organisation", on_delete=models.CASCADE, related_name="submissions"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    # Where the figures come from and how they were counted, in the partner's words.
    provenance = models.TextField(_("where the figures come from"))
    # [{"period": "2026-10-01", "area": <area id or null>, "value": 12.0,
    #   "numerator": 12, "denominator": null}, …]
    rows = models.JSONField(default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.measure} ({self.get_status_display()})"
