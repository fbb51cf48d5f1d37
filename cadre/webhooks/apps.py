from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "cadre.webhooks"
    label = "webhooks"
    verbose_name = "Outgoing webhooks"

    def ready(self) -> None:
        from cadre.lib.events import subscribe

        from .services import record_events

        subscribe("webhooks", record_events)
