"""Deadlines written in plain words ("by Friday", "by the 21st", "before the next session",
"within 5 days", "March 3", "2026-12-04"), read against a given today.

Only the rules below are understood; anything else ("soon", "ASAP", "before the holidays")
is not a deadline. Everything is deterministic: the same text and today give the same dates.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAY_ALIASES = {
    "mon": 0,
    "tue": 1,
    "tues": 1,
    "wed": 2,
    "weds": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH_NUMBER = {name: i + 1 for i, name in enumerate(MONTHS)}
_MONTH_NUMBER.update({name[:3]: i + 1 for i, name in enumerate(MONTHS)})
_MONTH_NUMBER["sept"] = 9

_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fourteen": 14,
    "thirty": 30,
}


@dataclass(frozen=True)
class Deadline:
    """A time expression found in the text: its span, the date it means (None when it means
    "the next session" and that date is unknown) and the words used."""

    start: int
    end: int
    when: date | None
    words: str
    next_session: bool = False


def _next_weekday(today: date, weekday: int) -> date:
    """The first given weekday strictly after today."""
    ahead = (weekday - today.weekday()) % 7
    return today + timedelta(days=ahead or 7)


def _friday_of_week(day: date) -> date:
    return day + timedelta(days=4 - day.weekday())


def _end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_day(today: date, month: int, day: int, year: int | None) -> date | None:
    if year is not None:
        return _safe_date(year, month, day)
    found = _safe_date(today.year, month, day)
    if found is not None and found < today:
        found = _safe_date(today.year + 1, month, day)
    return found


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


Resolver = Callable[[re.Match[str], date, "date | None"], "date | None"]


def _iso(m: re.Match[str], today: date, _: date | None) -> date | None:
    return _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))


def _month_day_match(m: re.Match[str], today: date, _: date | None) -> date | None:
    year = int(m["y"]) if m["y"] else None
    return _month_day(today, _MONTH_NUMBER[m["mon"][:3]], int(m["d"]), year)


def _slashed(m: re.Match[str], today: date, _: date | None) -> date | None:
    """3/12 or 12/3: the part above 12 is the day; otherwise month first, as in 11/30."""
    a, b = int(m["a"]), int(m["b"])
    month, day = (b, a) if a > 12 else (a, b)
    year = None
    if m["y"]:
        year = int(m["y"]) + (2000 if len(m["y"]) == 2 else 0)
    if not 1 <= month <= 12:
        return None
    return _month_day(today, month, day, year)


def _the_nth(m: re.Match[str], today: date, _: date | None) -> date | None:
    day = int(m["d"])
    year, month = today.year, today.month
    for _step in range(3):
        found = _safe_date(year, month, day)
        if found is not None and found >= today:
            return found
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _weekday(m: re.Match[str], today: date, _: date | None) -> date:
    word = m["wd"]
    index = WEEKDAYS.index(word) if word in WEEKDAYS else _WEEKDAY_ALIASES[word]
    found = _next_weekday(today, index)
    if m["next"] and found.isocalendar()[:2] == today.isocalendar()[:2]:
        found += timedelta(days=7)
    return found


def _relative(m: re.Match[str], today: date, _: date | None) -> date:
    amount = _number(m["n"])
    unit = m["unit"]
    if unit.startswith(("business", "working")):
        return today + timedelta(days=amount + 2 * (amount // 5) + 2)
    if unit.startswith(("hour", "hr")):
        return today + timedelta(days=amount // 24)
    if unit.startswith("day"):
        return today + timedelta(days=amount)
    if unit.startswith(("week", "wk")):
        return today + timedelta(weeks=amount)
    if unit.startswith("fortnight"):
        return today + timedelta(weeks=2 * amount)
    return _add_months(today, amount)


def _month_only(m: re.Match[str], today: date, _: date | None) -> date:
    month = _MONTH_NUMBER[m["mon"][:3]]
    year = today.year if month >= today.month else today.year + 1
    return _end_of_month(year, month)


def _quarter(m: re.Match[str], today: date, _: date | None) -> date:
    text = m.group(0)
    named = re.search(r"q([1-4])", text)
    quarter_now = (today.month - 1) // 3 + 1
    if named is not None:
        quarter = int(named.group(1))
        year = today.year if quarter >= quarter_now else today.year + 1
    elif "next" in text:
        quarter, year = (1, today.year + 1) if quarter_now == 4 else (quarter_now + 1, today.year)
    else:
        quarter, year = quarter_now, today.year
    return _end_of_month(year, quarter * 3)


def _fixed(offset: str) -> Resolver:
    def resolve(m: re.Match[str], today: date, _: date | None) -> date | None:
        if offset == "today":
            return today
        if offset == "tomorrow":
            return today + timedelta(days=1)
        if offset == "overmorrow":
            return today + timedelta(days=2)
        if offset == "week":
            return today + timedelta(days=7)
        if offset == "month":
            return _add_months(today, 1)
        if offset == "fortnight":
            return today + timedelta(weeks=2)
        if offset == "this_week":
            return max(_friday_of_week(today), today)
        if offset == "weekend":
            return today + timedelta(days=6 - today.weekday())
        if offset == "next_week":
            return _friday_of_week(today) + timedelta(days=7)
        if offset == "this_month":
            return _end_of_month(today.year, today.month)
        if offset == "next_month":
            nxt = _add_months(today.replace(day=1), 1)
            return _end_of_month(nxt.year, nxt.month)
        return date(today.year, 12, 31)

    return resolve


def _session(m: re.Match[str], today: date, next_session: date | None) -> date | None:
    return next_session


_FULL_WD = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_ABBR_WD = "mon|tues?|weds?|thu(?:rs?)?|fri|sat|sun"
_MON = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_ORD = r"(?:st|nd|rd|th)"
_NUM = r"(?P<n>\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|thirty)"
_YEAR = r"(?:,?\s+(?P<y>\d{4})\b)?"

# (pattern, resolver, means "the next session": a bounded deadline whose date may be unknown)
_PATTERNS: list[tuple[str, Resolver, bool]] = [
    (r"\b(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})\b", _iso, False),
    (
        r"\b(?:by|on|before|until|till|due)\s+(?P<a>\d{1,2})/(?P<b>\d{1,2})(?:/(?P<y>\d{4}|\d{2}))?(?![\d/:])",
        _slashed,
        False,
    ),
    (
        rf"(?:\b(?:{_FULL_WD}|{_ABBR_WD})\.?,?\s+)?\b{_MON}\.?\s+(?P<d>\d{{1,2}}){_ORD}?\b{_YEAR}",
        _month_day_match,
        False,
    ),
    (
        rf"(?:\b(?:{_FULL_WD}|{_ABBR_WD})\.?,?\s+)?(?:the\s+)?\b(?P<d>\d{{1,2}}){_ORD}?\s+"
        rf"(?:of\s+)?{_MON}\b\.?{_YEAR}",
        _month_day_match,
        False,
    ),
    (rf"\bthe\s+(?P<d>\d{{1,2}}){_ORD}\b", _the_nth, False),
    (
        r"\b(?:(?:before|by|at|for|in|ahead of|until|till)\s+)?(?:the\s+|our\s+|my\s+)?"
        r"(?:next|coming|upcoming)\s+(?:cohort\s+|team\s+)?(?:session|meeting|check-in|checkin"
        r"|stand-?up|1:1|one-on-one|retro|sprint review|sync)\b"
        r"|\b(?:by|before|at)\s+(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?sprint\b",
        _session,
        True,
    ),
    (rf"\b(?:(?P<next>next|coming)\s+|this\s+)?(?P<wd>{_FULL_WD})\b", _weekday, False),
    (
        rf"\b(?:by|on|before|until|till)\s+(?:(?P<next>next|coming)\s+|this\s+)?(?P<wd>{_ABBR_WD})"
        r"\b\.?",
        _weekday,
        False,
    ),
    (
        rf"\b(?:in|within|inside|over the next|in the next|within the next)\s+{_NUM}\s+"
        r"(?P<unit>days?|business days?|working days?|weeks?|wks?|fortnights?|months?|hours?"
        r"|hrs?)\b",
        _relative,
        False,
    ),
    (r"\b(?:in|within)\s+a\s+fortnight\b", _fixed("fortnight"), False),
    (r"\b(?:in|within|over|during)\s+the\s+next\s+week\b", _fixed("week"), False),
    (r"\b(?:in|within|over|during)\s+the\s+next\s+month\b", _fixed("month"), False),
    (
        r"\b(?:today|tonight|(?:the )?end of (?:the )?day|eod|cob|close of business|by noon"
        r"|this (?:morning|afternoon|evening)|by \d{1,2}(?::\d{2})?\s*(?:am|pm))\b",
        _fixed("today"),
        False,
    ),
    (r"\bday after tomorrow\b", _fixed("overmorrow"), False),
    (r"\b(?:tomorrow|tomorow|tommorow|tommorrow|tmrw|tmr)\b", _fixed("tomorrow"), False),
    (r"\b(?:(?:the )?end of (?:the |this )?week|eow|this week)\b", _fixed("this_week"), False),
    (r"\b(?:(?:over|this|by|on) (?:the )?weekend)\b", _fixed("weekend"), False),
    (r"\b(?:(?:the )?end of next week|next week)\b", _fixed("next_week"), False),
    (r"\b(?:(?:the )?end of (?:the |this )?month|this month)\b", _fixed("this_month"), False),
    (r"\b(?:(?:the )?end of next month|next month)\b", _fixed("next_month"), False),
    (
        r"\b(?:(?:the )?end of (?:the |this |next )?quarter|(?:by|before) next quarter"
        r"|(?:in|by|during|before|end of)\s+q[1-4])\b",
        _quarter,
        False,
    ),
    (r"\b(?:the )?end of (?:the |this )?year\b", _fixed("year"), False),
    (
        rf"\b(?:by|in|during|before|until|till)\s+(?:(?:the )?(?:end|middle) of\s+|mid-?)?{_MON}"
        r"\b(?!\s*\d)",
        _month_only,
        False,
    ),
]
_COMPILED = [(re.compile(p), resolver, session) for p, resolver, session in _PATTERNS]


def find_deadlines(text: str, today: date, next_session: date | None = None) -> list[Deadline]:
    """Every time expression in `text` (lower-cased first), earliest-starting first, longer
    matches winning over the ones they overlap."""
    lowered = text.lower()
    found: list[Deadline] = []
    taken: list[tuple[int, int]] = []
    candidates: list[tuple[int, int, int, Deadline]] = []
    for order, (pattern, resolver, session) in enumerate(_COMPILED):
        for m in pattern.finditer(lowered):
            when = resolver(m, today, next_session)
            if when is None and not session:
                continue
            deadline = Deadline(m.start(), m.end(), when, text[m.start() : m.end()], session)
            candidates.append((-(m.end() - m.start()), order, m.start(), deadline))
    for _length, _order, _start, deadline in sorted(candidates, key=lambda c: (c[0], c[1], c[2])):
        if any(deadline.start < end and start < deadline.end for start, end in taken):
            continue
        taken.append((deadline.start, deadline.end))
        found.append(deadline)
    return sorted(found, key=lambda d: d.start)


def format_day(day: date, today: date) -> str:
    """'Friday 27 November' (with the year when it is not today's year)."""
    words = f"{WEEKDAYS[day.weekday()].capitalize()} {day.day} {MONTHS[day.month - 1].capitalize()}"
    return words if day.year == today.year else f"{words} {day.year}"
