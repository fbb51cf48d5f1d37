from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "cadre.reminders"
    label = "reminders"
    verbose_name = "Reminders and digests"
