"""The pairwise survey in public, under /p/<agency>/priorities/rank/."""

from django.urls import URLPattern, path

from roundtable.priorities import views_public_ranking as views

urlpatterns: list[URLPattern] = [
    path("rank/", views.surveys, name="surveys"),
    path("rank/<int:pk>/", views.vote, name="vote"),
    path("rank/<int:pk>/suggest/", views.suggest, name="suggest"),
    path("rank/<int:pk>/suggest/thanks/", views.suggest_thanks, name="suggest_thanks"),
    path("rank/<int:pk>/results/", views.results, name="results"),
]
