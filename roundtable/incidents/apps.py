from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "roundtable.incidents"
    label = "incidents"
