from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "rollcall.registry"
    label = "registry"
    verbose_name = "Registry"
