from django.urls import include, path

from roundtable.stakeholders import views

app_name = "stakeholders"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("new/", views.organisation_create, name="create"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/edit/", views.organisation_edit, name="edit"),
    path("<int:pk>/delete/", views.organisation_delete, name="delete"),
    path("<int:pk>/contacts/", views.contact_add, name="contact_add"),
    path("<int:pk>/contacts/<int:contact_pk>/", views.contact_edit, name="contact_edit"),
    path("<int:pk>/interactions/", views.interaction_add, name="interaction_add"),
    path("<int:pk>/referrals/", views.referral_add, name="referral_add"),
    path("renew/", views.renewals, name="renewals"),
    path("coverage/", views.coverage, name="coverage"),
    path("referrals/", views.network, name="network"),
    path("worksheet/", views.worksheet, name="worksheet"),
    path("", include("roundtable.stakeholders.urls_io")),
]
