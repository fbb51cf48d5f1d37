"""Finite verbs and their subjects: is this word the verb of a clause ("she *covers*",
"the guys from agency *use* it", not "the *stamped* drawings"), and which words before it
are its subject."""

from __future__ import annotations

from .lexicon import (
    is_adjective,
    is_adverb_only,
    is_noun,
    is_past,
    lemmas,
    verb_forms,
    verb_lemma,
)
from .tokens import (
    Token,
)
from .words import (
    ADVERBS,
    BE,
    CAUSATIVE,
    COORDINATORS,
    DEMONSTRATIVE,
    DETERMINERS,
    DO,
    FUNCTION_WORDS,
    HAVE,
    INDEFINITE,
    JOINERS,
    MODALS,
    MONTHS,
    NAME_TITLES,
    NEGATIONS,
    NUMBERS,
    OBJECT_PRONOUNS,
    OBJECT_STATE,
    PERSONAL,
    PREPOSITIONS,
    SINGULAR_INDEFINITE,
    SUBORDINATORS,
    TIME_WORDS,
)


def finite_kind(tokens: list[Token], i: int) -> str:
    """The kind of finite verb tokens[i] is, or "" when it isn't one."""
    token = tokens[i]
    if token.kind != "word":
        return ""
    low = token.low
    prev = tokens[i - 1].low if i else ""
    prev_token = tokens[i - 1] if i else None
    if low == "'s":
        return (
            "be" if prev in PERSONAL | DEMONSTRATIVE | INDEFINITE | {"what", "who", "here"} else ""
        )
    if low == "'d":
        if prev in PERSONAL | {"who", "that"}:
            return "modal"
        return "past"  # texting style: "DM'd", "86'd"
    if low in MODALS:
        return "modal" if low not in {"may", "can", "will"} or prev not in DETERMINERS else ""
    if low in BE - {"be", "been", "being"}:
        return "be"
    if low in HAVE:
        return "have"
    if low in DO:
        return "do"
    if low in FUNCTION_WORDS or low in ADVERBS and not is_past(low):
        return ""
    if token.is_name() and "-" not in low and not verb_forms(low) - {"VBD", "VBN"}:
        return ""  # "..., Ahmed cut the time": a name the lexicon doesn't know, not a past form
    particle = prev in {"up", "out", "down", "off", "over", "back", "through", "together"}
    if low in {"means", "mean"} and (
        particle or prev not in DETERMINERS | PREPOSITIONS | {"i", "you", "we"}
    ):
        return "present"  # "the training you gave the cleaners means ...", not "by means of"
    if prev_token is not None and (prev in DETERMINERS - {"that", "this"} or prev == "'s"):
        return ""  # "the stamped drawings", "a shared sheet", "Tuesday's planned call"
    if prev == "to" or prev in MODALS or prev in DO:
        return ""
    if prev in PREPOSITIONS - SUBORDINATORS and prev not in {"that", "like"}:
        return ""  # "the one with worked examples": a participle after a preposition
    forms = verb_forms(low)
    if ("VBN" in forms or low.endswith("ed")) and after_with(tokens, i):
        return ""  # "with the checklist attached": a participle, not a past tense
    if (
        "-" in low
        and i + 1 < len(tokens)
        and "VBD" in verb_forms(tokens[i + 1].low)
        and tokens[i + 1].low not in FUNCTION_WORDS
    ):
        return ""  # "trial-to-paid went from 8% to 11%": a hyphenated noun before its verb
    if "VBD" in forms and _noun_before_its_verb(tokens, i):
        return ""  # "the day crew didn't lose", "the hose lay you did": a noun, not "crow", "lie"
    if "VBD" in forms:
        if (
            prev_token is not None
            and (is_adjective(prev) and not is_past(prev))
            and prev not in ADVERBS
            and not (prev_token.is_name() or lemmas(prev).get("NOUN"))
            and not _titled(tokens, i - 1)
            and not (  # "... a day early *let* the printer": an adverb, then a verb and object;
                # "*Ebony* swapped the order": a name that is also a word, opening the sentence
                (
                    lemmas(prev).get("ADV")
                    or i == 1  # the run's first word: "Ebony swapped the order"
                    # "; because of that, legal spent two days": a department, after a comma
                    or (i >= 2 and tokens[i - 2].kind == "punct" and tokens[i - 2].text != "'")
                )
                and i + 1 < len(tokens)
                and (
                    tokens[i + 1].low in (DETERMINERS - {"that"}) | OBJECT_PRONOUNS
                    or tokens[i + 1].kind == "num"
                    or tokens[i + 1].low in NUMBERS
                )
            )
        ):
            return ""  # "a new shared sheet": an adjective, not a past tense
        return "past"
    if (
        "VBZ" in forms
        and low.endswith("s")
        and prev not in PERSONAL | {"who", "which", "that"}
        and i + 1 < len(tokens)
        and tokens[i + 1].low in PREPOSITIONS
        and _past_verb_later(tokens, i + 2)
    ):
        return ""  # "your caption edits on the reel got us ...": a plural noun, its verb later
    if forms & {"VBZ", "VBP"} and "VBZ" not in forms and after_causative(tokens, i):
        return ""  # "you had the kids line up", "she let the new teller handle it"
    if forms & {"VBZ", "VBP"}:
        j = i - 1
        while j >= 0 and (tokens[j].low in ADVERBS or tokens[j].low in NEGATIONS):
            j -= 1
        if j >= 1 and tokens[j].low in {"us", "them"} and tokens[j - 1].low == "of":
            return "present"  # "each of us now answers", "two of them check"
        subject_like = j >= 0 and (
            tokens[j].low in PERSONAL | SINGULAR_INDEFINITE | {"people", "everyone"}
            or tokens[j].is_name()
        )
        before = tokens[j - 1].low if j >= 1 else ""
        if j >= 0 and tokens[j].low in {"which", "who"} and "VBZ" in forms and j == i - 1:
            return "present"  # "which holds up the whole project"
        nxt_low = tokens[i + 1].low if i + 1 < len(tokens) else ""
        if (
            j >= 3
            and tokens[j].low not in FUNCTION_WORDS
            and "VBP" in forms
            and "VBZ" not in forms
            and (nxt_low in OBJECT_PRONOUNS | DETERMINERS | {"it"} or j < i - 1)
        ):
            # "the two new guys from agency use it", "the figures in the final report now
            # stand up": the plural noun before a phrase
            k = j - 1
            while k > 0 and tokens[k].kind == "word" and tokens[k].low not in PREPOSITIONS:
                if tokens[k].low in FUNCTION_WORDS - DETERMINERS or j - k > 3:
                    break
                k -= 1
            head = tokens[k - 1].low if k >= 1 and tokens[k].low in PREPOSITIONS else ""
            if head.endswith("s") and lemmas(head).get("NOUN", (head,))[0] != head:
                return "present"
        if (
            j >= 0
            and tokens[j].low.endswith("s")
            and lemmas(tokens[j].low).get("NOUN", (tokens[j].low,))[0] != tokens[j].low
            and "VBP" in forms
            and "VBZ" not in forms
            and (
                j < i - 1
                or nxt_low in OBJECT_PRONOUNS | DETERMINERS | PREPOSITIONS | {"it"}
                or not lemmas(low).get("NOUN")
                or (i + 1 < len(tokens) and tokens[i + 1].kind == "num")  # "runs take 6 min"
                or nxt_low == "all"  # "the card machines work all day"
            )
        ):
            return "present"  # "the residents find her intimidating", "new hires now ship"
        if (
            subject_like
            and before not in DETERMINERS | PREPOSITIONS | NUMBERS | {"'s"}
            and (j < 1 or tokens[j - 1].kind != "num" or tokens[j].low in PERSONAL)
        ):
            # agreement: "she covers", "they cover"; not "let Jamal finish"
            singular = (
                tokens[j].low in {"he", "she", "it", "one"} | SINGULAR_INDEFINITE
                or tokens[j].is_name()
            )
            plural_form = "VBP" in forms and (not low.endswith("s") or low.endswith("ss"))
            if ("VBZ" in forms) if singular else plural_form:  # "they pass", not "they needs"
                return "present"
            if (
                (tokens[j].low in {"he", "she"} | SINGULAR_INDEFINITE or tokens[j].is_name())
                and "VBP" in forms
                and "VBD" not in forms
                and (_opens_at(tokens, j) or (tokens[j].is_name() and _first_name(tokens, j - 1)))
            ):
                # English as a second language: "yesterday he lock the gate", "she say no",
                # "Xiao Yu reply all the emails"; a nominative pronoun can't be the object of a
                # verb before it.
                return "past"
        if (
            j >= 1
            and "VBZ" in forms
            and low.endswith("s")
            and _singular_noun_phrase(tokens, j)
            and (
                j < i - 1
                or not lemmas(low).get("NOUN")
                or nxt_low in OBJECT_PRONOUNS | DETERMINERS | {"it", "ours", "theirs", "yours"}
            )
        ):
            return "present"  # "the regional manager now reads ours first"
        if j >= 0 and "VBZ" in forms and low.endswith("s") and j < i - 1:
            return ""
        if (
            j == i - 1
            and "VBP" in forms
            and not low.endswith("s")
            and _singular_noun_phrase(tokens, j)
            and _opens_its_clause(tokens, j)
            and _bare_after(tokens, i)
        ):
            # English as a second language: "so the truck leave on time", "and the afternoon
            # team finish at 5": a singular subject with the bare verb, as with "he lock"
            return "past"
    return ""


def _past_verb_later(tokens: list[Token], k: int) -> bool:
    """Is there a past form later in the same stretch (up to punctuation or a joining word),
    not right after a pronoun or an article (its own subject, or a noun)?"""
    for n in range(k, len(tokens)):
        token = tokens[n]
        if token.kind == "punct" or token.low in COORDINATORS | SUBORDINATORS:
            return False
        before = tokens[n - 1].low
        if (
            token.kind == "word"
            and "VBD" in verb_forms(token.low)
            and token.low not in FUNCTION_WORDS
            and before not in PERSONAL | DETERMINERS
        ):
            return True
    return False


def _opens_at(tokens: list[Token], j: int) -> bool:
    """Does the word at j open its clause (the start, punctuation, a joining or time word
    before it)?"""
    return j == 0 or tokens[j - 1].kind != "word" or tokens[j - 1].low in JOINERS | TIME_WORDS


def _first_name(tokens: list[Token], k: int) -> bool:
    """Is tokens[k] a capitalised first name opening its clause ("*Li* Na", "*Xiao* Yu")?"""
    return (
        k >= 0
        and tokens[k].kind == "word"
        and tokens[k].text[:1].isupper()
        and tokens[k].low not in FUNCTION_WORDS
        and _opens_at(tokens, k)
    )


def _titled(tokens: list[Token], i: int) -> bool:
    """Is tokens[i] a capitalised name after a title ("Mr. Tan", "Sgt Brown")?"""
    if not tokens[i].text[:1].isupper() or i == 0:
        return False
    k = i - 1
    if tokens[k].text == "." and k > 0:
        k -= 1
    return tokens[k].low in NAME_TITLES


def _noun_before_its_verb(tokens: list[Token], i: int) -> bool:
    """A noun that is also the past of another verb ("crew", "lay", "saw", "felt") after
    another noun, with the verb of its own phrase after it: an auxiliary ("the day crew
    *didn't*", "the morning crew *had*"), or a person and their verb ("the hose lay *you
    did*")."""
    low = tokens[i].low
    if not is_noun(low) or verb_lemma(low) == low or i == 0 or i + 1 >= len(tokens):
        return False
    prev = tokens[i - 1]
    if prev.kind != "word" or prev.low in FUNCTION_WORDS or not is_noun(prev.low):
        return False
    nxt = tokens[i + 1].low
    if nxt in BE | HAVE | DO | MODALS - {"can", "will", "may"}:
        return True
    after = tokens[i + 2].low if i + 2 < len(tokens) else ""
    return nxt in PERSONAL - {"it"} and (after in DO or is_past(after))


def _opens_its_clause(tokens: list[Token], j: int) -> bool:
    """Does the noun phrase ending at j start right after a joining word, punctuation or
    the start ("so the truck", "and the team"), not after a preposition ("through the fee
    structure")?"""
    k = j
    while k >= 0 and tokens[k].low not in DETERMINERS:
        k -= 1
    if k < 0:
        return False
    before = tokens[k - 1] if k else None
    return (
        before is None
        or before.kind != "word"
        or before.low in (COORDINATORS | SUBORDINATORS) - PREPOSITIONS
    )


def _bare_after(tokens: list[Token], i: int) -> bool:
    """After a bare verb: a preposition, time or object, and no other verb in the clause
    (or "the project plan for Q3 slipped" would read "plan" as the verb)."""
    if i + 1 >= len(tokens):
        return False
    nxt = tokens[i + 1]
    if not (
        nxt.kind == "num"
        or (nxt.low in PREPOSITIONS | DETERMINERS | OBJECT_PRONOUNS and nxt.low not in ADVERBS)
        or nxt.low in {"it", "back", "up", "out", "off", "early", "late", "on", "home"}
    ):
        return False  # not "the night shift now ...": a time or adverb after a noun
    for token in tokens[i + 1 :]:
        if token.kind == "punct" or token.low in COORDINATORS | SUBORDINATORS:
            break
        if token.low in BE | HAVE | MODALS or (token.kind == "word" and is_past(token.low)):
            return False
    return True


def _singular_noun_phrase(tokens: list[Token], j: int) -> bool:
    """Does a singular noun phrase with a determiner end at tokens[j] ("the regional
    manager", "our night porter")?"""
    head = tokens[j].low
    if head in FUNCTION_WORDS or not is_noun(head) or verb_forms(head) & {"VBD", "VBZ"}:
        return False
    if head.endswith("s") and lemmas(head).get("NOUN", (head,))[0] != head:
        return False  # a plural
    for k in range(j - 1, max(j - 4, -1), -1):
        if tokens[k].low in DETERMINERS - {"no"}:
            # the start of its clause, not an object ("you had the temperature logs ready")
            before = tokens[k - 1] if k else None
            return (
                before is None
                or before.kind != "word"
                or before.low in COORDINATORS | SUBORDINATORS | TIME_WORDS
                or is_adverb_only(before.low)
            )
        if tokens[k].kind != "word" or tokens[k].low in FUNCTION_WORDS:
            return False
    return False


def after_causative(tokens: list[Token], i: int) -> bool:
    """Is tokens[i] a bare verb after the object of "had", "let", "made", "saw" ("had the
    kids line up")?"""
    k = i - 1
    while k >= 0 and i - k <= 5 and tokens[k].kind == "word" and tokens[k].low not in PERSONAL:
        low = tokens[k].low
        if low in DETERMINERS or low in NUMBERS or (is_noun(low) and low not in FUNCTION_WORDS):
            k -= 1
            continue
        break
    return 0 <= k < i - 1 and tokens[k].kind == "word" and verb_lemma(tokens[k].low) in CAUSATIVE


def after_with(tokens: list[Token], i: int) -> bool:
    """Is tokens[i] the participle of "with the checklist attached", "without a word said",
    "you had the boardroom set up", "she got the van loaded"?"""
    k = i - 1
    while k >= 0 and i - k <= 5 and tokens[k].kind == "word" and tokens[k].low not in OBJECT_STATE:
        if tokens[k].low in FUNCTION_WORDS - DETERMINERS or tokens[k].low in PERSONAL:
            return False
        k -= 1
    return k >= 0 and k < i - 1 and tokens[k].low in OBJECT_STATE


def subject_before(tokens: list[Token], v: int, start: int) -> list[Token]:
    """The subject of the verb at v: the noun phrase or pronoun just before it (adverbs
    and negation skipped), not reaching before start."""
    j = v - 1
    while (
        j >= start
        and (
            tokens[j].low in ADVERBS
            or tokens[j].low in NEGATIONS
            or is_adverb_only(tokens[j].low)
            # "Mohammed kindly organized": an adverb in -ly that is also an adjective
            or (tokens[j].low.endswith("ly") and bool(lemmas(tokens[j].low).get("ADV")))
        )
        and tokens[j].low not in {"all", "both"}
    ):
        j -= 1
    if j < start:
        return []
    head = tokens[j]
    low = head.low
    if low in {"'d", "'s", "'re", "'m", "'ve", "'ll"} and j - 1 >= start:
        return subject_before(tokens, j, start)
    if low in {"them", "us"} and j - 2 >= start and tokens[j - 1].low == "of":
        k = j - 2
        while k - 1 >= start and (
            tokens[k - 1].low in DETERMINERS | NUMBERS | {"all", "one"} or tokens[k].low == "rest"
        ):
            k -= 1
        return tokens[k : j + 1]  # "every one of them", "two of us"
    if low in PERSONAL | DEMONSTRATIVE | INDEFINITE | {"people", "everyone"}:
        end = j + 1
        if low in {"one", "none", "all", "both", "half", "most"} and j >= start:
            k = j - 1
            while k >= start and tokens[k].low in DETERMINERS | NUMBERS:
                k -= 1
            return tokens[k + 1 : end]
        return [head]
    if head.kind == "quote":
        return [head]
    # "the till", "the drug round": a function word used as a noun
    noun_use = j - 1 >= start and (
        tokens[j - 1].low in DETERMINERS - {"that"}
        or (
            j - 2 >= start
            and tokens[j - 2].low in DETERMINERS - {"that"}
            and tokens[j - 1].low not in FUNCTION_WORDS
            and is_noun(tokens[j - 1].low)
        )
    )
    if head.kind not in {"word", "num"} or (low in FUNCTION_WORDS - {"half"} and not noun_use):
        return []
    verbish = verb_forms(low)
    # "on-call", "follow-up"; "trial-to-paid" opening its clause
    compound = "-" in low and (is_noun(low.rpartition("-")[2]) or j == start)
    after_determiner = j - 1 >= start and tokens[j - 1].low in DETERMINERS  # "the vet"
    if (
        low.endswith("ing")
        and "VBG" in verbish
        and j == v - 1
        and j - 1 >= start
        and (tokens[j - 1].low in TIME_WORDS or tokens[j - 1].low in MONTHS)
    ):
        return tokens[j - 1 : j + 1]  # "monday picking was 30% faster": an activity as subject
    if _titled(tokens, j) and j - 1 >= start:
        begin = j - 2 if tokens[j - 1].text == "." and j - 2 >= start else j - 1
        return tokens[begin : j + 1]  # "Mr. Tan", "Sgt Brown": a name, whatever else it is
    if (
        verbish
        and not lemmas(low).get("NOUN")
        and not head.is_name()
        and not low.endswith("s")
        and not compound
        and not after_determiner
    ):
        return []
    department = j == start and j == v - 1  # "; because of that, legal had ..."
    if is_adverb_only(low) or (
        lemmas(low)
        and set(lemmas(low)) <= {"ADV", "ADJ"}
        and low not in NUMBERS
        and not (department and "ADJ" in lemmas(low) and finite_kind(tokens, v))
    ):
        return []
    # A noun phrase: extend left over its modifiers ("the two new hires", "Mr Okafor's sats").
    begin = _np_start(tokens, j, start)
    if begin - 1 >= start and tokens[begin - 1].low in {"i", "we", "he", "she", "they"}:
        return []  # "what we saw contradicted": "saw" is the verb of "we", not a noun
    # "Your handover notes on the Jones case": a phrase after a preposition belongs to the
    # subject when the whole reaches back to where the clause starts, over a chain of such
    # phrases ("Your walk-through of the new rota on Monday", "Your one-line summary at the
    # top of the incident report").
    reach = begin
    while reach - 2 >= start and tokens[reach - 1].low in _OF_THE_SUBJECT:
        before = _np_start(tokens, reach - 2, start)
        if (
            tokens[reach - 2].kind not in {"word", "num"}
            or tokens[reach - 2].low in FUNCTION_WORDS | TIME_WORDS
        ):
            break
        if before == start:
            begin = before
            break
        reach = before
    return tokens[begin : j + 1]


_OF_THE_SUBJECT = {
    "of",
    "on",
    "for",
    "with",
    "w",
    "in",
    "from",
    "at",
    "to",
    "about",
    "across",
    "under",
}


def _np_start(tokens: list[Token], j: int, start: int) -> int:
    k = j - 1
    while k >= start:
        t = tokens[k]
        if (t.low in TIME_WORDS or t.low in MONTHS) and tokens[k + 1].low != "'s":
            break  # but "Sunday's vod", "yesterday's call": a possessive in the phrase
        if t.low in DETERMINERS:
            if (
                k - 1 >= start
                and tokens[k - 1].low == "of"
                and k - 2 >= start
                and tokens[k - 2].low
                in NUMBERS | {"all", "one", "some", "none", "each", "most", "half"}
            ):
                k -= 3  # "every one of them", "two of the nurses"
                continue
            return k
        if t.low == "'s" or t.low in NUMBERS or t.kind == "num":
            k -= 1
            continue
        if t.kind == "word" and t.low not in FUNCTION_WORDS and t.low not in ADVERBS:
            if (
                verb_forms(t.low) & {"VBD"}
                and not lemmas(t.low).get("ADJ")
                and not lemmas(t.low).get("NOUN")
            ):
                break
            k -= 1
            continue
        break
    return k + 1
