"""The schedule, a session's pages, coffee and did-you-meet in the reader's language, and the
report's e-mail in each recipient's (docs/languages.md)."""

from email import message_from_bytes, policy

import pytest
from django.urls import reverse
from django.utils import translation

from cadre.lib import markdown
from cadre.lib.rules import Refused
from cadre.rotations import services as coffee
from cadre.schedule import services
from cadre.schedule.models import (
    Attendance,
    AttendanceStatus,
    NoteKind,
    SessionNote,
    SessionReport,
    SwapStatus,
    Weekday,
)
from cadre.testing import run_worker, save_language

from .helpers import add_members, make_held_session, make_schedule

pytestmark = pytest.mark.time_machine("2026-03-04 10:00:00+00:00", tick=False)

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-ES,es;q=0.9"}


def test_the_schedule_page_speaks_the_readers_language(cast, client_for, schedule, url):
    save_language(cast.member, "de")
    page = client_for(cast.member).get(url("page")).content.decode()
    assert "<h1>Terminplan und Rollen</h1>" in page
    assert "Anstehende Sitzungen" in page
    english = client_for(cast.host).get(url("page")).content.decode()
    assert "<h1>Schedule and roles</h1>" in english


def test_the_run_view_and_session_page_speak_spanish(cast, client_for):
    note_taker = add_members(cast.cohort, 1)[0]
    session = make_held_session(cast.cohort, facilitator=cast.member, note_taker=note_taker)
    browser = client_for(cast.host)
    run = browser.get(
        reverse("schedule:run", args=[cast.network.slug, cast.cohort.slug, session.pk]), **SPANISH
    ).content.decode()
    assert "Conducir la sesión" in run
    assert 'data-pause="Pausar el temporizador"' in run  # the timer's words for run.js
    detail = browser.get(
        reverse("schedule:session", args=[cast.network.slug, cast.cohort.slug, session.pk]),
        **SPANISH,
    ).content.decode()
    assert "Notas y aprendizajes" in detail


def test_coffee_and_did_you_meet_pages_speak_spanish(cast, client_for):
    browser = client_for(cast.member)
    coffee = browser.get(reverse("coffee:list", args=[cast.network.slug]), **SPANISH)
    assert "<h1>Café virtual</h1>" in coffee.content.decode()
    checks = browser.get(reverse("pairings:checks", args=[cast.network.slug]), **SPANISH)
    assert "<h1>¿Os reunisteis?</h1>" in checks.content.decode()


def test_the_report_email_is_in_each_recipients_language(cast, client_for, smtp_inbox):
    note_taker = add_members(cast.cohort, 1)[0]
    session = make_held_session(cast.cohort, facilitator=cast.member, note_taker=note_taker)
    save_language(cast.member, "de")
    args = [cast.network.slug, cast.cohort.slug, session.pk]
    browser = client_for(note_taker)  # publishes from an English page
    browser.post(reverse("schedule:report_draft", args=args))
    browser.post(reverse("schedule:publish", args=args), {"confirmed": "yes"})
    run_worker()
    received = {}
    for envelope in smtp_inbox.messages:
        message = message_from_bytes(envelope.content, policy=policy.default)
        received[envelope.rcpt_tos[0]] = (str(message["Subject"]), message.get_content())
    subject, body = received[cast.member.email]
    assert ": Bericht von " in subject
    assert "hat den Bericht von" in body and body.startswith("Hallo ")
    host_subject, host_body = received[cast.host.email]
    assert ": report of " in host_subject and "published the report of" in host_body


# --- refusals shown under a form's field, in the reader's language ---------------------------


def test_a_one_off_on_a_holiday_is_refused_in_german_naming_the_day_and_holiday(cast, client_for):
    make_schedule(cast.cohort)
    save_language(cast.host, "de")
    data = {"title": "Feier", "date": "2026-12-25", "start": "10:00", "minutes": "60"}
    page = client_for(cast.host).post(
        reverse("schedule:one_off", args=[cast.network.slug, cast.cohort.slug]), data
    )
    text = page.content.decode()
    assert page.status_code == 400
    assert "Der 25. Dezember ist Erster Weihnachtstag, ein Tag, an dem sich die Kohorte" in text
    assert "Christmas Day" not in text and "a day the cohort does not meet" not in text


def test_an_agenda_that_does_not_fill_the_session_is_refused_in_spanish(cast):
    session = make_held_session(cast.cohort, facilitator=cast.member, note_taker=cast.host)
    with translation.override("es"), pytest.raises(Refused) as refused:
        services.check_agenda(
            session, [services.Block(kind="talk", title="Ronda", minutes=session.minutes + 5)]
        )
    assert refused.value.message == (
        f"Los bloques suman {session.minutes + 5} minutos, pero la sesión dura "
        f"{session.minutes} minutos (sobran 5 minutos)."
    )
    assert refused.value.fields == {"blocks": [refused.value.message]}


def test_coffee_and_mentoring_refusals_follow_the_active_language(cast):
    coffee.add_exclusion(cast.member, cast.network, user=cast.host.pk)
    with translation.override("de"), pytest.raises(Refused) as twice:
        coffee.add_exclusion(cast.member, cast.network, user=cast.host.pk)
    name = cast.host.name or cast.host.email
    assert twice.value.message == f"{name} steht schon auf deiner Liste."
    with translation.override("es"), pytest.raises(Refused) as nobody:
        coffee.add_exclusion(cast.member, cast.network, user=cast.member.pk)
    assert nobody.value.message == "Elige a otra persona de esta red."


def test_a_report_is_drafted_in_the_language_of_who_drafts_it(cast, client_for):
    session = make_held_session(cast.cohort, facilitator=cast.member, note_taker=cast.host)
    Attendance.objects.create(session=session, user=cast.member, status="present")
    SessionNote.objects.create(
        session=session, author=cast.member, kind=NoteKind.INSIGHT, text="Smaller pages win"
    )
    save_language(cast.host, "de")
    drafted = client_for(cast.host).post(
        reverse("schedule:report_draft", args=[cast.network.slug, cast.cohort.slug, session.pk])
    )
    assert drafted.status_code == 302
    body = SessionReport.objects.get(session=session).body
    assert f"## Anwesenheit\n- Anwesend: {cast.member}" in body
    assert "## Erkenntnisse\n- Smaller pages win" in body  # what people wrote stays as written
    assert "## Notizen\n- keine" in body
    assert "Attendance" not in body and "Insights" not in body


def test_schedule_choices_and_markdown_help_speak_the_active_language():
    with translation.override("es"):
        assert str(Weekday.TUESDAY.label) == "martes"
        assert str(SwapStatus.DECLINED.label) == "Rechazado"
        assert str(markdown.HELP_TEXT).startswith("Markdown: **negrita**")
    with translation.override("de"):
        assert str(AttendanceStatus.EXCUSED.label) == "Entschuldigt"
    assert str(SwapStatus.DECLINED.label) == "Declined"


def test_the_agenda_and_report_forms_labels_and_help_follow_the_active_language():
    from cadre.schedule.forms import AgendaBlockForm, ReportForm

    with translation.override("es"):
        block = AgendaBlockForm()
        assert str(block.fields["presenter"].label) == "Presentador/a"
        assert (
            str(block.fields["notes"].help_text)
            == "La técnica compartida, o lo que muestra la demo."
        )
        report = ReportForm()
        assert str(report.fields["what_worked"].label) == "Qué funcionó"
        assert str(report.fields["what_did_not"].help_text) == "Qué no funcionó, y por qué."
    with translation.override("de"):
        assert str(AgendaBlockForm().fields["presenter"].label) == "Vortragende Person"
    assert str(AgendaBlockForm().fields["minutes"].label) == "Minutes"


@pytest.mark.parametrize(
    ("language", "said"),
    [("es", "Navidad (25 de diciembre de 2026)"), ("de", "Navidad (25. Dezember 2026)")],
)
def test_a_holiday_names_its_day_in_the_active_language(language, said):
    from datetime import date

    from cadre.schedule.models import Holiday

    with translation.override(language):
        assert str(Holiday(name="Navidad", on=date(2026, 12, 25))) == said


@pytest.mark.parametrize(("language", "day"), [("es", "miércoles"), ("de", "Mittwoch")])
def test_the_slot_finder_names_the_day_in_the_active_language(language, day):
    from datetime import time

    from cadre.schedule.rota import Slot

    slot = Slot(0, 2, time(9), time(10), [], [], 0, False)
    with translation.override(language):
        assert slot.weekday_name == day
