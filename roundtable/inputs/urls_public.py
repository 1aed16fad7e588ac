from django.urls import path

from roundtable.inputs import views_public

app_name = "inputs_public"
urlpatterns = [
    path("", views_public.agency_public, name="agency"),
    path("say/", views_public.input_new, name="say"),
    path("receipt/", views_public.receipt_lookup, name="receipt_lookup"),
    path("receipt/<str:code>/", views_public.receipt_detail, name="receipt"),
    path("answers/", views_public.answer_figures, name="answers"),
]
