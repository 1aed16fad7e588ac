"""An assessment counted from the agency's imported incident data.

The team names the offence filter, the periods and the areas (response,
comparison, buffer, buffer's comparison); the counts come from the incidents
assigned to those areas by point in polygon, so nobody copies figures by hand.
The assessment is then an ordinary one (source INCIDENTS, with a note saying
what was counted), read by the same figures as a hand-entered one.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from roundtable.accounts.models import User
from roundtable.agencies.models import Area
from roundtable.incidents.labels import offence_filter_label
from roundtable.incidents.selectors_counts import count_incidents
from roundtable.problems.models import Assessment, Problem
from roundtable.problems.services_work import assessment_create


@transaction.atomic
def assessment_from_incidents(
    *,
    actor: User,
    problem: Problem,
    label: str,
    offence: str,
    before_start: dt.date,
    before_end: dt.date,
    after_start: dt.date,
    after_end: dt.date,
    target_area: Area,
    control_area: Area | None = None,
    buffer_area: Area | None = None,
    buffer_control_area: Area | None = None,
    conclusion: str = "",
) -> Assessment:
    areas = {
        "target": target_area,
        "control": control_area,
        "buffer": buffer_area,
        "buffer_control": buffer_control_area,
    }
    for role, area in areas.items():
        if area is not None and area.agency_id != problem.agency_id:
            raise ValidationError({f"{role}_area": _("Choose an area of this agency.")})
    chosen = [a.pk for a in areas.values() if a is not None]
    if len(chosen) != len(set(chosen)):
        raise ValidationError(_("Each role needs its own area: the same area was chosen twice."))
    counts: dict[str, int | None] = {}
    for role, area in areas.items():
        for when, start, end in (
            ("before", before_start, before_end),
            ("after", after_start, after_end),
        ):
            counts[f"{role}_{when}"] = (
                None
                if area is None
                else count_incidents(
                    problem.agency, offence=offence, area=area, start=start, end=end
                )
            )
    named = ", ".join(
        f"{role_label}: {area.name}"
        for role_label, area in (
            (_("response area"), target_area),
            (_("comparison area"), control_area),
            (_("buffer area"), buffer_area),
            (_("buffer's comparison area"), buffer_control_area),
        )
        if area is not None
    )
    note = _("Counted from the incident data (%(offence)s); %(areas)s.") % {
        "offence": offence_filter_label(offence),
        "areas": named,
    }
    return assessment_create(
        actor=actor,
        problem=problem,
        label=label,
        before_start=before_start,
        before_end=before_end,
        after_start=after_start,
        after_end=after_end,
        source=Assessment.Source.INCIDENTS,
        source_note=note[:300],
        conclusion=conclusion,
        **counts,
    )
