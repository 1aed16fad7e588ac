"""Open data under /p/<agency>/data/ (namespace "opendata").

The two descriptors come before the per-dataset files: "dictionary" and
"datapackage" would otherwise be read as dataset keys.
"""

from django.urls import URLPattern, path

from roundtable.opendata import views

app_name = "opendata"
urlpatterns: list[URLPattern] = [
    path("", views.catalogue, name="catalogue"),
    path("dictionary.json", views.dictionary_json, name="dictionary"),
    path("datapackage.json", views.datapackage_json, name="datapackage"),
    path("<slug:key>.csv", views.dataset_csv, name="csv"),
    path("<slug:key>.json", views.dataset_json, name="json"),
    path("<slug:key>.geojson", views.dataset_geojson, name="geojson"),
    path("<slug:key>/", views.dataset_page, name="dataset"),
]
