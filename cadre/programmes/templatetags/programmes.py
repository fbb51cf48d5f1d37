"""For the schedule's session page and run view: the programme week a session follows."""

from typing import Any

from django import template

from cadre.programmes import services

register = template.Library()


@register.simple_tag
def week_of(session: Any) -> Any:
    return services.week_of(session)
