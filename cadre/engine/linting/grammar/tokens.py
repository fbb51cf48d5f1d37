"""Text into tokens (words with clitics split off, numbers, punctuation, quoted spans) and
sentences."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .lexicon import (
    known,
)
from .words import (
    ABBREVIATIONS,
    MONTHS,
    WEEKDAYS,
)


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    kind: str  # word, num, punct, quote

    @property
    def low(self) -> str:
        return self.text.lower()

    def is_name(self) -> bool:
        """A capitalised word the lexicon doesn't know ("Priya", "Amira"), or a handle
        ("@mod_kez")."""
        if self.kind == "word" and self.text.startswith("@") and len(self.text) > 2:
            return True
        return (
            self.kind == "word"
            and re.fullmatch(
                r"(?:Ma?c|O'|De|La|Le|Di|Van)?[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?", plain(self.text)
            )
            is not None
            and not known(self.text)
            and self.low not in WEEKDAYS
            and self.low not in MONTHS
        )


def plain(text: str) -> str:
    """The word without its accents, as a name is matched: "Joaquín" as "Joaquin"."""
    folded = unicodedata.normalize("NFKD", text)
    return "".join(c for c in folded if not unicodedata.combining(c))


_QUOTE = re.compile(
    r"(?:(?<=^)|(?<=[\s(\[]))(['\"])(?=\S)(.{1,200}?)(?<=\S)\1(?=$|[\s.,;:!?)\-–—])"
)


_TOKEN = re.compile(
    r"(?P<num>[~$£€#]?\d+(?:[.:,/]\d+)*(?:%|x|st|nd|rd|th|am|pm|k|m)?(?![\w]))"
    r"|(?P<clitic>n't|'(?:s|re|d|ll|ve|m)(?![a-z]))"
    # letters with accents too: "Joaquín", "Zoë", "Łukasz"
    # "#incidents", "@dev": a channel or a handle is one word
    r"|(?P<word>(?<![\w])[#@][^\W\d_][\w-]*|[^\W_]+(?:[\-/&.'][^\W_]+)*(?:'(?=\s|$))?)"
    r"|(?P<punct>[.!?]+|->|=>|→|[,;:()\[\]–—]|-+|\S)"
)


_CLITIC_WORD = re.compile(r"^(?P<base>.*?)(?P<clitic>n't|'(?:s|re|d|ll|ve|m))$", re.I)


# "didnt", "dont", "wasnt" typed fast on a phone: the apostrophe put back so the verb and
# its negation read as they do in "didn't".
_BARE_NEGATION = re.compile(
    r"\b(did|do|does|was|were|could|would|should|is|are|has|have|had|ca|wo|must|need)nt\b",
    re.IGNORECASE,
)


def normalise(text: str) -> str:
    """Curly quotes and dashes made plain, runs of white space made one space, and a
    negation typed without its apostrophe ("didnt") given one."""
    table = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "–"}
    for old, new in table.items():
        text = text.replace(old, new)
    text = _BARE_NEGATION.sub(lambda m: m.group(1) + "n't", text)
    return re.sub(r"\s+", " ", text).strip()


def tokenize(text: str) -> list[Token]:
    """Words (clitics split off: "didn't" -> "did", "n't"), numbers, punctuation, and
    each quoted span as one token."""
    tokens: list[Token] = []
    quotes = [(m.start(), m.end()) for m in _QUOTE.finditer(text)]
    pos = 0
    for qstart, qend in [*quotes, (len(text), len(text))]:
        tokens.extend(_plain_tokens(text, pos, qstart))
        if qend > qstart:
            tokens.append(Token(text[qstart:qend], qstart, qend, "quote"))
        pos = qend
    return tokens


def _plain_tokens(text: str, start: int, end: int) -> list[Token]:
    tokens = []
    for match in _TOKEN.finditer(text, start, end):
        kind = match.lastgroup or "punct"
        value = match.group(0)
        if kind == "clitic":
            kind = "word"
        if kind == "word" and "'" in value:
            split = _CLITIC_WORD.match(value)
            if split and split.group("base"):
                cut = match.start() + len(split.group("base"))
                tokens.append(Token(split.group("base"), match.start(), cut, "word"))
                tokens.append(Token(split.group("clitic"), cut, match.end(), "word"))
                continue
            if value.endswith("'") and not value.endswith("s'"):
                value = value[:-1]
        tokens.append(Token(value, match.start(), match.start() + len(value), kind))
    return tokens


def split_sentences(tokens: list[Token]) -> list[list[Token]]:
    sentences: list[list[Token]] = []
    current: list[Token] = []
    for i, token in enumerate(tokens):
        current.append(token)
        if token.kind == "punct" and token.text[0] in ".!?":
            prev = tokens[i - 1].low if i else ""
            if token.text == "." and prev in ABBREVIATIONS:
                continue
            sentences.append(current)
            current = []
    if current:
        sentences.append(current)
    return [s for s in sentences if any(t.kind != "punct" for t in s)]
