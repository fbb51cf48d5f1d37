from django.apps import AppConfig


class RepositoryConfig(AppConfig):
    name = "cadre.repository"
    label = "repository"
    verbose_name = "Shared repository and partner groups"
