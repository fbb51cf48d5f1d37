from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "cadre.sso"
    label = "sso"
    verbose_name = "Single sign-on"
