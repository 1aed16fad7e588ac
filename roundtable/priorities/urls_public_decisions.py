"""Public pages of the advisory group's decisions (namespace priorities_public)."""

from django.urls import URLPattern, path

from roundtable.priorities import views_public_decisions

urlpatterns: list[URLPattern] = [
    path("", views_public_decisions.home, name="home"),
    path("decisions/<int:pk>/", views_public_decisions.decision, name="decision"),
]
