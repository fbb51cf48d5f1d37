"""The inbox's sentences in the reader's language, and the conversation's refusals in the
language active when they are raised (docs/languages.md)."""

import pytest
from django.urls import reverse
from django.utils import translation

from cadre.conversation import services
from cadre.lib.rules import Refused
from cadre.testing import save_language

from .helpers import item, update

pytestmark = pytest.mark.time_machine("2026-03-04 10:00:00+00:00", tick=False)


def test_each_notifications_sentence_is_in_the_readers_language(cast, client_for):
    u = update(cast.host, cast.cohort)
    comment = services.post_comment(author=cast.member, item=item(u), body="Nice")
    services.post_comment(author=cast.newcomer, item=item(u), body="Well done, @hana")
    services.toggle_reaction(person=cast.newcomer, item=item(u), kind="thumbs_up", comment=None)
    services.post_comment(author=cast.newcomer, item=item(u), body="Agreed", parent=comment)
    save_language(cast.host, "es")
    save_language(cast.member, "de")
    spanish = client_for(cast.host).get("/me/inbox/").content.decode()
    assert "comentó <a" in spanish and "reaccionó en <a" in spanish
    assert "el avance de Hana Host</a>" in spanish
    assert f"en {cast.cohort.name}," in spanish
    assert "commented on" not in spanish and "reacted to" not in spanish
    german = client_for(cast.member).get("/me/inbox/").content.decode()
    assert "hat auf deinen Kommentar geantwortet: <a" in german
    assert "Fortschritt von Hana Host</a>" in german
    assert "replied to your comment" not in german


def test_a_refusal_is_in_the_language_active_when_it_is_raised(cast):
    u = update(cast.host, cast.cohort)
    with translation.override("de"), pytest.raises(Refused) as refused:
        services.post_comment(author=cast.member, item=item(u), body="   ")
    assert refused.value.message == "Schreib etwas, bevor du deinen Kommentar sendest."
    with pytest.raises(Refused) as english:
        services.post_comment(author=cast.member, item=item(u), body="   ")
    assert english.value.message == services.EMPTY_COMMENT


def test_the_name_of_what_is_commented_and_a_sessions_month_are_in_the_readers_language(
    cast, client_for
):
    from cadre.conversation.feed import _session_title
    from cadre.conversation.models import Subject
    from cadre.schedule.models import Session

    with translation.override("es"):
        assert str(Subject.UPDATE.label) == "actualización de avance"
    with translation.override("de"):
        assert str(Subject.REPORT.label) == "Sitzungsbericht"
    session = Session(cohort=cast.cohort, starts_at=cast.cohort.created_at.replace(month=12, day=4))
    with translation.override("es"):
        assert _session_title(cast.cohort, session).endswith(", 4 Dic")
    with translation.override("de"):
        assert _session_title(cast.cohort, session).endswith(", 4 Dez")
    u = update(cast.host, cast.cohort)
    save_language(cast.member, "es")
    url = reverse("conversation:update", args=[cast.network.slug, cast.cohort.slug, u.pk])
    thread = client_for(cast.member).get(url).content.decode()
    assert "elemento (actualización de avance)" in thread
    assert "progress update" not in thread
    assert "Tu comentario" in thread and "Puedes usar Markdown." in thread
    assert "Your comment" not in thread and "Markdown works." not in thread


@pytest.mark.parametrize(
    "language, heading, empty",
    [
        ("es", "Actividad reciente", "Aquí todavía no ha pasado nada."),
        ("de", "Letzte Aktivität", "Hier ist noch nichts passiert."),
    ],
)
def test_the_boards_recent_activity_is_in_the_readers_language(
    cast, client_for, language, heading, empty
):
    save_language(cast.member, language)
    board = reverse("accountability:board", args=[cast.network.slug, cast.cohort.slug])
    page = client_for(cast.member).get(board).content.decode()
    assert heading in page and empty in page and "Recent activity" not in page
