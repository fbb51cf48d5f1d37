from django.apps import AppConfig


class PairingsConfig(AppConfig):
    name = "cadre.pairings"
    verbose_name = "Follow-through on pairings"
