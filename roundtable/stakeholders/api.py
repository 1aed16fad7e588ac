"""Community Map endpoints. Readers: administrator, coordinator, analyst, command."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from roundtable.accounts.access import MAP_EDITORS, MAP_VIEWERS
from roundtable.accounts.models import User
from roundtable.agencies.models import Area
from roundtable.api.root import agency_for
from roundtable.stakeholders import selectors, services
from roundtable.stakeholders.models import Category, Organisation, Sector, Stance

router = Router(tags=["Community Map"])


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    category: Category
    sectors: list[Sector]
    areas: list[str] = Field(description="Slugs of the agency areas served")
    stance: Stance
    stance_note: str
    website: str
    external_id: str | None
    last_contact: dt.date | None

    @staticmethod
    def from_model(organisation: Organisation) -> OrganisationOut:
        return OrganisationOut(
            id=organisation.pk,
            name=organisation.name,
            kind=organisation.kind,
            category=Category(organisation.category),
            sectors=[Sector(s.sector) for s in organisation.sectors.all()],
            areas=[a.slug for a in organisation.areas.all()],
            stance=Stance(organisation.stance),
            stance_note=organisation.stance_note,
            website=organisation.website,
            external_id=organisation.external_id,
            last_contact=getattr(organisation, "last_contact", None),
        )


class OrganisationIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    category: Category
    kind: Organisation.Kind = Organisation.Kind.ORGANISATION
    sectors: list[Sector] = []
    areas: list[str] = Field(default=[], description="Slugs of the agency areas served")
    stance: Stance = Stance.UNKNOWN
    stance_note: str = ""
    description: str = ""
    website: str = ""
    email: str = ""
    phone: str = ""
    external_id: str | None = None


class CoverageRowOut(Schema):
    key: str
    label: str
    counts: dict[str, int]
    total: int
    supporters: int
    neutral: int
    critics: int
    unknown: int


@router.get("{slug}/organisations", response=list[OrganisationOut])
def list_organisations(
    request: HttpRequest,
    slug: str,
    q: str = "",
    category: Category | None = None,
    sector: Sector | None = None,
    stance: Stance | None = None,
    limit: Annotated[int, Field(ge=1, le=500)] = 100,
    offset: Annotated[int, Field(ge=0)] = 0,
) -> list[OrganisationOut]:
    agency = agency_for(request, slug, MAP_VIEWERS)
    filters = selectors.OrganisationFilter(
        q=q, category=category or "", sector=sector or "", stance=stance or ""
    )
    rows = selectors.organisation_list(agency=agency, filters=filters)[offset : offset + limit]
    return [OrganisationOut.from_model(o) for o in rows]


@router.get("{slug}/organisations/{organisation_id}", response=OrganisationOut)
def get_organisation(request: HttpRequest, slug: str, organisation_id: int) -> OrganisationOut:
    agency = agency_for(request, slug, MAP_VIEWERS)
    organisation = selectors.organisation_list(agency=agency).filter(pk=organisation_id).first()
    if organisation is None:
        raise HttpError(404, "No such organisation in this agency.")
    return OrganisationOut.from_model(organisation)


@router.post("{slug}/organisations", response={201: OrganisationOut})
def create_organisation(
    request: HttpRequest, slug: str, payload: OrganisationIn
) -> Status[OrganisationOut]:
    """Administrators and engagement coordinators."""
    agency = agency_for(request, slug, MAP_EDITORS)
    areas = list(Area.objects.filter(agency=agency, slug__in=payload.areas))
    unknown = set(payload.areas) - {a.slug for a in areas}
    if unknown:
        raise HttpError(422, f"Unknown areas: {', '.join(sorted(unknown))}")
    assert isinstance(request.user, User)
    data = payload.dict()
    data["areas"] = areas
    try:
        organisation = services.organisation_create(actor=request.user, agency=agency, **data)
    except ValidationError as error:
        raise HttpError(422, "; ".join(error.messages)) from None
    organisation = selectors.organisation_list(agency=agency).get(pk=organisation.pk)
    return Status(201, OrganisationOut.from_model(organisation))


@router.get("{slug}/coverage", response=list[CoverageRowOut])
def get_coverage(request: HttpRequest, slug: str, rows: str = "sector") -> list[CoverageRowOut]:
    agency = agency_for(request, slug, MAP_VIEWERS)
    result = selectors.coverage(agency=agency, rows_by=rows)
    keys = [key for key, _label in result.columns]
    return [
        CoverageRowOut(
            key=row.key,
            label=row.label,
            counts=dict(zip(keys, row.counts, strict=True)),
            total=row.total,
            supporters=row.balance.supporters,
            neutral=row.balance.neutral,
            critics=row.balance.critics,
            unknown=row.balance.unknown,
        )
        for row in result.rows
    ]
