"""Each calendar invitation's event (its title and description) is written in its
recipient's language, like the e-mail that carries it (docs/languages.md)."""

from typing import Any

import icalendar
import pytest

from cadre.delivery.models import Message
from cadre.reminders import invitations
from cadre.schedule.tests.helpers import make_schedule
from cadre.testing import save_language


def first_event(user: Any) -> Any:
    message = Message.objects.filter(user=user, key__startswith="itip:session:").earliest("pk")
    return icalendar.Calendar.from_ical(message.calendar).walk("VEVENT")[0]


@pytest.mark.django_db
def test_each_member_gets_the_event_in_their_language(cast):
    save_language(cast.member, "de")
    save_language(cast.host, "es")
    make_schedule(cast.cohort)
    invitations.sync_all()
    german = first_event(cast.member)
    assert "Minuten mit Platform Reliability." in str(german["DESCRIPTION"])
    spanish = first_event(cast.host)
    assert "minutos con Platform Reliability." in str(spanish["DESCRIPTION"])
    english = first_event(cast.newcomer)
    assert "minutes with Platform Reliability." in str(english["DESCRIPTION"])
    assert german["UID"] == spanish["UID"] == english["UID"]
