"""Sentences into clauses: where a clause starts (punctuation, joining words, a new subject
with no joining word), its subject and finite verb, and the subject a clause without one
shares with the clause before."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import (
    is_adverb_only,
    is_gerund,
    is_noun,
    is_participle,
    is_past,
    known,
    lemmas,
    verb_forms,
    verb_lemma,
)
from .tokens import (
    Token,
    split_sentences,
    tokenize,
)
from .verbs import (
    finite_kind,
    subject_before,
)
from .words import (
    ADVERBS,
    ARROWS,
    BE,
    COMPLEMENT_VERBS,
    COORDINATORS,
    DEMONSTRATIVE,
    DETERMINERS,
    DO,
    FUNCTION_WORDS,
    HAVE,
    INDEFINITE,
    MODALS,
    NEGATIONS,
    NUMBERS,
    OBJECT_PRONOUNS,
    PERSONAL,
    PREPOSITIONS,
    SINGULAR_INDEFINITE,
    SO_PHRASES,
    SUBORDINATORS,
    TIME_CLAUSE,
    TIME_NOUNS,
    TIME_WORDS,
)


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


def _clause_from(tokens: list[Token], opener: tuple[str, ...]) -> Clause:
    clause = Clause(tokens=tokens, opener=opener)
    for i in range(len(tokens)):
        kind = finite_kind(tokens, i)
        if not kind:
            continue
        clause.verb = tokens[i]
        clause.verb_index = i
        clause.verb_kind = kind
        # "DM'd", "86'd": the clitic makes the word before it a past form.
        clause.subject = subject_before(
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
                    after = rest[rest.index(t) + 1 :]
                    if t.low == "being" and after and is_participle(after[0].low):
                        main, clause.verb_kind = after[0], "passive"  # "is being used"
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
    last_verb = -1
    for i in range(len(tokens)):
        kind = finite_kind(tokens, i)
        if not kind:
            continue
        if seen_verb:
            subject = subject_before(tokens, i, 0)
            if subject:
                begin = tokens.index(subject[0])
                if begin == last_verb and begin > 0 and tokens[begin - 1].low in PERSONAL | {"u"}:
                    # "the video you cut was brilliant": "cut" is the verb before, not a noun
                    # that is the subject of "was"
                    last_verb = i
                    continue
                how = _clause_start(tokens, begin, subordinate) if begin else ""
                if how == "relative" and subordinate and _has_object(tokens, i):
                    # "when we got the windshear alert the crew flew it": a verb with its
                    # own object after the scene is the main clause, not one describing
                    # "alert" ("when we read the notes the team wrote")
                    how = "clause"
                if how:
                    starts.append((begin, how == "relative"))
        seen_verb = True
        last_verb = i
    return starts


def _has_object(tokens: list[Token], i: int) -> bool:
    """Is the verb at i followed by an object pronoun, or by a determiner that doesn't start
    a time ("the day before")?"""
    if i + 1 >= len(tokens):
        return False
    nxt = tokens[i + 1].low
    if nxt in {"it", "them", "him", "her", "us", "me", "everyone", "everybody"}:
        return True
    after = tokens[i + 2].low if i + 2 < len(tokens) else ""
    return nxt in DETERMINERS - {"that", "no"} and after not in TIME_NOUNS | TIME_WORDS


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
        return "clause" if subject in PERSONAL | SINGULAR_INDEFINITE | {"u"} else ""
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


def _without_asides(tokens: list[Token]) -> list[Token]:
    """ "Sarah (PCP) recognised the stroke signs": a short aside in brackets with no verb is
    left out, so the name before it is the subject of the verb after it."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        if tokens[i].text == "(":
            close = next(
                (k for k in range(i + 1, min(i + 6, len(tokens))) if tokens[k].text == ")"), -1
            )
            inside = tokens[i + 1 : close] if close > 0 else []
            if inside and not any(finite_kind(inside, k) for k in range(len(inside))):
                i = close + 1
                continue
        out.append(tokens[i])
        i += 1
    return out


def parse_sentence(tokens: list[Token]) -> Sentence:
    tokens = _without_asides(tokens)
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
        if (
            words.startswith(TIME_CLAUSE)
            and any(finite_kind(run, k) for k in range(len(run)))
            and not _ordinal_noun(run)
        ):
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
        if not merged and len(clauses) == 1 and _zero_count(clause, alone=True):
            merged.append(clause)  # "No injuries.": a sentence of its own
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
            and (
                clause.tokens[0].low in DETERMINERS - {"that", "this"}
                # "fixing it after would have cost a week": an -ing phrase as the subject
                or (
                    clause.tokens[0].low.endswith("ing")
                    and is_gerund(clause.tokens[0].low)
                    and set(clause.opener) <= {";", ":", "-", "–", "—"}
                )
            )
        ):
            # "the number of analysis errors reaching me has fallen": its own subject, too
            # long to find from the verb, not the one before
            clause.subject = clause.tokens[: clause.verb_index]
        if clause.verb is not None and not clause.subject and merged:
            previous = next((c for c in reversed(merged) if c.subject and not c.relative), None)
            joined = not clause.opener or clause.has("and", "then", "but", ",", "or", "so", "plus")
            described = next((c for c in reversed(merged) if c.verb_kind != "participle"), None)
            if described is not None and not described.head:
                described = None
            if clause.has("which", "who", "that", *SUBORDINATORS):
                joined = False
            if joined and dangling and merged[-1].has("who", "which"):
                clause.subject = dangling
                clause.inherited = True
            elif (
                set(clause.opener) == {","}
                and merged[-1].verb is None
                and len(merged[-1].tokens) >= 3
                and merged[-1].tokens[0].low in DETERMINERS
                and merged[-1].tokens[-1].is_name()
            ):
                # "The curator, Delyth, rewrote the labels": the name between commas is the
                # subject of the verb after it
                clause.subject = [merged[-1].tokens[-1]]
            elif joined and described is not None and set(clause.opener) == {","}:
                # "The way you explained the change, with a worked example, *ended* the
                # rumours", "the way you conducted the PTM, calling each parent by name,
                # *made* ...": the verb of the phrase the clause before described.
                clause.subject = described.head
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
            if (
                person.low == "one"
                and merged[-1].verb_kind == "be"
                and len(merged[-1].subject) == 1
                and merged[-1].subject[0].low not in {"it", "this", "that", "there"}
            ):
                # "You were the one who spotted the leak": the subject of "were"
                clause.subject = list(merged[-1].subject)
                clause.inherited = True
            elif person.low in {"you", "u"} or person.is_name():
                # "It was you who spotted the crack", "it was Priya who rang them"
                clause.subject = [person]
                clause.inherited = True
            elif "," in clause.opener and clause.verb_kind == "past":
                # "you persuaded the judge, who awarded us costs": the judge, then
                before = merged[-1].tokens
                at = next(
                    (
                        k
                        for k in range(len(before) - 1, max(len(before) - 5, -1), -1)
                        if before[k].low in DETERMINERS - {"that"}
                    ),
                    -1,
                )
                if at >= 0 and is_noun(before[-1].low):
                    clause.subject = before[at:]
                    clause.inherited = True
                    clause.relative = False
        if clause.verb is not None and not clause.has("who", "which"):
            dangling = []
        merged.append(clause)
    return Sentence(tokens=tokens, clauses=_after_relative(merged))


def _record(words: list[str]) -> bool:
    """ "..., biggest deal of our quarter", "— our best month this year", "a new record":
    what the act came to, named as a record."""
    if words[:1] in (["our"], ["the"], ["a"], ["its"], ["their"]):
        words = words[1:]
    if words[:1] == ["new"]:
        words = words[1:]
    if len(words) < 2 and words != ["record"]:
        return False
    first = words[0]
    superlative = first in {"best", "biggest", "record", "fastest", "highest", "lowest"} or (
        first.endswith("est") and bool(lemmas(first).get("ADJ")) and first not in {"honest"}
    )
    # with what it is measured against ("of the quarter", "this year", "since 2019"); not
    # "best deck ever", which only praises
    scoped = len(words) > 2 and words[2] in {"of", "this", "since"}
    return superlative and (words == ["record"] or (is_noun(words[1]) and scoped))


def _ordinal_noun(run: list[Token]) -> bool:
    """ "the second unit intercepted", "the minute hand": an ordinal or a noun before a noun,
    not "the second the alarm went" (a time clause starts with its own subject)."""
    if len(run) < 3 or run[0].low != "the" or run[1].low not in {"second", "minute", "moment"}:
        return False
    nxt = run[2]
    return (
        nxt.kind == "word"
        and nxt.low not in FUNCTION_WORDS
        and not nxt.is_name()
        and is_noun(nxt.low)
        and not finite_kind(run, 2)
    )


def _after_relative(clauses: list[Clause]) -> list[Clause]:
    """ "the two children who were spitting it out finally took their full course": a
    second past verb in a relative clause, with no comma, is the verb of the noun phrase the
    relative clause describes."""
    out: list[Clause] = []
    for clause in clauses:
        out.append(clause)
        if (
            not out[:-1]
            or clause.opener[-1:] not in (("who",), ("that",), ("which",))
            or clause.verb is None
            or clause.subject
        ):
            continue
        main = clause.tokens.index(clause.main_verb) if clause.main_verb in clause.tokens else -1
        at = next(
            (
                k
                for k in range(max(main, clause.verb_index) + 1, len(clause.tokens))
                if finite_kind(clause.tokens, k) == "past"
                and clause.tokens[k - 1].low not in COORDINATORS | {"to"}
            ),
            -1,
        )
        if at < 0:
            continue
        before = out[-2].tokens
        start = next(
            (
                k
                for k in range(len(before) - 1, max(len(before) - 6, -1), -1)
                if before[k].low in DETERMINERS or before[k].kind == "num"
            ),
            -1,
        )
        if start < 0:
            continue
        tail = _clause_from(clause.tokens[at:], ())
        clause.tokens = clause.tokens[:at]
        tail.subject = before[start:]
        tail.lead = tail.tokens[0].start
        out.append(tail)
    return out


def _head_phrase(clause: Clause) -> list[Token]:
    """The noun phrase before the subject that a clause describes: "the reminders" in "the
    reminders you texted", "the way" in "the way you explained", "what" in "what we saw";
    empty when the clause starts with its subject or with anything else."""
    if not clause.subject or clause.verb is None or clause.inherited:
        return []
    subject = clause.subject
    if (
        len(subject) >= 3
        and subject[0].low in DETERMINERS - {"no", "every", "each", "any"}
        and subject[-1].is_name()
        and clause.verb_kind == "past"
    ):
        # "The macro Priya wrote", "the reconciliation macro Li Na wrote": a thing, then
        # the person (a first name, perhaps a surname) who made it
        names = 2 if re.fullmatch(r"[A-Z][a-z]+", subject[-2].text) else 1
        if len(subject) - names >= 2 and not subject[-names - 1].text[:1].isupper():
            clause.subject = subject[-names:]
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
    if any(t.kind != "word" or t.low in PREPOSITIONS or t.low in TIME_NOUNS for t in before[1:]):
        return []
    last = before[-1].low
    noun = (
        is_noun(last)
        or (not known(last) and last not in FUNCTION_WORDS)  # "the macro"
        # "the template she shared": after a determiner, a word the lexicon knows only as a
        # verb is used as a noun
        or (
            last not in FUNCTION_WORDS and set(lemmas(last)) == {"VERB"} and not last.endswith("ed")
        )
    )
    return before if len(before) > 1 and (last == "way" or noun) else []


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
    main = first.tokens.index(first.main_verb) if first.main_verb in first.tokens else -1
    at = next(
        (
            k
            for k in range(max(main, first.verb_index) + 1, len(first.tokens))
            if finite_kind(first.tokens, k)
            and not (
                is_participle(first.tokens[k].low)
                and k + 1 < len(first.tokens)
                and first.tokens[k + 1].low == "by"
            )
        ),
        -1,
    )
    continued = (  # "the checklist Svetlana wrote for the night *audit caught*": one phrase
        bool(head)
        and bool(rest)
        and rest[0].verb is not None
        and bool(rest[0].subject)
        and rest[0].subject[0].low not in DETERMINERS | PERSONAL
        and not rest[0].subject[0].is_name()
        and bool(first.tokens)
        and first.tokens[-1].kind == "word"
    )
    if at < 0 and rest and (rest[0].relative or continued) and rest[0].verb is not None:
        # "the reminders you texted to the families the day before *cut*": what looked like
        # a new subject ("the day") still belongs to the clause that describes the phrase
        # (but in "the rota she built halved *the time we spend* on it" the phrase's verb
        # came first, and "we spend" describes its object).
        nxt = rest.pop(0)
        first.tokens = first.tokens + nxt.tokens[: nxt.verb_index]
        tail = nxt.tokens[nxt.verb_index :]
    else:
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


def _connectives(
    runs: list[tuple[list[Token], tuple[str, ...], int]],
) -> list[tuple[list[Token], tuple[str, ...], int]]:
    """A run that is only a connective meaning "so" ("because of that", "as a result")
    becomes the next run's opener."""
    out: list[tuple[list[Token], tuple[str, ...], int]] = []
    carry: tuple[str, ...] = ()
    for run, opener, lead in runs:
        if " ".join(t.low for t in run) in SO_PHRASES and (out or carry):
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


def _zero_count(clause: Clause, alone: bool = False) -> bool:
    """A verbless run after a comma or dash (or a sentence on its own, when `alone`) that
    counts nothing happening ("..., zero tickets about it", "— not a single complaint",
    "No injuries.") or tells how everyone ended up without a verb ("..., everybody happy",
    "nobody hurt"): kept as a clause of its own, with verb_kind "count"."""
    words = [t.low for t in clause.tokens if t.kind == "word"]
    if words[:2] == ["no", "more"] and len(words) > 2:
        words = words[:1] + words[2:]  # "no more vibration alarms since": none any more
    if words[:1] == ["no"] and len(words) > 3:
        # "no wrong transfers on the floor": the count, then where
        cut = next((k for k, w in enumerate(words[1:4], start=1) if w in PREPOSITIONS), 0)
        words = words[:cut] if cut else words
    if clause.verb is None and 2 <= len(words) <= 3 and (alone or clause.opener):
        head = words[-1]
        plural = head.endswith("s") and lemmas(head).get("NOUN", (head,))[0] != head
        nobody_left = (
            words[0] in {"everyone", "everybody", "nobody", "everyone's", "everybody's"}
            and len(words) == 2
            and not is_noun(head)
            and (bool(lemmas(head).get("ADJ")) or is_participle(head))
        )
        punctuated = set(clause.opener) <= {",", "–", "—", "-", ";", ":"}
        arrow = clause.opener == ("so",)  # "... at handover → no rework on the inspection"
        if ((words[0] == "no" and (plural or arrow)) or nobody_left) and (
            alone or punctuated or arrow
        ):
            clause.verb_kind = "count"
            return True
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
        _changed_without_verb(clause)
        or (words[:1] == ["zero"] and len(words) > 1 and is_noun(words[1]))
        or words[:3] in (["not", "a", "single"], ["not", "one", "single"])
        or (words[:2] == ["not", "one"] and len(words) > 2 and is_noun(words[2]))
        or _record(words)
    )
    if counted:
        clause.verb_kind = "count"
    return counted


def _changed_without_verb(clause: Clause) -> bool:
    """ "..., error rate back to baseline in 4 min", "- queues down to five minutes": a noun,
    then up, down or back and where to, as notes tell a change."""
    words = [t for t in clause.tokens if t.kind in {"word", "num"}]
    if len(words) < 3 or words[0].low in FUNCTION_WORDS:
        return False
    for n, token in enumerate(words[1:4], start=1):
        if n + 1 >= len(words):
            return False
        following = words[n + 1]
        if token.low in {"up", "down"} and (
            following.kind == "num" or following.low in {"to", "by"}
        ):
            return True
        if token.low == "back" and following.low in {"to", "up", "online", "within"}:
            return True
        if (
            following.low in {"in", "within", "under", "by", "before"}
            and n + 2 < len(words)
            and (
                token.low in {"out", "home", "done", "complete", "clear"}
                or (token.low.endswith(("ed", "ne", "en")) and is_participle(token.low))
            )
        ):
            return True  # "primary search done in 3 min", "victim out before flashover"
        if token.kind == "word" and (
            token.low in FUNCTION_WORDS or verb_forms(token.low) & {"VBD", "VBZ"}
        ):
            return False
    return False


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
    if low == "that" and nxt in TIME_NOUNS:
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
    if low == "than" and i + 1 < len(tokens) and tokens[i + 1].kind == "num":
        return False  # "items older than 3 days fell": a quantity compared, not a clause
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
