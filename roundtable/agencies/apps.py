from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "roundtable.agencies"
    label = "agencies"
