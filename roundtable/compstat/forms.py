"""The area picker of the pack pages (a GET form) and the issue form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from roundtable.agencies.models import Agency, Area


class AreaForm(forms.Form):
    """`?area=<slug>`; empty: the whole jurisdiction."""

    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("The whole jurisdiction"),
        error_messages={"invalid_choice": _("There is no such area in this agency.")},
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["area"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Area.objects.filter(agency=agency).order_by("kind", "name")


class IssueForm(AreaForm):
    """Issue the month's pack for the area (a hidden field on the pack page)."""
