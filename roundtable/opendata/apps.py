from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "roundtable.opendata"
    label = "opendata"
