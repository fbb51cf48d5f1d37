"""What a word can be, from lemminflect's lexicon (shipped inside the package; nothing is
downloaded): a past form of which verb, a participle, a noun, an adjective."""

from __future__ import annotations

import importlib
from functools import lru_cache

from .words import (
    ADVERBS,
    FUNCTION_WORDS,
)

# lemminflect ships no types, and no stubs exist for it: it is imported by name, so that its
# functions are Any to mypy, and the three read here get their types in the functions below
# (each returns a dict from a tag to words; empty for a word it does not know).
_lemminflect = importlib.import_module("lemminflect")


def _all_lemmas(word: str) -> dict[str, tuple[str, ...]]:
    """{"VERB": ("keep",)} for "kept": the lemmas of a word in the lexicon, by universal tag."""
    found: dict[str, tuple[str, ...]] = _lemminflect.getAllLemmas(word)
    return found


def _all_lemmas_oov(word: str, upos: str) -> dict[str, tuple[str, ...]]:
    """{"VERB": ("blork",)} for "blorked": the lemma of a word not in the lexicon, guessed
    from its ending."""
    found: dict[str, tuple[str, ...]] = _lemminflect.getAllLemmasOOV(word, upos)
    return found


def _all_inflections(lemma: str, upos: str) -> dict[str, tuple[str, ...]]:
    """{"VBD": ("kept",), "VBG": ("keeping",), ...} for "keep": the forms of a lemma, by
    Penn tag."""
    found: dict[str, tuple[str, ...]] = _lemminflect.getAllInflections(lemma, upos=upos)
    return found


@lru_cache(maxsize=8192)
def lemmas(word: str) -> dict[str, tuple[str, ...]]:
    """lemminflect's readings of a lower-cased word: {"VERB": ("keep",)} for "kept"."""
    return _all_lemmas(word)


@lru_cache(maxsize=8192)
def verb_forms(word: str) -> frozenset[str]:
    """The Penn tags a word can have as a verb form: {"VBD", "VBN"} for "kept", {"VBG"}
    for "walking". Unknown words are read by their endings ("double-booked": VBD, VBN),
    and hyphenated ones by their last part ("re-ran": VBD)."""
    word = word.lower()
    if "-" in word:
        head, _, last = word.rpartition("-")
        if head and last and last.isalpha():
            return verb_forms(last)
    readings = lemmas(word)
    prefixed = _prefixed_verb(word) if not readings else ""
    if prefixed:
        return verb_forms(prefixed)  # "reboot", "rebooted": as "boot", "booted"
    candidates = readings.get("VERB", ())
    if not readings and word.isalpha() and len(word) > 3 and word.endswith(("ed", "ing", "s")):
        candidates = _all_lemmas_oov(word, "VERB").get("VERB", ())
    tags: set[str] = set()
    for lemma in candidates:
        for tag, forms in _all_inflections(lemma, "VERB").items():
            if word in forms:
                tags.add(tag)
        if not readings and word.endswith("ed"):
            tags |= {"VBD", "VBN"}
        if not readings and word.endswith("ing"):
            tags.add("VBG")
    return frozenset(tags)


@lru_cache(maxsize=8192)
def verb_lemma(word: str) -> str:
    """The verb a form belongs to ("kept" -> "keep"); the word itself when unknown."""
    word = word.lower()
    if "-" in word:
        head, _, last = word.rpartition("-")
        if head and last.isalpha():
            return f"{head}-{verb_lemma(last)}"
    prefixed = _prefixed_verb(word) if not lemmas(word) else ""
    if prefixed:
        return word[: len(word) - len(prefixed)] + verb_lemma(prefixed)
    candidates = lemmas(word).get("VERB", ()) or _all_lemmas_oov(word, "VERB").get("VERB", ())
    return str(candidates[0]) if candidates else word


_PREFIXES = ("re", "pre", "un", "mis", "over", "co", "de")


def _prefixed_verb(word: str) -> str:
    """A word the lexicon lacks that is a prefix and a verb it knows ("reboot", "reflash",
    "prebooked", "unjammed"): that verb's form, else ""."""
    for prefix in _PREFIXES:
        rest = word[len(prefix) :]
        if (
            word.startswith(prefix)
            and len(rest) >= 3
            and rest.isalpha()
            and lemmas(rest).get("VERB")
        ):
            return rest
    return ""


def inflect(lemma: str, tag: str) -> str:
    """lemma in the given Penn tag ("sit", "VBD" -> "sat"); hyphenated verbs by their
    last part."""
    if "-" in lemma:
        head, _, last = lemma.rpartition("-")
        return f"{head}-{inflect(last, tag)}"
    forms = _all_inflections(lemma, "VERB").get(tag, ())
    return str(forms[0]) if forms else lemma


def is_past(word: str) -> bool:
    return "VBD" in verb_forms(word)


def is_participle(word: str) -> bool:
    """A past participle; for a regular verb the past form ("booked") is one too, though the
    lexicon may only list it as a past tense or an adjective."""
    forms = verb_forms(word)
    return "VBN" in forms or ("VBD" in forms and word.lower().endswith("ed"))


def is_gerund(word: str) -> bool:
    return "VBG" in verb_forms(word)


def is_adjective(word: str) -> bool:
    return "ADJ" in lemmas(word.lower())


def is_noun(word: str) -> bool:
    """A noun, or the plural of one ("logs", which the lexicon has only as a verb)."""
    low = word.lower()
    if "NOUN" in lemmas(low) or "PROPN" in lemmas(low):
        return True
    return low.endswith("s") and len(low) > 3 and "NOUN" in lemmas(low[:-1])


def is_adverb_only(word: str) -> bool:
    readings = lemmas(word.lower())
    return bool(readings) and set(readings) <= {"ADV"}


def is_comparative(word: str) -> bool:
    word = word.lower()
    if word in {"more", "less", "fewer", "better", "worse", "happier"}:
        return True
    if not word.endswith("er") or word in FUNCTION_WORDS:
        return False
    base = lemmas(word).get("ADJ", ())
    return bool(base) and base[0] != word


def known(word: str) -> bool:
    """A word of the language rather than a name: in the lexicon or a function word."""
    low = word.lower()
    return low in FUNCTION_WORDS or low in ADVERBS or bool(lemmas(low))
