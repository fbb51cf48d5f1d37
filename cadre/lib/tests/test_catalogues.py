"""The rules of a complete catalogue (cadre.lib.catalogues), on small .po files."""

import subprocess

from cadre.lib.catalogues import check, parse_po, problems_of

PO = r"""# header
#, fuzzy
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"

#: a.html
msgid "Hello %(name)s, see <a href=\"%(url)s\">the board</a>."
msgstr "Hola %(name)s, mira <a href=\"%(url)s\">el tablero</a>."

msgid "Page {number}"
msgstr "Página {number}"

#, fuzzy
msgid "Sign in"
msgstr "Entrar"

msgid ""
"Two "
"lines"
msgstr ""

msgctxt "verb"
msgid "Close"
msgstr "Cerrar"

#~ msgid "Gone"
#~ msgstr "Ido"
"""


def entries():
    return {e.msgid: e for e in parse_po(PO) if e.msgid}


def test_the_parser_reads_entries_context_continuations_and_flags():
    found = entries()
    assert set(found) == {
        'Hello %(name)s, see <a href="%(url)s">the board</a>.',
        "Page {number}",
        "Sign in",
        "Two lines",
        "Close",
    }
    assert found["Close"].msgctxt == "verb"
    assert "fuzzy" in found["Sign in"].flags


def test_a_good_translation_has_no_problem():
    found = entries()
    assert problems_of(found['Hello %(name)s, see <a href="%(url)s">the board</a>.']) == []
    assert problems_of(found["Page {number}"]) == []


def test_untranslated_and_fuzzy_strings_are_problems():
    found = entries()
    assert problems_of(found["Two lines"]) == ["has no translation"]
    assert problems_of(found["Sign in"]) == ["is marked fuzzy"]


def test_a_lost_or_renamed_placeholder_or_tag_is_a_problem():
    (entry,) = [e for e in parse_po(PO) if e.msgid.startswith("Hello")]
    entry.msgstr = ['Hola %(nombre)s, mira <b href="%(url)s">el tablero</b>.']
    problems = problems_of(entry)
    assert any("%(name)s" in p and "loses" in p for p in problems)
    assert any("%(nombre)s" in p and "adds" in p for p in problems)
    assert any("<b>" in p for p in problems)


def test_check_names_missing_stale_strings_and_a_stale_mo(tmp_path):
    po = tmp_path / "es" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(PO, encoding="utf-8")
    fresh = {(None, "Page {number}"), (None, "New one")}
    problems = check(po, fresh)
    assert "es: missing 'New one'" in problems
    assert "es: 'Sign in' is no longer in the source" in problems
    assert any("django.mo is missing" in p for p in problems)
    subprocess.run(["msgfmt", "-o", str(po.with_suffix(".mo")), str(po)], check=True)
    assert not any(".mo" in p for p in check(po, fresh))
    po.write_text(PO.replace("Página", "Hoja"), encoding="utf-8")
    assert any("does not match" in p for p in check(po, fresh))
