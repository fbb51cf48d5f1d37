from django.apps import AppConfig


class RotationsConfig(AppConfig):
    name = "cadre.rotations"
    verbose_name = "Peer rotations"
