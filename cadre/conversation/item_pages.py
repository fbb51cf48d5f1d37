"""On an experiment's or a session report's own page: how many comments it has and the way
to its conversation, for whoever may read it (registered in apps.py through
cadre.networks.contributions.on_item_page)."""

from __future__ import annotations

from typing import Any

from cadre.accountability.models import Experiment
from cadre.networks.contributions import Section
from cadre.schedule.models import SessionReport

from .models import Comment, Subject
from .policy import Item, can_read_item


def _item(obj: Any) -> Item | None:
    if isinstance(obj, Experiment):
        return Item(Subject.EXPERIMENT, obj, obj.cohort)
    if isinstance(obj, SessionReport):
        return Item(Subject.REPORT, obj, obj.session.cohort)
    return None


def add_conversation_link(user: Any, obj: Any) -> Section | None:
    from .views import item_url

    item = _item(obj)
    if item is None or not can_read_item(user, item):
        return None
    comments = Comment.objects.filter(**{item.subject.value: obj}).count()
    return Section("conversation/_item_link.html", {"url": item_url(item), "comments": comments})
