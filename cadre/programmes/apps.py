from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "cadre.programmes"
    label = "programmes"
    verbose_name = "Programmes"
