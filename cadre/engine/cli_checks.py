"""The checks the engine's command-line tools share, each with its one message."""

from __future__ import annotations

import math


def seconds_problem(seconds: float) -> str | None:
    """What is wrong with a `--seconds` time limit, or None when it is a positive number."""
    if seconds > 0 and math.isfinite(seconds):
        return None
    return f"--seconds must be positive, got {seconds}"


def seed_problem(seed: int) -> str | None:
    """What is wrong with a `--seed`, or None when it is a whole number from 0."""
    return None if seed >= 0 else f"--seed must be >= 0, got {seed}"
