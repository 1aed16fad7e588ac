"""Surveys in public, under /p/<agency>/surveys/.

The open link is the survey's secret token (`Survey.public_token`); one-time
links live under i/ and are matched by the SHA-256 of their token. Answering
pages carry no survey number, so holding one link tells nothing of other
surveys; published results are found by number from the public list.
"""

from django.urls import URLPattern, path

from roundtable.surveys import views_public, views_public_results

app_name = "surveys_public"
urlpatterns: list[URLPattern] = [
    path("", views_public.survey_list, name="list"),
    path("results/<int:survey_pk>/", views_public_results.results, name="results"),
    path("i/<str:token>/", views_public.invitation, name="invitation"),
    path("i/<str:token>/thanks/", views_public.invitation_thanks, name="invitation_thanks"),
    path("<str:token>/", views_public.answer, name="answer"),
    path("<str:token>/thanks/", views_public.thanks, name="thanks"),
]
