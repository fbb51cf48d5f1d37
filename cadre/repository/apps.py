from django.apps import AppConfig


class RepositoryConfig(AppConfig):
    name = "cadre.repository"
    label = "repository"
    verbose_name = "Shared repository and partner groups"

    def ready(self) -> None:
        # Keep the full-text search index in sync with saves and deletes (see search.py).
        from cadre.repository import search

        search.connect_signals()
        # An imported network arrives through raw saves; index it afterwards.
        from cadre.transfer.transfer import network_imported

        network_imported.connect(_reindex_after_import, dispatch_uid="repository-reindex-import")


def _reindex_after_import(sender: object, **kwargs: object) -> None:
    from cadre.repository import search

    search.rebuild_index()
