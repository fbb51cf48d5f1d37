from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "cadre.health"
    label = "health"
    verbose_name = "Cohort health"
