"""Imports of 311 and social-media exports; included into the `inputs` namespace."""

from django.urls import path

from roundtable.inputs import views_io

urlpatterns = [
    path("import/", views_io.import_upload, name="import_upload"),
    path("import/columns/", views_io.import_map, name="import_map"),
]
