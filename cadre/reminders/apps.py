from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "cadre.reminders"
    label = "reminders"
    verbose_name = "Reminders and digests"

    def ready(self) -> None:
        from cadre.networks.contributions import on_network_home
        from cadre.reminders.home import add_my_week

        on_network_home(add_my_week)
