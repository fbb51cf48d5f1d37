from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "cadre.coaching"
    label = "coaching"
    verbose_name = "Peer coaching sessions and structured feedback"
