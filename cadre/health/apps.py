from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "cadre.health"
    label = "health"
    verbose_name = "Cohort health"

    def ready(self) -> None:
        # Mark a cohort changed when the facts its health summarises change.
        from . import changes

        changes.connect()
