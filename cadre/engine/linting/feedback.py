"""The feedback check: is feedback about a behaviour, with its impact, rather than the person?

    result = check_feedback("You're so careless. On Friday you deployed the hotfix without "
                            "telling on-call.")
    result.ok                          # False
    [p.code for p in result.problems]  # ['about_the_person', 'no_impact']
    result.parts.situation             # 'On Friday'
    result.parts.behaviour             # 'you deployed the hotfix without telling on-call'
    result.parts.impact                # '' (missing: the form asks for it)
    result.missing                     # ('impact',)
    result.suggestion                  # 'On Friday, you deployed the hotfix without telling on-call.'

Deterministic: the same text always gives the same result. Good feedback follows
situation, behaviour, impact, suggestion. The check reports:

- about_the_person: a label or trait aimed at the person ("you are lazy", "she's a natural
  leader", "your attitude", "you don't care about ..."), not at something they did.
- generalization: "always", "never", "every time", "constantly", "whenever": one case
  stretched into a rule, which invites an argument about the exceptions.
- no_behaviour: no concrete action by the person: no clause whose subject is the person
  (you, or he/she/a name in feedback about someone) and whose verb is an action in the past
  ("you kept", "she double-booked", "the notes you wrote") or a habit told concretely ("you
  stage the outbound by door number"); "thanks for walking us through ..." counts.
- no_impact: nothing changed for anyone else: no clause with another subject ("we
  finished", "finance had time", "she stopped sharing") that follows from the action (after
  it, or before "because you ...").

Words are read with a part-of-speech lexicon (lemminflect) and the rules in grammar.py; see
docs/feedback.md. The rewrite keeps the writer's words, split into the four parts the
feedback form has; a part that isn't there stays empty and is named in `missing`, so the
form can ask for it instead of inventing one. A rewrite with nothing missing passes this
same check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .commitments import LintResult, Problem
from .grammar import (
    ADVERBS,
    DETERMINERS,
    FUNCTION_WORDS,
    MONTHS,
    NEGATIONS,
    PREPOSITIONS,
    SUBORDINATORS,
    WEEKDAYS,
    Clause,
    Sentence,
    Token,
    is_adjective,
    is_comparative,
    is_gerund,
    is_participle,
    is_past,
    known,
    lemmas,
    normalise,
    parse,
    verb_forms,
    verb_lemma,
)

ABOUT_THE_PERSON = "about_the_person"
GENERALIZATION = "generalization"
NO_BEHAVIOUR = "no_behaviour"
NO_IMPACT = "no_impact"
CODES = (ABOUT_THE_PERSON, GENERALIZATION, NO_BEHAVIOUR, NO_IMPACT)
PARTS = ("situation", "behaviour", "impact", "suggestion")

_MESSAGES = {
    ABOUT_THE_PERSON: (
        "This describes the person (a label or trait) rather than something they did. People "
        "can change what they do far more easily than who they are, and labels tend to make "
        "them defensive; describe the action you saw instead."
    ),
    GENERALIZATION: (
        "Words like 'always', 'never' or 'every time' turn one moment into a rule, and the "
        "conversation then tends to become about the exceptions. Name one specific occasion."
    ),
    NO_BEHAVIOUR: (
        "There is no concrete action here that someone else could have seen or heard. Say "
        "what the person did, and where or when ('in Tuesday's stand-up, you interrupted "
        "Maya twice')."
    ),
    NO_IMPACT: (
        "It doesn't say what the action changed: for the work, for other people or for the "
        "outcome. The impact is what makes feedback worth acting on ('so the client had to "
        "chase us', 'and she stopped sharing her update')."
    ),
}

# What the form asks for when a part is missing.
PROMPTS = {
    "situation": "Where and when it happened: “In Tuesday’s stand-up”.",
    "behaviour": "What the person did, that anyone could have seen or heard.",
    "impact": "What it changed: for the work, for other people, for the outcome.",
    "suggestion": "What to keep doing, or try next time (optional).",
}


@dataclass(frozen=True)
class FeedbackParts:
    """The four parts of feedback in the writer's words; an empty string is a part the
    text doesn't have."""

    situation: str = ""
    behaviour: str = ""
    impact: str = ""
    suggestion: str = ""

    def as_dict(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in PARTS}


@dataclass(frozen=True)
class FeedbackResult(LintResult):
    """A LintResult that also carries the rewrite split into its parts, and which of the
    parts the check needs (behaviour, impact) the rewrite is missing."""

    parts: FeedbackParts = field(default_factory=FeedbackParts)
    missing: tuple[str, ...] = ()

    @property
    def missing_prompts(self) -> list[tuple[str, str]]:
        """(part, what to write there) for each missing part, for forms to show."""
        return [(name, PROMPTS[name]) for name in self.missing]

    def to_dict(self) -> dict[str, object]:
        return {
            **super().to_dict(),
            "parts": self.parts.as_dict(),
            "missing": list(self.missing),
        }


# --- words ---------------------------------------------------------------------------------

NUMBERS_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "a"}

# Verbs that name no action anyone could see: states of mind, effort, judgement.
_VAGUE_VERBS = {
    "be",
    "seem",
    "appear",
    "sound",
    "feel",
    "try",
    "need",
    "want",
    "wish",
    "hope",
    "care",
    "think",
    "believe",
    "know",
    "like",
    "love",
    "hate",
    "deserve",
    "handle",
    "manage",
    "help",
    "work",
    "improve",
    "perform",
    "exceed",
    "impress",
    "behave",
    "act",
    "excel",
    "shine",
    "struggle",
    "cope",
    "contribute",
    "support",
    "communicate",
    "have",
    "respect",
    "value",
    "bother",
    "listen",
    "complain",
    "understand",
    "mean",
    "matter",
    "rock",
    "nail",
    "crush",
    "smash",
}
# ... and objects that make any verb vague: "you did a great job", "you got involved".
_EMPTY_OBJECT = re.compile(
    r"^(?:anything|nothing|everything|stuff|things|a (?:\w+ )?job|an? (?:great|good|amazing|"
    r"fantastic|excellent|brilliant|solid|decent|poor|bad|terrible) \w+|great|well|fine|"
    r"brilliantly|hard|amazing|good|it seriously|\w+ seriously|seriously|above and beyond|"
    r"the extra mile|(?:a|an|the) (?:effort|difference)|(?:your|a|the) best|better|involved|"
    r"ownership|responsibility|initiative|care)\b"
)
# Being somewhere or late is seen by everyone: "you were on your phone", "you came in late".
_STATE = re.compile(
    r"^(?:\w+ly |always |constantly |never |again )?(?:late|early|absent|off sick|away|on your "
    r"phone|on the phone|on your laptop|not there|missing|on time|asleep|offline|out)\b"
)
# Verbs that say one thing caused another; their subject can be anything but the person.
_CAUSAL = {
    "mean",
    "save",
    "cost",
    "cause",
    "lead",
    "result",
    "make",
    "give",
    "let",
    "allow",
    "enable",
    "help",
    "prevent",
    "stop",
    "delay",
    "break",
    "slow",
    "protect",
    "kill",
    "affect",
    "force",
    "spare",
    "unblock",
    "push",
    "hold",
    "bring",
    "change",
    "set",
    "put",
    "keep",
    "turn",
    "get",
}
# What one act of the person's did to others: "... and broke the build for the whole team".
_EFFECT_VERBS = {"break", "cost", "delay", "block", "save", "spare", "slow", "force", "cause"}
# "I noticed ...", "I liked that ...": the writer framing what follows, not an effect.
_FRAMING = {
    "notice",
    "like",
    "love",
    "appreciate",
    "think",
    "want",
    "know",
    "believe",
    "hope",
    "guess",
    "wonder",
    "see",
    "reckon",
    "mean",
    "wish",
    "thank",
    "say",
    "admire",
    "value",
    "enjoy",
    "realise",
    "realize",
    "suppose",
    "expect",
}
_LINKING = {"be", "seem", "look", "sound", "appear", "remain", "stay"}
_SECOND = {"you", "your", "yours", "yourself", "u", "ur", "ya", "y'all", "thanks", "thx"}
_THIRD = {"he", "she"}
_RECEIVER_SUBJECT = {"you", "u", "y'all"}

# Labels and traits. After a copula whose subject is the person: an adjective the lexicon
# knows (lazy, organised, brilliant, negative), an article and a noun phrase ("a natural
# leader", "a pleasure to work with"), or a superlative ("the most reliable person").
_NOT_TRAITS = {
    "late",
    "early",
    "busy",
    "away",
    "off",
    "out",
    "sick",
    "ill",
    "back",
    "ready",
    "done",
    "right",
    "sure",
    "able",
    "unable",
    "available",
    "free",
    "new",
    "here",
    "there",
    "first",
    "last",
    "next",
    "alone",
    "online",
    "offline",
    "on",
    "in",
    "up",
    "down",
    "welcome",
    "absent",
    "present",
    "wrong",
    "aware",
    "asleep",
    "awake",
    "due",
    "about",
    "going",
    "coming",
    "responsible",
    "in charge",
    "ok",
    "okay",
    "fine",
    "sorry",
    "glad",
    "happy",
    "missing",
    "complete",
    "still",
    "also",
}
_INTENSIFIERS = {
    "so",
    "such",
    "too",
    "very",
    "really",
    "quite",
    "incredibly",
    "always",
    "just",
    "not",
    "n't",
    "never",
    "honestly",
    "pretty",
    "rather",
    "extremely",
    "super",
    "totally",
    "completely",
    "absolutely",
    "truly",
    "genuinely",
    "often",
    "sometimes",
    "constantly",
    "kind",
    "sort",
    "of",
    "bit",
    "little",
    "a",
    "being",
    "actually",
    "definitely",
    "simply",
    "way",
    "overly",
    "far",
    "much",
    "seriously",
    "also",
    "still",
}
_TRAIT_NOUNS = re.compile(
    r"^(?:attitude|personality|character|manner|temperament|temper|ego|mindset|nature|"
    r"energy|vibe|demeanou?r|way of (?:working|being|doing things|talking)|work ethic)$"
)
_COPULAS = {"is", "are", "was", "were", "'s", "'re", "'m", "am", "be", "being", "been"}
_SEEM = {"seem", "seems", "seemed", "sound", "sounds", "sounded", "act", "acts", "acted"}
_ATTITUDE_VERBS = {"care", "respect", "value", "bother", "appreciate"}
_TRAIT_PHRASES = re.compile(
    r"\btypical (?:of )?you\b|\bso you\b(?= to )|\b(?:that's|that is|it's|this is) (?:just )?"
    r"(?:how|who|what) (?:you|he|she) (?:are|is)\b|\b(?:you|he|she)(?: are|'re|'s| is) (?:the )?"
    r"(?:kind|type|sort) of person\b|\bcome?s? across as\b|\bcame across as\b|\byou (?:\w+ )?have (?:a |"
    r"such an? |such |no |the )?(?:\w+ )?(?:attitude|personality|ego|work ethic|habit of|"
    r"ideas|temper|mindset)\b|\b(?:stop|quit) being\b"
)

_GENERALIZATION = re.compile(
    r"\b(?:always|never|every (?:single )?time|everytime|constantly|continually|all the time"
    r"|whenever|each time|forever|every day|every meeting|without fail|at all times"
    r"|(?:in|at|on|during|after|for) every (?!one\b)\w+|(?:almost|nearly) every \w+|every (?:"
    r"morning|evening|night|week|shift|sprint|session|standup|stand-up|retro|call|1:1|one-to-one)"
    r"|everything (?:you|he|she) (?:do|does|send|sends|write|writes|make|makes)|habit of"
    r"|any time (?:you|he|she)|anytime (?:you|he|she))\b"
)
_REQUEST_START = re.compile(
    r"^(?:(?:so|and|but|also|then|honestly|maybe|perhaps|in future|going forward|from now on|"
    r"next time|for next time|moving forward),? )*(?:please|pls|plz|could you|can you|would you|"
    r"will you|could we|can we|let's|lets|try|keep|don't|do not|stop|remember|make sure|"
    r"consider|next time|in future|going forward|from now on|i'd like|i would like|i'd love|"
    r"it would be|would be great|you should|you need to|you must|you have to|u should|"
    r"be more|be less|maybe|perhaps|ideally|just)\b"
)


# --- reading the text ---------------------------------------------------------------------


@dataclass
class _Segment:
    """A stretch of text with the role it plays: S situation, B behaviour, I impact,
    N neither (framing, asides), T trait (dropped from the rewrite), R request."""

    role: str
    start: int
    end: int


@dataclass
class _Reading:
    text: str
    sentences: list[Sentence]
    second_person: bool
    receiver_names: set[str]
    receiver_pronouns: set[str]
    requests: set[int]  # indexes of sentences that ask for something
    behaviour: list[Clause] = field(default_factory=list)
    impact: list[Clause] = field(default_factory=list)
    trait_spans: list[tuple[int, int]] = field(default_factory=list)
    thanks: list[tuple[int, int]] = field(default_factory=list)
    first_mention: int = -1


def _word_tokens(sentence: Sentence) -> list[Token]:
    return [t for t in sentence.tokens if t.kind in {"word", "num", "quote"}]


def _is_request(sentence: Sentence) -> bool:
    words = [t.low for t in _word_tokens(sentence)]
    if not words:
        return False
    head = " ".join(words[:8]).replace(" n't", "n't").replace(" 'd", "'d").replace(" 's", "'s")
    if sentence.tokens[-1].text.startswith("?") and words[0] in {"why", "how", "what"}:
        return False
    if _REQUEST_START.match(head):
        return True
    first = sentence.clauses[0] if sentence.clauses else None
    # An order with no subject: "Keep that up.", "Check the recipients before you send."
    if first is not None and first.verb is None and words[0] not in FUNCTION_WORDS | {"thank"}:
        forms = verb_forms(words[0])
        if "VB" in forms and not forms & {"VBD", "VBN"} and not lemmas(words[0]).get("NOUN"):
            return True
    return False


def _role(reading: _Reading, clause: Clause) -> str:
    """receiver, artefact (the person's thing: "your notes"), other or none."""
    subject = clause.subject
    if not subject:
        return "none"
    first, head = subject[0].low, subject[-1].low
    if reading.second_person:
        if len(subject) == 1 and head in _RECEIVER_SUBJECT:
            return "receiver"
        if first in {"your", "ur"}:
            return "artefact"
        return "other"
    text = " ".join(t.text for t in subject)
    if len(subject) == 1 and (head in reading.receiver_pronouns or text in reading.receiver_names):
        return "receiver"
    if text.split()[-1] in reading.receiver_names and subject[0].low in {"mr", "mrs", "ms", "dr"}:
        return "receiver"
    if first in {"his", "her"} and first == {"he": "his", "she": "her"}.get(
        next(iter(reading.receiver_pronouns), ""), ""
    ):
        return "artefact"
    return "other"


def _find_receiver(reading: _Reading) -> None:
    """In feedback about someone ("She covered the rota ..."), the person is the first
    he, she or name that is a subject. A he or she in a later sentence than the name is
    that person ("Tamika is a born salesperson. Saturday she talked a guy ..."); in the
    same sentence it is more often someone else ("Marta let the new hire run the standup,
    and he told me ...")."""
    if reading.second_person:
        return
    name_sentence = -1
    for number, sentence in enumerate(reading.sentences):
        for clause in sentence.clauses:
            if len(clause.subject) not in {1, 2} or clause.verb is None:
                continue
            token = clause.subject[-1]
            if len(clause.subject) == 2 and clause.subject[0].low not in {"mr", "mrs", "ms", "dr"}:
                continue
            if token.low in _THIRD:
                if reading.receiver_names and number == name_sentence:
                    return
                reading.receiver_pronouns.add(token.low)
                return
            if (token.is_name() or _name_like(clause)) and not reading.receiver_names:
                reading.receiver_names.add(token.text)
                name_sentence = number


def _name_like(clause: Clause) -> bool:
    """ "Tom shadowed the night porter": a capitalised singular noun with no article as the
    subject of a past tense is a name, though "tom" is also a word."""
    token = clause.subject[-1]
    return (
        len(clause.subject) == 1
        and re.fullmatch(r"[A-Z][a-z]+", token.text) is not None
        and lemmas(token.low).get("NOUN", ("",))[0] == token.low
        and not lemmas(token.low).get("VERB")
        and clause.verb_kind == "past"
        and clause.verb_index == clause.tokens.index(token) + 1
    )


def _object_after(clause: Clause) -> str:
    main = clause.main_verb
    if main is None:
        return ""
    index = clause.tokens.index(main) if main in clause.tokens else clause.verb_index
    rest = clause.tokens[index + 1 :]
    return " ".join(t.low for t in rest if t.kind != "punct")


def _is_action(clause: Clause) -> bool:
    """Is this clause (whose subject is the person) something they did that could be seen?"""
    kind = clause.verb_kind
    main = clause.main_verb
    if main is None or kind == "":
        return False
    rest = _object_after(clause)
    if kind == "be":
        return bool(_STATE.match(rest)) or any(t.kind == "quote" for t in clause.after_verb())
    if kind in {"modal", "passive"}:
        return False
    if kind == "progressive" and not rest:
        return False  # "you were condescending": a manner, not an act
    if kind == "have":
        return False
    lemma = verb_lemma(main.low) if main.low != "'d" else "do"
    if main.low == "'d":
        return True  # "you 86'd the salmon", "you DM'd her"
    if lemma in _VAGUE_VERBS:
        return False
    if lemma == "thank" and rest.split()[:1] in (["you"], ["u"], ["ya"]):
        return False  # the writer thanking: "..., thank you!"
    if lemma == "come" and rest.startswith("across"):
        return False  # "you came across as defensive"
    if lemma == "do" and (not rest or rest.split()[0] in {"this", "that", "it", "so", "well"}):
        return False  # "you always do this"
    if "seriously" in rest.split()[:6]:
        return False  # "you took the complaint seriously"
    if kind == "do" and main is clause.verb:
        return False  # "you did a great job": do as the main verb
    if lemma in {"get", "do", "take", "make", "go", "give", "put"} or not clause.negated:
        if _EMPTY_OBJECT.match(rest):
            return False
        if lemma == "get" and rest.split()[:1] and is_participle(rest.split()[0]):
            return False  # "you got involved", "you got upset"
    return True


def _is_copular(clause: Clause) -> bool:
    main = clause.main_verb
    if main is None:
        return False
    if clause.verb_kind == "be" or verb_lemma(main.low) == "be":
        return True
    if verb_lemma(main.low) not in _LINKING:
        return False
    # "looked good", "stayed calm", but not "could stay for the whole thing"
    index = clause.tokens.index(main) if main in clause.tokens else clause.verb_index
    after = [t.low for t in clause.tokens[index + 1 : index + 3]]
    return bool(after) and (
        is_adjective(after[0]) or after[0] in _INTENSIFIERS or after[0] == "like"
    )


def _changed(clause: Clause) -> bool:
    """A linking verb that still tells of a change: a comparison ("far less hostile",
    "much happier"), a figure going up or down, a feeling, or a clause inside ("it was the
    first time he's talked about home")."""
    rest = clause.after_verb()
    words = [t.low for t in rest if t.kind != "punct"]
    if any(is_comparative(w) for w in words[:5]) or "than" in words:
        return True
    if {"reason", "why"} & set(words[:4]):
        return True  # "is the reason our figures are the best", "which is why we ..."
    if words[:1] and words[0] in {"up", "down", "back", "gone", "over"}:
        return True
    for i, token in enumerate(rest[1:], start=1):
        if token.low in {"he", "she", "they", "we", "i", "you", "nobody", "everyone"}:
            after = rest[i + 1 : i + 3]
            if any(
                is_past(t.low) or t.low in {"'s", "'ve", "has", "have", "had", "could"}
                for t in after
            ):
                return True
    return False


_REPORTING = {
    "say",
    "tell",
    "explain",
    "ask",
    "promise",
    "claim",
    "mention",
    "think",
    "write",
    "answer",
    "reply",
    "insist",
}
_THING = {"it", "this", "that", "which", "what", "there"}
_PEOPLE = {"he", "she", "they", "we", "i", "nobody", "everyone"}


def _is_effect(reading: _Reading, clause: Clause, sentence: Sentence, index: int) -> bool:
    """Is this clause (whose subject is not the person) a change that followed?"""
    main = clause.main_verb
    if main is None or clause.verb is None or clause.relative:
        return False
    subject = clause.subject
    subject_low = [t.low for t in subject]
    lemma = verb_lemma(main.low)
    opener = set(clause.opener)
    if "so" in opener:
        opener.discard("that")  # "so that the client could ..."
    consequence = bool(opener & {"so", "meaning"})
    if opener & SUBORDINATORS and not consequence:
        return False  # scene-setting: "when the GP rang", "as we went", "what we agreed"
    if "which" in opener and _is_copular(clause) and not _changed(clause):
        return False
    if subject_low[:1] in (["i"], ["we"]) and lemma in _FRAMING:
        return False  # "I noticed ...", "we think ..."
    if (
        lemma == "feel"
        and subject_low[:1] in (["i"], ["we"])
        and _object_after(clause).startswith(("like", "you", "that you"))
    ):
        return False  # "I feel you don't care": an opinion of the person
    if subject_low == ["i"] and _object_after(clause).startswith(
        ("sure", "certain", "pretty sure", "quite sure", "not sure", "glad", "so glad", "happy")
    ):
        return False
    if clause.asyndetic and index > 0:
        before = sentence.clauses[index - 1]
        if (
            _role(reading, before) == "receiver"
            and before.main_verb is not None
            and verb_lemma(before.main_verb.low) in _REPORTING
        ):
            return False  # what the person said: "you told a customer we'd price match"
    if (
        _is_copular(clause)
        and not _changed(clause)
        and not _state_that_followed(reading, clause, subject, consequence)
    ):
        return False
    hypothetical = clause.verb_kind == "modal" and clause.verb.low in {
        "would",
        "'d",
        "might",
        "should",
        "may",
    }
    # "you told a customer we'd price match Amazon" is not an effect; "fixing it later would
    # have cost us a month" is one the action headed off.
    return not hypothetical or "so" in opener or _counterfactual(clause)


def _state_that_followed(
    reading: _Reading, clause: Clause, subject: list[Token], consequence: bool
) -> bool:
    """A state told with a linking verb that still counts as an effect: after "so"
    ("so drivers are in and out in under 30 minutes"), in a sentence after the behaviour
    ("The papers were on the table at 9 sharp."), or of people ("she was humiliated", "the
    backend folks were quite hurt"). Not "it was still open" or "that was our busiest day"."""
    subject_low = [t.low for t in subject]
    if not subject_low or subject_low[-1] in _THING:
        return False
    if consequence:
        return True
    if (
        reading.behaviour
        and clause.start > reading.behaviour[0].end
        and subject_low[0] not in {"your", "ur"}
    ):
        return True
    if subject_low[-1] in _PEOPLE or subject[-1].is_name() or clause.verb_kind == "passive":
        return True
    plural = subject_low[-1].endswith("s") and bool(lemmas(subject_low[-1]).get("NOUN"))
    predicate = [t.low for t in clause.after_verb()[:3]]
    return any(is_participle(w) and (plural or not is_adjective(w)) for w in predicate)


def _counterfactual(clause: Clause) -> bool:
    """ "would have cost us a month": the harm an action headed off is its impact."""
    words = [t.low for t in clause.after_verb()[:3]]
    return len(words) >= 2 and words[0] in {"have", "'ve", "of"} and is_participle(words[1])


def _links(reading: _Reading, clause: Clause, sentence: Sentence, index: int) -> bool:
    """Is the effect tied to the person: after they are first mentioned, or before a
    "because you ..." in the same sentence, or with nobody named at all ("The build broke
    and nobody could deploy")?"""
    position = clause.subject[0].start if clause.subject else clause.start
    if reading.first_mention < 0:
        return not _is_copular(clause) and clause.verb_kind != "passive"
    after = reading.text[clause.verb.end if clause.verb else clause.start : sentence.end].lower()
    if re.search(r"\bso,? (?:thank|thanks|cheers|kudos|ty)\b", after):
        return True  # "Trucks got out on time all week, so thank you."
    if position > reading.first_mention:
        return True
    for later in sentence.clauses[index + 1 :]:
        if _role(reading, later) in {"receiver", "artefact"} and set(later.opener) & {
            "because",
            "since",
            "after",
            "as",
            "once",
            "when",
            "cos",
        }:
            return True
        words = {t.low for t in later.tokens}
        if "so" in later.opener and words & {"thank", "thanks", "kudos", "cheers"}:
            return True
    return False


_THANKS = re.compile(
    r"\b(?:thanks|thank you|thx|ty|kudos|cheers|grateful|shout-?out|props)(?: (?:so much|again|"
    r"a lot|loads|heaps))? (?:to \w+ )?for (?P<verb>[a-z'-]+)"
)


def _read(text: str) -> _Reading:
    sentences = parse(text)
    tokens = [t for s in sentences for t in s.tokens]
    second = any(t.low in _SECOND for t in tokens) or bool(
        re.search(r"\bthank (?:you|u|ya)\b", text.lower())
    )
    reading = _Reading(
        text=text,
        sentences=sentences,
        second_person=second,
        receiver_names=set(),
        receiver_pronouns=set(),
        requests={i for i, s in enumerate(sentences) if _is_request(s)},
    )
    _find_receiver(reading)
    for token in tokens:
        if (
            token.low in _SECOND
            or token.text in reading.receiver_names
            or (not second and token.low in reading.receiver_pronouns)
        ):
            reading.first_mention = token.start
            break
    if reading.first_mention < 0 and not second:
        # "Kudos to Arjun for the hotfix": the person named after a preposition.
        for token in tokens:
            if token.is_name():
                reading.first_mention = token.start
                break
    low = text.lower()
    for match in _THANKS.finditer(low):
        # "thanks for walking us through ...": a doing, not "thanks for everything"
        word = match.group("verb")
        rest = low[match.end() :].lstrip()
        if (
            is_gerund(word)
            and verb_lemma(word) not in _VAGUE_VERBS
            and not _EMPTY_OBJECT.match(rest)
        ):
            reading.thanks.append((match.start(), match.end()))
    for index, sentence in enumerate(sentences):
        if index in reading.requests:
            continue
        for n, clause in enumerate(sentence.clauses):
            role = _role(reading, clause)
            if clause.verb is None:
                continue
            if role == "receiver" and not set(clause.opener) & {"if", "unless", "whether"}:
                if _is_action(clause):
                    main = clause.main_verb
                    if (
                        _by_doing(reading, sentence, clause)
                        and main is not None
                        and verb_lemma(main.low)
                        in _EFFECT_VERBS
                        | {"stop", "prevent", "save", "help", "let", "give", "get", "keep", "make"}
                    ):
                        # "By flagging the consent form, you stopped us from seeing ...":
                        # the act is in the by-phrase, the clause is what it did.
                        reading.impact.append(clause)
                    if (
                        reading.behaviour
                        and main is not None
                        and verb_lemma(main.low) in _EFFECT_VERBS
                        and (clause.inherited or clause.has("and", "so"))
                    ):
                        # "You pushed to main without review and broke the build for the
                        # whole team": a second act that is what the first one did to others.
                        reading.impact.append(clause)
                    reading.behaviour.append(clause)
                continue
            if role == "artefact" and _artefact_action(clause):
                reading.behaviour.append(clause)
            if role == "none" and n == 0 and not clause.inherited:
                # "Left the dock plate up on door 3 last night.": the person is understood.
                first = _word_tokens(sentence)[0]
                if clause.verb is first and clause.verb_kind == "past" and _is_action(clause):
                    reading.behaviour.append(clause)
                    continue
            if role == "receiver":
                continue
            if role in {"artefact", "none"} and clause.main_verb is not None:
                if verb_lemma(clause.main_verb.low) in _CAUSAL and role == "artefact":
                    reading.impact.append(clause)
                    continue
                after_so = clause.has("so") or (
                    clause.asyndetic and n > 0 and sentence.clauses[n - 1].has("so")
                )
                if role == "artefact" and after_so and _links(reading, clause, sentence, n):
                    # "so when the manager pulled the report, your day was the only complete one"
                    reading.impact.append(clause)
                    continue
                if (
                    role == "none"
                    and "which" in clause.opener
                    and _is_effect(reading, clause, sentence, n)
                ):
                    reading.impact.append(clause)
                continue
            if _is_effect(reading, clause, sentence, n) and _links(reading, clause, sentence, n):
                reading.impact.append(clause)
        # "the way you sketched the flow ... meant PM and eng finally agreed": a causal verb
        # later in a clause that starts with the person's action.
        for clause in sentence.clauses:
            if clause in reading.impact or clause.main_verb is None:
                continue
            later = clause.tokens[clause.verb_index + 1 :]
            for i, token in enumerate(later):
                if not is_past(token.low) or verb_lemma(token.low) not in _CAUSAL - {
                    "get",
                    "set",
                    "put",
                    "turn",
                }:
                    continue
                before = later[i - 1] if i else clause.tokens[clause.verb_index]
                if before.kind == "word" and before.low not in FUNCTION_WORDS | {"to"}:
                    reading.impact.append(clause)
                    break
    reading.trait_spans = _trait_spans(reading)
    return reading


def _by_doing(reading: _Reading, sentence: Sentence, clause: Clause) -> bool:
    """Is the clause led by "By <doing something>, ..." in its sentence?"""
    before = reading.text[sentence.start : clause.verb.start if clause.verb else clause.start]
    match = re.match(r"^\W*by ([a-z'-]+)\b", before.lower())
    return match is not None and is_gerund(match.group(1))


def _artefact_action(clause: Clause) -> bool:
    """ "Your handover notes listed every professional ...": the person's own work did
    something concrete; "your PR comments were harsh, 'this is obviously wrong'": quoted."""
    if any(t.kind == "quote" for t in clause.tokens):
        return True
    head = clause.subject[-1].low if clause.subject else ""
    if head in {
        "work",
        "help",
        "support",
        "effort",
        "efforts",
        "contribution",
        "input",
        "attitude",
        "energy",
        "presence",
        "involvement",
        "leadership",
        "way",
        "time",
        "approach",
        "hard",
        "dedication",
        "commitment",
    }:
        return False
    main = clause.main_verb
    if main is None or clause.verb_kind not in {"past", "perfect", "have"}:
        return False
    lemma = verb_lemma(main.low)
    if lemma == "have":
        # "Your summary had one quote per theme": what the work contained, counted
        following = _object_after(clause).split()[:1]
        return (
            main.low == "had"
            and bool(following)
            and (
                following[0] in NUMBERS_WORDS
                or following[0].isdigit()
                or following[0] in {"no", "every", "each"}
            )
        )
    return (
        lemma not in _VAGUE_VERBS
        and lemma not in _CAUSAL
        and not _EMPTY_OBJECT.match(_object_after(clause))
    )


# --- traits -------------------------------------------------------------------------------


def _is_person(reading: _Reading, tokens: list[Token], j: int) -> bool:
    """Is tokens[j] the person the feedback is for, as a subject?"""
    token = tokens[j]
    if token.low in _RECEIVER_SUBJECT:
        return True
    if reading.second_person:
        return False
    return (
        token.low in reading.receiver_pronouns
        or token.text in reading.receiver_names
        or (token.low in _THIRD and not reading.receiver_pronouns)
    )


def _trait_after(words: list[Token], k: int) -> int:
    """If words[k:] (after a copula) names a trait, the index where it ends; else -1."""
    n = len(words)
    while k < n and words[k].low in _INTENSIFIERS - {"a"}:
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
    if word in {"the", "one"}:
        nxt = words[k + 1].low if k + 1 < n else ""
        if nxt in {"most", "least", "best", "worst"} or (
            nxt.endswith("est") and is_adjective(nxt) and nxt not in {"first", "last", "latest"}
        ):
            return k + 2
        return -1
    if word in {"not", "n't", "never"}:
        return _trait_after(words, k + 1)
    if words[k].kind != "word" or word in _NOT_TRAITS or word in FUNCTION_WORDS:
        if k + 2 < n and words[k + 1].low in {"and", "or", ","} and word in _NOT_TRAITS:
            return _trait_after(words, k + 2)  # "always late and lazy"
        return -1
    if word in {"there", "here", "back", "with"}:
        return -1
    if is_gerund(word) and k > 0 and words[k - 1].low in _INTENSIFIERS - {"not", "n't", "never"}:
        return k + 1  # "so annoying", "so caring"
    if is_gerund(word) and (
        k + 1 >= n or words[k + 1].kind == "punct" or words[k + 1].low in {"and", "but"}
    ):
        return k + 1  # "you were condescending.": nothing done to anything, a manner
    if is_adjective(word):
        following = words[k + 1].low if k + 1 < n else ""
        if not is_gerund(word) or following not in DETERMINERS | {"me", "us", "him", "them", "it"}:
            return k + 1  # "so annoying", "so caring and kind"; not "annoying the guests"
    forms = verb_forms(word)
    if forms & {"VBN", "VBD"} and word.endswith("ed"):
        # A participle as an adjective ("so organised", "disorganised"), not a passive
        # ("you were asked to ...", "she was moved to nights").
        nxt = words[k + 1].low if k + 1 < n else ""
        intensified = k > 0 and words[k - 1].low in _INTENSIFIERS - {"not", "n't", "never"}
        negative = word.startswith(("dis", "un"))
        passive = nxt in PREPOSITIONS | {"as", "that", "to", "by"}
        return k + 1 if (intensified or negative) and not passive else -1
    if word.endswith(
        ("ful", "ous", "ive", "ible", "able", "ish", "ic", "al", "less", "y")
    ) and not known(word):
        return k + 1  # words the lexicon lacks but whose ending is an adjective's ("nitpicky")
    return -1


def _trait_spans(reading: _Reading) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    low = reading.text.lower()
    for match in _TRAIT_PHRASES.finditer(low):
        if match.group(0).startswith("you have") and reading.second_person is False:
            continue
        spans.append((match.start(), match.end()))
    for sentence in reading.sentences:
        words = [t for t in sentence.tokens if t.kind != "punct" or t.text in {",", ";", ":"}]
        for j, token in enumerate(words):
            low_word = token.low
            # a copula after the person: "you're lazy", "she is a natural leader"
            if low_word in _COPULAS | _SEEM and j > 0:
                subj = j - 1
                while subj > 0 and words[subj].low in ADVERBS - {"so"}:
                    subj -= 1
                if _is_person(reading, words, subj) or (
                    low_word in {"'re", "are"} and words[subj].low == "u"
                ):
                    start = j + 1
                    if (
                        low_word in _SEEM
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
                if _TRAIT_NOUNS.match(noun) or _TRAIT_NOUNS.match(two) or _quality_noun(noun):
                    spans.append((token.start, words[j + 1].end))
                    continue
            # attitudes told as fact: "you don't care about ...", "she doesn't respect ..."
            if verb_lemma(low_word) in _ATTITUDE_VERBS and j > 0 and verb_forms(low_word):
                k = j - 1
                while k > 0 and (words[k].low in NEGATIONS | ADVERBS | {"do", "does", "did"}):
                    k -= 1
                negated = any(w.low in {"n't", "not", "never"} for w in words[k + 1 : j])
                if _is_person(reading, words, k) and (negated or verb_lemma(low_word) == "care"):
                    spans.append((words[k].start, token.end))
    return [_to_phrase_end(reading, a, b) for a, b in spans]


def _to_phrase_end(reading: _Reading, start: int, end: int) -> tuple[int, int]:
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
            if following in _SECOND | {
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
        if token.low in _RECEIVER_SUBJECT and n and tokens[n - 1].kind == "word":
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


# --- the parts and the rewrite -----------------------------------------------------------

_FRAMING_LEAD = re.compile(
    r"^(?:(?:honestly|so|well|also|and|but|just|hey|hi|ok|okay|look|tbh|fyi|btw|again|anyway|"
    r"overall|personally|genuinely|really|yeah|yes|no),?\s+)+",
    re.I,
)
_FRAMING_CLAUSE = re.compile(
    r"^(?:i|we)\s+(?:(?:really|just|also|genuinely|honestly|definitely|particularly|especially)"
    r"\s+)*(?:noticed|notice|liked|like|loved|love|appreciated|appreciate|saw|think|thought|"
    r"wanted to say|want to say|wanted to mention|want to mention|was impressed|was glad|"
    r"am glad|'m glad|valued|value|admired|enjoyed|felt|feel|heard|hear)"
    r"(?:\s+(?:that|how|the way|it when|when))?\s+",
    re.I,
)
_SCENE_START = re.compile(
    r"^(?:in|on|at|during|after|before|at|when|while|whilst|once|as|since|last|this|yesterday|"
    r"today|tonight|earlier|back|over|through|throughout|from|on|by|around|first thing|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.I,
)
_JOINING = re.compile(
    r"^(?:so that|so|and|but|which|meaning|then|because|as|since|until|after|that|and so|"
    r"and then|so then|therefore|thus|as a result)\b",
    re.I,
)
_SUBORDINATE_START = re.compile(
    r"^(?:when|whenever|because|since|after|once|as soon as|as|if|while|whilst|before|by)\b", re.I
)
_MONTHS_PLAIN = MONTHS - {"may", "march"}
_MONTH_CONTEXT = re.compile(
    r"\b(?:in|on|of|since|last|next|early|late|mid|until|by|from)\s+(may|march)\b|\b(may|march)"
    r"\s+\d",
    re.I,
)


def _edge_tidy(words: str) -> str:
    """Spaces collapsed, and the punctuation a part should not begin or end with removed."""
    words = re.sub(r"\s+", " ", words).strip()
    words = re.sub(r"^[\s,;:–—\-]+", "", words)
    return re.sub(r"[\s,;:–—\-]+$", "", words)


def _lower_first(words: str) -> str:
    """'You kept' -> 'you kept' mid-sentence; names, days, 'I' and acronyms keep theirs."""
    first = words.split(" ", 1)[0]
    bare = re.sub(r"[^\w'-]", "", first)
    low = bare.lower()
    if not bare or bare == "I" or bare.startswith("I'") or low in WEEKDAYS | MONTHS:
        return words
    if len(bare) > 1 and bare.isupper():
        return words
    if not known(bare) or (
        bare[:1].isupper()
        and re.fullmatch(r"[A-Z][a-z]+", bare)
        and not lemmas(low)
        and low not in FUNCTION_WORDS
    ):
        return words
    return words[:1].lower() + words[1:]


def _upper_first(words: str) -> str:
    return words[:1].upper() + words[1:] if words else words


def _end(words: str) -> str:
    words = words.rstrip()
    if not words:
        return words
    words = re.sub(r"[,;:–—\-]+$", "", words).rstrip()
    return words if words[-1] in ".!?" else words + "."


def _days_capitalised(words: str) -> str:
    """Weekdays and months with a capital letter, as the writer meant them."""

    def cap(match: re.Match[str]) -> str:
        return match.group(0)[:1].upper() + match.group(0)[1:]

    words = re.sub(
        r"\b(?:" + "|".join(sorted(WEEKDAYS | _MONTHS_PLAIN)) + r")(?='s\b|\b)", cap, words
    )
    return _MONTH_CONTEXT.sub(
        lambda m: (
            m.group(0)[: m.start(1) - m.start(0)]
            + cap(re.match(r".+", m.group(1) or "") or m)
            + m.group(0)[m.end(1) - m.start(0) :]
            if m.group(1)
            else cap(m)
        ),
        words,
    )


def compose(situation: str, behaviour: str, impact: str, suggestion: str) -> str:
    """The four parts as one piece of feedback, the way the check reads it and the rewrite
    shows it: "<situation>, <behaviour>, <impact>. <suggestion>", with the joining words
    and capitals a sentence needs. An empty part is left out.

        compose("In Tuesday's stand-up", "you interrupted Maya twice",
                "she stopped sharing her update", "")
        # "In Tuesday's stand-up, you interrupted Maya twice. She stopped sharing her update."
    """
    s, b, i = (_edge_tidy(p).rstrip(".!") for p in (situation, behaviour, impact))
    g = _edge_tidy(suggestion)
    head = f"{s}, {_lower_first(b)}" if s and b else s or b
    if i:
        first = i.split(" ", 1)[0].lower()
        if not head:
            i = re.sub(r"^(?:and|so|but|then|meaning|and so|so that)\s+", "", i, flags=re.I)
            i = re.sub(r"^which\b", "This", i, flags=re.I)
            head = i
        elif (
            verb_forms(first) & {"VBD", "VBZ"}
            and first not in FUNCTION_WORDS
            and not lemmas(first).get("NOUN")
        ):
            head = f"{head} {_lower_first(i)}"  # "the way you sketched the flow meant ..."
        elif _JOINING.match(i) or _SUBORDINATE_START.match(b or s):
            head = f"{head}, {_lower_first(i)}"
        else:
            head = f"{_end(head)} {_upper_first(i)}"
    text = _end(_upper_first(head)) if head else ""
    if g:
        text = f"{text} {_end(_upper_first(g))}".strip()
    return text


def _span_text(text: str, start: int, end: int, drop: list[tuple[int, int]]) -> str:
    """text[start:end] without the stretches in `drop` (traits), tidied."""
    pieces = []
    pos = start
    for a, b in sorted(drop):
        if b <= pos or a >= end:
            continue
        pieces.append(text[pos : max(a, pos)])
        pos = max(pos, b)
    pieces.append(text[pos:end])
    return _edge_tidy(" ".join(_edge_tidy(p) for p in pieces if _edge_tidy(p)))


def _clause_span(clause: Clause) -> tuple[int, int]:
    return (clause.lead if clause.lead >= 0 else clause.start, clause.end)


def _degeneralise(words: str) -> str:
    """One case instead of a rule: "always", "constantly" dropped; "never X" -> "didn't X";
    "whenever"/"every time" -> "when"."""

    def never(match: re.Match[str]) -> str:
        verb = match.group(2)
        base = verb_lemma(verb) if verb_forms(verb) & {"VBD", "VBZ", "VBP", "VB"} else verb
        lead = "Didn't" if match.group(1)[:1].isupper() else "didn't"
        return f"{lead} {base}"

    words = re.sub(
        r"\b(never)\s+(?!(?:which|and|but|so|when|because)\b)([a-z'-]+)", never, words, flags=re.I
    )
    words = re.sub(r"\bnever\b", "", words, flags=re.I)
    words = re.sub(
        r"\b(?:whenever|every (?:single )?time|each time|everytime)\b", "when", words, flags=re.I
    )
    words = re.sub(
        r"\b(?:(?:in|at|on|during|after|for) every (?!one\b)[\w:'-]+|(?:almost|nearly) every \w+"
        r"|every (?:day|morning|evening|night|week|shift|sprint|session|meeting|standup|stand-up|retro|call))\b",
        "",
        words,
        flags=re.I,
    )
    words = re.sub(
        r"\b(?:always|constantly|continually|all the time|forever|without fail|at all times)\b",
        "",
        words,
        flags=re.I,
    )
    words = re.sub(r"\s+([,.;!?])", r"\1", words)
    return re.sub(r"\s+", " ", words).strip(" ,")


def _parts(reading: _Reading) -> FeedbackParts:
    """Situation, behaviour, impact and suggestion as stretches of the writer's text."""
    text = reading.text
    drop = list(reading.trait_spans)
    # Sentences that are only a trait ("He's careless.") are left out whole, and so are
    # requests that carry one ("Pls stop being so negative").
    for sentence in reading.sentences:
        if any(a < sentence.end and b > sentence.start for a, b in reading.trait_spans) and all(
            c not in reading.behaviour and c not in reading.impact for c in sentence.clauses
        ):
            drop.append((sentence.start, sentence.end))
    suggestion = " ".join(
        _span_text(text, s.start, s.end, drop)
        for i, s in enumerate(reading.sentences)
        if i in reading.requests
    )
    content = [s for i, s in enumerate(reading.sentences) if i not in reading.requests]
    content_end = max((s.end for s in content), default=0)
    behaviour = [c for s in content for c in s.clauses if c in reading.behaviour]
    impact = [c for s in content for c in s.clauses if c in reading.impact]
    thanks = reading.thanks[0][0] if reading.thanks else -1

    situation = ""
    b_start = -1
    if behaviour:
        first = behaviour[0]
        sentence = _sentence_at(reading, first.start)
        b_start = first.subject[0].start if first.subject and not first.inherited else first.start
        if first.has("when", "because", "since", "once", "after", "as", "whenever", "cos"):
            b_start = first.lead
        if thanks >= 0 and thanks < b_start and _sentence_at(reading, thanks) is sentence:
            b_start = thanks
        situation, b_start = _scene(reading, sentence, first, b_start, drop)
    elif thanks >= 0:
        b_start = thanks

    i_start = -1
    if impact:
        first_impact = impact[0]
        i_start = _clause_span(first_impact)[0]
        if behaviour and first_impact is behaviour[0]:
            i_start = _causal_start(first_impact)  # "the way you sketched it *meant* ..."
        if b_start < 0:
            i_start = _sentence_at(reading, i_start).start  # keep "Thanks to your help ..."

    if b_start >= 0 and (i_start < 0 or i_start > b_start):
        b_end = i_start if i_start >= 0 else content_end
        i_end = content_end
    elif b_start >= 0:
        # The impact came first: "The client signed the same day, because you called her."
        i_end, b_end = b_start, content_end
    else:
        b_end, i_end = -1, content_end
    behaviour_text = _span_text(text, b_start, b_end, drop) if b_start >= 0 else ""
    impact_text = _span_text(text, i_start, i_end, drop) if i_start >= 0 else ""
    if 0 <= i_start < b_start:
        impact_text = re.sub(
            r"(?:,?\s*(?:and|but|so))?\s*(?:i'm (?:quite |pretty )?sure )?(?:it's\s*)?$",
            "",
            impact_text,
            flags=re.I,
        )
    tidy = [
        _days_capitalised(_edge_tidy(_degeneralise(p)).removesuffix(".").rstrip())
        for p in (situation, behaviour_text, impact_text, suggestion)
    ]
    return FeedbackParts(*tidy)


def _scene(
    reading: _Reading, sentence: Sentence, first: Clause, b_start: int, drop: list[tuple[int, int]]
) -> tuple[str, int]:
    """The situation before the behaviour in its sentence, and where the behaviour starts.
    Scene-setting words ("At the offsite", "When the agency nurse didn't turn up",
    "Yesterday") are the situation; framing ("Honestly", "I noticed") is left out; anything
    else stays with the behaviour ("The way you walked the applicant through ...")."""
    text = reading.text
    situation: list[str] = []
    behaviour_from = b_start
    for clause in sentence.clauses:
        if clause.end > b_start or clause is first or clause in reading.impact:
            break
        span = _span_text(text, *_clause_span(clause), drop)
        if not span:
            continue
        words = _FRAMING_CLAUSE.sub("", _FRAMING_LEAD.sub("", span + " ")).strip()
        if not words:
            continue
        if _SCENE_START.match(words) and _role(reading, clause) != "receiver":
            situation.append(_edge_tidy(words))
        else:
            behaviour_from = min(behaviour_from, _clause_span(clause)[0])
            break
    lead_from = max(sentence.start, first.lead if first.lead >= 0 else first.start)
    if behaviour_from == b_start and lead_from < b_start:
        prefix = _span_text(text, lead_from, b_start, drop)
        words = _FRAMING_CLAUSE.sub("", _FRAMING_LEAD.sub("", prefix + " ")).strip()
        if words and _SCENE_START.match(words) and not re.search(r"\b(?:you|your)\b", words, re.I):
            situation.append(_edge_tidy(words))
        elif words and not _FRAMING_CLAUSE.match(prefix + " "):
            behaviour_from = lead_from + prefix.find(words) if words in prefix else lead_from
    return ", ".join(situation), behaviour_from


def _sentence_at(reading: _Reading, position: int) -> Sentence:
    for sentence in reading.sentences:
        if sentence.start <= position <= sentence.end:
            return sentence
    return reading.sentences[-1]


def _causal_start(clause: Clause) -> int:
    for token in clause.tokens[clause.verb_index + 1 :]:
        if is_past(token.low) and verb_lemma(token.low) in _CAUSAL:
            return token.start
    return clause.start


# --- the verdict --------------------------------------------------------------------------


@lru_cache(maxsize=512)
def _analyse(text: str) -> tuple[tuple[str, ...], FeedbackParts]:
    norm = normalise(text)
    reading = _read(norm)
    return _codes_of(reading), _parts(reading)


def _generalizes(reading: _Reading) -> bool:
    """An "always" or "never" about the person or their work; not one that describes the
    others in an impact ("three people who never talk shared ideas", "the client never
    noticed")."""
    for match in _GENERALIZATION.finditer(reading.text.lower()):
        where = match.start()
        inside = [
            c for s in reading.sentences for c in s.clauses if _clause_span(c)[0] <= where < c.end
        ]
        if inside and all(
            c in reading.impact
            and c not in reading.behaviour
            or (c.has("who") and _role(reading, c) != "receiver")
            for c in inside
        ):
            continue
        return True
    return False


def _codes_of(reading: _Reading) -> tuple[str, ...]:
    codes = []
    if reading.trait_spans:
        codes.append(ABOUT_THE_PERSON)
    if _generalizes(reading):
        codes.append(GENERALIZATION)
    if not reading.behaviour and not reading.thanks:
        codes.append(NO_BEHAVIOUR)
    if not reading.impact:
        codes.append(NO_IMPACT)
    return tuple(codes)


def check_feedback(text: str) -> FeedbackResult:
    """Check one piece of feedback; see the module docstring for the codes.

    `parts` is the feedback split into situation, behaviour, impact and suggestion, in the
    writer's words; `suggestion` is those parts put back together (`compose`) without the
    labels and generalizations, or the text itself when it has no problem. `missing` names
    the parts the check needs (behaviour, impact) that the text doesn't have: they are left
    empty, for the writer to fill in, rather than made up."""
    codes, parts = _analyse(text)
    problems = [Problem(code, _MESSAGES[code]) for code in codes]
    if not codes:
        suggestion = _days_capitalised(normalise(text))
        return FeedbackResult(ok=True, problems=[], suggestion=suggestion, parts=parts)
    parts = _confirmed(parts)
    missing = tuple(name for name in ("behaviour", "impact") if not getattr(parts, name))
    return FeedbackResult(
        ok=False,
        problems=problems,
        suggestion=compose(*parts.as_dict().values()),
        parts=parts,
        missing=missing,
    )


def _confirmed(parts: FeedbackParts) -> FeedbackParts:
    """The parts, with a behaviour or impact the check doesn't find once they stand on
    their own (a label taken out may have been what named the person) joined to the other
    part and reported missing, so a rewrite with nothing missing always passes."""
    for _ in range(2):
        if not parts.behaviour or not parts.impact:
            return parts
        again = _codes_of(_read(normalise(compose(*parts.as_dict().values()))))
        joined = _lower_first(compose("", parts.behaviour, parts.impact, "").removesuffix("."))
        if NO_IMPACT in again:
            parts = replace(parts, behaviour=joined, impact="")
        elif NO_BEHAVIOUR in again:
            parts = replace(parts, behaviour="", impact=joined)
        else:
            return parts
    return parts
