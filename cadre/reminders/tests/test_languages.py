"""Reminders, the weekly digest and calendar invitations are written in their recipient's
saved language (cadre.people.languages.in_language_of), whole: subject, the lines built in
Python, the template around them and the dates; and the notification pages follow the page's
language."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse

from cadre.delivery.sending import deliver_due
from cadre.people.models import Profile
from cadre.reminders import sending
from cadre.reminders.sending import queue_due

from .helpers import NOW, TODAY, commit, session_in

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-ES,es;q=0.9"}


def save_language(user, language):
    profile, _ = Profile.objects.get_or_create(user=user)
    profile.language = language
    profile.save()


def mail_to(user):
    return next(m for m in mail.outbox if m.to == [user.email])


def test_the_weekly_digest_is_in_each_recipients_language(cast):
    save_language(cast.member, "es")
    save_language(cast.newcomer, "de")
    for person in (cast.member, cast.newcomer):
        commit(person, cast.cohort, TODAY + timedelta(days=4), text="Write the postmortem")
    session_in(cast.cohort, hours=30)
    queue_due(NOW)
    deliver_due()
    spanish, german, english = mail_to(cast.member), mail_to(cast.newcomer), mail_to(cast.host)
    assert spanish.subject == "[Cadre] Tu semana, 30 de noviembre"
    assert spanish.body.startswith("Hola, ")
    assert "Sesiones de esta semana:" in spanish.body
    assert "Write the postmortem (vence el 4 Dic)" in spanish.body
    assert "Informes publicados la semana pasada:" in spanish.body
    assert "Recibes esto por tus ajustes de notificaciones." in spanish.body
    assert "Sessions" not in spanish.body and "Hello" not in spanish.body
    assert german.subject == "[Cadre] Deine Woche, 30. November"
    assert "Sitzungen diese Woche:" in german.body
    assert "Write the postmortem (fällig am 4. Dez)" in german.body
    assert english.subject == "[Cadre] Your week, 30 November"
    assert "Sessions this week:" in english.body and english.body.startswith("Hello ")


def test_a_session_reminder_is_in_the_recipients_language(cast, monkeypatch):
    monkeypatch.setattr(sending, "weekly_digests", lambda now: iter(()))
    save_language(cast.member, "de")
    save_language(cast.host, "es")
    session_in(cast.cohort, hours=10, role_for=cast.member, role="note-taker")
    queue_due(NOW)
    deliver_due()
    german, spanish = mail_to(cast.member), mail_to(cast.host)
    assert "Deine Rolle: note-taker." in german.body
    assert " beginnt am Montag, 30. November um " in german.body
    assert german.subject.startswith(f"[Cadre] {cast.cohort.name}: Session am Mo 30. Nov, ")
    assert "Esta vez no tienes ningún rol." in spanish.body
    assert " empieza el lunes 30 de noviembre a las " in spanish.body
    assert "Ábrelo en Cadre: " in spanish.body


def test_the_notification_pages_follow_the_pages_language(cast, client_for):
    client = client_for(cast.member)
    page = client.get(reverse("notifications"), **SPANISH).content.decode()
    assert "Lo que Cadre te envía por correo." in page
    assert "Horas antes de una sesión para recordármela" in page
    assert "El resumen semanal (los lunes)" in page
    answer = client.post(
        reverse("notifications"), {"hours_before_session": 500}, **SPANISH
    ).content.decode()
    assert "Entre 1 y 168 horas (una semana)." in answer
    token = sending.unsubscribe_token(cast.member, "digest")
    stop = client.get(reverse("reminders:unsubscribe", args=[token]), **SPANISH)
    assert "¿Dejar de enviar correos de tipo <strong>el resumen semanal</strong>" in (
        stop.content.decode()
    )


def test_the_sign_in_and_sso_pages_follow_the_pages_language(client, db):
    page = client.get(reverse("account_login"), **SPANISH).content.decode()
    assert "Iniciar sesión con tu organización" in page
    assert "Dirección de correo del trabajo" in page
    missing = client.get(
        reverse("sso_entry:route"), {"email": "someone@nowhere.example"}, follow=True, **SPANISH
    ).content.decode()
    assert "No hay ningún inicio de sesión único configurado para nowhere.example" in missing
