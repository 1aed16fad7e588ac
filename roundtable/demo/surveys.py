"""The demo's surveys, built through the survey services as Riverside's staff would.

- The reference population: census-like margins per district (survey_people.py),
  written in the long layout and imported with `population_import`.
- "Neighbourhood trust and safety" (trust and safety + demographics, English
  and Spanish, open link): 24 months ending in the current one, 120–200
  answers a month with the non-response bias of real open-link surveys, so the
  representativeness page shows gaps and weighting moves the figures. The
  history comes in through `responses_import` (one bulk insert); the newest
  few answers through `response_submit`, as the open link stores them. Its
  weighted results are published.
- Procedural justice and legitimacy: a spring survey last year, closed, a few
  hundred answers imported from paper and online forms. A survey of its own
  rather than items folded into the trust survey: it ran once, as such
  surveys usually do, and costs one more bulk insert.
- "How did we do?" after a call (audience CONTACT, open): two weekly batches of
  one-time links sent with `contact_invitations_send` from a fabricated CAD
  export that includes domestic, sexual-assault and in-progress calls (left
  out), and some callers answering through their links.
- An officer wellness pulse (INTERNAL): three monthly waves of one-time links.

Free text and the input ledger: about one respondent in ten names the number
one issue, ~380 answers over two years. Sending all of them to the ledger
would swamp its few hundred inputs (and fill the overdue count with
two-year-old answers nobody could still act on), so history is imported
without them and only the last LEDGER_DAYS' free text (a few dozen) becomes
inputs: what a coordinator can still answer.

Everything is drawn from one NumPy generator seeded from the builder's state
(without advancing it), relative to the builder's `today`; the messages the
contact survey sends are caught in memory (the callers are fictional) and
their links answered from there.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.demo.incidents import child_seed
from roundtable.demo.past import backdate
from roundtable.demo.survey_people import Respondent, Respondents, margin_rows, synthesize
from roundtable.demo.survey_texts import (
    CALL_TYPES,
    CONTACT_IMPROVE,
    CONTACT_TITLE,
    PJ_TITLE,
    TRUST_INTRODUCTION,
    TRUST_TITLE,
    WELLNESS_TITLE,
)
from roundtable.inputs import sms
from roundtable.surveys.models import (
    Audience,
    Invitation,
    Measure,
    Question,
    ReferencePopulation,
    Response,
    Survey,
)
from roundtable.surveys.services import (
    invitations_create,
    survey_close,
    survey_create,
    survey_open,
    survey_update,
)
from roundtable.surveys.services_invitations import ContactRecord, contact_invitations_send
from roundtable.surveys.services_population import population_import
from roundtable.surveys.services_responses import (
    ImportRow,
    response_submit,
    responses_import,
    token_hash,
)

MONTHS = 24
PER_MONTH = (120, 200)
CURRENT_MONTH_MINIMUM = 90  # the month under way still needs enough answers to weight
SUBMITTED = 8  # the newest trust answers arrive through the open link itself
LEDGER_DAYS = 42
PJ_MONTHS = (3, 4, 5)  # March to May of last year
PJ_RESPONSES = 320
PJ_CONTACT_SHARE = 0.35
CONTACT_BATCHES = ((28, 22), (14, 8))  # (first, last) day of each week, days before today
CONTACT_CALLS = 46  # calls in each week's export
CONTACT_ANSWER_SHARE = 0.45
WELLNESS_WAVES = (64.0, 60.0, 56.0)  # mean wellness (0–100) in the last three months' waves
WELLNESS_STAFF = 64

POPULATION_NAME = "Riverside ACS 2016–2020 (demo)"
POPULATION_SOURCE = (
    "American Community Survey 2016–2020 five-year estimates, tabulated by police district "
    "(fictional figures for the demo)"
)
TOKEN = re.compile(r"/i/([\w-]+)/")


@dataclass(frozen=True)
class DemoSurveys:
    population: ReferencePopulation
    trust: Survey
    procedural_justice: Survey
    contact: Survey
    wellness: Survey


def survey_months(today: dt.date) -> list[dt.date]:
    """The first days of the MONTHS months ending with today's, oldest first."""
    index = today.year * 12 + today.month - 1
    return [dt.date(i // 12, i % 12 + 1, 1) for i in range(index - MONTHS + 1, index + 1)]


def _local(day: dt.date, hour: int = 0, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _next_month(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1)


class _Build:
    def __init__(
        self, rng: random.Random, today: dt.date, agency: Agency, users: dict[str, User]
    ) -> None:
        self.g = np.random.default_rng(child_seed(rng, "surveys"))
        self.today = today
        # Nothing is dated after the builder's today (a demo built for another day).
        self.now = min(timezone.now(), _local(today + dt.timedelta(days=1)))
        self.agency = agency
        self.coordinator = users["coordinator"]
        self.analyst = users["analyst"]
        self.people = synthesize(self.g)
        self.respondents = Respondents(self.g, self.people, today)

    # ------------------------------------------------------------ helpers

    def times(self, start: dt.datetime, end: dt.datetime, count: int) -> list[dt.datetime]:
        """`count` moments between start and end (never later than a little before now)."""
        end = min(end, self.now - dt.timedelta(minutes=15))
        seconds = np.sort(self.g.uniform(0, max((end - start).total_seconds(), 1), count))
        return [start + dt.timedelta(seconds=float(s)) for s in seconds]

    def agree(self, latent: float, spread: float = 12.0) -> int:
        """A 1–5 agreement from a 0–100 disposition."""
        return int(np.clip(round(1 + 4 * (latent + self.g.normal(0, spread)) / 100), 1, 5))

    def scale(self, latent: float, spread: float = 12.0) -> int:
        return int(np.clip(round((latent + self.g.normal(0, spread)) / 10), 0, 10))

    def create(self, title: dict[str, str], instruments: Sequence[str], **extra: Any) -> Survey:
        return survey_create(
            agency=self.agency,
            created_by=self.coordinator,
            title=title,
            instruments=instruments,
            **extra,
        )

    def opened(self, survey: Survey, on: dt.date) -> Survey:
        survey = survey_open(survey=survey, actor=self.coordinator)
        backdate([survey], _local(on - dt.timedelta(days=6), 15), "created_at")
        backdate([survey], _local(on, 9), "opened_at")
        return survey

    # ------------------------------------------------------------ population

    def population(self) -> ReferencePopulation:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["area", "characteristic", "category", "count", "universe"])
        writer.writerows(margin_rows(self.people))
        return population_import(
            agency=self.agency,
            actor=self.analyst,
            name=POPULATION_NAME,
            source=POPULATION_SOURCE,
            text=out.getvalue(),
        )

    # ------------------------------------------------------------ trust and safety

    def trust(self, population: ReferencePopulation) -> Survey:
        months = survey_months(self.today)
        survey = self.create(
            TRUST_TITLE, ("trust_safety", "demographics"), introduction=TRUST_INTRODUCTION
        )
        survey = survey_update(
            survey=survey, actor=self.coordinator, population=population, publish_results=True
        )
        survey = self.opened(survey, months[0] - dt.timedelta(days=2))
        keys = _keys(survey)
        sheets: list[Respondent] = []
        for month in months:
            count = int(self.g.integers(PER_MONTH[0], PER_MONTH[1] + 1))
            end = _local(_next_month(month))
            if month == months[-1]:
                elapsed = (self.now - _local(month)) / (end - _local(month))
                count = max(CURRENT_MONTH_MINIMUM, round(count * elapsed))
            drawn = self.respondents.draw(month, count)
            for sheet, moment in zip(drawn, self.times(_local(month), end, count), strict=True):
                sheet.submitted_at = moment
            sheets += drawn
        sheets.sort(key=_moment)
        newest, history = sheets[-SUBMITTED:], sheets[:-SUBMITTED]
        cutoff = self.now - dt.timedelta(days=LEDGER_DAYS)
        old = [s for s in history if _moment(s) < cutoff]
        recent = [s for s in history if _moment(s) >= cutoff]
        for rows, to_inputs in ((old, False), (recent, True)):
            responses_import(
                survey=survey,
                actor=self.analyst,
                rows=(
                    ImportRow(_moment(s), _trust_answers(s, keys), language=s.language)
                    for s in rows
                ),
                text_to_inputs=to_inputs,
            )
        for n, sheet in enumerate(newest):
            response_submit(
                survey=survey,
                raw={key: [str(value)] for key, value in _trust_answers(sheet, keys).items()},
                language=sheet.language,
                channel=Response.Channel.QR if n % 4 == 0 else Response.Channel.LINK,
                submitted_at=_moment(sheet),
            )
        return survey

    # ------------------------------------------------------------ procedural justice

    def procedural_justice(self, population: ReferencePopulation) -> Survey:
        year = self.today.year - 1
        months = [dt.date(year, m, 1) for m in PJ_MONTHS]
        survey = self.create(PJ_TITLE, ("procedural_justice", "demographics"))
        survey = survey_update(survey=survey, actor=self.coordinator, population=population)
        survey = self.opened(survey, months[0] - dt.timedelta(days=2))
        keys = _keys(survey)
        items = [q for q in survey.questions.all() if q.measure in _PJ_SHIFT]
        rows: list[ImportRow] = []
        per_month = PJ_RESPONSES // len(months)
        for month in months:
            drawn = self.respondents.draw(month, per_month)
            moments = self.times(_local(month), _local(_next_month(month)), per_month)
            for sheet, moment in zip(drawn, moments, strict=True):
                answers = _demographics(sheet, keys)
                for question in items:
                    answers[question.key] = self.agree(
                        sheet.latent_trust + _PJ_SHIFT[question.measure]
                    )
                if self.g.random() < PJ_CONTACT_SHARE:
                    answers["pj_contact"] = "yes"
                    answers["pj_contact_fair"] = self.agree(sheet.latent_trust + 5, 20)
                else:
                    answers["pj_contact"] = "no"
                rows.append(ImportRow(moment, answers, language=sheet.language))
        responses_import(
            survey=survey, actor=self.analyst, rows=rows, channel=Response.Channel.PAPER
        )
        survey = survey_close(survey=survey, actor=self.coordinator)
        backdate([survey], _local(_next_month(months[-1]), 9), "closed_at")
        return survey

    # ------------------------------------------------------------ after a call

    def contact(self) -> Survey:
        first = self.today - dt.timedelta(days=CONTACT_BATCHES[0][0] + 3)
        survey = self.opened(self.create(CONTACT_TITLE, ("contact_satisfaction",)), first)
        keys = {q.key for q in survey.questions.all()}
        for number, (start_days, end_days) in enumerate(CONTACT_BATCHES):
            start = self.today - dt.timedelta(days=start_days)
            end = self.today - dt.timedelta(days=end_days)
            sent_at = _local(end + dt.timedelta(days=1), 10)
            last = f"{end.day}" if end.month == start.month else f"{end:%B} {end.day}"
            batch = f"Calls for service, {start:%B} {start.day}–{last}"
            tokens = self.send(survey, self._calls(number), batch)
            backdate(list(Invitation.objects.filter(survey=survey, batch=batch)), sent_at)
            for token, language in tokens:
                if self.g.random() >= CONTACT_ANSWER_SHARE:
                    continue
                moment = sent_at + dt.timedelta(hours=float(self.g.uniform(1, 96)))
                self.answer(survey, token, language, self._contact_answers(keys, language), moment)
        return survey

    def _calls(self, number: int) -> list[ContactRecord]:
        weights = np.array([w for _t, _c, w in CALL_TYPES], dtype=float)
        picks = self.g.choice(len(CALL_TYPES), size=CONTACT_CALLS, p=weights / weights.sum())
        calls = []
        for n, pick in enumerate(picks):
            call_type, category, _weight = CALL_TYPES[pick]
            reference = f"RPD{self.today:%y}-{number + 1}{n:04d}"
            spanish = self.g.random() < 0.2
            person = f"caller.{number + 1}.{n}"
            by_phone = self.g.random() < 0.25
            calls.append(
                ContactRecord(
                    reference=reference,
                    call_type=call_type,
                    in_progress=bool(self.g.random() < 0.06),
                    category=category,
                    email="" if by_phone else f"{person}@mail.example",
                    phone=f"+1951555{n % 100:02d}{number + 10:02d}" if by_phone else "",
                    language="es" if spanish else "en",
                )
            )
        # Every week has calls the survey must never follow: a domestic call, a
        # sexual assault, one still in progress. And, as real exports do, a caller
        # who left no way to reach them and one who called twice.
        calls[0] = replace(calls[0], call_type="DOMESTIC DISTURBANCE", category="")
        calls[1] = replace(calls[1], call_type="SEXUAL ASSAULT REPORT", category="sexual_assault")
        calls[2] = replace(calls[2], call_type="SUSPICIOUS PERSON", category="", in_progress=True)
        calls[3] = replace(
            calls[3], call_type="THEFT REPORT", in_progress=False, email="", phone=""
        )
        calls[4] = replace(
            calls[4], call_type="BURGLARY REPORT", category="burglary", in_progress=False
        )
        calls.append(replace(calls[4], reference=f"{calls[4].reference}B", call_type="FOLLOW-UP"))
        return calls

    def send(self, survey: Survey, calls: list[ContactRecord], batch: str) -> list[tuple[str, str]]:
        """Send the batch with the messages caught in memory: (token, language) per link."""
        mails = getattr(mail, "outbox", None)
        before = (len(mails) if mails is not None else 0, len(sms.outbox))
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            ROUNDTABLE_SMS_BACKEND="locmem",
        ):
            contact_invitations_send(
                survey=survey, actor=self.coordinator, contacts=calls, batch=batch
            )
        bodies = [str(m.body) for m in mail.outbox[before[0] :]]
        bodies += [m.body for m in sms.outbox[before[1] :]]
        del mail.outbox[before[0] :]
        del sms.outbox[before[1] :]
        tokens = [match.group(1) for match in map(TOKEN.search, bodies) if match]
        languages = dict(
            Invitation.objects.filter(token_hash__in=[token_hash(t) for t in tokens]).values_list(
                "token_hash", "language"
            )
        )
        return [(token, languages[token_hash(token)]) for token in tokens]

    def answer(
        self,
        survey: Survey,
        token: str,
        language: str,
        answers: dict[str, Any],
        moment: dt.datetime,
    ) -> None:
        moment = min(moment, self.now - dt.timedelta(minutes=5))
        response_submit(
            survey=survey,
            raw={key: [str(value)] for key, value in answers.items()},
            language=language,
            channel=Response.Channel.INVITATION,
            invitation_token=token,
            submitted_at=moment,
        )

    def _contact_answers(self, keys: set[str], language: str) -> dict[str, Any]:
        latent = float(np.clip(self.g.normal(68, 22), 0, 100))
        satisfaction = self.scale(latent, 8)
        answers: dict[str, Any] = {
            "satisfaction": satisfaction,
            "contact_respect": self.agree(latent + 10),
            "contact_listened": self.agree(latent),
            "contact_explained": self.agree(latent - 12),
            "contact_arrival": str(
                self.g.choice(
                    ["faster", "expected", "slower", "never", "not_needed"],
                    p=[0.15, 0.45, 0.3, 0.03, 0.07]
                    if latent > 50
                    else [0.05, 0.25, 0.55, 0.1, 0.05],
                )
            ),
        }
        if satisfaction <= 6 and self.g.random() < 0.5:
            lines = [text for code, text in CONTACT_IMPROVE if code == language]
            answers["contact_improve"] = lines[int(self.g.integers(len(lines)))]
        return {key: value for key, value in answers.items() if key in keys}

    # ------------------------------------------------------------ wellness

    def wellness(self) -> Survey:
        # The waves of the months before this one.
        months = survey_months(self.today)[-1 - len(WELLNESS_WAVES) : -1]
        survey = self.create(WELLNESS_TITLE, ("wellness_pulse",), audience=Audience.INTERNAL)
        survey = self.opened(survey, months[0] - dt.timedelta(days=2))
        questions = list(survey.questions.all())
        for month, mean in zip(months, WELLNESS_WAVES, strict=True):
            batch = f"Wellness pulse, {month:%B %Y}"
            tokens = invitations_create(
                survey=survey, actor=self.coordinator, count=WELLNESS_STAFF, batch=batch
            )
            backdate(list(Invitation.objects.filter(survey=survey, batch=batch)), _local(month, 8))
            answered = int(self.g.binomial(WELLNESS_STAFF, 0.68))
            moments = self.times(_local(month, 8), _local(month + dt.timedelta(days=12)), answered)
            for token, moment in zip(tokens, moments, strict=False):
                latent = float(np.clip(self.g.normal(mean, 18), 0, 100))
                answers = {
                    q.key: self.scale(latent)
                    if q.kind == Question.Kind.SCALE
                    else self.agree(latent)
                    for q in questions
                }
                self.answer(survey, token, "en", answers, moment)
        return survey


# Items' shift from the trust disposition (points): people grant neutrality less
# readily than respect, and feel more obliged to obey than they trust.
_PJ_SHIFT: dict[str, float] = {
    Measure.PJ_DIGNITY: 4.0,
    Measure.PJ_VOICE: -2.0,
    Measure.PJ_NEUTRALITY: -6.0,
    Measure.PJ_MOTIVES: 0.0,
    Measure.OBLIGATION: 12.0,
}


def _moment(sheet: Respondent) -> dt.datetime:
    assert sheet.submitted_at is not None
    return sheet.submitted_at


def _keys(survey: Survey) -> dict[str, str]:
    """Question key by what it measures or describes ("safety", "age_band" …)."""
    keys: dict[str, str] = {}
    for question in survey.questions.all():
        for name in (question.measure, question.characteristic):
            if name:
                keys.setdefault(name, question.key)
    return keys


def _demographics(sheet: Respondent, keys: dict[str, str]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for name in ("age_band", "gender", "race_ethnicity", "income_band", "tenure", "area"):
        value = getattr(sheet, name)
        if value is not None and name in keys:
            answers[keys[name]] = value
    return answers


def _trust_answers(sheet: Respondent, keys: dict[str, str]) -> dict[str, Any]:
    answers = _demographics(sheet, keys)
    answers[keys[Measure.SAFETY]] = sheet.safety
    answers[keys[Measure.TRUST_RESPECT]] = sheet.respect
    answers[keys[Measure.TRUST_LISTEN]] = sheet.listen
    if sheet.top_issue:
        answers[keys[Measure.TOP_ISSUE]] = sheet.top_issue
    return answers


def surveys_build(
    *, rng: random.Random, today: dt.date, agency: Agency, users: dict[str, User]
) -> DemoSurveys:
    """Riverside's reference population and its four surveys (see the module)."""
    build = _Build(rng, today, agency, users)
    population = build.population()
    return DemoSurveys(
        population=population,
        trust=build.trust(population),
        procedural_justice=build.procedural_justice(population),
        contact=build.contact(),
        wellness=build.wellness(),
    )
