from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "cadre.worker"
    label = "worker"
    verbose_name = "Background worker"
