"""The monthly meeting pack, under /a/<agency>/compstat/.

A month's address (/a/<agency>/compstat/2026-10/, `?area=<slug>` for an area)
is its permanent link.
"""

from __future__ import annotations

import datetime as dt

from django.urls import URLPattern, path, register_converter

from roundtable.compstat import months, views


class MonthConverter:
    regex = r"\d{4}-\d{2}"

    def to_python(self, value: str) -> dt.date:
        month = months.parse(value)
        if month is None:
            raise ValueError(value)  # Django answers 404
        return month

    def to_url(self, value: dt.date | str) -> str:
        return value if isinstance(value, str) else months.key(value)


register_converter(MonthConverter, "pack_month")

app_name = "compstat"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("<pack_month:month>/", views.pack_page, name="pack"),
    path("<pack_month:month>/pdf/", views.pack_pdf, name="pdf"),
    path("<pack_month:month>/issue/", views.pack_issue, name="issue"),
    path("<pack_month:month>/compare/<pack_month:other>/", views.compare, name="compare"),
]
