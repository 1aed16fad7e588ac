"""Webhooks that outside services call (mounted at /hooks/)."""

from django.urls import path

from roundtable.inputs.inbound import views

app_name = "hooks"
urlpatterns = [
    path("<str:provider>/<slug:agency_slug>/", views.receive, name="receive"),
]
