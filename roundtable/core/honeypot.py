"""The honeypot on public forms: a field people never see, bots fill in.

Public forms have no account and no CAPTCHA (which would shut out people
without JavaScript or with a screen reader). Instead each carries a field
named like one that spam bots love. The template wraps it in an element with
`aria-hidden="true"` (away from screen readers) and a class whose CSS moves it
off screen; `tabindex="-1"` keeps it from the keyboard. So a person leaves it
empty; a bot that fills every field does not. The view then answers exactly as
for a person and keeps nothing, so the bot learns nothing either.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

FIELD_NAME = "website"


class HoneypotInput(forms.TextInput):
    """A text box out of the tab order, which browsers do not auto-fill."""

    def __init__(self) -> None:
        super().__init__(attrs={"tabindex": "-1", "autocomplete": "off"})


class HoneypotField(forms.CharField):
    """The honeypot field; declare it as `website = HoneypotField()`."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Leave this empty"))
        super().__init__(required=False, widget=HoneypotInput(), **kwargs)


def is_filled(data: Mapping[str, Any], name: str = FIELD_NAME) -> bool:
    """True when submitted `data` (a form's POST or an API body) fell into the trap."""
    return bool(str(data.get(name) or "").strip())
