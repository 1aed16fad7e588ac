from django.urls import path

from roundtable.engagement import views_public

app_name = "events_public"
urlpatterns = [
    path("", views_public.calendar, name="calendar"),
    path("calendar.ics", views_public.calendar_ics, name="calendar_ics"),
    path("<int:pk>/", views_public.event_page, name="detail"),
    path("<int:pk>/register/", views_public.register, name="register"),
    path("<int:pk>/registered/", views_public.registered, name="registered"),
    path("<int:pk>/event.ics", views_public.event_ics, name="event_ics"),
]
