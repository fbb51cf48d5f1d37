from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "cadre.impact"
    label = "impact"
    verbose_name = "Impact report"
