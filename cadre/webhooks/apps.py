from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "cadre.webhooks"
    label = "webhooks"
    verbose_name = "Outgoing webhooks"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
