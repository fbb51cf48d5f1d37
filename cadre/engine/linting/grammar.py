"""Just enough English grammar for the feedback check: words, sentences, clauses, and
who did what in each clause.

    sentences = parse("At the offsite you kept every breakout to time, so we finished early.")
    [(c.opener, c.subject_text, c.verb.low) for c in sentences[0].clauses]
    # [((), 'you', 'kept'), ((',', 'so'), 'we', 'finished')]

What a word can be (a past form of which verb, a noun, an adjective) comes from
lemminflect's lexicon, which ships inside the package, so nothing is downloaded. Function
words (pronouns, determiners, prepositions, conjunctions, auxiliaries) are closed classes
and are listed here. There is no statistical tagger: each decision is a rule on the words
around a token, so the same text always gets the same parse and every result can be
explained.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from lemminflect import getAllInflections, getAllLemmas, getAllLemmasOOV  # type: ignore[import-untyped]

# --- closed word classes -------------------------------------------------------------------

PERSONAL = {"i", "we", "you", "u", "ya", "he", "she", "they", "it", "one", "y'all"}
DEMONSTRATIVE = {"this", "that", "these", "those"}
INDEFINITE = {
    "nobody",
    "everyone",
    "everybody",
    "someone",
    "somebody",
    "anyone",
    "anybody",
    "none",
    "nothing",
    "everything",
    "something",
    "all",
    "both",
    "half",
    "most",
    "several",
    "others",
    "many",
    "few",
    "there",
}
OBJECT_PRONOUNS = {"me", "us", "him", "her", "them", "myself", "yourself", "herself", "himself"}
POSSESSIVE = {"my", "your", "ur", "his", "her", "our", "their", "its", "whose"}
DETERMINERS = {
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "some",
    "any",
    "every",
    "each",
    "no",
    "another",
    "other",
    "such",
    "either",
    "neither",
    *POSSESSIVE,
}
NUMBERS = {
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "hundred",
    "dozen",
}
PREPOSITIONS = {
    "in",
    "on",
    "at",
    "during",
    "for",
    "with",
    "without",
    "about",
    "to",
    "from",
    "by",
    "of",
    "into",
    "onto",
    "over",
    "under",
    "through",
    "across",
    "around",
    "between",
    "behind",
    "beside",
    "near",
    "off",
    "out",
    "per",
    "via",
    "within",
    "against",
    "towards",
    "toward",
    "upon",
    "despite",
    "inside",
    "outside",
    "along",
    "past",
    "round",
    "among",
    "amid",
    "throughout",
    "except",
    "beyond",
    "up",
    "down",
}
# Words that open a clause. The first group joins clauses of equal rank; the second opens a
# clause that only sets the scene or reports (it is never the consequence itself).
COORDINATORS = {"and", "but", "so", "then", "or", "yet", "plus", "cos", "meaning", "which"}
SUBORDINATORS = {
    "when",
    "whenever",
    "while",
    "whilst",
    "after",
    "before",
    "since",
    "until",
    "till",
    "if",
    "unless",
    "once",
    "because",
    "as",
    "though",
    "although",
    "whereas",
    "whether",
    "what",
    "where",
    "how",
    "why",
    "who",
    "whom",
    "that",
    "like",
    "than",
}
BE = {"is", "are", "was", "were", "am", "'s", "'re", "'m", "be", "been", "being", "isnt", "wasnt"}
HAVE = {"has", "have", "had", "'ve", "'d"}
DO = {"do", "does", "did"}
MODALS = {
    "will",
    "would",
    "could",
    "can",
    "should",
    "might",
    "must",
    "shall",
    "may",
    "'ll",
    "wo",
    "ca",
}
NEGATIONS = {"not", "n't", "never", "no"}
ADVERBS = {
    "just",
    "also",
    "then",
    "still",
    "never",
    "always",
    "finally",
    "now",
    "even",
    "really",
    "actually",
    "already",
    "only",
    "again",
    "often",
    "sometimes",
    "usually",
    "once",
    "twice",
    "both",
    "all",
    "straight",
    "immediately",
    "literally",
    "honestly",
    "definitely",
    "definately",
    "quietly",
    "personally",
    "so",
    "too",
    "very",
    "quite",
    "pretty",
    "much",
    "far",
    "not",
    "n't",
    "ever",
    "constantly",
    "first",
    "later",
    "afterwards",
    "soon",
    "almost",
    "nearly",
    "longer",
    "barely",
    "hardly",
    "rarely",
    "kind",
    "sort",
    "of",
}
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
MONTHS = {
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
}
TIME_WORDS = WEEKDAYS | {
    "yesterday",
    "today",
    "tonight",
    "tomorrow",
    "now",
    "then",
    "afterwards",
    "later",
    "morning",
    "afternoon",
    "evening",
    "night",
    "week",
    "month",
    "year",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thurs",
    "fri",
    "sat",
    "sun",
}
FUNCTION_WORDS = (
    PERSONAL
    | DEMONSTRATIVE
    | INDEFINITE
    | OBJECT_PRONOUNS
    | DETERMINERS
    | PREPOSITIONS
    | COORDINATORS
    | SUBORDINATORS
    | BE
    | HAVE
    | DO
    | MODALS
    | NEGATIONS
)
ARROWS = {"->", "=>", "→"}
ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "e.g",
    "i.e",
    "vs",
    "approx",
    "no",
    "etc",
    "jr",
    "sr",
}


# --- what a word can be ------------------------------------------------------------------


@lru_cache(maxsize=8192)
def lemmas(word: str) -> dict[str, tuple[str, ...]]:
    """lemminflect's readings of a lower-cased word: {"VERB": ("keep",)} for "kept"."""
    found: dict[str, tuple[str, ...]] = getAllLemmas(word)
    return found


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
    candidates = readings.get("VERB", ())
    if not readings and word.isalpha() and len(word) > 3 and word.endswith(("ed", "ing", "s")):
        candidates = getAllLemmasOOV(word, "VERB").get("VERB", ())
    tags: set[str] = set()
    for lemma in candidates:
        for tag, forms in getAllInflections(lemma, upos="VERB").items():
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
    candidates = lemmas(word).get("VERB", ()) or getAllLemmasOOV(word, "VERB").get("VERB", ())
    return str(candidates[0]) if candidates else word


def inflect(lemma: str, tag: str) -> str:
    """lemma in the given Penn tag ("sit", "VBD" -> "sat"); hyphenated verbs by their
    last part."""
    if "-" in lemma:
        head, _, last = lemma.rpartition("-")
        return f"{head}-{inflect(last, tag)}"
    forms = getAllInflections(lemma, upos="VERB").get(tag, ())
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


# --- tokens and sentences ----------------------------------------------------------------


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
        """A capitalised word the lexicon doesn't know ("Priya", "Amira")."""
        return (
            self.kind == "word"
            and re.fullmatch(r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?", self.text) is not None
            and not known(self.text)
            and self.low not in WEEKDAYS
            and self.low not in MONTHS
        )


_QUOTE = re.compile(
    r"(?:(?<=^)|(?<=[\s(\[]))(['\"])(?=\S)(.{1,200}?)(?<=\S)\1(?=$|[\s.,;:!?)\-–—])"
)
_TOKEN = re.compile(
    r"(?P<num>[~$£€#]?\d+(?:[.:,/]\d+)*(?:%|x|st|nd|rd|th|am|pm|k|m)?(?![\w]))"
    r"|(?P<clitic>n't|'(?:s|re|d|ll|ve|m)(?![a-z]))"
    r"|(?P<word>[A-Za-z0-9]+(?:[\-/&.'][A-Za-z0-9]+)*(?:'(?=\s|$))?)"
    r"|(?P<punct>[.!?]+|->|=>|→|[,;:()\[\]–—]|-+|\S)"
)
_CLITIC_WORD = re.compile(r"^(?P<base>.*?)(?P<clitic>n't|'(?:s|re|d|ll|ve|m))$", re.I)


def normalise(text: str) -> str:
    """Curly quotes and dashes made plain, runs of white space made one space."""
    table = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "–"}
    for old, new in table.items():
        text = text.replace(old, new)
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


# --- clauses -------------------------------------------------------------------------------


@dataclass
class Clause:
    """A run of words with at most one subject and its finite verb."""

    tokens: list[Token]
    opener: tuple[str, ...]  # the words and punctuation that opened it ("so", ",")
    subject: list[Token] = field(default_factory=list)
    verb: Token | None = None
    verb_index: int = -1  # index of the verb in tokens
    verb_kind: str = ""  # past, present, modal, be, have, do, perfect, progressive
    main_verb: Token | None = None  # the lexical verb after auxiliaries ("did not *send*")
    negated: bool = False
    inherited: bool = False  # the subject was carried over from the clause before
    asyndetic: bool = False  # begun by a new subject with no word to join it
    relative: bool = False  # describes the noun before it ("the notes you wrote")
    lead: int = -1  # where the clause starts with its joining words ("so we finished")
    # The noun phrase a clause describes when it opens the clause ("*the reminders* you
    # texted", "*the way* you explained it"); the clause after it has that phrase as subject.
    head: list[Token] = field(default_factory=list)
    deed: bool = False  # the subject is a thing described by someone's act ("the notes you wrote")

    @property
    def subject_text(self) -> str:
        return " ".join(t.low for t in self.subject)

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end

    def has(self, *words: str) -> bool:
        return any(o in words for o in self.opener)

    def after_verb(self) -> list[Token]:
        return self.tokens[self.verb_index + 1 :] if self.verb is not None else []


@dataclass
class Sentence:
    tokens: list[Token]
    clauses: list[Clause]

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end


def _is_finite(tokens: list[Token], i: int) -> str:
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
    if prev_token is not None and (prev in DETERMINERS - {"that", "this"} or prev == "'s"):
        return ""  # "the stamped drawings", "a shared sheet", "Tuesday's planned call"
    if prev == "to" or prev in MODALS or prev in DO:
        return ""
    forms = verb_forms(low)
    if ("VBN" in forms or low.endswith("ed")) and _after_with(tokens, i):
        return ""  # "with the checklist attached": a participle, not a past tense
    if "VBD" in forms:
        if (
            prev_token is not None
            and (is_adjective(prev) and not is_past(prev))
            and prev not in ADVERBS
            and not (prev_token.is_name() or lemmas(prev).get("NOUN"))
        ):
            return ""  # "a new shared sheet": an adjective, not a past tense
        return "past"
    if forms & {"VBZ", "VBP"} and "VBZ" not in forms and _after_causative(tokens, i):
        return ""  # "you had the kids line up", "she let the new teller handle it"
    if forms & {"VBZ", "VBP"}:
        j = i - 1
        while j >= 0 and (tokens[j].low in ADVERBS or tokens[j].low in NEGATIONS):
            j -= 1
        if j >= 1 and tokens[j].low in {"us", "them"} and tokens[j - 1].low == "of":
            return "present"  # "each of us now answers", "two of them check"
        subject_like = j >= 0 and (
            tokens[j].low in PERSONAL | _SINGULAR_INDEFINITE | {"people", "everyone"}
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
                tokens[j].low in {"he", "she", "it", "one"} | _SINGULAR_INDEFINITE
                or tokens[j].is_name()
            )
            if ("VBZ" in forms) if singular else ("VBP" in forms and not low.endswith("s")):
                return "present"
            if (
                tokens[j].low in {"he", "she"} | _SINGULAR_INDEFINITE
                and "VBP" in forms
                and "VBD" not in forms
                and (
                    j == 0
                    or tokens[j - 1].kind != "word"
                    or tokens[j - 1].low in _JOINERS | TIME_WORDS
                )
            ):
                # English as a second language: "yesterday he lock the gate", "she say no";
                # a nominative pronoun can't be the object of a verb before it.
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
    return ""


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


_SINGULAR_INDEFINITE = {
    "nobody",
    "everyone",
    "everybody",
    "nothing",
    "everything",
    "something",
    "someone",
    "somebody",
    "anyone",
    "anybody",
}
# Words before a subject that leave it the start of its clause: "and he say", "yesterday he
# lock the gate".
_JOINERS = {"and", "but", "so", "then", "when", "because", "after", "before", "once", "cos"}


# Words after which "the NOUN VBN" is an object and its state, not a subject and a verb.
_OBJECT_STATE = {"with", "without", "had", "has", "have", "having", "got", "get", "gets"}


_CAUSATIVE = {"have", "let", "make", "see", "watch", "hear", "help", "bid"}


def _after_causative(tokens: list[Token], i: int) -> bool:
    """Is tokens[i] a bare verb after the object of "had", "let", "made", "saw" ("had the
    kids line up")?"""
    k = i - 1
    while k >= 0 and i - k <= 5 and tokens[k].kind == "word" and tokens[k].low not in PERSONAL:
        low = tokens[k].low
        if low in DETERMINERS or low in NUMBERS or (is_noun(low) and low not in FUNCTION_WORDS):
            k -= 1
            continue
        break
    return 0 <= k < i - 1 and tokens[k].kind == "word" and verb_lemma(tokens[k].low) in _CAUSATIVE


def _after_with(tokens: list[Token], i: int) -> bool:
    """Is tokens[i] the participle of "with the checklist attached", "without a word said",
    "you had the boardroom set up", "she got the van loaded"?"""
    k = i - 1
    while k >= 0 and i - k <= 5 and tokens[k].kind == "word" and tokens[k].low not in _OBJECT_STATE:
        if tokens[k].low in FUNCTION_WORDS - DETERMINERS or tokens[k].low in PERSONAL:
            return False
        k -= 1
    return k >= 0 and k < i - 1 and tokens[k].low in _OBJECT_STATE


def _subject_before(tokens: list[Token], v: int, start: int) -> list[Token]:
    """The subject of the verb at v: the noun phrase or pronoun just before it (adverbs
    and negation skipped), not reaching before start."""
    j = v - 1
    while (
        j >= start
        and (
            tokens[j].low in ADVERBS or tokens[j].low in NEGATIONS or is_adverb_only(tokens[j].low)
        )
        and tokens[j].low not in {"all", "both"}
    ):
        j -= 1
    if j < start:
        return []
    head = tokens[j]
    low = head.low
    if low in {"'d", "'s", "'re", "'m", "'ve", "'ll"} and j - 1 >= start:
        return _subject_before(tokens, j, start)
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
    compound = "-" in low and is_noun(low.rpartition("-")[2])  # "on-call", "follow-up"
    after_determiner = j - 1 >= start and tokens[j - 1].low in DETERMINERS  # "the vet"
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
        and not (department and "ADJ" in lemmas(low) and _is_finite(tokens, v))
    ):
        return []
    # A noun phrase: extend left over its modifiers ("the two new hires", "Mr Okafor's sats").
    begin = _np_start(tokens, j, start)
    if begin - 1 >= start and tokens[begin - 1].low in {"i", "we", "he", "she", "they"}:
        return []  # "what we saw contradicted": "saw" is the verb of "we", not a noun
    # "Your handover notes on the Jones case": a phrase after a preposition belongs to the
    # subject when the whole reaches back to where the clause starts.
    while begin - 2 >= start and tokens[begin - 1].low in {
        "of",
        "on",
        "for",
        "with",
        "in",
        "from",
        "at",
        "to",
        "about",
    }:
        before = _np_start(tokens, begin - 2, start)
        if (
            before == start
            and tokens[begin - 2].kind in {"word", "num"}
            and tokens[begin - 2].low not in FUNCTION_WORDS | TIME_WORDS
        ):
            begin = before
        else:
            break
    return tokens[begin : j + 1]


def _np_start(tokens: list[Token], j: int, start: int) -> int:
    k = j - 1
    while k >= start:
        t = tokens[k]
        if t.low in TIME_WORDS or t.low in MONTHS:
            break
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


def _clause_from(tokens: list[Token], opener: tuple[str, ...]) -> Clause:
    clause = Clause(tokens=tokens, opener=opener)
    for i in range(len(tokens)):
        kind = _is_finite(tokens, i)
        if not kind:
            continue
        clause.verb = tokens[i]
        clause.verb_index = i
        clause.verb_kind = kind
        # "DM'd", "86'd": the clitic makes the word before it a past form.
        clause.subject = _subject_before(
            tokens, i - 1 if tokens[i].low == "'d" and kind == "past" else i, 0
        )
        main = tokens[i]
        rest = tokens[i + 1 :]
        for t in rest:
            if t.low in NEGATIONS:
                clause.negated = True
                continue
            if kind == "be" and t.low in {
                "so",
                "too",
                "very",
                "really",
                "quite",
                "such",
                "incredibly",
            }:
                break  # "you are so annoying": an adjective follows, not a progressive
            if t.low in ADVERBS or is_adverb_only(t.low):
                continue
            if kind in {"do", "modal"} and (
                t.kind != "word" or t.low in PREPOSITIONS | DETERMINERS or not verb_forms(t.low)
            ):
                break  # "whatever you did with the rota": "do" is the verb itself
            if kind in {"do", "modal"} or (
                kind in {"have", "be"} and (is_participle(t.low) or is_gerund(t.low))
            ):
                main = t
                if (
                    kind == "modal"
                    and tokens[i].low == "'d"
                    and is_participle(t.low)
                    and not verb_forms(t.low) & {"VB", "VBP"}
                ):
                    clause.verb_kind = "perfect"  # "before you'd hung them"
                if kind == "have":
                    clause.verb_kind = "perfect"
                elif kind == "be":
                    clause.verb_kind = "progressive" if is_gerund(t.low) else "passive"
                if kind in {"have", "modal"} and t.low in {"been", "be"}:
                    # "you've been sending the summary", "it has been used every night"
                    after = rest[rest.index(t) + 1 :]
                    nxt = next((a for a in after if a.low not in ADVERBS), None)
                    if nxt is not None and nxt.low.endswith("ing") and is_gerund(nxt.low):
                        main, clause.verb_kind = nxt, "progressive"
                    elif nxt is not None and is_participle(nxt.low) and kind == "have":
                        main, clause.verb_kind = nxt, "passive"
            break
        if kind in {"do", "modal", "have", "be"} and not clause.subject and i + 1 < len(tokens):
            # "Why did you approve the PR ...?": the subject after the auxiliary
            subject = tokens[i + 1]
            if subject.low in PERSONAL - {"it"} or subject.is_name():
                clause.subject = [subject]
                for t in tokens[i + 2 :]:
                    if t.low in NEGATIONS or t.low in ADVERBS:
                        continue
                    if verb_forms(t.low):
                        main = t
                    break
        clause.main_verb = main
        break
    return clause


def _split_asyndetic(tokens: list[Token], subordinate: bool) -> list[tuple[int, bool]]:
    """Where a new subject and finite verb start inside a run with no joining word
    ("when the GP rang on Saturday *the duty worker could answer*", "I noticed *you
    walked*", "the notes *you wrote*"): (index, relative) for each such start after the
    first verb; relative when the clause only describes the noun before it."""
    starts: list[tuple[int, bool]] = []
    seen_verb = False
    for i in range(len(tokens)):
        kind = _is_finite(tokens, i)
        if not kind:
            continue
        if seen_verb:
            subject = _subject_before(tokens, i, 0)
            if subject:
                begin = tokens.index(subject[0])
                how = _clause_start(tokens, begin, subordinate) if begin else ""
                if how:
                    starts.append((begin, how == "relative"))
        seen_verb = True
    return starts


# Verbs whose object can be a whole clause with no "that": "I noticed you walked", "you
# told her it was ready", "it meant we could ship".
COMPLEMENT_VERBS = {
    "say",
    "tell",
    "think",
    "know",
    "notice",
    "mean",
    "feel",
    "hear",
    "see",
    "find",
    "realise",
    "realize",
    "guess",
    "believe",
    "hope",
    "wish",
    "show",
    "agree",
    "promise",
    "explain",
    "mention",
    "ensure",
    "assume",
    "reckon",
    "suppose",
    "bet",
    "like",
    "love",
    "appreciate",
    "remember",
    "forget",
    "admit",
    "claim",
    "swear",
    "suggest",
    "make",
    "let",
    "help",
    "have",
    "get",
    "watch",
    "said",
}


def _clause_start(tokens: list[Token], begin: int, subordinate: bool) -> str:
    """Does the subject at `begin`, in the middle of a run, start a clause? "clause" after
    a verb that takes one ("I noticed you walked"), a time word ("Thursday we got zero
    violations"), or the end of a subordinate clause ("when the designer left mid project
    you picked up"); "relative" after a noun it describes ("the notes you wrote"); "" in
    object position ("listed every professional involved") or after a preposition."""
    before = tokens[begin - 1]
    subject = tokens[begin].low
    low = before.low
    if before.kind == "num":
        # "when it jammed at 2am you hit", "when we needed it at 3am everything was there"
        return "clause" if subject in PERSONAL | _SINGULAR_INDEFINITE | {"u"} else ""
    if before.kind != "word":
        return "clause" if before.kind == "quote" and subject in PERSONAL else ""
    if (
        subordinate
        and subject in PERSONAL - {"it"}
        and low in {"off", "up", "out", "down", "in", "over", "back", "away", "on", "through"}
    ):
        return "clause"  # "when the kiln alarm went off you shut it down"
    if low in PREPOSITIONS or low in DETERMINERS or low in {"than", "as", "like"}:
        return ""
    if low in TIME_WORDS or low in {"now", "then", "also", "afterwards", "later"}:
        return "clause"
    if verb_forms(low) and verb_lemma(low) in COMPLEMENT_VERBS:
        return "clause"
    if (
        low in OBJECT_PRONOUNS
        and begin >= 2
        and verb_lemma(tokens[begin - 2].low)
        in {
            "tell",
            "show",
            "ask",
            "remind",
            "promise",
            "warn",
        }
    ):
        return "clause"
    nounish = bool(lemmas(low).get("NOUN")) or before.is_name() or not known(low)
    if subordinate and subject in PERSONAL | {"u"} and subject != "it":
        return "clause"
    if nounish:
        return "relative"
    if subject in {"he", "she", "they", "we", "i"}:
        return "clause"
    return ""


def parse_sentence(tokens: list[Token]) -> Sentence:
    runs: list[tuple[list[Token], tuple[str, ...], int]] = []
    current: list[Token] = []
    opener: list[str] = []
    lead = -1  # where the first joining word of the opener starts
    for i, token in enumerate(tokens):
        low = token.low
        boundary = False
        if token.kind == "punct" and token.text in {",", ";", ":", "(", ")", "–", "—", "-", "--"}:
            boundary = True
        elif token.kind == "punct" and token.text in ARROWS:
            # "merged without review -> prod was down 40 min": an arrow says "so"
            if current:
                runs.append((current, tuple(opener), lead))
                current, opener, lead = [], [], -1
            opener.append("so")
            continue
        elif token.kind == "word" and (low in COORDINATORS or low in SUBORDINATORS):
            boundary = _opens_clause(tokens, i)
        if boundary:
            if current:
                runs.append((current, tuple(opener), lead))
                current, opener, lead = [], [], -1
            elif token.kind == "punct" and any(o in SUBORDINATORS for o in opener):
                opener, lead = [], -1  # "explained exactly why, and he came back"
            opener.append(low)
            if token.kind == "word" and lead < 0:
                lead = token.start
            continue
        if token.kind == "punct" and token.text[0] in ".!?" and i == len(tokens) - 1:
            continue
        current.append(token)
    if current:
        runs.append((current, tuple(opener), lead))
    runs = _connectives(runs)
    clauses: list[Clause] = []
    for run, run_opener, run_lead in runs:
        words = " ".join(t.low for t in run[:4])
        if words.startswith(_TIME_CLAUSE) and any(_is_finite(run, k) for k in range(len(run))):
            run_opener = (*run_opener, "when")  # "By the time the client arrived, ..."
        subordinate = any(o in SUBORDINATORS for o in run_opener)
        splits = _split_asyndetic(run, subordinate)
        starts = dict([(0, False), *splits])
        pieces = sorted(starts)
        relative = [starts[b] for b in pieces]
        run_clauses = []
        for n, begin in enumerate(pieces):
            end = pieces[n + 1] if n + 1 < len(pieces) else len(run)
            piece = _clause_from(run[begin:end], run_opener if n == 0 else ())
            piece.asyndetic = n > 0
            piece.relative = relative[n]
            piece.lead = run_lead if n == 0 and run_lead >= 0 else piece.tokens[0].start
            run_clauses.append(piece)
        clauses.extend(_described_subjects(run_clauses, run_opener))
    # A verb without a subject after "and", "then" or a comma shares the one before
    # ("you split your bay with Sam *and took* the two heaviest patients").
    for clause in clauses:
        # "which holds up the whole project": the relative word is the subject
        if clause.verb is None and clause.has("which", "who") and clause.tokens:
            first = clause.tokens[0]
            if first.kind == "word" and "VBZ" in verb_forms(first.low):
                clause.verb, clause.verb_index, clause.verb_kind = first, 0, "present"
                clause.main_verb = first
    merged: list[Clause] = []
    dangling: list[Token] = []  # "and Ravi, who pushed the bad config, was the one ..."
    for clause in clauses:
        if (_participle_clause(clause) or _zero_count(clause)) and merged:
            merged.append(clause)  # ", saving the airline forty rooms", ", zero tickets": apart
            continue
        if clause.verb is None and merged and not clause.has(*SUBORDINATORS):
            last = merged[-1]
            last.tokens = last.tokens + clause.tokens
            nominal = [t for t in clause.tokens if t.kind == "word"]
            dangling = (
                nominal[-1:]
                if nominal and (nominal[-1].is_name() or nominal[-1].low in PERSONAL)
                else []
            )
            continue
        if (
            clause.verb is not None
            and not clause.subject
            and clause.verb_index > 1
            and clause.tokens[0].low in DETERMINERS - {"that", "this"}
        ):
            # "the number of analysis errors reaching me has fallen": its own subject, too
            # long to find from the verb, not the one before
            clause.subject = clause.tokens[: clause.verb_index]
        if clause.verb is not None and not clause.subject and merged:
            previous = next((c for c in reversed(merged) if c.subject and not c.relative), None)
            joined = not clause.opener or clause.has("and", "then", "but", ",", "or", "so", "plus")
            if clause.has("which", "who", "that", *SUBORDINATORS):
                joined = False
            if joined and dangling and merged[-1].has("who", "which"):
                clause.subject = dangling
                clause.inherited = True
            elif joined and merged[-1].head and set(clause.opener) == {","}:
                # "The way you explained the change, with a worked example, *ended* the
                # rumours": the verb of the phrase the clause before described.
                clause.subject = merged[-1].head
                clause.deed = True
            elif previous is not None and joined:
                clause.subject = previous.subject
                clause.inherited = True
        if (
            clause.verb is not None
            and not clause.subject
            and clause.opener[-1:] == ("who",)
            and merged
            and merged[-1].tokens
        ):
            person = merged[-1].tokens[-1]
            if person.low in {"you", "u"} or person.is_name():
                # "It was you who spotted the crack", "it was Priya who rang them"
                clause.subject = [person]
                clause.inherited = True
        if clause.verb is not None and not clause.has("who", "which"):
            dangling = []
        merged.append(clause)
    return Sentence(tokens=tokens, clauses=merged)


# Nouns of time: "The day you left", "Every time you call" set a scene, they are not a
# subject described by the clause after them.
_TIME_NOUNS = TIME_WORDS | MONTHS | {"time", "times", "day", "days", "weekend", "moment", "minute"}


def _head_phrase(clause: Clause) -> list[Token]:
    """The noun phrase before the subject that a clause describes: "the reminders" in "the
    reminders you texted", "the way" in "the way you explained", "what" in "what we saw";
    empty when the clause starts with its subject or with anything else."""
    if not clause.subject or clause.verb is None or clause.inherited:
        return []
    begin = clause.tokens.index(clause.subject[0]) if clause.subject[0] in clause.tokens else 0
    before = clause.tokens[:begin]
    if (
        not before
        or clause.subject[0].low not in PERSONAL - {"it"}
        and not clause.subject[0].is_name()
    ):
        return []
    if len(before) == 1 and before[0].low in {"what", "whatever"}:
        return before
    if before[0].low not in DETERMINERS or before[0].low in {"no", "every", "each", "any"}:
        return []
    if any(t.kind != "word" or t.low in PREPOSITIONS or t.low in _TIME_NOUNS for t in before[1:]):
        return []
    last = before[-1].low
    return before if len(before) > 1 and (last == "way" or is_noun(last)) else []


def _described_subjects(run: list[Clause], opener: tuple[str, ...]) -> list[Clause]:
    """A run that starts with a noun phrase and a clause describing it ("The reminders you
    texted the day before", "what we saw") goes on to that phrase's own verb ("cut the
    no-shows", "contradicted two figures"): split there, with the phrase as its subject."""
    if not run:
        return run
    first = run[0]
    head = _head_phrase(first)
    free = any(o in {"what", "whatever"} for o in opener) and first.subject and not head
    if not head and not free:
        return run
    first.head = head
    rest = run[1:]
    if rest and rest[0].relative and rest[0].verb is not None:
        # "the reminders you texted to the families the day before *cut*": what looked like
        # a new subject ("the day") still belongs to the clause that describes the phrase.
        nxt = rest.pop(0)
        first.tokens = first.tokens + nxt.tokens[: nxt.verb_index]
        tail = nxt.tokens[nxt.verb_index :]
    else:
        main = first.tokens.index(first.main_verb) if first.main_verb in first.tokens else -1
        at = next(
            (
                k
                for k in range(max(main, first.verb_index) + 1, len(first.tokens))
                if _is_finite(first.tokens, k)
                and not (
                    is_participle(first.tokens[k].low)
                    and k + 1 < len(first.tokens)
                    and first.tokens[k + 1].low == "by"
                )
            ),
            -1,
        )
        if at < 0:
            return run
        tail = first.tokens[at:]
        first.tokens = first.tokens[:at]
    described = _clause_from(
        tail, () if head else tuple(o for o in opener if o not in {"what", "whatever"})
    )
    described.subject = head if head else list(first.tokens)
    described.deed = bool(head)
    # "..., and what we saw contradicted two figures": the whole of it, from "and", is
    # what happened; "the reminders you texted | cut the no-shows" splits at the verb.
    described.lead = described.tokens[0].start if head else first.lead
    first.head = []
    return [first, described, *rest]


# Phrases that open a clause of time as "when" does.
_TIME_CLAUSE = (
    "by the time ",
    "the moment ",
    "the minute ",
    "the second ",
    "as soon as ",
    "the first time ",
    "the last time ",
    "next time ",
)
# Phrases that say "so" on their own: "...; because of that, legal had the weekend".
_SO = {
    "because of that",
    "because of this",
    "as a result",
    "as a result of that",
    "thanks to that",
    "thanks to this",
    "due to that",
    "therefore",
    "consequently",
    "hence",
    "in turn",
    "so",
}


def _connectives(
    runs: list[tuple[list[Token], tuple[str, ...], int]],
) -> list[tuple[list[Token], tuple[str, ...], int]]:
    """A run that is only a connective meaning "so" ("because of that", "as a result")
    becomes the next run's opener."""
    out: list[tuple[list[Token], tuple[str, ...], int]] = []
    carry: tuple[str, ...] = ()
    for run, opener, lead in runs:
        if " ".join(t.low for t in run) in _SO and (out or carry):
            carry = (*carry, *opener, "so")
            continue
        out.append((run, (*carry, *opener) if carry else opener, lead))
        carry = ()
    return out


def _participle_clause(clause: Clause) -> bool:
    """A verbless run after a comma that starts with an -ing form ("..., saving the airline
    forty rooms", "— cutting each walk by a third") is a participle clause: its verb is that
    form, and it has no subject of its own. It becomes one here (verb_kind "participle")."""
    if (
        clause.verb is not None
        or not clause.tokens
        or not set(clause.opener)
        <= {
            ",",
            "–",
            "—",
            "-",
            "and",
        }
    ):
        return False
    if not clause.opener or clause.opener == ("and",):
        return False
    first = clause.tokens[0]
    if first.kind != "word" or not first.low.endswith("ing") or not is_gerund(first.low):
        return False
    clause.verb = clause.main_verb = first
    clause.verb_index = 0
    clause.verb_kind = "participle"
    return True


def _zero_count(clause: Clause) -> bool:
    """A verbless run after a comma or dash that counts nothing happening ("..., zero
    tickets about it", "— not a single complaint"): kept as a clause of its own, with
    verb_kind "count"."""
    words = [t.low for t in clause.tokens if t.kind == "word"]
    if (
        clause.verb is not None
        or not clause.opener
        or not set(clause.opener)
        <= {
            ",",
            "–",
            "—",
            "-",
            ";",
            ":",
        }
    ):
        return False
    counted = (
        (words[:1] == ["zero"] and len(words) > 1 and is_noun(words[1]))
        or words[:3] in (["not", "a", "single"], ["not", "one", "single"])
        or (words[:2] == ["not", "one"] and len(words) > 2 and is_noun(words[2]))
    )
    if counted:
        clause.verb_kind = "count"
    return counted


def _opens_clause(tokens: list[Token], i: int) -> bool:
    low = tokens[i].low
    nxt = tokens[i + 1].low if i + 1 < len(tokens) else ""
    prev = tokens[i - 1].low if i else ""
    if low == "then" and i > 0 and prev not in {",", "and", ";", "but", "–", "-", "so"}:
        return False  # "she then explained": an adverb
    if prev in DETERMINERS - {"that"} and low != "that":
        return False  # "the till", "a while": a noun
    if low == "that" and prev in PREPOSITIONS:
        return False  # "because of that"
    if low == "that" and nxt in _TIME_NOUNS:
        return False  # "you re-drew it that afternoon"
    if (
        low == "that"
        and (i == 0 or prev in COORDINATORS)
        and i + 1 < len(tokens)
        and (is_past(nxt) or "VBZ" in verb_forms(nxt))
        and not lemmas(nxt).get("NOUN")
    ):
        return False  # "and that made it easier for them": "that" is the subject
    if low == "that" and i + 1 < len(tokens):
        following = tokens[i + 2].low if i + 2 < len(tokens) else ""
        if (
            lemmas(nxt).get("NOUN")
            and not nxt.endswith("s")
            and nxt not in FUNCTION_WORDS
            and not tokens[i + 1].is_name()
            and (is_past(following) or following in BE | HAVE | MODALS)
        ):
            return False  # "first time that meeting ended": a determiner
    if low == "that":
        # "That protected the release date": a subject, not a joining word.
        return i > 0 and prev not in {",", "–", "-", ";"} and nxt not in {"and", ",", "."}
    if low == "so" and i + 1 < len(tokens):
        # "so we finished", "so the client", "so Priya": a clause starts with a subject;
        # "so organised", "so quickly" are not clauses.
        follower = tokens[i + 1]
        readings = lemmas(nxt)
        subjectish = (
            nxt in PERSONAL | DETERMINERS | INDEFINITE | DEMONSTRATIVE | NUMBERS | SUBORDINATORS
            or nxt == "people"
            or follower.is_name()
            or follower.kind in {"num", "quote"}
            or (bool(readings.get("NOUN")) and not readings.get("ADJ") and not is_past(nxt))
            or (
                not readings
                and not known(nxt)
                and follower.kind == "word"
                and not nxt.endswith(("ed", "ly"))
            )
        )
        if not subjectish and (nxt in PREPOSITIONS or nxt in TIME_WORDS):
            # "so by lunchtime we knew": a scene before the subject
            subjectish = any(
                t.low in PERSONAL - {"it", "one"} | {"everyone", "nobody"}
                for t in tokens[i + 2 : i + 8]
            )
        if not subjectish:
            return False
    if low == "as" and (
        nxt
        in {"well", "much", "many", "soon", "long", "a", "usual", "always", "ever", "expected"}
        | {"planned", "agreed", "promised", "discussed", "requested", "needed"}
        or prev in {"as", "such", "same", "just"}
    ):
        return False
    if low == "like" and prev in PERSONAL:
        return False
    if low in {"what", "how", "why", "who", "where"} and i == 0:
        return False
    if low == "once" and prev in {"for", "at", "all"}:
        return False  # "for once the planning meeting finished early"
    if low in {"why", "how"} and prev in BE:
        return False  # "which is why we have so many bugs"
    if low == "which" and nxt in {"is", "was", "one"}:
        return True
    if low == "because" and nxt == "of":
        return False  # "because of that": a preposition
    if low in {"since", "before", "after", "until", "once"} and (
        nxt in BE | HAVE | MODALS | DO
        or (verb_forms(nxt) and not lemmas(nxt).get("NOUN") and nxt not in PERSONAL)
        or (is_past(nxt) and nxt not in FUNCTION_WORDS)
    ):
        return False  # "the two groups since have finished": an adverb
    if low in {"before", "after", "since", "until", "till"} and nxt in DETERMINERS - {"that"}:
        # "after the participant said 'hmm'" is a clause; "before the audit" is not.
        for j in range(i + 2, min(i + 8, len(tokens))):
            if tokens[j].kind == "punct" or tokens[j].low in PERSONAL - {"it", "one"}:
                break  # "after the break we agreed": the phrase ended, a subject starts
            if is_past(tokens[j].low) and tokens[j - 1].low not in DETERMINERS:
                return True
        return False
    # A preposition, not a clause: "before the audit", "after lunch", "until 5pm".
    return not (
        low in {"before", "after", "since", "until", "till"}
        and (
            i + 1 >= len(tokens)
            or nxt in DETERMINERS - {"that"}
            or nxt in NUMBERS
            or nxt in TIME_WORDS
            or tokens[i + 1].kind == "num"
        )
    )


def parse(text: str) -> list[Sentence]:
    return [parse_sentence(s) for s in split_sentences(tokenize(text))]
