from django.urls import path

app_name = "compstat"
urlpatterns: list = []
