"""Linting of what members write: commitments must be specific, observable and time-bound.

    from cadre.engine.linting import check_commitment
    result = check_commitment("work on the prototype", today=date(2026, 11, 24))

Rule-based and deterministic; no Django import anywhere in this package.
"""

from .commitments import (
    CODES,
    NOT_OBSERVABLE,
    NOT_SPECIFIC,
    NOT_TIME_BOUND,
    LintResult,
    Problem,
    check_commitment,
)

__all__ = [
    "CODES",
    "NOT_OBSERVABLE",
    "NOT_SPECIFIC",
    "NOT_TIME_BOUND",
    "LintResult",
    "Problem",
    "check_commitment",
]
