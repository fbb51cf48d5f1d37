"""What cannot be undone asks once: publishing a report (which e-mails the cohort) says who
will be e-mailed; replacing the agenda of a session that already ran asks, keeps the agenda
it had, and can put it back."""

import json
from typing import Any

import pytest
from django.urls import reverse

from cadre.delivery.models import Message
from cadre.schedule.models import AgendaBlock, Attendance, PreviousAgenda, SessionReport
from cadre.testing_parity import api_as, shown_on_page

from .helpers import add_members, make_held_session

API = "/api/v1/networks/northwind/cohorts/reliability/sessions"


@pytest.fixture
def note_taker(cast: Any) -> Any:
    return add_members(cast.cohort, 1)[0]


@pytest.fixture
def session(cast: Any, note_taker: Any) -> Any:
    return make_held_session(cast.cohort, facilitator=cast.member, note_taker=note_taker)


def path(session: Any, name: str) -> str:
    return reverse(
        f"schedule:{name}", args=[session.cohort.network.slug, session.cohort.slug, session.pk]
    )


# --- publishing the report ----------------------------------------------------------------


def test_publishing_asks_once_and_names_who_will_be_emailed(cast, client_for, session, note_taker):
    SessionReport.objects.create(session=session, body="What we did.")
    client = client_for(note_taker)
    asked = client.post(path(session, "publish"), {"share_with_network": "on"})
    page = shown_on_page(asked)
    assert asked.status_code == 200
    assert "Publishing e-mails the report to 4 people" in page
    for person in (cast.host, cast.member, cast.newcomer, note_taker):
        assert person.name in page
    assert "It will also be shared with the whole network." in page
    assert SessionReport.objects.get(session=session).status == "draft"
    assert not Message.objects.exists()

    done = client.post(path(session, "publish"), {"share_with_network": "on", "confirmed": "yes"})
    assert done.status_code == 302
    report = SessionReport.objects.get(session=session)
    assert report.status == "published" and report.share_with_network
    assert Message.objects.filter(key__startswith="report:").count() == 4


# --- replacing the agenda of a session that ran -------------------------------------------


def agenda_post(session: Any, blocks: list[tuple[str, str, int]], **extra: str) -> dict[str, str]:
    initial = list(session.agenda.order_by("order"))
    total = max(len(blocks), len(initial))
    data = {
        "form-TOTAL_FORMS": str(total),
        "form-INITIAL_FORMS": str(len(initial)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        **extra,
    }
    for i in range(total):
        if i < len(initial):
            data[f"form-{i}-id"] = str(initial[i].pk)
        if i < len(blocks):
            kind, title, minutes = blocks[i]
            data |= {
                f"form-{i}-kind": kind,
                f"form-{i}-title": title,
                f"form-{i}-minutes": str(minutes),
            }
        else:
            data[f"form-{i}-DELETE"] = "on"
    return data


def titles(session: Any) -> list[str]:
    return list(session.agenda.order_by("order").values_list("title", flat=True))


@pytest.fixture
def ran(cast: Any, session: Any) -> Any:
    AgendaBlock.ensure_for(session)
    Attendance.objects.create(session=session, user=cast.host, status="present")
    return session


def test_replacing_a_run_sessions_agenda_asks_then_keeps_the_old_one(cast, client_for, ran):
    client = client_for(cast.member)
    before = titles(ran)
    assert "has already taken place" in shown_on_page(client.get(path(ran, "agenda")))
    new = [("learning", "What we really did", 60)]
    refused = client.post(path(ran, "agenda"), agenda_post(ran, new))
    assert refused.status_code == 400
    assert "Confirm to go ahead" in shown_on_page(refused)
    assert titles(ran) == before and not PreviousAgenda.objects.exists()

    saved = client.post(path(ran, "agenda"), agenda_post(ran, new, confirm_overwrite="yes"))
    assert saved.status_code == 302
    assert titles(ran) == ["What we really did"]
    assert [b["title"] for b in PreviousAgenda.objects.get(session=ran).blocks] == before

    restored = client.post(path(ran, "agenda_restore"), follow=True)
    assert "The earlier agenda is back" in shown_on_page(restored)
    assert titles(ran) == before
    # Undoing the undo brings the replacement back.
    client.post(path(ran, "agenda_restore"))
    assert titles(ran) == ["What we really did"]


def test_a_session_without_a_record_is_edited_without_asking(cast, client_for, session):
    AgendaBlock.ensure_for(session)
    response = client_for(cast.member).post(
        path(session, "agenda"), agenda_post(session, [("learning", "All of it", 60)])
    )
    assert response.status_code == 302 and titles(session) == ["All of it"]
    assert not PreviousAgenda.objects.exists()


def put(user: Any, url: str, body: Any) -> Any:
    caller = api_as(user)
    return caller.client.put(
        url, json.dumps(body), content_type="application/json", headers=caller.headers
    )


def test_the_api_asks_the_same_and_restores(cast, ran):
    before = titles(ran)
    body = {"blocks": [{"kind": "learning", "title": "Rewritten", "minutes": 60}]}
    refused = put(cast.member, f"{API}/{ran.pk}/agenda", body)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "confirm_overwrite"
    assert "Confirm to go ahead" in refused.json()["error"]["message"]
    assert titles(ran) == before
    done = put(cast.member, f"{API}/{ran.pk}/agenda", {**body, "confirm_overwrite": True})
    assert done.status_code == 200 and titles(ran) == ["Rewritten"]
    back = api_as(cast.member).post(f"{API}/{ran.pk}/agenda/undo")
    assert back.status_code == 200 and [b["title"] for b in back.json()] == before


@pytest.mark.parametrize("who", ["note_taker", "other_cohort_member", "outsider"])
def test_only_those_who_run_the_session_restore(cast, ran, note_taker, who):
    person = note_taker if who == "note_taker" else getattr(cast, who)
    PreviousAgenda.objects.create(
        session=ran, blocks=[{"kind": "other", "title": "x", "minutes": 60}]
    )
    answer = api_as(person).post(f"{API}/{ran.pk}/agenda/undo")
    assert answer.status_code == (403 if who == "note_taker" else 404)
    assert "x" not in titles(ran)


def test_restoring_without_an_earlier_agenda_is_not_found(cast, client_for, ran):
    assert client_for(cast.member).post(path(ran, "agenda_restore")).status_code == 404
