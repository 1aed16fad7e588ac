from django.urls import path

from roundtable.opinions import views, views_import, views_moderation

app_name = "opinions"
urlpatterns = [
    path("", views.conversation_list, name="list"),
    path("new/", views.conversation_create, name="create"),
    path("import/", views_import.polis_import, name="import"),
    path("<int:pk>/", views.conversation_detail, name="detail"),
    path("<int:pk>/map/", views.map_fragment, name="map_fragment"),
    path("<int:pk>/edit/", views.conversation_edit, name="edit"),
    path("<int:pk>/status/", views.conversation_status, name="status"),
    path("<int:pk>/recompute/", views.recompute, name="recompute"),
    path("<int:pk>/link/", views.participant_link, name="participant_link"),
    path("<int:pk>/export.zip", views.export, name="export"),
    path("<int:pk>/moderate/", views_moderation.moderate, name="moderate"),
    path("<int:pk>/statements/", views_moderation.statements, name="statements"),
    path("<int:pk>/statements/add/", views_moderation.statement_add, name="statement_add"),
    path(
        "<int:pk>/statements/<int:number>/moderate/",
        views_moderation.statement_moderate,
        name="statement_moderate",
    ),
    path(
        "<int:pk>/statements/<int:number>/shortlist/",
        views_moderation.statement_shortlist,
        name="statement_shortlist",
    ),
]
