"""The invitation email: a link to choose a password, in the invitee's language."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from roundtable.accounts.models import Role, User
from roundtable.agencies.models import Agency


def send_invitation(
    *, request: HttpRequest, user: User, agency: Agency, inviter: User, role: Role
) -> None:
    """Tell `user` about their new role. Someone without a password yet (new, or
    who never used an earlier invitation) gets a link to choose one; everyone
    else a link to sign in."""
    needs_password = not user.has_usable_password()
    if needs_password:
        path = reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    else:
        path = reverse("accounts:login")
    context = {
        "agency": agency,
        "inviter": inviter,
        "link": request.build_absolute_uri(path),
        "user": user,
        "role": role.label,
        "needs_password": needs_password,
    }
    with translation.override(user.preferred_language):
        subject = render_to_string("accounts/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/invitation_email.txt", context)
    send_mail(subject, body, None, [user.email])
