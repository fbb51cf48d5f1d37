"""Queueing background tasks so that a worker never sees a task about a change that was
rolled back, nor misses one about a change that was committed, whatever the task backend."""

from __future__ import annotations

import functools
from typing import Any

from django.db import transaction


def enqueue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Queue `task(*args, **kwargs)` once the current transaction commits (at once outside
    a transaction)."""
    transaction.on_commit(functools.partial(task.enqueue, *args, **kwargs))
