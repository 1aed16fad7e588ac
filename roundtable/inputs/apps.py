from django.apps import AppConfig


class InputsConfig(AppConfig):
    name = "roundtable.inputs"
    label = "inputs"
