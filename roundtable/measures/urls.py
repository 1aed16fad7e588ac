"""Staff and partner pages of the CompStat360 measures, under /a/<agency>/measures/."""

from django.urls import URLPattern, path

from roundtable.measures import views, views_io, views_partners, views_share

app_name = "measures"
urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/<slug:key>/choose/", views.choose, name="choose"),
    path("new/", views.create, name="create"),
    path("refresh/", views.refresh, name="refresh"),
    path("import/", views_io.import_values, name="import"),
    path("import/template.csv", views_io.import_template, name="import_template"),
    path("submissions/", views_partners.submissions, name="submissions"),
    path("submissions/<int:pk>/", views_partners.submission, name="submission"),
    path("submissions/<int:pk>/review/", views_partners.submission_review, name="review"),
    path("sharers/", views_partners.sharers, name="sharers"),
    path("sharers/<int:pk>/revoke/", views_partners.sharer_revoke, name="sharer_revoke"),
    path("share/", views_share.share_home, name="share"),
    path("share/<int:pk>/", views_share.share_measure, name="share_measure"),
    path("share/<int:pk>/template.csv", views_share.share_template, name="share_template"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/use/", views.drop, name="drop"),
    path("<int:pk>/figures/new/", views.value_add, name="value_add"),
    path("<int:pk>/figures/<int:value_pk>/delete/", views.value_delete, name="value_delete"),
]
