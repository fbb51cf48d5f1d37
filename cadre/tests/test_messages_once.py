"""Each sentence Cadre says to people is written once (issue 14: "each of the duplicated messages
exists once").

`test_rule_messages.py` holds the sentences that state a rule; this gate holds every sentence:
a help text, a flash message, an API field's description, an e-mail line, a page's paragraph.
A sentence is a string of five words or more that ends in ".", "!" or "?": a string literal of
a module of Cadre (not its tests, migrations or docstrings; each fixed part of an f-string on
its own), or a template's text, `{% translate %}` or `{% blocktranslate %}` (its variables
as `%(name)s`, as gettext sees them). A sentence found in two places is one that someone will
change in one place only: the second place uses the first (the model field's help text, the
owning app's constant, a shared description in `cadre/api/schemas.py`, an included template).
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path

from django.template.base import Lexer, TokenType

from cadre.testing import cadre_sources

CADRE = Path(__file__).resolve().parents[1]
MIN_WORDS = 5

# Sentences that are right to say in more than one place, each with the reason.
ALLOWED: dict[str, str] = {
    # The Django-free engine writes these in English; cadre/formation/wording.py marks the
    # same sentence for the catalogues to say it again in the reader's language.
    "No learning goal is shared by two members.": "the engine's sentence, translated at display",
    "Every cohort might still be able to meet in another arrangement; none was found in the "
    "time given.": "the engine's sentence, translated at display",
}

_SENTENCE_END = re.compile(r"[.!?][”’\"')]*$")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z“‘\"(%])")
_TRANSLATE = re.compile(r"""^(?:translate|trans)\s+(["'])(.*?)(?<!\\)\1""", re.DOTALL)
# Tags that end a line of text (a sentence never runs across them); others are inline.
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|li|ul|ol|dl|dt|dd|h[1-6]|td|th|tr|table|br|hr|section|article|header|"
    r"footer|nav|main|aside|form|fieldset|legend|label|button|option|select|textarea|input|"
    r"summary|details|figure|figcaption|blockquote|pre|title|caption)\b[^>]*>",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]*>")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def is_sentence(text: str) -> bool:
    return len(text.split()) >= MIN_WORDS and bool(_SENTENCE_END.search(text))


def python_sentences(source: str, path: str = "<module>") -> Iterator[tuple[str, int]]:
    """(sentence, line) of each string literal of a module, docstrings aside."""
    tree = ast.parse(source, filename=path)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and "\n" not in node.value.strip()
        ):
            text = node.value.strip()
            if is_sentence(text):
                yield text, node.lineno


def _sentences_of_text(text: str) -> Iterator[str]:
    text = _BLOCK_TAG.sub("\n", _HTML_COMMENT.sub("", text))
    for line in _TAG.sub("", text).split("\n"):
        for sentence in _SENTENCE_BREAK.split(" ".join(line.split())):
            if is_sentence(sentence):
                yield sentence


def _variable(contents: str) -> str:
    return f"%({contents.split('|')[0].strip()})s"


def _message(run: list[str]) -> str:
    return " ".join("".join(run).split())


def template_sentences(source: str) -> Iterator[tuple[str, int]]:
    """(sentence, line) of a template: each sentence of its text, and each message of its
    translate and blocktranslate tags whole (the singular and the plural one each), as the
    translators get it."""
    run: list[str] = []
    run_line = 1
    translating = in_comment = False

    def flush() -> Iterator[tuple[str, int]]:
        if translating:
            message = _message(run)
            if is_sentence(message):
                yield message, run_line
        else:
            for sentence in _sentences_of_text("".join(run)):
                yield sentence, run_line
        run.clear()

    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.COMMENT:
            continue
        if token.token_type == TokenType.BLOCK:
            command = token.contents.split(maxsplit=1)[0] if token.contents else ""
            yield from flush()
            run_line = token.lineno or 0
            if command == "comment":
                in_comment = True
            elif command == "endcomment":
                in_comment = False
            elif command in {"translate", "trans"}:
                match = _TRANSLATE.match(token.contents)
                if match and is_sentence(match.group(2)):
                    yield match.group(2), (token.lineno or 0)
            elif command in {"blocktranslate", "blocktrans"}:
                translating = True
            elif command in {"endblocktranslate", "endblocktrans"}:
                translating = False
            continue
        if in_comment:
            continue
        if not run:
            run_line = token.lineno or 0
        run.append(
            _variable(token.contents) if token.token_type == TokenType.VAR else token.contents
        )
    yield from flush()


def sources() -> Iterator[tuple[str, str]]:
    """Every module and template of Cadre that people read from (cadre.testing)."""
    return cadre_sources(templates=True)


def written_more_than_once(files: Mapping[str, str]) -> dict[str, list[str]]:
    """Sentences -> the places (path:line) where each is written, for those written twice or
    more and not allowed to be."""
    places: dict[str, list[str]] = defaultdict(list)
    for path, source in files.items():
        found = (
            python_sentences(source, path) if path.endswith(".py") else template_sentences(source)
        )
        for sentence, line in found:
            places[sentence].append(f"{path}:{line}")
    return {
        sentence: sorted(where)
        for sentence, where in sorted(places.items())
        if len(where) > 1 and sentence not in ALLOWED
    }


def test_each_sentence_is_written_once():
    twice = written_more_than_once(dict(sources()))
    assert not twice, (
        "These sentences are written more than once; say each in one place (the owning app's "
        "constant, the model field's help text, a shared description) and use it from the "
        "others:\n" + "\n".join(f"{s!r} at {', '.join(p)}" for s, p in twice.items())
    )


def test_the_gate_finds_a_sentence_written_twice():
    sentence = "Pick a day when everyone can come."
    module = f'HELP = "{sentence}"\n'
    template = f'<p>{{% translate "{sentence}" %}}</p>\n'
    assert written_more_than_once({"a/forms.py": module, "a/templates/a/page.html": template}) == {
        sentence: ["a/forms.py:1", "a/templates/a/page.html:1"]
    }
    shared = "from a.models import HELP\nfield = Field(help_text=HELP)\n"
    assert written_more_than_once({"a/models.py": module, "a/forms.py": shared}) == {}


def test_the_gate_reads_template_text_and_blocktranslate_as_gettext_does():
    page = (
        "{# Nobody reads this comment as a sentence. #}\n"
        "<h2>Your week</h2><p>Nothing is due this week, {{ person.name }}.</p>\n"
        "{% blocktranslate with name=person.name %}Welcome back to the cohort, {{ name }}."
        "{% endblocktranslate %}\n"
    )
    assert [s for s, _ in template_sentences(page)] == [
        "Nothing is due this week, %(person.name)s.",
        "Welcome back to the cohort, %(name)s.",
    ]
    code = '"""A docstring is not said to anyone at all."""\nx = _("Welcome back to the cohort, %(name)s.")\n'
    assert written_more_than_once({"a/views.py": code, "a/templates/a/p.html": page}) == {
        "Welcome back to the cohort, %(name)s.": ["a/templates/a/p.html:3", "a/views.py:2"]
    }


def test_every_module_and_template_is_read():
    paths = [path for path, _ in sources()]
    assert "cadre/cohorts/services.py" in paths and "cadre/templates/base.html" in paths
    assert any(p.endswith(".txt") and "/templates/" in p for p in paths)
    assert not any("/tests/" in p or "/migrations/" in p for p in paths)
