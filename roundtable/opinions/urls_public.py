"""Opinion conversations in public, under /p/<agency>/conversations/."""

from django.urls import URLPattern, path

from roundtable.opinions import views_public, views_public_report

app_name = "opinions_public"
urlpatterns: list[URLPattern] = [
    path("", views_public.conversations, name="list"),
    path("<int:pk>/", views_public.vote, name="vote"),
    path("<int:pk>/add/", views_public.add, name="add"),
    path("<int:pk>/report/", views_public_report.report, name="report"),
    path("<int:pk>/report/map/", views_public_report.report_map, name="report_map"),
]
