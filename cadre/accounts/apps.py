from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cadre.accounts"
    label = "accounts"
    verbose_name = "Accounts"
