from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "roundtable.measures"
    label = "measures"
