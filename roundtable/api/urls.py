from django.urls import path

from roundtable.api.root import api

urlpatterns = [path("", api.urls)]
