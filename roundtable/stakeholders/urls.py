from django.urls import path

app_name = "stakeholders"
urlpatterns: list = []
