"""What the engine wrote into a formation run, said again in the reader's language.

The engine (cadre.engine.formation) is Django-free and writes its reasons ("5 people from
3 functions, ..."), its explanation of who cannot meet and its failures in English; a run
stores them as written, so runs made before this module read the same. Here each sentence
of the engine's known set is recognised and written again from its values with gettext, at
display time, so the organizer reads it in their language whenever the run was made. A
sentence not recognised (a new one, or a person's name the pattern cannot tell apart) is
shown as the engine wrote it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext, gettext_noop, ngettext

ENGLISH_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# Written by cadre.formation.proposals when a run fails before the engine answers.
NOBODY_APPLIED = gettext_noop("No one has applied; there is nobody to form cohorts from.")
STOPPED = gettext_noop("Formation stopped with an error: %(error)s")
NO_PROPOSAL = gettext_noop("No proposal could be formed (%(status)s).")

_HOUR = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\d\d:00) UTC$")
_LENGTH = r"(\d+)-minute|one-hour"


def _minutes(found: re.Match[str], group: int) -> int:
    value = found.group(group)
    return int(value) if value else 60


def _hour(label: str) -> str:
    """ "Mon 09:00 UTC" in the active language's day name."""
    found = _HOUR.match(label.strip())
    if not found:
        return label
    day = str(WEEKDAYS_ABBR[ENGLISH_DAYS.index(found.group(1))])
    return gettext("%(day)s %(time)s UTC") % {"day": day, "time": found.group(2)}


def _mix(text: str) -> str | None:
    pieces = []
    for piece in text.split(", "):
        found = re.fullmatch(
            r"(\d+) (function|functions|industry|industries|organization|"
            r"organizations)",
            piece,
        )
        if not found:
            return None
        count, word = int(found.group(1)), found.group(2)
        if word.startswith("function"):
            said = ngettext("%(count)s function", "%(count)s functions", count)
        elif word.startswith("industr"):
            said = ngettext("%(count)s industry", "%(count)s industries", count)
        else:
            said = ngettext("%(count)s organization", "%(count)s organizations", count)
        pieces.append(said % {"count": count})
    return ", ".join(pieces)


def _people_from(found: re.Match[str]) -> str | None:
    mix = _mix(found.group(2))
    if mix is None:
        return None
    count = int(found.group(1))
    return ngettext("%(count)s person from %(mix)s.", "%(count)s people from %(mix)s.", count) % {
        "count": count,
        "mix": mix,
    }


def _covers(found: re.Match[str]) -> str:
    values = {
        "covered": found.group(1),
        "targets": found.group(2),
        "level": found.group(3),
        "missing": found.group(4) or "",
    }
    if found.group(4):
        return (
            gettext(
                "Covers %(covered)s of %(targets)s target skills at level %(level)s or more "
                "(missing %(missing)s)."
            )
            % values
        )
    return gettext(
        "Covers %(covered)s of %(targets)s target skills at level %(level)s or more."
    ) % (values)


def _shared_goals(found: re.Match[str]) -> str | None:
    goals = re.findall(r"(.+?) \((\d+) people\)(?:, |$)", found.group(1))
    if not goals:
        return None
    said = ", ".join(
        ngettext("%(goal)s (%(count)s person)", "%(goal)s (%(count)s people)", int(count))
        % {"goal": goal, "count": int(count)}
        for goal, count in goals
    )
    return gettext("Shared goals: %(goals)s.") % {"goals": said}


def _everyone_meets(found: re.Match[str]) -> str:
    minutes = _minutes(found, 1)
    times = ", ".join(_hour(label) for label in found.group(2).split(", "))
    if found.group(3):
        more = int(found.group(3))
        return ngettext(
            "Everyone can meet for a %(minutes)s-minute session at %(times)s and %(more)s more "
            "start time.",
            "Everyone can meet for a %(minutes)s-minute session at %(times)s and %(more)s more "
            "start times.",
            more,
        ) % {"minutes": minutes, "times": times, "more": more}
    return gettext("Everyone can meet for a %(minutes)s-minute session at %(times)s.") % {
        "minutes": minutes,
        "times": times,
    }


def _no_slot(found: re.Match[str]) -> str:
    minutes = _minutes(found, 1)
    if found.group(2):
        return gettext(
            "No %(minutes)s-minute slot fits everyone; at best %(reach)s of %(size)s can meet "
            "(%(time)s)."
        ) % {
            "minutes": minutes,
            "reach": found.group(2),
            "size": found.group(3),
            "time": _hour(found.group(4)),
        }
    return gettext("No %(minutes)s-minute slot fits everyone.") % {"minutes": minutes}


def _conflicts(found: re.Match[str]) -> str:
    count = int(found.group(1))
    return ngettext(
        "%(count)s cannot-together pair in this cohort.",
        "%(count)s cannot-together pairs in this cohort.",
        count,
    ) % {"count": count}


def _all_meet(found: re.Match[str]) -> str:
    count = int(found.group(1))
    return ngettext(
        "The %(count)s cohort can meet: it has a %(minutes)s-minute slot every member is free for.",
        "All %(count)s cohorts can meet: each has a %(minutes)s-minute slot every member is "
        "free for.",
        count,
    ) % {"count": count, "minutes": _minutes(found, 2)}


def _some_cannot(found: re.Match[str]) -> str | None:
    if found.group(3).endswith(" more"):
        return None  # the engine shortened a long list in English
    return ngettext(
        "%(cannot)s of %(count)s cohort cannot meet (%(numbers)s): no %(minutes)s-minute slot "
        "has every member free.",
        "%(cannot)s of %(count)s cohorts cannot meet (%(numbers)s): no %(minutes)s-minute slot "
        "has every member free.",
        int(found.group(2)),
    ) % {
        "cannot": found.group(1),
        "count": found.group(2),
        "numbers": _numbers(found.group(3)),
        "minutes": _minutes(found, 4),
    }


def _numbers(text: str) -> str:
    """ "cohort 2" or "cohorts 1, 3 and 4" in the active language."""
    numbers = re.split(r", | and ", text.removeprefix("cohorts ").removeprefix("cohort "))
    if len(numbers) == 1:
        return gettext("cohort %(number)s") % {"number": numbers[0]}
    return gettext("cohorts %(numbers)s and %(last)s") % {
        "numbers": ", ".join(numbers[:-1]),
        "last": numbers[-1],
    }


def _at_best(found: re.Match[str]) -> str | None:
    fewest = int(found.group(1))
    exact = found.group(2).startswith("counted exactly")
    leaves = found.group(4)
    values = {"fewest": fewest, "most": found.group(3) or "", "left": leaves or ""}
    if exact and not leaves:
        said = ngettext(
            "At best %(fewest)s cohort cannot meet, whatever the arrangement (counted exactly "
            "over everyone's start hours, the cohort sizes and the constraints); this is the "
            "fewest possible.",
            "At best %(fewest)s cohorts cannot meet, whatever the arrangement (counted exactly "
            "over everyone's start hours, the cohort sizes and the constraints); this is the "
            "fewest possible.",
            fewest,
        )
    elif exact:
        said = ngettext(
            "At best %(fewest)s cohort cannot meet, whatever the arrangement (counted exactly "
            "over everyone's start hours, the cohort sizes and the constraints); this "
            "arrangement leaves %(left)s.",
            "At best %(fewest)s cohorts cannot meet, whatever the arrangement (counted exactly "
            "over everyone's start hours, the cohort sizes and the constraints); this "
            "arrangement leaves %(left)s.",
            fewest,
        )
    elif not leaves:
        said = ngettext(
            "At best %(fewest)s cohort cannot meet, whatever the arrangement (each of the "
            "people above needs a cohort that cannot meet, and a cohort holds at most "
            "%(most)s); this is the fewest possible.",
            "At best %(fewest)s cohorts cannot meet, whatever the arrangement (each of the "
            "people above needs a cohort that cannot meet, and a cohort holds at most "
            "%(most)s); this is the fewest possible.",
            fewest,
        )
    else:
        said = ngettext(
            "At best %(fewest)s cohort cannot meet, whatever the arrangement (each of the "
            "people above needs a cohort that cannot meet, and a cohort holds at most "
            "%(most)s); this arrangement leaves %(left)s.",
            "At best %(fewest)s cohorts cannot meet, whatever the arrangement (each of the "
            "people above needs a cohort that cannot meet, and a cohort holds at most "
            "%(most)s); this arrangement leaves %(left)s.",
            fewest,
        )
    return said % values


def _exactly(english: str) -> Callable[[re.Match[str]], str]:
    return lambda found: gettext(english)


# The engine's sentences (cadre/engine/formation/score.py `_reasons`, meeting.py
# `meeting_report`), each with what writes it again.
SENTENCES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str | None]], ...] = (
    (re.compile(r"^(\d+) people from (.+)\.$"), _people_from),
    (
        re.compile(
            r"^Covers (\d+) of (\d+) target skills at level (\d+) or more"
            r"(?: \(missing (.+)\))?\.$"
        ),
        _covers,
    ),
    (re.compile(r"^Shared goals: (.+)\.$"), _shared_goals),
    (
        re.compile(r"^No learning goal is shared by two members\.$"),
        _exactly(gettext_noop("No learning goal is shared by two members.")),
    ),
    (
        re.compile(
            rf"^Everyone can meet for an? (?:{_LENGTH}) session at (.+?)"
            r"(?: and (\d+) more start times?)?\.$"
        ),
        _everyone_meets,
    ),
    (
        re.compile(
            rf"^No (?:{_LENGTH}) slot fits everyone"
            r"(?:; at best (\d+) of (\d+) can meet \((.+)\))?\.$"
        ),
        _no_slot,
    ),
    (re.compile(r"^(\d+) cannot-together pairs? in this cohort\.$"), _conflicts),
    (
        re.compile(
            rf"^All (\d+) cohorts? can meet: each has an? (?:{_LENGTH}) slot every member "
            r"is free for\.$"
        ),
        _all_meet,
    ),
    (
        re.compile(
            rf"^(\d+) of (\d+) cohorts? cannot meet \((cohorts? .+)\): no (?:{_LENGTH}) "
            r"slot has every member free\.$"
        ),
        _some_cannot,
    ),
    (
        re.compile(
            r"^Every cohort might still be able to meet in another arrangement; none was "
            r"found in the time given\.$"
        ),
        _exactly(
            gettext_noop(
                "Every cohort might still be able to meet in another arrangement; none was "
                "found in the time given."
            )
        ),
    ),
    (
        re.compile(
            r"^At best (\d+) cohorts? cannot meet, whatever the arrangement "
            r"\((counted exactly over everyone's start hours, the cohort sizes and the "
            r"constraints|each of the people above needs a cohort that cannot meet, and "
            r"a cohort holds at most (\d+))\); (?:this is the fewest possible|this "
            r"arrangement leaves (\d+))\.$"
        ),
        _at_best,
    ),
    (
        re.compile(r"^No one has applied; there is nobody to form cohorts from\.$"),
        _exactly(NOBODY_APPLIED),
    ),
    (
        re.compile(r"^Formation stopped with an error: (.*)$", re.DOTALL),
        lambda found: gettext(STOPPED) % {"error": found.group(1)},
    ),
    (
        re.compile(r"^No proposal could be formed \((\w+)\)\.$"),
        lambda found: gettext(NO_PROPOSAL) % {"status": found.group(1)},
    ),
)


def in_words(sentence: str) -> str:
    """`sentence`, written by the engine or the run in English, in the active language; as
    written when it is not one of the known sentences."""
    for pattern, write in SENTENCES:
        found = pattern.match(sentence)
        if found:
            said = write(found)
            if said is not None:
                return said
    return sentence


def all_in_words(sentences: Iterable[str]) -> list[str]:
    return [in_words(str(s)) for s in sentences]
