from django.urls import path

from roundtable.incidents import views, views_import, views_map

app_name = "incidents"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("report/", views.report, name="report"),
    path("report.csv", views.report_csv, name="report_csv"),
    path("perception/", views.perception, name="perception"),
    path("map/", views_map.incident_map, name="map"),
    path("map/<slug:layer>.geojson", views_map.map_layer, name="map_layer"),
    path("imports/", views_import.import_list, name="import_list"),
    path("imports/new/", views_import.import_upload, name="import"),
    path("imports/<int:pk>/", views_import.import_run, name="import_run"),
]
