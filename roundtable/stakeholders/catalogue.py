"""What to consider in each CS360 area: the worksheet's prompts.

The CompStat360 Community Map worksheet lists, per area, examples of
community groups, chapters of national NGOs and government agencies an agency
should think of. These examples drive the outreach suggestions for empty cells
of the coverage matrix and the printable worksheet.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from roundtable.stakeholders.models import Category, Sector

EXAMPLES: dict[Sector, dict[Category, list[Promise]]] = {
    Sector.EDUCATION_YOUTH: {
        Category.COMMUNITY_GROUP: [
            _("parent-teacher associations"),
            _("youth sports leagues"),
            _("after-school and mentoring programmes"),
        ],
        Category.NATIONAL_NGO: [
            _("Boys & Girls Clubs"),
            _("Big Brothers Big Sisters"),
            _("YMCA or YWCA"),
        ],
        Category.GOVERNMENT: [
            _("school district and school resource staff"),
            _("public library"),
            _("parks and recreation youth programmes"),
        ],
        Category.CAMPUS_GROUP: [
            _("student government and student senate"),
            _("residence hall associations"),
            _("fraternity and sorority councils"),
        ],
    },
    Sector.HEALTH: {
        Category.COMMUNITY_GROUP: [
            _("recovery and peer-support groups"),
            _("community health workers"),
            _("disability advocates"),
        ],
        Category.NATIONAL_NGO: [
            _("NAMI (mental health) affiliate"),
            _("Red Cross chapter"),
            _("domestic-violence coalition member"),
        ],
        Category.GOVERNMENT: [
            _("public health department"),
            _("hospital emergency department"),
            _("mobile crisis and behavioural health services"),
        ],
        Category.CAMPUS_GROUP: [_("campus counselling centre"), _("student health services")],
    },
    Sector.JUSTICE_CRIME: {
        Category.COMMUNITY_GROUP: [
            _("block clubs and neighbourhood watch"),
            _("violence interrupters"),
            _("returning-citizen groups"),
        ],
        Category.NATIONAL_NGO: [
            _("NAACP branch"),
            _("ACLU affiliate"),
            _("victim services organisation"),
        ],
        Category.GOVERNMENT: [
            _("prosecutor's office"),
            _("public defender"),
            _("probation and parole"),
            _("courts"),
        ],
        Category.OVERSIGHT: [
            _("civilian police oversight board"),
            _("police accountability coalition"),
            _("court watch"),
        ],
    },
    Sector.HOUSING: {
        Category.COMMUNITY_GROUP: [
            _("tenant unions"),
            _("homeowner and neighbourhood associations"),
        ],
        Category.NATIONAL_NGO: [
            _("Habitat for Humanity affiliate"),
            _("homeless services continuum of care"),
        ],
        Category.GOVERNMENT: [
            _("public housing authority"),
            _("code enforcement"),
            _("homeless outreach team"),
        ],
    },
    Sector.LABOUR_ECONOMY: {
        Category.COMMUNITY_GROUP: [
            _("merchants' associations"),
            _("workers' centres"),
            _("immigrant-serving groups"),
        ],
        Category.NATIONAL_NGO: [
            _("Urban League affiliate"),
            _("Goodwill workforce programme"),
            _("chamber of commerce"),
        ],
        Category.GOVERNMENT: [_("workforce development board"), _("economic development office")],
        Category.BUSINESS: [
            _("business improvement district"),
            _("large local employers"),
            _("nightlife venues"),
        ],
    },
    Sector.PUBLIC_WORKS_TRAFFIC: {
        Category.COMMUNITY_GROUP: [_("cycling and pedestrian advocates"), _("park friends groups")],
        Category.NATIONAL_NGO: [
            _("Mothers Against Drunk Driving chapter"),
            _("Safe Routes to School partner"),
        ],
        Category.GOVERNMENT: [
            _("transportation and traffic engineering"),
            _("street lighting"),
            _("sanitation and 311"),
        ],
    },
}

# For categories a sector has no specific examples for.
GENERIC: dict[Category, Promise] = {
    Category.COMMUNITY_GROUP: _("a neighbourhood or community group active in this area"),
    Category.NATIONAL_NGO: _("a local chapter of a national organisation working in this area"),
    Category.GOVERNMENT: _("the government agency or service responsible for this area"),
    Category.FAITH: _("congregations and interfaith councils whose members are affected"),
    Category.BUSINESS: _("businesses and employers affected by problems in this area"),
    Category.CAMPUS_GROUP: _("a school or campus group with a stake in this area"),
    Category.OVERSIGHT: _(
        "an advocacy or oversight body that scrutinises this area, critics included"
    ),
    Category.OTHER: _("any other voice missing from the table"),
}


def examples_for(sector: Sector, category: Category) -> list[Promise]:
    specific = EXAMPLES.get(sector, {}).get(category)
    return specific if specific else [GENERIC[category]]
