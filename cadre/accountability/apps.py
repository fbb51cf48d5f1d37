from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "cadre.accountability"
    label = "accountability"
    verbose_name = "Commitments, progress updates and experiments"
