"""Labels and traits: where the feedback describes the person rather than what they did."""

from __future__ import annotations

from ..grammar import (
    ADVERBS,
    DETERMINERS,
    FUNCTION_WORDS,
    NEGATIONS,
    PREPOSITIONS,
    Sentence,
    Token,
    is_adjective,
    is_gerund,
    is_noun,
    known,
    verb_forms,
    verb_lemma,
)
from .reading import Reading
from .words import (
    ATTITUDE_VERBS,
    COPULAS,
    INTENSIFIERS,
    NOT_TRAITS,
    PERSON_NOUNS,
    PROMPT,
    RECEIVER_SUBJECT,
    SECOND,
    SEEM,
    THIRD,
    TRAIT_NOUNS,
    TRAIT_PHRASES,
)


def _is_person(reading: Reading, tokens: list[Token], j: int) -> bool:
    """Is tokens[j] the person the feedback is for, as a subject?"""
    token = tokens[j]
    if token.low in RECEIVER_SUBJECT:
        return True
    if reading.second_person:
        return False
    role = f"{tokens[j - 1].low} {token.low}" if j > 0 else ""
    return (
        token.low in reading.receiver_pronouns
        or role in reading.receiver_roles
        or token.text in reading.receiver_names
        or (token.low in THIRD and not reading.receiver_pronouns)
        # "Jamal's a genius with a camera - he reframed ...": the name opening the feedback,
        # when the person was found as the "he" after it
        or (j == 0 and token.is_name() and not reading.receiver_names)
    )


def _trait_after(words: list[Token], k: int) -> int:
    """If words[k:] (after a copula) names a trait, the index where it ends; else -1."""
    n = len(words)
    while k < n and words[k].low in INTENSIFIERS - {"a"}:
        k += 1
    if k < n and words[k].low == "a" and k + 1 < n and words[k + 1].low in {"bit", "little"}:
        k += 2
        while k < n and words[k].low in {"of", "too", "more"}:
            k += 1
    if k >= n:
        return -1
    word = words[k].low
    if word in {"a", "an", "such"}:
        rest = [t.low for t in words[k + 1 : k + 4]]
        if rest and rest[0] in {"bit", "little", "lot"}:
            return -1
        if rest and (rest[0].isdigit() or rest[0] in {"few", "couple", "minute", "second", "day"}):
            return -1
        return k + 1
    if word == "one" and [t.low for t in words[k + 1 : k + 3]] == ["of", "the"]:
        return _trait_after(words, k + 2)  # "one of the best nurses on this ward"
    if word == "the" and k + 1 < n and words[k + 1].low in PERSON_NOUNS:
        return k + 2  # "you're the MVP"
    if word in {"the", "one"}:
        nxt = words[k + 1].low if k + 1 < n else ""
        if nxt in {"most", "least", "best", "worst"} or (
            nxt.endswith("est") and is_adjective(nxt) and nxt not in {"first", "last", "latest"}
        ):
            return k + 2
        return -1
    if word in {"not", "n't", "never"}:
        return _trait_after(words, k + 1)
    if words[k].kind != "word" or word in NOT_TRAITS or word in FUNCTION_WORDS:
        if k + 2 < n and words[k + 1].low in {"and", "or", ","} and word in NOT_TRAITS:
            return _trait_after(words, k + 2)  # "always late and lazy"
        return -1
    if word in {"there", "here", "back", "with"}:
        return -1
    if is_gerund(word) and k > 0 and words[k - 1].low in INTENSIFIERS - {"not", "n't", "never"}:
        return k + 1  # "so annoying", "so caring"
    if is_gerund(word) and (
        k + 1 >= n or words[k + 1].kind == "punct" or words[k + 1].low in {"and", "but"}
    ):
        return k + 1  # "you were condescending.": nothing done to anything, a manner
    if word in PROMPT and k + 1 < n and words[k + 1].low == "to":
        return -1  # "you were quick to call the ambulance": how soon an act came
    if is_adjective(word):
        following = words[k + 1].low if k + 1 < n else ""
        if not is_gerund(word) or following not in DETERMINERS | {"me", "us", "him", "them", "it"}:
            return k + 1  # "so annoying", "so caring and kind"; not "annoying the guests"
    forms = verb_forms(word)
    if forms & {"VBN", "VBD"} and word.endswith("ed"):
        # A participle as an adjective ("so organised", "disorganised"), not a passive
        # ("you were asked to ...", "she was moved to nights").
        nxt = words[k + 1].low if k + 1 < n else ""
        intensified = k > 0 and words[k - 1].low in INTENSIFIERS - {"not", "n't", "never"}
        negative = word.startswith(("dis", "un"))
        passive = nxt in PREPOSITIONS | {"as", "that", "to", "by"}
        return k + 1 if (intensified or negative) and not passive else -1
    if word.endswith(
        ("ful", "ous", "ive", "ible", "able", "ish", "ic", "al", "less", "y")
    ) and not known(word):
        return k + 1  # words the lexicon lacks but whose ending is an adjective's ("nitpicky")
    return -1


def trait_spans(reading: Reading) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    low = reading.text.lower()
    for match in TRAIT_PHRASES.finditer(low):
        if match.group(0).startswith("you have") and reading.second_person is False:
            continue
        spans.append((match.start(), match.end()))
    for sentence in reading.sentences:
        spans.extend(_exclaimed(sentence))
        words = [t for t in sentence.tokens if t.kind != "punct" or t.text in {",", ";", ":"}]
        for j, token in enumerate(words):
            low_word = token.low
            # a copula after the person: "you're lazy", "she is a natural leader"
            if low_word in COPULAS | SEEM and j > 0:
                subj = j - 1
                skip = ADVERBS - {"so"}
                if low_word == "be":  # "you can be really abrasive", "he tends to be ..."
                    # (not "you could be a bit more engaged": a suggestion)
                    skip = skip | {"can", "to", "tend", "tends", "tended"}
                while subj > 0 and words[subj].low in skip:
                    subj -= 1
                if _is_person(reading, words, subj) or (
                    low_word in {"'re", "are"} and words[subj].low == "u"
                ):
                    start = j + 1
                    if low_word == "'s" and _possessive(words, subj, start):
                        continue  # "Olumide's quick rerouting of the delivery": his act
                    if (
                        low_word in SEEM
                        and start < len(words)
                        and words[start].low in {"like", "to"}
                    ):
                        start += 2 if words[start].low == "to" else 1
                    end = _trait_after(words, start)
                    if end > 0:
                        spans.append((words[subj].start, words[min(end, len(words)) - 1].end))
                        continue
            if (
                low_word == "being"
                and j > 0
                and words[j - 1].low in {"stop", "quit", "from", "keep"}
            ):
                end = _trait_after(words, j + 1)
                if end > 0:
                    spans.append((token.start, words[end - 1].end))
                    continue
            # the person's traits as a noun: "your attitude", "her warmth with families"
            if low_word in {"your", "ur", "his", "her"} and j + 1 < len(words):
                if low_word in {"his", "her"} and (
                    reading.second_person
                    or {"his": "he", "her": "she"}[low_word]
                    not in reading.receiver_pronouns
                    | ({"he", "she"} if not reading.receiver_pronouns else set())
                ):
                    continue
                noun = words[j + 1].low
                two = (
                    f"{noun} {words[j + 2].low} {words[j + 3].low}" if j + 3 < len(words) else noun
                )
                if TRAIT_NOUNS.match(noun) or TRAIT_NOUNS.match(two) or _quality_noun(noun):
                    spans.append((token.start, words[j + 1].end))
                    continue
                # "your calm nature", "your can-do attitude": the trait with a word or two
                # describing it
                k = j + 1
                while k < min(j + 3, len(words) - 1) and (
                    is_adjective(words[k].low) or "-" in words[k].low
                ):
                    k += 1
                if k > j + 1 and TRAIT_NOUNS.match(words[k].low):
                    spans.append((token.start, words[k].end))
                    continue
            # attitudes told as fact: "you don't care about ...", "she doesn't respect ..."
            if verb_lemma(low_word) in ATTITUDE_VERBS and j > 0 and verb_forms(low_word):
                k = j - 1
                while k > 0 and (words[k].low in NEGATIONS | ADVERBS | {"do", "does", "did"}):
                    k -= 1
                negated = any(w.low in {"n't", "not", "never"} for w in words[k + 1 : j])
                if _is_person(reading, words, k) and (negated or verb_lemma(low_word) == "care"):
                    spans.append((words[k].start, token.end))
    return [_to_phrase_end(reading, a, b) for a, b in spans]


def _exclaimed(sentence: Sentence) -> list[tuple[int, int]]:
    """ "What a legend!", "What a hard worker!!": the person named by praise, no verb; and
    "that was so thoughtful of you": the act's quality given to the person."""
    words = [t for t in sentence.tokens if t.kind == "word"]
    lows = [t.low for t in words]
    if lows[:2] in (["what", "a"], ["what", "an"]) and 2 < len(lows) <= 5:
        noun = lows[-1]
        if noun in PERSON_NOUNS or (noun.endswith(("er", "or", "ist")) and is_noun(noun)):
            return [(words[0].start, words[-1].end)]
    for n in range(2, len(lows) - 1):
        if (
            lows[n] == "of"
            and lows[n + 1] in {"you", "u", "him", "her"}
            and is_adjective(lows[n - 1])
            and lows[n - 1] not in {"proud", "sure", "aware", "afraid", "tired", "sick", "fond"}
            and set(lows[max(0, n - 5) : n - 1]) & {"was", "is", "'s"}
            and set(lows[max(0, n - 6) : n - 1]) & {"that", "it", "this"}
        ):
            return [(words[n - 1].start, words[n + 1].end)]
    return []


def _to_phrase_end(reading: Reading, start: int, end: int) -> tuple[int, int]:
    """A trait span runs on to the end of its phrase: "You're a real team player" up to
    the dash, "you are lazy and unreliable" to the full stop, but not into "and it slows
    everyone down"."""
    tokens = [t for s in reading.sentences for t in s.tokens if t.start >= end]
    for n, token in enumerate(tokens):
        if token.kind == "punct" and token.text not in {"'", '"'}:
            return start, token.start
        if token.low in {"which", "because", "so", "when", "while", "but", "whenever", "that"}:
            return start, token.start
        if token.low in {"and", "or"}:
            following = tokens[n + 1].low if n + 1 < len(tokens) else ""
            if following in SECOND | {
                "it",
                "the",
                "he",
                "she",
                "they",
                "we",
                "i",
                "everyone",
                "nobody",
            }:
                return start, token.start
        if token.low in RECEIVER_SUBJECT and n and tokens[n - 1].kind == "word":
            return start, token.start
        end = token.end
    return start, end


def _quality_noun(noun: str) -> bool:
    """A noun made from an adjective: warmth, kindness, negativity, professionalism."""
    for suffix, repl in (
        ("ness", ""),
        ("iness", "y"),
        ("ity", ""),
        ("ity", "e"),
        ("ism", ""),
        ("th", ""),
    ):
        if noun.endswith(suffix) and len(noun) > len(suffix) + 2:
            base = noun[: -len(suffix)] + repl
            if is_adjective(base) and base not in {"heal", "grow", "wid", "leng", "streng", "dep"}:
                return True
    return False


def _possessive(words: list[Token], subj: int, k: int) -> bool:
    """After a name, "'s" and a describing word followed by a noun is the name's thing,
    not "is": "Olumide's quick rerouting of the delivery", "Sipho's careful reading of the
    lease" (but "he's quick", "Ana's lazy and rude" are about the person)."""
    if words[subj].low in THIRD | RECEIVER_SUBJECT | {"it", "that", "this", "there", "who"}:
        return False
    run = []
    while k < len(words) and words[k].kind == "word" and words[k].low not in FUNCTION_WORDS:
        low = words[k].low
        if not (is_adjective(low) or is_noun(low) or (low.endswith("ing") and is_gerund(low))):
            break
        run.append(low)
        k += 1
    # an adjective, then the noun or -ing form it describes
    if len(run) == 1:
        # "Nkechi's summary of the ruling": a noun that can't describe anyone
        following = words[k].low if k < len(words) else ""
        return is_noun(run[0]) and (
            not is_adjective(run[0]) or following in {"of", "on", "for", "to", "from", "about"}
        )
    return len(run) >= 2 and (is_noun(run[-1]) or run[-1].endswith("ing"))
