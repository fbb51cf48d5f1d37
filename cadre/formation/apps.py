from django.apps import AppConfig


class FormationConfig(AppConfig):
    name = "cadre.formation"
    label = "formation"
    verbose_name = "Intakes and cohort formation"
