"""Members of an agency and their roles. Administrators of the agency only."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from roundtable.accounts import services
from roundtable.accounts.access import AUDIT_VIEWERS, agency_view
from roundtable.accounts.invitations import send_invitation
from roundtable.accounts.models import Membership, Role, User
from roundtable.agencies.models import Agency

MEMBER_ADMINS = AUDIT_VIEWERS  # the agency's administrators


class InviteForm(forms.Form):
    # 150: the address becomes the username of a new account.
    email = forms.EmailField(label=gettext_lazy("Email"), max_length=150)
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)
    preferred_language = forms.ChoiceField(
        label=gettext_lazy("Language of the invitation"),
        choices=[("en", "English"), ("es", "Español")],
    )


@require_http_methods(["GET", "POST"])
@agency_view(MEMBER_ADMINS)
def members(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Administrators of the agency: who holds which role, and inviting people."""
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actor = request.user
        assert isinstance(actor, User)
        data = form.cleaned_data
        data["role"] = Role(data["role"])
        user, _created = services.member_invite(actor=actor, agency=agency, **data)
        # Everyone is told by email, and the page says the same whether or not the
        # address already had an account, so it reveals nothing about other agencies.
        send_invitation(request=request, user=user, agency=agency, inviter=actor, role=data["role"])
        messages.success(
            request,
            _("Role given; we emailed %(email)s.") % {"email": data["email"].strip().lower()},
        )
        return HttpResponseRedirect(reverse("members:list", args=[agency.slug]))
    memberships = (
        Membership.objects.filter(agency=agency)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username", "role")
    )
    context = {"agency": agency, "memberships": memberships, "form": form}
    return render(request, "accounts/members.html", context)


@require_POST
@agency_view(MEMBER_ADMINS)
def member_revoke(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Administrators of the agency. An administrator cannot remove their own admin role."""
    membership = get_object_or_404(Membership, pk=pk, agency=agency)
    if membership.user_id == request.user.pk and membership.role == Role.ADMINISTRATOR:
        messages.error(request, _("You cannot remove your own administrator role."))
    else:
        actor = request.user
        assert isinstance(actor, User)
        services.membership_revoke(actor=actor, membership=membership)
        messages.success(request, _("Role removed."))
    return HttpResponseRedirect(reverse("members:list", args=[agency.slug]))
