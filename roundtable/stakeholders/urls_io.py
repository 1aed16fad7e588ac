"""Import and export of the Community Map; included into the `stakeholders` namespace."""

from django.urls import path

from roundtable.stakeholders import views_io

urlpatterns = [
    path("import/", views_io.import_organisations, name="import"),
    path("export.<str:fmt>", views_io.export_organisations, name="export"),
]
