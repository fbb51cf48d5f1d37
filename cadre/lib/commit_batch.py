"""One callback per transaction for many writes.

A signal receiver that must act on what a transaction changed (mark cohort health stale, tell
webhook endpoints and chat channels) should neither query on every saved row nor act before the
transaction commits. `joined_batch` gives it the batch of its kind that the current transaction
runs once it commits, made and registered on first use; every later write of that transaction
joins the same batch without a query. A rollback discards the batch with the transaction; the
writes made inside a savepoint join a batch of that savepoint, which goes if it rolls back.

Outside a transaction (autocommit) there is nothing to wait for: `joined_batch` returns None and
the caller acts at once, since the write is already committed."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast

from django.db import transaction


class CommitBatch:
    """What one transaction asked for, run once when it commits (see `run`)."""

    ran = False

    def __call__(self) -> None:
        # Marked before running: Django's test helpers keep a run hook in the transaction's
        # list, and nothing may join a batch that has run.
        self.ran = True
        self.run()

    def run(self) -> None:
        raise NotImplementedError


B = TypeVar("B", bound=CommitBatch)


def joined_batch(key: str, make: Callable[[], B], using: str) -> B | None:
    """The batch named `key` of the current transaction, or None in autocommit."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        return None
    hooks = connection.run_on_commit
    savepoints = tuple(connection.savepoint_ids)
    held: dict[str, tuple[CommitBatch, int, tuple[str, ...]]] = connection.__dict__.setdefault(
        "_cadre_commit_batches", {}
    )
    # The batch is found again by its place among the transaction's commit hooks (a commit or
    # a rollback empties them, so a batch of an earlier transaction is never joined) and only
    # from the savepoint it was made in: a write inside a savepoint goes to a batch of that
    # savepoint, which goes if the savepoint is rolled back.
    if key in held:
        batch, index, made_in = held[key]
        if (
            made_in == savepoints
            and index < len(hooks)
            and hooks[index][1] is batch
            and not batch.ran
        ):
            return cast(B, batch)
    batch = make()
    transaction.on_commit(batch, using=using, robust=True)
    held[key] = (batch, len(connection.run_on_commit) - 1, savepoints)
    return batch


def forget_batches(using: str) -> None:
    """Start new batches for later writes (for tests that stand in for a commit)."""
    transaction.get_connection(using).__dict__.pop("_cadre_commit_batches", None)
