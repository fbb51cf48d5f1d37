from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "cadre.diagnostics"
    label = "diagnostics"
    verbose_name = "Skill diagnostics"
