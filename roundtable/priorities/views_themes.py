"""Staff pages for themes across inputs: list, a theme with its inputs and the
inputs that could join it, tagging by receipt code, and the machine's
suggestions for staff to confirm.

Staff who read priorities see themes; worksheet editors (administrators,
coordinators, analysts) create, tag and confirm.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from roundtable.accounts.access import (
    PRIORITY_VIEWERS,
    WORKSHEET_EDITORS,
    acting_user,
    agency_view,
    holds_any,
)
from roundtable.agencies.models import Agency
from roundtable.core.form_errors import add_service_error
from roundtable.inputs.models import Input
from roundtable.priorities import selectors, services, services_candidates
from roundtable.priorities.forms import (
    FromThemeForm,
    SuggestionAcceptForm,
    TagByCodeForm,
    TagForm,
    TaggableFilterForm,
    ThemeForm,
)
from roundtable.priorities.models import Theme

TAGGABLE_PAGE_SIZE = 25
TAGGED_SHOWN = 100


def staff_theme(agency: Agency, pk: int) -> Theme:
    try:
        return selectors.theme_detail(agency=agency, pk=pk)
    except Theme.DoesNotExist:
        raise Http404 from None


def theme_url(theme: Theme) -> str:
    return reverse("priorities:theme", args=[theme.agency.slug, theme.pk])


def _errors_as_message(request: HttpRequest, form: TagForm | SuggestionAcceptForm) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


@require_GET
@agency_view(PRIORITY_VIEWERS)
def theme_list(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Agency staff who read priorities."""
    context = {
        "agency": agency,
        "themes": selectors.theme_list(agency=agency),
        "can_edit": holds_any(request, WORKSHEET_EDITORS),
    }
    return render(request, "priorities/themes.html", context)


@require_http_methods(["GET", "POST"])
@agency_view(WORKSHEET_EDITORS)
def theme_create(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Administrators, coordinators and analysts."""
    form = ThemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            theme = services.theme_create(
                actor=acting_user(request), agency=agency, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Theme created. Now tag the inputs that belong in it."))
            return HttpResponseRedirect(theme_url(theme))
    context = {"agency": agency, "form": form, "title": _("New theme")}
    return render(request, "priorities/theme_form.html", context)


@require_http_methods(["GET", "POST"])
@agency_view(WORKSHEET_EDITORS)
def theme_edit(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Administrators, coordinators and analysts: rename a theme."""
    theme = staff_theme(agency, pk)
    initial = {"name": theme.name, "description": theme.description}
    form = ThemeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_update(actor=acting_user(request), theme=theme, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
            theme = staff_theme(agency, pk)
        else:
            messages.success(request, _("Changes saved."))
            return HttpResponseRedirect(theme_url(theme))
    context = {"agency": agency, "form": form, "theme": theme, "title": _("Rename the theme")}
    return render(request, "priorities/theme_form.html", context)


@require_GET
@agency_view(PRIORITY_VIEWERS)
def theme_detail(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Agency staff who read priorities; editors also tag inputs and make a
    candidate from the theme."""
    theme = staff_theme(agency, pk)
    can_edit = holds_any(request, WORKSHEET_EDITORS)
    tags = selectors.theme_tags(theme=theme)
    context: dict[str, object] = {
        "agency": agency,
        "theme": theme,
        "tags": tags[:TAGGED_SHOWN],
        "tag_count": tags.count(),
        "candidates": theme.candidates.order_by("title", "pk"),
        "can_edit": can_edit,
    }
    if can_edit:
        filters = TaggableFilterForm(request.GET or None)
        q, include_tagged = "", False
        if filters.is_valid():
            q = filters.cleaned_data["q"]
            include_tagged = filters.cleaned_data["include_tagged"]
        taggable = selectors.taggable_inputs(
            agency=agency, theme=theme, q=q, include_tagged=include_tagged
        )
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            filters=filters,
            page=Paginator(taggable, TAGGABLE_PAGE_SIZE).get_page(request.GET.get("page")),
            query=query.urlencode(),
            from_theme_form=FromThemeForm(),
        )
    return render(request, "priorities/theme_detail.html", context)


@require_POST
@agency_view(WORKSHEET_EDITORS)
def theme_tag(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Administrators, coordinators and analysts: put the ticked inputs in the theme."""
    theme = staff_theme(agency, pk)
    form = TagForm(request.POST, agency=agency)
    if form.is_valid():
        try:
            tags = services.theme_tag(
                actor=acting_user(request), theme=theme, inputs=form.cleaned_data["inputs"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                ngettext("%(count)d input tagged.", "%(count)d inputs tagged.", len(tags))
                % {"count": len(tags)},
            )
    _errors_as_message(request, form)
    back = request.POST.get("back", "")
    return HttpResponseRedirect(theme_url(theme) + (f"?{back}" if back else ""))


@require_POST
@agency_view(WORKSHEET_EDITORS)
def theme_untag(request: HttpRequest, agency: Agency, pk: int, input_pk: int) -> HttpResponse:
    """Administrators, coordinators and analysts: take an input out of the theme."""
    theme = staff_theme(agency, pk)
    item = Input.objects.filter(agency=agency, pk=input_pk).first()
    if item is None:
        raise Http404
    try:
        services.theme_untag(actor=acting_user(request), theme=theme, input=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The input is no longer in this theme."))
    return HttpResponseRedirect(theme_url(theme))


@require_POST
@agency_view(WORKSHEET_EDITORS)
def theme_candidate(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Administrators, coordinators and analysts: make a candidate priority from the theme."""
    theme = staff_theme(agency, pk)
    form = FromThemeForm(request.POST)
    if form.is_valid():
        try:
            candidate = services_candidates.candidate_create_from_theme(
                actor=acting_user(request), theme=theme, title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The candidate is on the shortlist."))
            return HttpResponseRedirect(
                reverse("priorities:candidate", args=[agency.slug, candidate.pk])
            )
    return HttpResponseRedirect(theme_url(theme))


@require_http_methods(["GET", "POST"])
@agency_view(WORKSHEET_EDITORS)
def tag_input(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Administrators, coordinators and analysts: tag one input, found by its
    receipt code, with themes."""
    initial = {"receipt_code": request.GET.get("code", "")}
    form = TagByCodeForm(request.POST or None, initial=initial, agency=agency)
    if request.method == "POST" and form.is_valid():
        item = form.cleaned_data["receipt_code"]
        try:
            for theme in form.cleaned_data["themes"]:
                services.theme_tag(actor=acting_user(request), theme=theme, inputs=[item])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The input is tagged."))
            return HttpResponseRedirect(reverse("priorities:tag_input", args=[agency.slug]))
    context = {"agency": agency, "form": form, "title": _("Tag an input")}
    return render(request, "priorities/theme_form.html", context)


@require_GET
@agency_view(WORKSHEET_EDITORS)
def suggestions(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Administrators, coordinators and analysts: groups of similar untagged
    inputs the machine proposes as themes; nothing is saved until confirmed."""
    groups = selectors.theme_suggestions(agency=agency)
    context = {
        "agency": agency,
        "groups": groups,
        "themes": list(selectors.theme_list(agency=agency)),
        "pool_size": selectors.SUGGESTION_POOL,
    }
    return render(request, "priorities/suggestions.html", context)


@require_POST
@agency_view(WORKSHEET_EDITORS)
def suggestion_accept(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Administrators, coordinators and analysts: confirm a suggested group for
    the inputs they ticked."""
    form = SuggestionAcceptForm(request.POST, agency=agency)
    if form.is_valid():
        data = form.cleaned_data
        try:
            theme = services.suggestion_accept(
                actor=acting_user(request),
                agency=agency,
                inputs=data["inputs"],
                theme=data["theme"],
                name=data["name"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Confirmed: the ticked inputs are in the theme."))
            return HttpResponseRedirect(theme_url(theme))
    _errors_as_message(request, form)
    return HttpResponseRedirect(reverse("priorities:theme_suggestions", args=[agency.slug]))
