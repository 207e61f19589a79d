from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "rollcall.api"
    label = "api"
