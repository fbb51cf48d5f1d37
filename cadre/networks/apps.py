from django.apps import AppConfig


class NetworksConfig(AppConfig):
    name = "cadre.networks"
    label = "networks"
