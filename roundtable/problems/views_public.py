"""The public face of problem-solving: what is being done, by whom, with what result.

Anyone may read these pages, without an account or JavaScript. Only problems
put on the public site are shown, and of them only what `selectors_public`
deems publishable (no names, addresses, victims or offenders).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from roundtable.accounts.access import public_agency_view
from roundtable.agencies.models import Agency
from roundtable.problems import selectors_public
from roundtable.problems.models import Problem


@require_GET
@public_agency_view
def problem_list(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Anyone: the problems the agency and its partners work on in public."""
    context = {"agency": agency, "problems": selectors_public.public_problem_list(agency=agency)}
    return render(request, "problems/public/list.html", context)


@require_GET
@public_agency_view
def problem_page(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Anyone: what is being done, by whom, how far it has got, and whether it worked."""
    try:
        problem = selectors_public.public_problem(agency=agency, pk=pk)
    except Problem.DoesNotExist:
        raise Http404 from None
    return render(request, "problems/public/detail.html", {"agency": agency, "problem": problem})
