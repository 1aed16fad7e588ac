"""Staff pages of the community ranking, under /a/<agency>/priorities/rank/."""

from django.urls import URLPattern, path

from roundtable.priorities import views_ranking as views

urlpatterns: list[URLPattern] = [
    path("rank/", views.survey_list, name="surveys"),
    path("rank/new/", views.survey_create, name="survey_create"),
    path("rank/suggestions/", views.suggestions, name="suggestions"),
    path(
        "rank/suggestions/<int:pk>/approve/",
        views.suggestion_approve,
        name="suggestion_approve",
    ),
    path("rank/suggestions/<int:pk>/reject/", views.suggestion_reject, name="suggestion_reject"),
    path("rank/dots/", views.dots, name="dots"),
    path("rank/dots/record/", views.dots_record, name="dots_record"),
    path("rank/dots/<int:pk>/delete/", views.dot_delete, name="dot_delete"),
    path("rank/<int:pk>/", views.survey_detail, name="survey"),
    path("rank/<int:pk>/edit/", views.survey_edit, name="survey_edit"),
    path("rank/<int:pk>/open/", views.survey_open, name="survey_open"),
    path("rank/<int:pk>/close/", views.survey_close, name="survey_close"),
    path("rank/<int:pk>/results.csv", views.results_csv, name="results_csv"),
]
