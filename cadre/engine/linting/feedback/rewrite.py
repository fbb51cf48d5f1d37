"""The rewrite: the feedback split into situation, behaviour, impact and suggestion in the
writer's own words, and put back together without labels or "always"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..grammar import (
    FUNCTION_WORDS,
    MONTHS,
    PERSONAL,
    WEEKDAYS,
    Clause,
    Sentence,
    inflect,
    is_gerund,
    is_past,
    known,
    lemmas,
    parse,
    verb_forms,
    verb_lemma,
)
from .reading import Reading, clause_span, role_of
from .words import (
    BOUNDED,
    CAUSAL,
)

PARTS = ("situation", "behaviour", "impact", "suggestion")


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


def lower_first(words: str) -> str:
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


def days_capitalised(words: str) -> str:
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
    head = f"{s}, {lower_first(b)}" if s and b else s or b
    if i:
        first = i.split(" ", 1)[0].lower()
        if not head:
            i = re.sub(r"^(?:and|so|but|then|meaning|and so|so that)\s+", "", i, flags=re.I)
            i = re.sub(r"^which\b", "This", i, flags=re.I)
            head = i
        elif (
            verb_forms(first) & {"VBD", "VBZ"}
            and first not in FUNCTION_WORDS
            and (not lemmas(first).get("NOUN") or _awaits_its_verb(b))
        ):
            # "the way you sketched the flow meant ...", "the way you explained it, with an
            # example, ended ..." (the aside closed by a comma)
            head = f"{head}{',' if ',' in b else ''} {lower_first(i)}"
        elif (
            _JOINING.match(i)
            or _SUBORDINATE_START.match(b or s)
            or (first.endswith("ing") and is_gerund(first))
            or re.match(r"(?:zero|not a single|not one)\b", i, re.I)
        ):  # "..., so we finished", "..., saving the airline forty rooms", "..., zero tickets"
            head = f"{head}, {lower_first(i)}"
        else:
            head = f"{_end(head)} {_upper_first(i)}"
    text = _end(_upper_first(head)) if head else ""
    if g:
        text = f"{text} {_end(_upper_first(g))}".strip()
    return text


def _awaits_its_verb(behaviour: str) -> bool:
    """ "The reminders you texted the day before": a phrase the person's act describes,
    still waiting for its own verb ("cut the no-shows")."""
    sentences = parse(behaviour)
    return bool(sentences and sentences[-1].clauses and sentences[-1].clauses[0].head)


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
        lambda m: m.group(0) if BOUNDED.match(m.string[m.end() :].lower()) else "",
        words,
        flags=re.I,
    )
    words = re.sub(
        r"\b(?:always|constantly|continually|all the time|forever|without fail|at all times)\b",
        "",
        words,
        flags=re.I,
    )

    def once(match: re.Match[str]) -> str:
        # "you keep leaving the fryer on" -> "you left the fryer on"; "tends to reply" -> "replied"
        return f"{match.group(1)} {inflect(verb_lemma(match.group(2)), 'VBD')}"

    words = re.sub(
        r"\b(you|u|he|she)\s+(?:keeps?\s+(?:on\s+)?|tends?\s+to\s+)([a-z'-]+)",
        once,
        words,
        flags=re.I,
    )
    # "As usual you left ...", "Yet again, you forgot ...": the phrase and its comma go, and the
    # sentence keeps its capital.
    words = re.sub(
        r"(^|[.!?]\s+)?\b(?:as usual|as always|like always|yet again|once again|again and again"
        r"|time and again|time after time|over and over|repeatedly|routinely|habitually"
        r"|invariably|regularly|day in,? day out|most of the time|half the time)\b,?\s*(\w?)",
        lambda m: (
            (m.group(1) or "") + (m.group(2).upper() if m.group(1) is not None else m.group(2))
        ),
        words,
        flags=re.I,
    )
    words = re.sub(r"\s+([,.;!?])", r"\1", words)
    return re.sub(r"\s+", " ", words).strip(" ,")


def parts_of(reading: Reading) -> FeedbackParts:
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
    by_doing = (
        _by_doing_start(reading, behaviour[0]) if behaviour and behaviour[0] in impact else -1
    )
    if by_doing >= 0:
        # "By moving the stand-up to 9:15, | you let the two parents join from home": the act
        # is the by-phrase, what it did is the clause.
        sentence = _sentence_at(reading, by_doing)
        situation = _span_text(text, sentence.start, by_doing, drop)
        situation = situation if _SCENE_START.match(situation) else ""
        b_start = by_doing

    i_start = -1
    if impact:
        first_impact = impact[0]
        i_start = clause_span(first_impact)[0]
        if by_doing >= 0 and first_impact is behaviour[0]:
            i_start = first_impact.subject[0].start
        elif behaviour and first_impact is behaviour[0]:
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
        days_capitalised(_edge_tidy(_degeneralise(p)).removesuffix(".").rstrip())
        for p in (situation, behaviour_text, impact_text, suggestion)
    ]
    return FeedbackParts(*tidy)


def _by_doing_start(reading: Reading, clause: Clause) -> int:
    """Where "By <doing> ..." starts before the clause's subject in its sentence, or -1."""
    if not clause.subject or clause.inherited:
        return -1
    sentence = _sentence_at(reading, clause.subject[0].start)
    before = reading.text[sentence.start : clause.subject[0].start]
    match = re.search(r"\bby ([a-z'-]+)\b", before, re.I)
    return sentence.start + match.start() if match and is_gerund(match.group(1).lower()) else -1


def _scene(
    reading: Reading, sentence: Sentence, first: Clause, b_start: int, drop: list[tuple[int, int]]
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
        span = _span_text(text, *clause_span(clause), drop)
        if not span:
            continue
        words = _FRAMING_CLAUSE.sub("", _FRAMING_LEAD.sub("", span + " ")).strip()
        if not words:
            continue
        if _SCENE_START.match(words) and role_of(reading, clause) != "receiver":
            situation.append(_edge_tidy(words))
        else:
            behaviour_from = min(behaviour_from, clause_span(clause)[0])
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


def _sentence_at(reading: Reading, position: int) -> Sentence:
    for sentence in reading.sentences:
        if sentence.start <= position <= sentence.end:
            return sentence
    return reading.sentences[-1]


def _causal_start(clause: Clause) -> int:
    """Where what the act did starts in a clause that is both: "the way you sketched the
    flow *meant* ...", "Your call to pause the release on Friday *kept* ..." (the clause's
    own verb, when its subject is the act rather than a person)."""
    own = bool(clause.subject) and clause.subject[0].low not in PERSONAL
    for token in clause.tokens[clause.verb_index + (0 if own else 1) :]:
        if is_past(token.low) and verb_lemma(token.low) in CAUSAL:
            return token.start
    return clause.start
