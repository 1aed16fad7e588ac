"""Surveys of community sentiment, the population they are weighted to, and one-time links.

A survey is built from questions (often copied from a built-in instrument,
`instruments.py`), answered through an open link, a QR code at a meeting or a
one-time link, and weighted by raking to the reference population's margins
(`roundtable.analytics.raking`) before any figure is shown.

Every text a respondent reads is stored per language (`texts.py`).

Privacy: a response stores its answers, its language, the month and area it
counts for and how it arrived; never an address, a user agent or an account.
One-time links are stored as the SHA-256 of their token; the people they were
sent to are not stored at all.

No time of day is kept where it could join a response to a person.
`Response.submitted_at` is the local day (midnight in settings.TIME_ZONE),
for every channel: results need the month (`period`) and, at most, the day,
while an exact moment would match a one-time link's use, a server log or an
input's creation and so name whoever was sent the link. For the same reason
`Invitation.used` is a yes/no with no time, and the links of a batch sent
after calls are created in shuffled order, so their numbers do not follow the
rows of the agency's file (`services_invitations`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    PUBLIC = "public", _("Residents and the public")
    CONTACT = "contact", _("People who had contact with the agency")
    INTERNAL = "internal", _("Agency staff (internal, never published)")


class Measure(models.TextChoices):
    """What a question measures, so results can build the field's scores from it."""

    NONE = "", _("Nothing in particular")
    SAFETY = "safety", _("Feeling safe from crime in the neighbourhood")
    TRUST_RESPECT = "trust_respect", _("Police treat local residents with respect")
    TRUST_LISTEN = "trust_listen", _("Police listen to residents' concerns")
    TOP_ISSUE = "top_issue", _("The number one issue for police to deal with")
    PJ_DIGNITY = "pj_dignity", _("Procedural justice: dignity and respect")
    PJ_VOICE = "pj_voice", _("Procedural justice: voice")
    PJ_NEUTRALITY = "pj_neutrality", _("Procedural justice: neutrality")
    PJ_MOTIVES = "pj_motives", _("Procedural justice: trustworthy motives")
    OBLIGATION = "obligation", _("Legitimacy: obligation to obey")
    SATISFACTION = "satisfaction", _("Satisfaction after contact")
    WELLNESS = "wellness", _("Officer wellness")


class Characteristic(models.TextChoices):
    """Who answered: the demographics a survey can be weighted and compared on."""

    NONE = "", _("None")
    AREA = "area", _("Area of residence")
    AGE_BAND = "age_band", _("Age band")
    GENDER = "gender", _("Gender")
    RACE_ETHNICITY = "race_ethnicity", _("Race or ethnicity")
    INCOME_BAND = "income_band", _("Household income")
    TENURE = "tenure", _("Housing tenure")


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for answers")
        CLOSED = "closed", _("Closed")

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="surveys")
    # {"en": ..., "es": ...} (texts.py)
    title = models.JSONField(_("title"), default=dict)
    introduction = models.JSONField(_("introduction"), default=dict, blank=True)
    thanks = models.JSONField(_("thank-you message"), default=dict, blank=True)
    # The languages the survey is offered in; every text must exist in each.
    languages = models.JSONField(_("languages"), default=list)
    # The built-in instrument it was copied from ("trust_safety" …), if any.
    instrument = models.CharField(_("instrument"), max_length=40, blank=True)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.PUBLIC
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # A survey of one area: every response counts for it unless it asks the area.
    area = models.ForeignKey(
        "agencies.Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("area"),
    )
    # The open link's secret part (/p/<agency>/surveys/<token>/); empty: no open link.
    public_token = models.CharField(max_length=40, unique=True, null=True, blank=True)
    # Free-text answers become inputs in the response ledger ("you said, we did").
    text_to_inputs = models.BooleanField(
        _("free-text answers go to the input ledger"), default=True
    )
    publish_results = models.BooleanField(_("publish weighted results"), default=False)
    # Weighting: the reference population (None: the agency's newest) and the
    # characteristics raked to (empty: every one both the survey and the population have).
    population = models.ForeignKey(
        "surveys.ReferencePopulation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reference population"),
    )
    weighting_variables = models.JSONField(_("weight on"), default=list, blank=True)
    # Weights above this multiple of the mean weight are trimmed (anesrake's cap).
    weight_cap = models.FloatField(_("trim weights above (× mean weight)"), default=5.0)
    duplicated_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["agency", "status"])]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        from roundtable.surveys.texts import text_in

        return text_in(self.title, "en") or f"survey {self.pk}"


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        SCALE = "scale", _("0–10 scale")
        AGREE = "agree", _("Agree–disagree scale")
        TEXT = "text", _("Free text")
        AREA = "area", _("Area pick")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # A stable name within the survey (results, exports and conditions use it).
    key = models.SlugField(_("key"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.JSONField(_("question"), default=dict)
    help = models.JSONField(_("help text"), default=dict, blank=True)
    # 0–10 scales: what the ends mean ("Not at all safe" … "Completely safe").
    low_label = models.JSONField(_("label at 0"), default=dict, blank=True)
    high_label = models.JSONField(_("label at 10"), default=dict, blank=True)
    required = models.BooleanField(_("an answer is required"), default=False)
    measure = models.CharField(
        _("measures"), max_length=30, choices=Measure.choices, default="", blank=True
    )
    characteristic = models.CharField(
        _("describes the respondent's"),
        max_length=30,
        choices=Characteristic.choices,
        default="",
        blank=True,
    )
    # Conditional display: asked only when `show_if`'s answer is one of `show_if_values`.
    show_if = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dependents",
        verbose_name=_("show only if the answer to"),
    )
    show_if_values = models.JSONField(_("is one of"), default=list, blank=True)

    class Meta:
        ordering = ["survey", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "key"], name="question_unique_key"),
        ]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.key


class Option(models.Model):
    """A choice of a single- or multiple-choice question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(default=0)
    # Stored in answers; for demographics, the reference population's category.
    value = models.SlugField(_("value"), max_length=40)
    label = models.JSONField(_("label"), default=dict)

    class Meta:
        ordering = ["question", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["question", "value"], name="option_unique_value"),
        ]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return self.value


class Invitation(models.Model):
    """A one-time link: a panel member's, or one sent after a call for service.

    Only the token's SHA-256 is kept, and nothing about whom it went to.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    # Which batch it came in ("Panel, wave 3", "Calls for service, 1–7 March").
    batch = models.CharField(_("batch"), max_length=200)
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, default="en")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Used or not, never when: a time would equal the response's and tie the
    # answers to the person the link was sent to (see the module).
    used = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("one-time link")
        verbose_name_plural = _("one-time links")

    def __str__(self) -> str:
        return f"{self.batch} #{self.pk}"


class Response(models.Model):
    class Channel(models.TextChoices):
        LINK = "link", _("Open link")
        QR = "qr", _("QR code")
        INVITATION = "invitation", _("One-time link")
        PAPER = "paper", _("Paper form, typed in by staff")
        IMPORT = "import", _("Imported")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    # The local day it was submitted (midnight in settings.TIME_ZONE), never the
    # time of day: see the module.
    submitted_at = models.DateTimeField(_("submitted"))
    # The month it counts for (first day, in the agency's time zone).
    period = models.DateField(_("month"))
    language = models.CharField(_("language"), max_length=10, default="en")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    area = models.ForeignKey(
        "agencies.Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("area"),
    )
    # {question key: answer}: an int for scales, an option value for single
    # choice and areas (the area's slug), a list for multiple choice, text for text.
    answers = models.JSONField(_("answers"), default=dict)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["survey", "period"])]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.pk}"


class ReferencePopulation(models.Model):
    """Census margins per area: whom the agency's surveys should represent."""

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, related_name="reference_populations"
    )
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=300, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Rows of the file whose area matched none of the agency's (names kept to report).
    unmatched_areas = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("reference population")
        verbose_name_plural = _("reference populations")

    def __str__(self) -> str:
        return self.name


class PopulationMargin(models.Model):
    """How many people (or households) of one category live in one area.

    `characteristic` is one of `Characteristic`, or two joined by "+" for a
    cross-tabulation ("race_ethnicity+age_band", category "hispanic+18_34").
    """

    class Universe(models.TextChoices):
        ADULTS = "adults", _("Residents aged 18 and over")
        PEOPLE = "people", _("Residents of all ages")
        HOUSEHOLDS = "households", _("Households")

    population = models.ForeignKey(
        ReferencePopulation, on_delete=models.CASCADE, related_name="margins"
    )
    area = models.ForeignKey("agencies.Area", on_delete=models.CASCADE, related_name="+")
    characteristic = models.CharField(max_length=80)
    category = models.CharField(max_length=80)
    count = models.FloatField()
    universe = models.CharField(max_length=20, choices=Universe.choices, default=Universe.ADULTS)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["population", "area", "characteristic", "category"],
                name="margin_unique_cell",
            ),
        ]
        verbose_name = _("population margin")
        verbose_name_plural = _("population margins")

    def __str__(self) -> str:
        return f"{self.area_id} {self.characteristic}={self.category}"
