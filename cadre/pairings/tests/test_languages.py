"""The mentor matching engine's English, said again in the reader's language."""

import pytest
from django.utils import translation

from cadre.engine.rotation import match_mentors
from cadre.pairings import wording
from cadre.testing import save_language

from .helpers import mentor_match
from .test_pages import relationship_url


class Person:
    def __init__(self, name, email=""):
        self.name, self.email = name, email

    def __str__(self):
        return self.name


ANA, BO = Person("Ana Ruiz", "ana@example.org"), Person("Bo Berg", "bo@example.org")


def engine_explanation(newcomer_levels, mentor_levels, wanted=()):
    answer = match_mentors(
        {"Bo Berg": newcomer_levels},
        {"Ana Ruiz": mentor_levels},
        {"Ana Ruiz": 1},
        wanted={"Bo Berg": list(wanted)},
    )
    return answer.matches[0].explanation, answer.message


@pytest.mark.parametrize("language", ["es", "de"])
def test_the_engines_explanation_and_summary_are_said_again(language):
    text, message = engine_explanation(
        {"python": 1}, {"Python": 4, "SQL": 3, "Go": 2}, wanted=["SQL"]
    )
    assert text.startswith("Ana Ruiz can teach SQL (3)")
    with translation.override(language):
        said = wording.explanation(text, ANA, BO)
        assert said != text and "can teach" not in said
        # The engine puts asked-for skills first; all three and their levels are kept.
        for part in ("SQL (3)", "Bo Berg", "Ana Ruiz"):
            assert part in said
        assert wording.summary(message) != message
        assert "matched" not in wording.summary(message)


@pytest.mark.parametrize("language", ["es", "de"])
def test_other_known_sentences_are_said_again_and_unknown_ones_kept(language):
    spare, _ = engine_explanation({"Go": 5}, {"Go": 1})
    with translation.override(language):
        assert "spare capacity" not in wording.explanation(spare, ANA, BO)
        assert "Re-matched" not in wording.explanation("Re-matched after Ana Ruiz.", ANA, BO)
        assert wording.explanation("Both care about reliability.", ANA, BO) == (
            "Both care about reliability."
        )
        # A namesake's key carries the e-mail address, as the engine was given it.
        keyed = "Ana Ruiz <ana@example.org> can teach Go (3), which Bo Berg rated 0."
        assert "can teach" not in wording.explanation(keyed, ANA, BO)
        left = wording.summary(
            "2 newcomer(s) matched, total benefit 7.5; 1 without a mentor (not enough capacity)"
        )
        assert "without a mentor" not in left and "7,5" in left


def test_in_english_the_engines_sentence_reads_as_written():
    text, message = engine_explanation({}, {"Python": 4, "Go": 2}, wanted=["Go"])
    with translation.override("en"):
        assert wording.explanation(text, ANA, BO) == text
        assert wording.summary(message) == "1 newcomer matched, total benefit 8."


@pytest.mark.parametrize(
    ("language", "why"),
    [
        ("es", "Por qué esta asignación: Mei Mentor puede enseñar"),
        ("de", "Warum diese Zuordnung: Mei Mentor kann"),
    ],
)
def test_the_relationship_page_says_an_old_match_in_the_readers_language(
    cast, client_for, language, why
):
    match = mentor_match(cast)
    match.explanation = f"{cast.mentor} can teach Runbooks (4), which {cast.member} rated 1."
    match.save()
    save_language(cast.member, language)
    page = client_for(cast.member).get(relationship_url(cast, match)).content.decode()
    assert why in page
    assert "can teach" not in page


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("es", ["personas recién llegadas emparejadas", "Mei Mentor tiene capacidad libre"]),
        ("de", ["neue Personen zugeordnet", "Mei Mentor hat freie Kapazität"]),
    ],
)
def test_mentor_matching_proposes_and_sums_up_in_the_readers_language(
    cast, client_for, language, said
):
    from django.urls import reverse

    save_language(cast.organizer, language)
    page = client_for(cast.organizer).get(reverse("mentors:list", args=[cast.network.slug]))
    assert page.status_code == 200
    text = page.content.decode()
    for words in said:
        assert words in text
    assert "matched, total benefit" not in text
    # The form keeps the engine's English to store it; the reader sees their language.
    assert '">Mei Mentor has spare capacity' not in text
