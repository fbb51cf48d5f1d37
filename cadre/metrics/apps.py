from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "cadre.metrics"
    label = "metrics"
    verbose_name = "Metrics and their observations"
