from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "roundtable.engagement"
    label = "engagement"
