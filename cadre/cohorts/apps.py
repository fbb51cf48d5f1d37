from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "cadre.cohorts"
    label = "cohorts"
