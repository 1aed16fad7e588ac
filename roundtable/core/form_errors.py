"""Putting a service's refusal on the form that asked for it.

Services raise `ValidationError`, often keyed by field ({"area": ...}). Django's
`form.add_error(None, error)` files a keyed error under that field, and raises
ValueError when the form has no such field: a service check naming a field the
page does not show would become a server error instead of a message. Here
errors go under the fields the form has, and the rest above the form.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def add_service_error(form: forms.BaseForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        known = field in form.fields and field != NON_FIELD_ERRORS
        form.add_error(field if known else None, errors)
