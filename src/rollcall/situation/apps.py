from django.apps import AppConfig


class SituationConfig(AppConfig):
    name = "rollcall.situation"
    label = "situation"
