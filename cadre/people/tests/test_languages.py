"""People read Cadre in their language (cadre.people.languages): the browser's by default, the
footer switcher's for a visitor, their saved one when signed in; e-mails in the recipient's
language; dates in the language's formats; the English-only notice on the checked forms."""

import datetime

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from cadre.cohorts.models import CohortStatus
from cadre.cohorts.services import change_status
from cadre.people.languages import SESSION_KEY, language_of
from cadre.people.models import Profile
from cadre.testing import run_worker, save_language

pytestmark = pytest.mark.time_machine("2026-03-04 10:00:00+00:00", tick=False)

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-ES,es;q=0.9,en;q=0.5"}


def test_a_visitor_gets_english_by_default(client):
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "Learn faster, together." in page


def test_a_spanish_browser_gets_spanish_pages(client):
    response = client.get("/", **SPANISH)
    page = response.content.decode()
    assert '<html lang="es">' in page
    assert "Aprender más rápido, juntos." in page
    assert response["Content-Language"] == "es"
    missing = client.get("/no-such-page/", **SPANISH).content.decode()
    assert "Aquí no hay ninguna página" in missing


def test_the_footer_switcher_keeps_a_visitors_choice_in_a_cookie(client):
    response = client.post(reverse("language"), {"language": "de", "next": "/"}, **SPANISH)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.cookies["django_language"].value == "de"
    assert '<html lang="de">' in client.get("/", **SPANISH).content.decode()


def test_the_switcher_refuses_a_language_it_does_not_offer_and_a_foreign_next(client):
    response = client.post(reverse("language"), {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert "django_language" not in client.cookies


def test_a_german_persons_saved_language_wins_over_the_browser(cast, client_for):
    save_language(cast.member, "de")
    browser = client_for(cast.member)  # signs in: the saved language goes into the session
    page = browser.get(reverse("people:profile_edit"), **SPANISH).content.decode()
    assert '<html lang="de">' in page
    assert "Mein Profil" in page
    assert browser.session[SESSION_KEY] == "de"


def test_choosing_a_language_on_the_profile_saves_it_and_takes_effect(cast, client_for):
    browser = client_for(cast.member)
    response = browser.post(reverse("language"), {"language": "es", "next": "/me/profile/"})
    assert response.status_code == 302
    assert Profile.objects.get(user=cast.member).language == "es"
    page = browser.get(reverse("people:profile_edit")).content.decode()
    assert "Mi perfil" in page
    # Back to following the browser.
    browser.post(reverse("language"), {"language": "", "next": "/"})
    assert Profile.objects.get(user=cast.member).language == ""
    assert SESSION_KEY not in browser.session
    assert "My profile" in browser.get(reverse("people:profile_edit")).content.decode()


def test_an_email_to_a_german_recipient_is_in_german(cast, smtp_inbox):
    save_language(cast.member, "de")
    with translation.override("es"):  # whoever completes the cohort reads Spanish
        change_status(cast.organizer, cast.cohort, status=CohortStatus.COMPLETED)
    run_worker()
    by_recipient = {
        envelope.rcpt_tos[0]: body
        for envelope, body in zip(smtp_inbox.messages, smtp_inbox.bodies(), strict=True)
    }
    german = by_recipient[cast.member.email]
    assert "ist zu Ende gegangen. Danke, dass du dabei warst." in german
    others = [body for email, body in by_recipient.items() if email != cast.member.email]
    assert others and all("has finished. Thank you for being part of it." in b for b in others)
    assert language_of(cast.member) == "de" and language_of(cast.host) == "en"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "March 4, 2026"), ("es", "4 de marzo de 2026"), ("de", "4. März 2026")],
)
def test_dates_follow_the_language(language, expected):
    with translation.override(language):
        text = Template("{{ day|date }}").render(Context({"day": datetime.date(2026, 3, 4)}))
    assert text == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "1,234.5 · 46.4% · 12,000 hours"),
        ("de", "1.234,5 · 46,4% · 12.000 hours"),
        ("es", "1\xa0234,5 · 46,4% · 12\xa0000 hours"),
    ],
)
def test_numbers_follow_the_language(language, expected):
    with translation.override(language):
        text = Template(
            '{{ n|number }} · {{ rate|number:"%" }} · {{ hours|number:"hours" }}'
        ).render(Context({"n": 1234.5, "rate": 46.4, "hours": 12000}))
    assert text == expected


def test_the_checked_forms_say_the_checks_read_english_only(cast, client_for):
    browser = client_for(cast.member)
    url = reverse("accountability:commitment_new", args=["northwind", "reliability"])
    assert "English only" not in browser.get(url).content.decode()
    save_language(cast.member, "de")
    german = client_for(cast.member).get(url).content.decode()
    assert "nur Englisch" in german


def test_the_shipped_catalogues_are_complete():
    """Fails when a catalogue misses a marked string, leaves one untranslated or fuzzy,
    breaks a placeholder or an HTML tag, or its .mo is out of date: `cadre catalogues --check`
    (docs/languages.md)."""
    call_command("catalogues", "--check")


def test_updating_the_catalogues_changes_no_translation(tmp_path, settings):
    """`cadre catalogues`, run on a copy of the shipped catalogues, keeps every translation and
    compiles catalogues that pass the check: what a contributor runs after marking strings."""
    import shutil
    from pathlib import Path

    from cadre.lib.catalogues import parse_po

    shipped = Path(settings.LOCALE_PATHS[0])
    copy = tmp_path / "locale"
    shutil.copytree(shipped, copy)
    settings.LOCALE_PATHS = [str(copy)]
    call_command("catalogues")
    for language in ("es", "de"):
        po = f"{language}/LC_MESSAGES/django.po"
        before = {e.key: e.msgstr for e in parse_po((shipped / po).read_text(encoding="utf-8"))}
        after = {e.key: e.msgstr for e in parse_po((copy / po).read_text(encoding="utf-8"))}
        assert after == before
    call_command("catalogues", "--check")


# --- the directory, person pages, skills and pictures ---------------------------------------


def test_the_directory_speaks_the_readers_language(cast, client_for):
    from cadre.networks.models import Skill
    from cadre.people.models import ProfileSkill

    skill = Skill.objects.filter(network=cast.network).first()
    profile, _ = Profile.objects.get_or_create(user=cast.host)
    ProfileSkill.objects.create(profile=profile, skill=skill, level=3)
    Profile.objects.filter(user=cast.host).update(seniority="senior")
    save_language(cast.member, "es")
    browser = client_for(cast.member)
    page = browser.get(reverse("networks:directory", args=["northwind"])).content.decode()
    assert "Personas de " in page and "People in " not in page
    assert "cualquier habilidad" in page and "any skill" not in page  # the filters' choices
    assert "3 · sé hacerlo por mi cuenta" in page  # the "at least" filter's levels
    person = browser.get(
        reverse("networks:person", args=["northwind", cast.host.pk])
    ).content.decode()
    assert "Miembro desde" in person and "Member since" not in person
    assert "3 · sé hacerlo por mi cuenta" in person  # the skill level's label
    assert "Sénior" in person  # the seniority's label
    save_language(cast.member, "de")
    german = client_for(cast.member).get(reverse("networks:directory", args=["northwind"]))
    assert "Personen in " in german.content.decode()


def test_the_profiles_skill_levels_and_a_pictures_refusal_are_translated(cast, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    save_language(cast.member, "de")
    browser = client_for(cast.member)
    profile = browser.get(reverse("people:profile_edit")).content.decode()
    assert "4 · kann ich anderen beibringen" in profile and "nicht bewertet" in profile
    assert "can teach it" not in profile
    bad = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    answer = browser.post(reverse("people:avatar_edit"), {"avatar": bad}, follow=True)
    assert "Diese Datei ist kein Bild, das Cadre verwenden kann" in answer.content.decode()


def test_a_profile_refusal_follows_the_active_language(cast):
    from cadre.lib.rules import Refused
    from cadre.people import services

    with translation.override("es"), pytest.raises(Refused) as refused:
        services.update_profile(cast.member, name="  ", fields={})
    assert refused.value.fields == {"name": ["Indica tu nombre, por favor."]}
