"""Staff pages of surveys, under /a/<agency>/surveys/."""

from django.urls import URLPattern, path

from roundtable.surveys import (
    views,
    views_builder,
    views_distribution,
    views_population,
    views_results,
)

app_name = "surveys"
urlpatterns: list[URLPattern] = [
    path("", views.survey_list, name="list"),
    path("new/", views.survey_create, name="create"),
    path("populations/", views_population.population_list, name="populations"),
    path("populations/import/", views_population.population_import, name="population_import"),
    path("populations/<int:pk>/", views_population.population_detail, name="population"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/settings/", views_builder.survey_edit, name="edit"),
    path("<int:pk>/open/", views.survey_open, name="open"),
    path("<int:pk>/close/", views.survey_close, name="close"),
    path("<int:pk>/duplicate/", views.survey_duplicate, name="duplicate"),
    path("<int:pk>/preview/", views.survey_preview, name="preview"),
    path("<int:pk>/responses.csv", views.responses_export, name="export"),
    path("<int:pk>/questions/add/", views_builder.question_add, name="question_add"),
    path(
        "<int:pk>/questions/<int:question_pk>/",
        views_builder.question_edit,
        name="question_edit",
    ),
    path(
        "<int:pk>/questions/<int:question_pk>/options/",
        views_builder.question_options,
        name="question_options",
    ),
    path(
        "<int:pk>/questions/<int:question_pk>/move/",
        views_builder.question_move,
        name="question_move",
    ),
    path(
        "<int:pk>/questions/<int:question_pk>/delete/",
        views_builder.question_delete,
        name="question_delete",
    ),
    path("<int:pk>/distribution/", views_distribution.distribution, name="distribution"),
    path("<int:pk>/distribution/print/", views_distribution.print_page, name="print"),
    path("<int:pk>/distribution/rotate/", views_distribution.link_rotate, name="link_rotate"),
    path(
        "<int:pk>/distribution/links/",
        views_distribution.invitations_create,
        name="invitations_create",
    ),
    path("<int:pk>/distribution/contacts/", views_distribution.contacts_send, name="contacts"),
    path("<int:pk>/results/", views_results.results, name="results"),
]
