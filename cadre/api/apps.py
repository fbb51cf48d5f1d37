from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cadre.api"
    label = "api"
