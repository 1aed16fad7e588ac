from django.apps import AppConfig


class CompstatConfig(AppConfig):
    name = "roundtable.compstat"
    label = "compstat"
