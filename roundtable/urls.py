from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("roundtable.core.urls")),
    path("accounts/", include("roundtable.accounts.urls")),
    path("a/<slug:agency_slug>/map/", include("roundtable.stakeholders.urls")),
    path("a/<slug:agency_slug>/events/", include("roundtable.engagement.urls")),
    path("a/<slug:agency_slug>/inputs/", include("roundtable.inputs.urls")),
    path("a/<slug:agency_slug>/priorities/", include("roundtable.priorities.urls")),
    path("a/<slug:agency_slug>/problems/", include("roundtable.problems.urls")),
    path("a/<slug:agency_slug>/incidents/", include("roundtable.incidents.urls")),
    path("a/<slug:agency_slug>/conversations/", include("roundtable.opinions.urls")),
    path("a/<slug:agency_slug>/surveys/", include("roundtable.surveys.urls")),
    path("p/<slug:agency_slug>/surveys/", include("roundtable.surveys.urls_public")),
    path("p/<slug:agency_slug>/events/", include("roundtable.engagement.urls_public")),
    path("p/<slug:agency_slug>/priorities/", include("roundtable.priorities.urls_public")),
    path("p/<slug:agency_slug>/problems/", include("roundtable.problems.urls_public")),
    path("p/<slug:agency_slug>/safety/", include("roundtable.incidents.urls_public")),
    path("p/<slug:agency_slug>/conversations/", include("roundtable.opinions.urls_public")),
    path("p/<slug:agency_slug>/", include("roundtable.inputs.urls_public")),
    path("hooks/", include("roundtable.inputs.urls_hooks")),
    path("a/<slug:agency_slug>/audit/", include("roundtable.audit.urls")),
    path("a/<slug:agency_slug>/members/", include("roundtable.accounts.urls_members")),
    path("api/v1/", include("roundtable.api.urls")),
    path("django-admin/", admin.site.urls),
]
