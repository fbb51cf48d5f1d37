"""What the mentor matching engine wrote, said again in the reader's language.

The engine (cadre.engine.rotation.mentors) is Django-free and explains each match, and sums
up a matching, in English; a match stores its explanation as written, so matches made before
this module read the same. Here each sentence of the engine's known set (and the re-match's
"Re-matched after …") is recognised and written again from its values with gettext at
display time, so the reader sees it in their language whenever the match was made. A
sentence not recognised (a new one, or names the pattern cannot tell apart) is shown as
written."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext, ngettext

from cadre.lib.number_filter import number_filter

_SUMMARY = re.compile(
    r"^(\d+) newcomer\(s\) matched, total benefit ([0-9.e+-]+)"
    r"(?:; (\d+) without a mentor \(not enough capacity\))?$"
)
_NO_CAPACITY = re.compile(r"^no mentor capacity for (\d+) newcomer\(s\)$")
_LEVELS = re.compile(r"^\d+(?:, \d+)*(?: and \d+)?$")


def _join(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return gettext("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _english_list(count: int, item: str) -> str:
    """A regular expression for `count` items written by the engine's English join."""
    if count == 1:
        return item
    return ", ".join([item] * (count - 1)) + " and " + item


def _keys(person: Any) -> list[str]:
    """The names the engine may have been given for `person` (an e-mail tells namesakes
    apart, see cadre.schedule.mentoring.propose)."""
    name = str(person)
    email = getattr(person, "email", "")
    return [name, f"{name} <{email}>"] if email else [name]


def _skills(text: str, count: int) -> list[tuple[str, str]] | None:
    found = re.fullmatch(_english_list(count, r"(.+?) \((\d+)\)"), text)
    if not found:
        return None
    values = found.groups()
    return [(values[i], values[i + 1]) for i in range(0, len(values), 2)]


def _asked(text: str, shown: list[str]) -> list[str] | None:
    for count in range(1, len(shown) + 1):
        found = re.fullmatch(_english_list(count, "(.+)"), text)
        if found and all(skill in shown for skill in found.groups()):
            return list(found.groups())
    return None


def _teach(text: str, mentor: str, newcomer: str) -> str | None:
    head = f"{mentor} can teach "
    middle = f", which {newcomer} rated "
    asked_head = f" {newcomer} asked for "
    if not text.startswith(head) or middle not in text:
        return None
    skills_text, _, rest = text[len(head) :].rpartition(middle)
    levels_text, dot, asked_text = rest.partition(".")
    if not dot or not _LEVELS.match(levels_text):
        return None
    levels = re.split(r", | and ", levels_text)
    skills = _skills(skills_text, len(levels))
    if skills is None:
        return None
    asked: list[str] = []
    if asked_text:
        if not (asked_text.startswith(asked_head) and asked_text.endswith(".")):
            return None
        found = _asked(asked_text[len(asked_head) : -1], [skill for skill, _ in skills])
        if found is None:
            return None
        asked = found
    said = gettext("%(mentor)s can teach %(skills)s, which %(newcomer)s rated %(levels)s.") % {
        "mentor": mentor,
        "newcomer": newcomer,
        "skills": _join(
            [
                gettext("%(skill)s (%(level)s)") % {"skill": skill, "level": level}
                for skill, level in skills
            ]
        ),
        "levels": _join(levels),
    }
    if asked:
        said += " " + gettext("%(newcomer)s asked for %(skills)s.") % {
            "newcomer": newcomer,
            "skills": _join(asked),
        }
    return said


def explanation(text: str, mentor: Any, newcomer: Any) -> str:
    """A match's stored explanation in the active language, or as stored when unknown."""
    text = (text or "").strip()
    for mentor_key in _keys(mentor):
        if text == f"Re-matched after {mentor_key}.":
            return gettext("Re-matched after %(mentor)s.") % {"mentor": mentor_key}
    for mentor_key in _keys(mentor):
        for newcomer_key in _keys(newcomer):
            spare = (
                f"{mentor_key} has spare capacity; no skill of {mentor_key} is above "
                f"{newcomer_key}'s levels."
            )
            if text == spare:
                return gettext(
                    "%(mentor)s has spare capacity; no skill of %(mentor)s is above "
                    "%(newcomer)s’s levels."
                ) % {"mentor": mentor_key, "newcomer": newcomer_key}
            said = _teach(text, mentor_key, newcomer_key)
            if said is not None:
                return said
    return text


def summary(text: str) -> str:
    """The engine's summary of a matching in the active language, or as written."""
    text = (text or "").strip()
    found = _SUMMARY.match(text)
    if found:
        matched = int(found.group(1))
        said = ngettext(
            "%(count)s newcomer matched, total benefit %(benefit)s.",
            "%(count)s newcomers matched, total benefit %(benefit)s.",
            matched,
        ) % {"count": matched, "benefit": number_filter(float(found.group(2)))}
        if found.group(3):
            left = int(found.group(3))
            said += " " + ngettext(
                "%(count)s is left without a mentor (not enough capacity).",
                "%(count)s are left without a mentor (not enough capacity).",
                left,
            ) % {"count": left}
        return said
    found = _NO_CAPACITY.match(text)
    if found:
        count = int(found.group(1))
        return ngettext(
            "No mentor capacity for %(count)s newcomer.",
            "No mentor capacity for %(count)s newcomers.",
            count,
        ) % {"count": count}
    return gettext(text) if text else text
