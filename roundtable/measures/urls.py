from django.urls import path

app_name = "measures"
urlpatterns: list = []
