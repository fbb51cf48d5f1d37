"""Linting of what members write: commitments must be specific, observable and time-bound;
feedback must describe a behaviour and its impact, not the person.

    from cadre.engine.linting import check_commitment, check_feedback
    result = check_commitment("work on the prototype", today=date(2026, 11, 24))
    result = check_feedback("You are so lazy.")

Rule-based and deterministic; no Django import anywhere in this package. The feedback check
reads words with lemminflect's part-of-speech lexicon (the grammar package), shipped inside
lemminflect.
"""

from .commitments import (
    CODES,
    NOT_OBSERVABLE,
    NOT_SPECIFIC,
    NOT_TIME_BOUND,
    CommitmentLint,
    LintResult,
    Problem,
    Rewrite,
    check_commitment,
)
from .feedback import (
    ABOUT_THE_PERSON,
    GENERALIZATION,
    NO_BEHAVIOUR,
    NO_IMPACT,
    PROMPTS,
    FeedbackParts,
    FeedbackResult,
    check_feedback,
    compose,
)
from .feedback import CODES as FEEDBACK_CODES

__all__ = [
    "ABOUT_THE_PERSON",
    "CODES",
    "CommitmentLint",
    "FEEDBACK_CODES",
    "PROMPTS",
    "FeedbackParts",
    "FeedbackResult",
    "GENERALIZATION",
    "NO_BEHAVIOUR",
    "NO_IMPACT",
    "NOT_OBSERVABLE",
    "NOT_SPECIFIC",
    "NOT_TIME_BOUND",
    "LintResult",
    "Problem",
    "Rewrite",
    "check_commitment",
    "check_feedback",
    "compose",
]
