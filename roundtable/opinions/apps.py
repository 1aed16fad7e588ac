from django.apps import AppConfig


class OpinionsConfig(AppConfig):
    name = "roundtable.opinions"
    label = "opinions"
