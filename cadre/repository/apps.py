from django.apps import AppConfig


class RepositoryConfig(AppConfig):
    name = "cadre.repository"
    label = "repository"
    verbose_name = "Shared repository and partner groups"

    def ready(self) -> None:
        # Keep the full-text search index in sync with saves and deletes (see search.py).
        from cadre.repository import search

        search.connect_signals()
