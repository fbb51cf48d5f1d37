from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "cadre.journal"
    label = "journal"
    verbose_name = "Learning journal"
