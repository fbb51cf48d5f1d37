"""`cadre rebuild_search_index`: rewrite the library's full-text search index from the items,
journal entries, commitments, experiments and published session reports. Needed after rows were written around the ORM (bulk_create, raw SQL,
a restored backup of only some tables); saves and deletes keep it in sync on their own."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from cadre.repository.search import rebuild_index


class Command(BaseCommand):
    help = (
        "Rebuild the full-text search index of the library, the journal, and the cohorts' "
        "commitments, experiments and published session reports."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        with transaction.atomic():
            count = rebuild_index()
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Indexed {count} documents in {elapsed:.1f} s.")
