from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "rollcall.linkage"
    label = "linkage"
