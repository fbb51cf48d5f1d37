"""A network's settings, skill taxonomy, code of conduct and invitations in the reader's
language, and the invitation e-mail in its reader's (docs/languages.md)."""

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from cadre.networks.models import Invitation, Role, Skill
from cadre.testing import run_worker, save_language

pytestmark = pytest.mark.time_machine("2026-03-04 10:00:00+00:00", tick=False)

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-ES,es;q=0.9"}


def page(client: Any, name: str, cast: Any, *args: Any, **extra: Any) -> str:
    response = client.get(reverse(name, args=[cast.network.slug, *args]), **extra)
    assert response.status_code == 200
    return response.content.decode()


def test_the_settings_and_skill_pages_speak_german(cast, client):
    save_language(cast.admin, "de")
    client.force_login(cast.admin)
    settings = page(client, "networks:settings", cast)
    assert f"<h1>Einstellungen von {cast.network.name}</h1>" in settings
    assert "Einstellungen speichern" in settings and "Taxonomie der Fähigkeiten" in settings
    assert "Save settings" not in settings and "Skill taxonomy" not in settings
    skills = page(client, "networks:skills", cast)
    assert "Eine Fähigkeit hinzufügen" in skills and "Fähigkeit hinzufügen</button>" in skills
    assert "Add a skill" not in skills
    skill = Skill.objects.filter(network=cast.network).first()
    edit = page(client, "networks:skill_edit", cast, skill.pk)
    assert "Mit einer anderen Fähigkeit zusammenführen" in edit and "wähle eine Fähigkeit" in edit
    assert "Merge into another skill" not in edit


def test_the_skill_services_refuse_in_spanish(cast, client):
    save_language(cast.admin, "es")
    client.force_login(cast.admin)
    skill = Skill.objects.filter(network=cast.network).first()
    answer = client.post(
        reverse("networks:skills", args=[cast.network.slug]),
        {"name": skill.name, "category": "", "description": ""},
    ).content.decode()
    assert f"{cast.network.name} ya tiene una habilidad llamada «{skill.name}»." in answer
    assert "already has a skill" not in answer


def test_the_code_of_conduct_page_speaks_spanish(cast, client):
    save_language(cast.organizer, "es")
    client.force_login(cast.organizer)
    conduct = page(client, "networks:conduct", cast)
    assert f"Código de conducta de {cast.network.name}" in conduct
    assert "Publicar nueva versión" in conduct and "Nueva versión" in conduct
    assert "Publish new version" not in conduct


def test_the_invitation_pages_speak_german_with_their_roles_and_refusals(cast, client):
    save_language(cast.admin, "de")
    client.force_login(cast.admin)
    invitations = page(client, "networks:invitations", cast)
    assert f"Einladungen zu {cast.network.name}" in invitations
    assert "Einladung senden" in invitations and "E-Mail-Adresse" in invitations
    assert "Organisator:in" in invitations  # the role's choice label
    assert "Send invitation" not in invitations and "Organizer" not in invitations
    refused = client.post(
        reverse("networks:invitations", args=[cast.network.slug]),
        {"email": cast.member.email, "role": Role.MEMBER, "message": ""},
    ).content.decode()
    assert f"ist bereits Mitglied von {cast.network.name}." in refused
    bulk = client.post(
        reverse("networks:invitations_bulk", args=[cast.network.slug]),
        {"text": "new@example.test\nnot an address", "role": Role.MEMBER, "action": "preview"},
    ).content.decode()
    assert "Vorschau der Liste" in bulk and "1 Einladung senden" in bulk
    assert "„not an address“ ist keine E-Mail-Adresse." in bulk
    assert "Preview the list" not in bulk


def test_the_invitation_email_is_in_the_inviters_language_and_the_page_in_the_readers(cast, client):
    save_language(cast.organizer, "de")
    client.force_login(cast.organizer)
    client.post(
        reverse("networks:invitations", args=[cast.network.slug]),
        {"email": "neu@example.test", "role": Role.ORGANIZER, "message": "Willkommen!"},
    )
    run_worker()
    [email] = mail.outbox
    assert email.subject == f"[Cadre] Tritt {cast.network.name} bei"
    assert "auf Cadre als Organisator:in beizutreten." in email.body
    assert "Nimm die Einladung hier an:" in email.body and "läuft am 18. März 2026 ab" in email.body
    assert "Accept the invitation" not in email.body
    link = email.body.split("hier an:\n", 1)[1].split("\n", 1)[0]
    client.logout()
    accept = client.get("/" + link.split("/", 3)[3], **SPANISH)
    text = accept.content.decode()
    assert f"Unirte a {cast.network.name}" in text and "a participar como organizador/a." in text


def test_someone_who_chose_a_language_gets_their_invitation_in_it(cast, client):
    save_language(cast.outsider, "es")
    client.force_login(cast.organizer)  # an English page, an organizer without a language
    client.post(
        reverse("networks:invitations", args=[cast.network.slug]),
        {"email": cast.outsider.email, "role": Role.MEMBER, "message": ""},
    )
    run_worker()
    [email] = mail.outbox
    assert email.subject == f"[Cadre] Únete a {cast.network.name}"
    assert "como miembro." in email.body and "caduca el 18 de marzo de 2026" in email.body


def test_an_inviter_without_a_language_writes_english(cast, client):
    client.force_login(cast.organizer)
    client.post(
        reverse("networks:invitations", args=[cast.network.slug]),
        {"email": "new@example.test", "role": Role.MEMBER, "message": ""},
    )
    run_worker()
    [email] = mail.outbox
    assert email.subject == f"[Cadre] Join {cast.network.name}"
    assert "on Cadre as member." in email.body and "expires on 18 March 2026." in email.body
    assert Invitation.objects.get().status == "pending"


def test_an_invitation_problem_speaks_the_visitors_language(client):
    text = client.get(reverse("invitations:accept", args=["forged"]), **SPANISH)
    assert text.status_code == 400
    assert "Este enlace de invitación no es válido" in text.content.decode()
