from django.urls import path

from roundtable.incidents import views_public

app_name = "incidents_public"
urlpatterns = [
    path("", views_public.safety_report, name="report"),
    path("map/", views_public.safety_map, name="map"),
    path("map/<slug:layer>.geojson", views_public.safety_layer, name="map_layer"),
]
