from django.apps import AppConfig


class ProblemsConfig(AppConfig):
    name = "roundtable.problems"
    label = "problems"
