from django.urls import include, path

from roundtable.inputs import views, views_actions, views_record

app_name = "inputs"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("overdue/", views.overdue, name="overdue"),
    path("moderation/", views.moderation, name="moderation"),
    path("record/", views_record.record, name="record"),
    path("targets/", views_record.targets, name="targets"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/owner/", views_actions.assign, name="assign"),
    path("<int:pk>/status/", views_actions.status, name="status"),
    path("<int:pk>/answer/", views_actions.answer, name="answer"),
    path("<int:pk>/notes/", views_actions.note, name="note"),
    path("<int:pk>/referrals/", views_actions.refer, name="refer"),
    path(
        "<int:pk>/referrals/<int:referral_pk>/return/",
        views_actions.referral_return,
        name="referral_return",
    ),
    path("<int:pk>/links/", views_actions.link, name="link"),
    path("<int:pk>/links/<int:link_pk>/remove/", views_actions.unlink, name="unlink"),
    path("<int:pk>/moderation/", views_actions.moderate, name="moderate"),
    # Imports (social media, 311) live in their own module.
    path("", include("roundtable.inputs.urls_io")),
]
