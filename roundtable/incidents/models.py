"""Incident data: what an agency's records system exported, mapped to common terms.

One Incident per source id (an agency's case or report number); its offences
(one row per offence in exports such as Boston's) keep their source codes and
are mapped to the common set in `offences.py`. Coordinates that are missing, 0
or -1 are kept as missing and flagged, so counts stay whole while maps leave the
incident out. Areas come from point-in-polygon against the agency's boundaries.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from roundtable.agencies.models import Area
from roundtable.incidents import offences


class OffenceCategory(models.TextChoices):
    HOMICIDE = "homicide", _("Homicide")
    SEXUAL_ASSAULT = "sexual_assault", _("Sexual assault")
    ROBBERY = "robbery", _("Robbery")
    AGGRAVATED_ASSAULT = "aggravated_assault", _("Aggravated assault")
    KIDNAPPING = "kidnapping", _("Kidnapping")
    HUMAN_TRAFFICKING = "human_trafficking", _("Human trafficking")
    CHILD_ABUSE = "child_abuse", _("Offence against a child")
    DOMESTIC_VIOLENCE = "domestic_violence", _("Domestic violence")
    SEX_OFFENCE = "sex_offence", _("Other sexual offence")
    SIMPLE_ASSAULT = "simple_assault", _("Simple assault")
    ARSON = "arson", _("Arson")
    BURGLARY = "burglary", _("Burglary")
    MOTOR_VEHICLE_THEFT = "motor_vehicle_theft", _("Motor vehicle theft")
    THEFT = "theft", _("Theft")
    FRAUD = "fraud", _("Fraud and forgery")
    STOLEN_PROPERTY = "stolen_property", _("Stolen property")
    VANDALISM = "vandalism", _("Vandalism")
    WEAPONS = "weapons", _("Weapons offence")
    DRUGS = "drugs", _("Drug offence")
    PROSTITUTION = "prostitution", _("Prostitution")
    FAMILY_OFFENCE = "family_offence", _("Offence against the family")
    TRESPASS = "trespass", _("Trespass")
    PUBLIC_ORDER = "public_order", _("Public order")
    IMPAIRED_DRIVING = "impaired_driving", _("Impaired driving")
    OTHER_CRIME = "other_crime", _("Other crime")
    NON_CRIMINAL = "non_criminal", _("Not a crime (service, accident, report)")


assert {c.value for c in OffenceCategory} == set(offences.BY_CODE)


class Against(models.TextChoices):
    PERSONS = "persons", pgettext_lazy("crime against", "Persons")
    PROPERTY = "property", pgettext_lazy("crime against", "Property")
    SOCIETY = "society", pgettext_lazy("crime against", "Society")
    NONE = "none", pgettext_lazy("crime against", "Not a crime")


class CrimeGroup(models.TextChoices):
    VIOLENT = "violent", _("Violent crime")
    PROPERTY = "property", _("Property crime")
    OTHER = "other", pgettext_lazy("crime group", "Other")


class ImportRun(models.Model):
    """One import of a file: what it held, what came in, what was wrong with it."""

    class Kind(models.TextChoices):
        INCIDENTS = "incidents", _("Incidents")
        BOUNDARIES = "boundaries", _("Boundaries")
        SENTIMENT = "sentiment", _("Sentiment scores")

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("import status", "Queued")
        RUNNING = "running", pgettext_lazy("import status", "Running")
        DONE = "done", pgettext_lazy("import status", "Done")
        DRY_RUN = "dry_run", pgettext_lazy("import status", "Checked, nothing saved")
        FAILED = "failed", pgettext_lazy("import status", "Failed, nothing saved")

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, related_name="import_runs"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    profile = models.CharField(_("profile"), max_length=100, blank=True)
    file_name = models.CharField(_("file"), max_length=255)
    # An upload waiting for the background worker; deleted once imported.
    stored_path = models.CharField(max_length=500, blank=True)
    # The user-written mapping file's text, when the import used one.
    mapping_text = models.TextField(blank=True)
    rows = models.PositiveIntegerField(_("rows read"), default=0)
    imported = models.PositiveIntegerField(_("imported"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    missing_coordinates = models.PositiveIntegerField(_("without coordinates"), default=0)
    # Extra offence rows folded into an incident already seen (one row per offence).
    merged_offences = models.PositiveIntegerField(_("offence rows merged"), default=0)
    error_total = models.PositiveIntegerField(_("errors"), default=0)
    # The first errors, [{"line": n, "column": c, "reason": r}, …], capped.
    errors = models.JSONField(default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


class Incident(models.Model):
    class Location(models.TextChoices):
        OK = "ok", _("Located")
        MISSING = "missing", _("No coordinates")
        ZERO = "zero", _("Coordinates 0 or -1")
        OUT_OF_RANGE = "out_of_range", _("Coordinates out of range")

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, related_name="incidents"
    )
    # The agency's own id (case or report number): re-imports update on it.
    source_id = models.CharField(_("source id"), max_length=64)
    profile = models.CharField(_("profile"), max_length=100)
    occurred_at = models.DateTimeField(_("occurred at"))
    # The local date in the agency's time zone, for CompStat periods and weekly bins.
    occurred_on = models.DateField(_("occurred on"))
    offence = models.CharField(_("primary offence"), max_length=30, choices=OffenceCategory.choices)
    against = models.CharField(_("crime against"), max_length=10, choices=Against.choices)
    crime_group = models.CharField(_("crime group"), max_length=10, choices=CrimeGroup.choices)
    # Sexual offences, domestic violence, offences against children: never public.
    sensitive = models.BooleanField(_("sensitive"), default=False)
    # As exported (usually a block, e.g. "055XX S ADA ST"); staff only.
    block = models.CharField(_("block"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    location = models.CharField(
        _("location"), max_length=20, choices=Location.choices, default=Location.OK
    )
    areas: models.ManyToManyField[Area, IncidentArea] = models.ManyToManyField(
        "agencies.Area", through="IncidentArea", related_name="incidents", blank=True
    )
    import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="incidents"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "source_id"], name="incident_unique_source_id_per_agency"
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "occurred_on"], name="incident_agency_day"),
            models.Index(
                fields=["agency", "offence", "occurred_on"], name="incident_agency_offence"
            ),
        ]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return f"{self.source_id} {self.offence} {self.occurred_on}"


class IncidentOffence(models.Model):
    """One offence of an incident, with the source's own code and words."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="offences")
    code = models.CharField(_("source code"), max_length=40)
    description = models.CharField(_("source description"), max_length=200, blank=True)
    category = models.CharField(_("common offence"), max_length=30, choices=OffenceCategory.choices)

    class Meta:
        ordering = ["incident", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "code"], name="incident_offence_unique_code"
            ),
        ]
        verbose_name = _("offence")
        verbose_name_plural = _("offences")

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class IncidentArea(models.Model):
    """An incident lies in this area (point in polygon); one row per boundary layer."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey("agencies.Area", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "area"], name="incident_area_unique"),
        ]
        indexes = [models.Index(fields=["area", "incident"], name="incident_area_by_area")]

    def __str__(self) -> str:
        return f"{self.incident_id} in {self.area_id}"


class AreaBoundary(models.Model):
    """An area's outline, as GeoJSON in WGS 84, with its bounding box for quick tests."""

    area = models.OneToOneField("agencies.Area", on_delete=models.CASCADE, related_name="boundary")
    geometry = models.JSONField(_("geometry"))
    min_latitude = models.FloatField()
    min_longitude = models.FloatField()
    max_latitude = models.FloatField()
    max_longitude = models.FloatField()
    square_km = models.FloatField(_("square kilometres"))
    source = models.CharField(_("source"), max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("area boundary")
        verbose_name_plural = _("area boundaries")

    def __str__(self) -> str:
        return str(self.area)


class SentimentScore(models.Model):
    """A perception figure for an area and period from an outside survey series.

    Until Roundtable's own surveys run, the perception page reads these (for
    example the Chicago Police Sentiment Scores). Scores are 0-100.
    """

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, related_name="sentiment_scores"
    )
    # Null: the whole jurisdiction (the series' city level).
    area = models.ForeignKey(
        "agencies.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The series' own name for the unit ("district 14", "area_2"), kept for rematching.
    unit = models.CharField(_("unit in the source"), max_length=100)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    safety = models.FloatField(_("safety score"), null=True, blank=True)
    trust = models.FloatField(_("trust score"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200)
    import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["agency", "unit", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "source", "unit", "period_start"],
                name="sentiment_unique_unit_period",
            ),
        ]
        verbose_name = _("sentiment score")
        verbose_name_plural = _("sentiment scores")

    def __str__(self) -> str:
        return f"{self.unit} {self.period_start}"
