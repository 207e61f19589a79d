from django.apps import AppConfig


class EstimationConfig(AppConfig):
    name = "rollcall.estimation"
    label = "estimation"
