"""The feedback check: is feedback about a behaviour, with its impact, rather than the person?

    result = check_feedback("You're so careless. On Friday you deployed the hotfix without "
                            "telling on-call.")
    result.ok                          # False
    [p.code for p in result.problems]  # ['about_the_person', 'no_impact']
    result.parts.situation             # 'On Friday'
    result.parts.behaviour             # 'you deployed the hotfix without telling on-call'
    result.parts.impact                # '' (missing: the form asks for it)
    result.missing                     # ('impact',)
    result.suggestion                  # 'On Friday, you deployed the hotfix without telling on-call.'

Deterministic: the same text always gives the same result. Good feedback follows
situation, behaviour, impact, suggestion. The check reports:

- about_the_person: a label or trait aimed at the person ("you are lazy", "she's a natural
  leader", "your attitude", "you don't care about ..."), not at something they did.
- generalization: "always", "never", "every time", "constantly", "whenever": one case
  stretched into a rule, which invites an argument about the exceptions.
- no_behaviour: no concrete action by the person: no clause whose subject is the person
  (you, or he/she/a name in feedback about someone) and whose verb is an action in the past
  ("you kept", "she double-booked", "the notes you wrote") or a habit told concretely ("you
  stage the outbound by door number"); "thanks for walking us through ..." counts.
- no_impact: nothing changed for anyone else: no clause with another subject ("we
  finished", "finance had time", "she stopped sharing") that follows from the action (after
  it, or before "because you ...").

Words are read with a part-of-speech lexicon (lemminflect) and the rules in the grammar
package; see docs/feedback.md. The rewrite keeps the writer's words, split into the four parts the
feedback form has; a part that isn't there stays empty and is named in `missing`, so the
form can ask for it instead of inventing one. A rewrite with nothing missing passes this
same check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ..commitments import LintResult, Problem
from ..grammar import Clause, normalise
from .reading import Reading, clause_span, read, role_of
from .rewrite import PARTS, FeedbackParts, compose, days_capitalised, lower_first, parts_of
from .traits import trait_spans
from .words import BOUNDED, GENERALIZING, OCCASIONS

__all__ = [
    "ABOUT_THE_PERSON",
    "CODES",
    "GENERALIZATION",
    "NO_BEHAVIOUR",
    "NO_IMPACT",
    "PARTS",
    "PROMPTS",
    "FeedbackParts",
    "FeedbackResult",
    "check_feedback",
    "compose",
]

ABOUT_THE_PERSON = "about_the_person"
GENERALIZATION = "generalization"
NO_BEHAVIOUR = "no_behaviour"
NO_IMPACT = "no_impact"
CODES = (ABOUT_THE_PERSON, GENERALIZATION, NO_BEHAVIOUR, NO_IMPACT)

_MESSAGES = {
    ABOUT_THE_PERSON: (
        "This describes the person (a label or trait) rather than something they did. People "
        "can change what they do far more easily than who they are, and labels tend to make "
        "them defensive; describe the action you saw instead."
    ),
    GENERALIZATION: (
        "Words like 'always', 'never' or 'every time' turn one moment into a rule, and the "
        "conversation then tends to become about the exceptions. Name one specific occasion."
    ),
    NO_BEHAVIOUR: (
        "There is no concrete action here that someone else could have seen or heard. Say "
        "what the person did, and where or when ('in Tuesday's stand-up, you interrupted "
        "Maya twice')."
    ),
    NO_IMPACT: (
        "It doesn't say what the action changed: for the work, for other people or for the "
        "outcome. The impact is what makes feedback worth acting on ('so the client had to "
        "chase us', 'and she stopped sharing her update')."
    ),
}

# What the form asks for when a part is missing.
PROMPTS = {
    "situation": "Where and when it happened: “In Tuesday’s stand-up”.",
    "behaviour": "What the person did, that anyone could have seen or heard.",
    "impact": "What it changed: for the work, for other people, for the outcome.",
    "suggestion": "What to keep doing, or try next time (optional).",
}


@dataclass(frozen=True)
class FeedbackResult(LintResult):
    """A LintResult that also carries the rewrite split into its parts, and which of the
    parts the check needs (behaviour, impact) the rewrite is missing."""

    parts: FeedbackParts = field(default_factory=FeedbackParts)
    missing: tuple[str, ...] = ()

    @property
    def missing_prompts(self) -> list[tuple[str, str]]:
        """(part, what to write there) for each missing part, for forms to show."""
        return [(name, PROMPTS[name]) for name in self.missing]

    def to_dict(self) -> dict[str, object]:
        return {
            **super().to_dict(),
            "parts": self.parts.as_dict(),
            "missing": list(self.missing),
        }


# --- the verdict --------------------------------------------------------------------------


def _reading(text: str) -> Reading:
    reading = read(text)
    reading.trait_spans = trait_spans(reading)
    return reading


@lru_cache(maxsize=512)
def _analyse(text: str) -> tuple[tuple[str, ...], FeedbackParts]:
    norm = normalise(text)
    reading = _reading(norm)
    return _codes_of(reading), parts_of(reading)


def _generalizes(reading: Reading) -> bool:
    """An "always" or "never" about the person or their work; not one that describes the
    others in an impact ("three people who never talk shared ideas", "the client never
    noticed")."""
    low = reading.text.lower()
    for match in GENERALIZING.finditer(low):
        where = match.start()
        if match.group(0).startswith(("every", "each")) and BOUNDED.match(low[match.end() :]):
            continue  # "every morning last week": one stretch of time, not a rule
        if _every_thing_once(reading, match):
            continue  # "you filled in the handover sheet for every bed before you left"
        inside = [
            c for s in reading.sentences for c in s.clauses if clause_span(c)[0] <= where < c.end
        ]
        if inside and all(
            c in reading.impact
            and c not in reading.behaviour
            # "Team is now saving 2 hours every day": the new normal the act brought
            and (not _habitual(c) or any(t.low == "now" for t in c.tokens))
            or (c.has("who") and role_of(reading, c) != "receiver")
            # "questions they'd never have asked": the others, in a phrase about a thing
            or (c.relative and role_of(reading, c) == "other" and c not in reading.behaviour)
            for c in inside
        ):
            continue
        return True
    return False


def _habitual(clause: Clause) -> bool:
    """A present tense: "our ward always passes the audit", "the team is always waiting for
    his part" make a rule of the outcome too, unlike "the client never noticed"."""
    verb = clause.verb
    if verb is None:
        return False
    return clause.verb_kind == "present" or (
        clause.verb_kind in {"progressive", "be"} and verb.low in {"is", "are", "am", "'s", "'re"}
    )


def _every_thing_once(reading: Reading, match: re.Match[str]) -> bool:
    """ "for every bed", "on each pallet" in a past tense: every one of some things on one
    occasion, not every occasion ("in every meeting", "every shift")."""
    words = match.group(0).split()
    if len(words) != 3 or words[1] not in {"every", "each"} or words[2] in OCCASIONS:
        return False
    clause = next(
        (c for s in reading.sentences for c in s.clauses if c.start <= match.start() < c.end), None
    )
    if clause is not None and clause.verb is None:
        # "Kudos to Ria for putting it on every station": thanks for one doing
        return any(
            start <= match.start() and "." not in reading.text[start : match.start()]
            for start, _ in reading.thanks
        )
    return clause is not None and clause.verb_kind in {"past", "perfect", "passive"}


def _codes_of(reading: Reading) -> tuple[str, ...]:
    codes = []
    if reading.trait_spans:
        codes.append(ABOUT_THE_PERSON)
    if _generalizes(reading):
        codes.append(GENERALIZATION)
    named = reading.asked_to_stop and bool(reading.impact)  # with what it led to
    if not reading.behaviour and not reading.thanks and not reading.made and not named:
        codes.append(NO_BEHAVIOUR)
    if not reading.impact:
        codes.append(NO_IMPACT)
    return tuple(codes)


def check_feedback(text: str) -> FeedbackResult:
    """Check one piece of feedback; see the module docstring for the codes.

    `parts` is the feedback split into situation, behaviour, impact and suggestion, in the
    writer's words; `suggestion` is those parts put back together (`compose`) without the
    labels and generalizations, or the text itself when it has no problem. `missing` names
    the parts the check needs (behaviour, impact) that the text doesn't have: they are left
    empty, for the writer to fill in, rather than made up."""
    codes, parts = _analyse(text)
    problems = [Problem(code, _MESSAGES[code]) for code in codes]
    if not codes:
        suggestion = days_capitalised(normalise(text))
        return FeedbackResult(ok=True, problems=[], suggestion=suggestion, parts=parts)
    parts = _confirmed(parts)
    missing = tuple(name for name in ("behaviour", "impact") if not getattr(parts, name))
    return FeedbackResult(
        ok=False,
        problems=problems,
        suggestion=compose(*parts.as_dict().values()),
        parts=parts,
        missing=missing,
    )


def _confirmed(parts: FeedbackParts) -> FeedbackParts:
    """The parts, with a behaviour or impact the check doesn't find once they stand on
    their own (a label taken out may have been what named the person) joined to the other
    part and reported missing, so a rewrite with nothing missing always passes."""
    for _ in range(2):
        if not parts.behaviour or not parts.impact:
            return parts
        again = _codes_of(_reading(normalise(compose(*parts.as_dict().values()))))
        joined = lower_first(compose("", parts.behaviour, parts.impact, "").removesuffix("."))
        if NO_IMPACT in again:
            parts = replace(parts, behaviour=joined, impact="")
        elif NO_BEHAVIOUR in again:
            parts = replace(parts, behaviour="", impact=joined)
        else:
            return parts
    return parts
