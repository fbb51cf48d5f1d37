"""An intake's waitlist, the seat it offers on the members page and its refusals in the
reader's language (docs/languages.md)."""

import pytest
from django.urls import reverse
from django.utils import translation

from cadre.cohorts.services import remove_member
from cadre.formation import waitlist
from cadre.lib.rules import Refused
from cadre.testing import save_language

from .test_waitlist import formed  # noqa: F401  (the fixture)

pytestmark = pytest.mark.time_machine("2026-03-04 10:00:00+00:00", tick=False)


def test_the_waitlist_and_the_seat_offer_speak_german(cast, client_for, formed):  # noqa: F811
    save_language(cast.organizer, "de")
    remove_member(cast.organizer, cast.cohort, person=cast.member)
    browser = client_for(cast.organizer)
    members = browser.get(reverse("cohorts:members", args=["northwind", "reliability"]))
    text = members.content.decode()
    assert "Einen Platz von der Warteliste besetzen" in text
    assert "Willa Waiting den Platz von Mo Member geben" in text
    assert "Fill a seat from the waitlist" not in text
    seat = browser.get(reverse("seats:fill", args=["northwind", "reliability"])).content.decode()
    assert "Einen Platz in" in seat and "Platz vergeben" in seat
    assert "Hat eine Stunde mit der Kohorte gemeinsam." in seat
    page = browser.get(reverse("formation:waitlist", args=["northwind", "spring"]))
    text = page.content.decode()
    assert "Warteliste von" in text and "Jemanden auf die Warteliste setzen" in text
    assert "Add someone to the waitlist" not in text


def test_a_waitlist_refusal_is_in_the_active_language(cast, formed):  # noqa: F811
    intake, wes, _willa = formed
    with translation.override("es"), pytest.raises(Refused) as refused:
        waitlist.add_to_waitlist(by=cast.organizer, intake=intake, person=wes)
    assert refused.value.message.endswith("ya está en la lista de espera de " + intake.title + ".")
