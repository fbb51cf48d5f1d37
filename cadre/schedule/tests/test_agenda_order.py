"""The agenda's order without JavaScript: each block has an "Order" number; the blocks are
saved in that order, blocks without a number after the others in their place."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from cadre.schedule.models import AgendaBlock, Session
from cadre.schedule.tests.test_sessions import agenda_post, path


def test_typed_order_numbers_reorder_the_blocks(cast: Any, client_for: Any) -> None:
    session = Session.objects.create(
        cohort=cast.cohort, starts_at=timezone.now() + timedelta(days=2), minutes=60
    )
    AgendaBlock.ensure_for(session)
    initial = list(session.agenda.order_by("order"))
    data = agenda_post([(b.kind, b.title, b.minutes) for b in initial], initial)
    # The last block first, the first one second; the others keep no number and follow.
    data[f"form-{len(initial) - 1}-ORDER"] = "1"
    data["form-0-ORDER"] = "2"
    answer = client_for(cast.host).post(path(session, "agenda"), data)
    assert answer.status_code == 302
    saved = list(session.agenda.order_by("order").values_list("title", flat=True))
    titles = [b.title for b in initial]
    assert saved == [titles[-1], titles[0], *titles[1:-1]]
