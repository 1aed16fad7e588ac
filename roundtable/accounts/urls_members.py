from django.urls import path

from roundtable.accounts import views_members

app_name = "members"
urlpatterns = [
    path("", views_members.members, name="list"),
    path("<int:pk>/revoke/", views_members.member_revoke, name="revoke"),
]
