from django.urls import path

from roundtable.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("a/<slug:agency_slug>/", views.agency_home, name="agency_home"),
    path("healthz", views.healthz, name="healthz"),
]
