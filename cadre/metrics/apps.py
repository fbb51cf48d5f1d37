from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "cadre.metrics"
    label = "metrics"
    verbose_name = "Metrics and their observations"

    def ready(self) -> None:
        from cadre.metrics.figures import add_card_figures
        from cadre.networks.contributions import on_network_home

        on_network_home(add_card_figures)
