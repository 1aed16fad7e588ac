from django.urls import URLPattern, path

from roundtable.dashboard import views

app_name = "dashboard"
urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("embed/", views.embed, name="embed"),
]
