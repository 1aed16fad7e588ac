from django.urls import path

from roundtable.engagement import views, views_record

app_name = "engagement"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_create, name="create"),
    path("rotation/", views.rotation, name="rotation"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/edit/", views.event_edit, name="edit"),
    path("<int:pk>/cancel/", views.event_cancel, name="cancel"),
    path("<int:pk>/attendance/", views_record.attendance_add, name="attendance_add"),
    path("<int:pk>/sheet/", views_record.sheet_add, name="sheet_add"),
    path(
        "<int:pk>/registrations/<int:registration_pk>/present/",
        views_record.registration_present,
        name="registration_present",
    ),
    path("<int:pk>/minutes/", views_record.minutes_save, name="minutes"),
    path("<int:pk>/headcount/", views_record.headcount_save, name="headcount"),
    path("<int:pk>/actions/", views_record.action_item_add, name="action_item_add"),
    path("<int:pk>/actions/<int:item_pk>/", views_record.action_item_edit, name="action_item_edit"),
]
