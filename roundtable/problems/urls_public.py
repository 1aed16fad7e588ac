from django.urls import URLPattern

app_name = "problems_public"
urlpatterns: list[URLPattern] = []
