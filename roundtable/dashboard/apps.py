from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "roundtable.dashboard"
    label = "dashboard"
