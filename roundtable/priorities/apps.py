from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "roundtable.priorities"
    label = "priorities"
