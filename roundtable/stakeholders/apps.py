from django.apps import AppConfig


class StakeholdersConfig(AppConfig):
    name = "roundtable.stakeholders"
    label = "stakeholders"
