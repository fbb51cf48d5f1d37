from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "cadre.transfer"
    label = "transfer"
    verbose_name = "Export and import"
