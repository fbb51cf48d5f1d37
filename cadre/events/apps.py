from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "cadre.events"
    label = "events"
    verbose_name = "Events"

    def ready(self) -> None:
        from . import detect

        detect.connect()
