"""A service's refusal lands on the form, whatever field it names."""

from django import forms
from django.core.exceptions import ValidationError

from roundtable.core.form_errors import add_service_error


class NameForm(forms.Form):
    name = forms.CharField()


def test_an_error_for_a_field_the_form_has_goes_under_it():
    form = NameForm({"name": "x"})
    form.is_valid()
    add_service_error(form, ValidationError({"name": "Taken."}))
    assert form.errors == {"name": ["Taken."]}


def test_an_error_for_a_field_the_form_lacks_goes_above_the_form_not_to_a_crash():
    form = NameForm({"name": "x"})
    form.is_valid()
    add_service_error(form, ValidationError({"area": "Another agency's area."}))
    assert form.non_field_errors() == ["Another agency's area."]


def test_a_plain_error_goes_above_the_form():
    form = NameForm({"name": "x"})
    form.is_valid()
    add_service_error(form, ValidationError("Closed."))
    assert form.non_field_errors() == ["Closed."]
