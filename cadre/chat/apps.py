from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "cadre.chat"
    label = "chat"
    verbose_name = "Chat notices (Slack and Microsoft Teams)"

    def ready(self) -> None:
        from cadre.lib.events import subscribe

        from .services import record_events

        subscribe("chat", record_events)
