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

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency


def send_invitation(*, request: HttpRequest, user: User, agency: Agency, inviter: User) -> None:
    link = request.build_absolute_uri(
        reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    )
    context = {"agency": agency, "inviter": inviter, "link": link, "user": user}
    with translation.override(user.preferred_language):
        subject = render_to_string("accounts/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/invitation_email.txt", context)
    send_mail(subject, body, None, [user.email])
