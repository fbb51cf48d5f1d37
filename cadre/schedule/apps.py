from django.apps import AppConfig


class ScheduleConfig(AppConfig):
    name = "cadre.schedule"
    label = "schedule"
    verbose_name = "Sessions, role rotas and mentoring"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the rota's receivers)
