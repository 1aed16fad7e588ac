from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "roundtable.surveys"
    label = "surveys"
