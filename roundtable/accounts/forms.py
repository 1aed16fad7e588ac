from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from roundtable.accounts.models import User


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def __init__(self, *args: Any, device: TOTPDevice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"].strip()
        if not token.isdigit() or not self.device.verify_token(token):
            raise forms.ValidationError(
                _("That code is not right or has expired. Try the current one.")
            )
        return token


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class InvitablePasswordResetForm(PasswordResetForm):
    """Django skips accounts without a usable password; an invited person who lost
    the invitation has exactly such an account and must be able to ask again."""

    def get_users(self, email: str) -> Iterator[Any]:
        return (
            user
            for user in User.objects.filter(email__iexact=email, is_active=True)
            if user.email.lower() == email.lower()
        )
