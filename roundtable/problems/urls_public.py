from django.urls import path

from roundtable.problems import views_public

app_name = "problems_public"
urlpatterns = [
    path("", views_public.problem_list, name="list"),
    path("<int:pk>/", views_public.problem_page, name="detail"),
]
