"""Lists of skipped days written in the page's language ("Thursday 25 December 2026
(Christmas Day) and …"), so a sentence can take the whole list as one placeholder."""

from datetime import date
from typing import Any

from django import template
from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext

register = template.Library()


def day_list(skipped: list[tuple[date, str]], joined_by: str = "and") -> str:
    """The days and their holiday names; the last two joined by a translated "and",
    or all by commas when `joined_by` is ","."""
    parts = [f"{date_format(day, 'l j F Y')} ({name})" for day, name in skipped]
    if joined_by == ",":
        return ", ".join(parts)
    return str(get_text_list(parts, gettext("and")))


@register.filter(name="day_list")
def day_list_filter(skipped: Any, joined_by: str = "and") -> str:
    return day_list(list(skipped), joined_by)


@register.filter(name="holiday_list")
def holiday_list(holidays: Any) -> str:
    """ "25 December 2026 (Christmas Day, whole network), …", or "none listed"."""
    parts = []
    for holiday in holidays:
        on = date_format(holiday.on, "j F Y")
        if holiday.network_wide:
            parts.append(
                gettext("%(day)s (%(name)s, whole network)") % {"day": on, "name": holiday.name}
            )
        else:
            parts.append(f"{on} ({holiday.name})")
    return ", ".join(parts) if parts else gettext("none listed")
