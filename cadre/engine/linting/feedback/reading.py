"""Reading feedback: who it is for, and which clauses are that person's behaviour and which
are its impact on others. The rules work on the clauses the grammar package finds."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..grammar import (
    ADVERBS,
    COMPLEMENT_VERBS,
    DETERMINERS,
    FUNCTION_WORDS,
    MONTHS,
    OBJECT_PRONOUNS,
    PERSONAL,
    PREPOSITIONS,
    SUBORDINATORS,
    TIME_WORDS,
    WEEKDAYS,
    Clause,
    Sentence,
    Token,
    is_adjective,
    is_comparative,
    is_gerund,
    is_noun,
    is_participle,
    is_past,
    lemmas,
    parse,
    verb_forms,
    verb_lemma,
)
from ..grammar.tokens import plain
from .words import (
    APPRECIATE,
    BECAUSE_OF_YOU,
    CAUSAL,
    EFFECT_VERBS,
    EMPTY_OBJECT,
    FRAMING,
    INTENSIFIERS,
    KNOWING,
    LINKING,
    NUMBERS_WORDS,
    OUTCOME_LABELS,
    PEOPLE,
    PRAISED_DOING,
    PROMPTLY,
    READY,
    RECEIVER_SUBJECT,
    RELATIONS,
    REPORTING,
    REQUEST_START,
    RESULTING,
    ROLE_OWNERS,
    SECOND,
    STATE,
    TENURE,
    THANKS,
    THING,
    THIRD,
    TITLES,
    VAGUE_PHRASAL,
    VAGUE_VERBS,
    WORK_IN_GENERAL,
)


@dataclass
class Reading:
    text: str
    sentences: list[Sentence]
    second_person: bool
    receiver_names: set[str]
    receiver_pronouns: set[str]
    requests: set[int]  # indexes of sentences that ask for something
    behaviour: list[Clause] = field(default_factory=list)
    impact: list[Clause] = field(default_factory=list)
    receiver_roles: set[str] = field(default_factory=set)  # "our lead", "my colleague"
    # a specific piece of the person's work whose effect is told ("your one-page brief got
    # the sign-off"): making it counts as the behaviour
    made: list[tuple[int, int]] = field(default_factory=list)
    trait_spans: list[tuple[int, int]] = field(default_factory=list)
    thanks: list[tuple[int, int]] = field(default_factory=list)
    # "Please stop leaving the tractor keys in the ignition": a request that names what the
    # person keeps doing (it stays the suggestion; the behaviour part is still asked for)
    asked_to_stop: bool = False
    first_mention: int = -1


def word_tokens(sentence: Sentence) -> list[Token]:
    return [t for t in sentence.tokens if t.kind in {"word", "num", "quote"}]


def _is_request(sentence: Sentence) -> bool:
    words = [t.low for t in word_tokens(sentence)]
    if not words:
        return False
    head = " ".join(words[:8]).replace(" n't", "n't").replace(" 'd", "'d").replace(" 's", "'s")
    if sentence.tokens[-1].text.startswith("?") and words[0] in {"why", "how", "what"}:
        return False
    if REQUEST_START.match(head):
        return True
    first = sentence.clauses[0] if sentence.clauses else None
    # An order with no subject: "Keep that up.", "Check the recipients before you send."
    labelled = len(sentence.tokens) > 1 and sentence.tokens[1].text in {":", "-", "–", "—"}
    if (
        first is not None
        and first.verb is None
        and words[0] not in FUNCTION_WORDS | {"thank"}
        and not labelled  # "Debrief: Sarah recognised ...": a heading, not an order
    ):
        forms = verb_forms(words[0])
        if "VB" in forms and not forms & {"VBD", "VBN"} and not lemmas(words[0]).get("NOUN"):
            return True
    return False


def role_of(reading: Reading, clause: Clause) -> str:
    """receiver, artefact (the person's thing: "your notes"), other or none."""
    subject = clause.subject
    if not subject:
        return "none"
    if clause.deed:
        return "deed"
    first, head = subject[0].low, subject[-1].low
    if reading.second_person:
        if len(subject) == 1 and head in RECEIVER_SUBJECT:
            return "receiver"
        if first in {"your", "ur"}:
            # "your supervisor signed off the chapter": someone else, not the person's work
            return "other" if _head_noun(subject) in RELATIONS else "artefact"
        return "other"
    text = " ".join(t.text for t in subject)
    if len(subject) == 1 and (head in reading.receiver_pronouns or text in reading.receiver_names):
        return "receiver"
    if text.split()[-1] in reading.receiver_names and subject[0].low in TITLES:
        return "receiver"
    if text.lower() in reading.receiver_roles:
        return "receiver"
    if (
        len(subject) == 2
        and subject[1].low in HONORIFICS
        and subject[0].text in reading.receiver_names
    ):
        return "receiver"  # "Rahul sir"
    if len(subject) > 2 and subject[-1].is_name() and subject[-1].text in reading.receiver_names:
        return "receiver"
    if _full_name(subject) and subject[-1].text in reading.receiver_names:
        return "receiver"
    if _owned_by_name(subject) and _owner(subject) in reading.receiver_names:
        return "other" if _head_noun(subject) in RELATIONS else "artefact"
    if (
        first in {"his", "her"}
        and first == {"he": "his", "she": "her"}.get(next(iter(reading.receiver_pronouns), ""), "")
        and _head_noun(subject) not in RELATIONS  # "his mother finally understood": someone
    ):
        return "artefact"
    return "other"


def _find_receiver(reading: Reading) -> None:
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
            if clause.verb is None:
                continue
            token = clause.subject[-1] if clause.subject else None
            if _owned_by_name(clause.subject):
                # "Sarah's pre-brief on the icing conditions meant ...": her work
                if not reading.receiver_names:
                    reading.receiver_names.add(_owner(clause.subject))
                    name_sentence = number
                continue
            if _full_name(clause.subject):
                # "Wei Ling rebuilt the checklist", "FF Tane Walker checked the door": a
                # first name and a surname, perhaps after a rank or title
                if not reading.receiver_names:
                    reading.receiver_names.update(
                        t.text for t in clause.subject if not t.text.isupper()
                    )
                    name_sentence = number
                continue
            if len(clause.subject) > 2 and token is not None and token.is_name():
                # "In Thursday's crit Leo pointed out ...": the scene read into the subject
                if not reading.receiver_names:
                    reading.receiver_names.add(token.text)
                    name_sentence = number
                    clause.subject = [token]
                continue
            if token is None or len(clause.subject) not in {1, 2}:
                continue
            if len(clause.subject) == 2 and clause.subject[0].low in ROLE_OWNERS:
                # "our lead did not send ...", "my colleague rang ...": the person by role
                if (
                    number == 0
                    and not reading.receiver_names
                    and (clause.verb_kind in {"past", "do", "be"} or clause.negated)
                ):
                    reading.receiver_roles.add(" ".join(t.low for t in clause.subject))
                    return
                continue
            if (
                len(clause.subject) == 2
                and clause.subject[1].low in HONORIFICS
                and clause.subject[0].text[:1].isupper()
                and not reading.receiver_names
            ):
                # "Rahul sir did the KT session", "Joy po updated the SOP": a name, then a
                # word of respect after it
                reading.receiver_names.add(clause.subject[0].text)
                name_sentence = number
                continue
            if len(clause.subject) == 2 and clause.subject[0].low not in TITLES:
                continue
            if (
                token.low == "they"
                and number == 0
                and clause is sentence.clauses[0]
                and clause.verb_kind in {"past", "do"}
            ):
                # "They double-booked the courtroom ...": a singular they, or a team, as the
                # person, when the feedback opens with it
                reading.receiver_pronouns.add("they")
                return
            if token.low in THIRD:
                if reading.receiver_names and number == name_sentence:
                    return
                reading.receiver_pronouns.add(token.low)
                return
            titled = len(clause.subject) == 2 and token.text[:1].isupper()
            if (token.is_name() or titled or _name_like(clause)) and not reading.receiver_names:
                reading.receiver_names.add(token.text)
                name_sentence = number


_THANKED_TO = re.compile(
    r"\b(?:thanks|thank you|thank u|thx|ty|kudos|shout-?outs?|big ups?|props|cheers|hats off)"
    r"(?: so much| again| a lot)? to (?:[\w.'-]+ )?[\w'-]+,? $"
)


def _thanked_who(reading: Reading, clause: Clause) -> bool:
    """ "Thank you to Marisol who stayed until midnight ...": the person thanked by name, then
    what they did in a clause with "who"."""
    if not clause.has("who") or len(clause.subject) != 1 or not clause.subject[0].is_name():
        return False
    before = reading.text[: clause.verb.start if clause.verb else clause.start].lower()
    before = before[: before.rfind("who")]
    return _THANKED_TO.search(before[-80:]) is not None


def _done_by_the_person(reading: Reading, clause: Clause) -> bool:
    """A past passive whose agent is the person: "was caught by you", "were signed off by
    Priya"."""
    if clause.verb_kind != "passive" or clause.verb is None or clause.main_verb is None:
        return False
    if clause.verb.low not in {"was", "were", "got", "had", "been"}:
        return False
    after = [t for t in clause.after_verb() if t.kind == "word"]
    for n, token in enumerate(after[:-1]):
        if token.low == "by":
            agent = after[n + 1]
            if reading.second_person:
                return agent.low in {"you", "u", "ya"}
            return agent.text in reading.receiver_names or agent.low in {
                {"he": "him", "she": "her"}.get(p, "") for p in reading.receiver_pronouns
            }
    return False


# Words of respect after a name: "Rahul sir", "Joy po", "Priya ma'am", "Anil ji".
HONORIFICS = {"sir", "ma'am", "maam", "madam", "po", "ji", "bhai", "san", "sensei", "boss"}

# How a formal review names the person: "the employee initiated weekly check-ins".
REVIEWED = {
    "employee",
    "appraisee",
    "jobholder",
    "postholder",
    "incumbent",
    "individual",
    "candidate",
    "nominee",
    "trainee",
}


def _receiver_by_review_words(reading: Reading) -> None:
    """When no one else was found: "the employee" of a formal review, or a "his" or "her"
    opening the subject ("Her thorough review of the grant conditions identified ...")."""
    if reading.second_person or reading.receiver_names or reading.receiver_pronouns:
        return
    if reading.receiver_roles:
        return
    for sentence in reading.sentences:
        for clause in sentence.clauses:
            # "The fault in the pump was found by Kemi at 3am": the name the act is by
            after = [t for t in clause.after_verb() if t.kind == "word"]
            if (
                clause.verb_kind == "passive"
                and clause.verb is not None
                and clause.verb.low in {"was", "were"}
                and any(
                    t.low == "by" and n + 1 < len(after) and after[n + 1].is_name()
                    for n, t in enumerate(after)
                )
            ):
                at = next(
                    n
                    for n, t in enumerate(after)
                    if t.low == "by" and n + 1 < len(after) and after[n + 1].is_name()
                )
                reading.receiver_names.add(after[at + 1].text)
                return
    for sentence in reading.sentences:
        first = sentence.tokens[0].low
        if first in {"his", "her"} and len(sentence.tokens) > 2:
            # "His email to the parents explaining the timetable cut ...": the sentence
            # opens with the person's act
            reading.receiver_pronouns.add("he" if first == "his" else "she")
            return
        for clause in sentence.clauses:
            words = [t.low for t in clause.subject]
            if words[:2] and words[0] == "the" and words[-1] in REVIEWED and len(words) == 2:
                reading.receiver_roles.add(" ".join(words))
                return
            if clause.verb is not None and words[:1] in (["his"], ["her"]) and len(words) > 1:
                reading.receiver_pronouns.add("he" if words[0] == "his" else "she")
                return


def _owned_by_name(subject: list[Token]) -> bool:
    """ "Sarah's pre-brief", "Joao's script", "Ms Achterberg's email": a name (perhaps after a
    title), "'s", then a noun."""
    if len(subject) > 3 and subject[0].low in TITLES:
        subject = subject[2:] if subject[1].text == "." else subject[1:]
    return (
        len(subject) >= 3
        and subject[1].low == "'s"
        and subject[0].is_name()
        and subject[2].kind == "word"
        and subject[2].low not in FUNCTION_WORDS
    )


def _owner(subject: list[Token]) -> str:
    """The name before "'s" in a subject _owned_by_name."""
    return next(t.text for n, t in enumerate(subject) if subject[n + 1].low == "'s")


def _full_name(subject: list[Token]) -> bool:
    """Two or three capitalised words, one of them a name the lexicon doesn't know, perhaps
    after a rank in capitals or a title: "Wei Ling", "FF Tane Walker", "Dr. Ama Owusu"."""
    words = [t for t in subject if t.kind == "word"]
    ranked = False
    while words and (
        words[0].low in TITLES or (words[0].text.isupper() and 1 < len(words[0].text) <= 4)
    ):
        words, ranked = words[1:], True
    return (
        (2 if not ranked else 1) <= len(words) <= 3
        and all(
            re.fullmatch(
                r"(?:Ma?c|O'|De|La|Le|Di|Van)?[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?", plain(t.text)
            )
            for t in words
        )
        and not any(t.low in FUNCTION_WORDS for t in words)
        and (ranked or any(t.is_name() for t in words))  # "Mr. Tan": a title makes it a name
    )


def _name_like(clause: Clause) -> bool:
    """ "Tom shadowed the night porter", "Mike forgot to book the pump": a capitalised
    singular noun with no article as the subject of a past tense is a name, though "tom" and
    "mike" are also words (but not "Training ended early": a verb's -ing form)."""
    token = clause.subject[-1]
    verb = lemmas(token.low).get("VERB", (token.low,))[0]
    return (
        len(clause.subject) == 1
        and re.fullmatch(r"[A-Z][a-z]+", token.text) is not None
        and token.low not in FUNCTION_WORDS | WEEKDAYS | MONTHS
        and (
            lemmas(token.low).get("NOUN", ("",))[0] == token.low
            # "Ebony swapped the order": a word the lexicon knows only as an adjective
            or (set(lemmas(token.low)) == {"ADJ"} and clause.start == 0)
        )
        and verb == token.low
        and not token.low.endswith(("ing", "ed"))
        and (
            clause.verb_kind == "past"
            # "Tom has a bad attitude": opening the feedback, with has or is
            or (clause.start == 0 and clause.verb_kind in {"have", "be"})
        )
        and token in clause.tokens  # (not a subject carried over from another clause)
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
        return bool(STATE.match(rest) or PROMPTLY.match(rest)) or any(
            t.kind == "quote" for t in clause.after_verb()
        )
    if kind in {"modal", "passive"}:
        return False
    if kind == "progressive" and not rest:
        return False  # "you were condescending": a manner, not an act
    if kind == "have":
        return _had_it_done(clause)
    lemma = verb_lemma(main.low) if main.low != "'d" else "do"
    if main.low == "'d":
        return True  # "you 86'd the salmon", "you DM'd her"
    if clause.has("since") and lemma == "join":
        return False  # "since you joined the team": how long, not an act
    if (
        clause.has("since", "after", "when", "once")
        and lemma in TENURE
        and (not rest or rest.split()[0] in PREPOSITIONS | {"over", "on"} or rest == "over")
    ):
        return False  # "since you joined", "since you took over": being there, not an act
    if lemma in {"manage", "bother"} and rest.startswith("to "):
        # "you managed to get the landlord on the phone": the act is the verb after "to"
        words = rest.split()
        lemma = verb_lemma(words[1]) if len(words) > 1 else lemma
        rest = " ".join(words[2:])
    if lemma == "help" and _helped_to_do(rest):
        return True  # "you helped the old lady on the phone (to) read the meter"
    counted = lemma in {"handle", "help", "support"} and bool(re.match(r"\d", rest))
    # "handled the VIP complaint at the gate on Saturday": one case, named and dated
    counted = counted or (lemma == "handle" and _one_dated_case(rest))
    if _result_by_doing(clause):
        return True  # "demonstrated initiative by drafting the client FAQ": the act after "by"
    if (lemma in VAGUE_VERBS and not counted) or (
        lemma,
        rest.split()[0] if rest else "",
    ) in VAGUE_PHRASAL:
        return False  # but "you handled 68 chats": counted, so seen
    if lemma == "thank" and rest.split()[:1] in (["you"], ["u"], ["ya"]):
        return False  # the writer thanking: "..., thank you!"
    if lemma == "come" and rest.startswith("across"):
        return False  # "you came across as defensive"
    if lemma == "do" and (not rest or rest.split()[0] in {"this", "that", "it", "so", "well"}):
        # "you always do this"; but "the handover you did this morning" names a thing made
        return kind in {"past", "do"} and _made_thing_before(clause)
    if "seriously" in rest.split()[:6]:
        return False  # "you took the complaint seriously"
    if kind == "do" and main is clause.verb:
        # "you did a great job": do as the main verb; but "the sketch you did on the RFI"
        # names a thing the person made, and "you did the pre-op checklist" a task done
        return _made_thing_before(clause) or _did_a_task(rest)
    if lemma in {"get", "do", "take", "make", "go", "give", "put"} or not clause.negated:
        if EMPTY_OBJECT.match(rest):
            return False
        if lemma == "get" and rest.split()[:1] and is_participle(rest.split()[0]):
            return False  # "you got involved", "you got upset"
    return True


def _subject_after_relative(sentence: Sentence) -> None:
    """ "His mother, who hadn't followed the English, finally understood ...": the verb after
    the relative clause belongs to the noun phrase before it."""
    clauses = sentence.clauses
    for n in range(len(clauses) - 2):
        phrase, relative, rest = clauses[n], clauses[n + 1], clauses[n + 2]
        if (
            phrase.verb is None
            and phrase.tokens
            and {"who", "which"} & set(relative.opener)
            and not rest.subject
            and rest.verb is not None
            and set(rest.opener) <= {","}
        ):
            rest.subject = [t for t in phrase.tokens if t.kind == "word"]
            rest.lead = phrase.tokens[0].start


def _you_and_another(reading: Reading, sentence: Sentence) -> None:
    """ "You and Leo rewrote the onboarding emails": the person and someone else as the
    subject; the act is theirs together, so the person's."""
    clauses = sentence.clauses
    if not reading.second_person or len(clauses) < 2:
        return
    first, second = clauses[0], clauses[1]
    words = [t for t in first.tokens if t.kind == "word"]
    if (
        first.verb is None
        and len(words) == 1
        and words[0].low in RECEIVER_SUBJECT
        and second.opener == ("and",)
        and len(second.subject) == 1
        and second.verb is not None
        and second.verb_kind == "past"
    ):
        second.subject = [words[0]]


def _work_before_its_verb(sentence: Sentence) -> None:
    """ "Your Slack summary of the outage, with the timeline and the three actions, *got
    forwarded* ...", "Nkechi's summary of the ruling, sent within the hour, *let* the
    partners ...": a phrase naming the person's work, with a phrase of its own between
    commas, is the subject of the verb after them."""
    phrase = sentence.clauses[0]
    words = [t for t in phrase.tokens if t.kind in {"word", "num"}]
    owned = len(words) >= 2 and words[0].low in {"your", "ur", "his", "her"}
    named = len(words) >= 3 and words[1].low == "'s" and words[0].text[:1].isupper()
    if phrase.verb is not None or not (owned or named):
        return
    rest = sentence.clauses[1:]
    if named and len(rest) > 1 and _aside(rest[0]):
        rest = rest[1:]  # ", sent on Friday,": how the work went, not its verb
    following = rest[0]
    if (
        following.verb is not None
        and following.verb_kind != "participle"
        and not following.subject
        and following.opener
        and set(following.opener) <= {",", "-", "–", "—"}
    ):
        following.subject = words
        following.lead = phrase.tokens[0].start


def _aside(clause: Clause) -> bool:
    """ ", sent on Friday,", ", written overnight,": a participle with no subject and no
    object of its own, between commas."""
    words = [t for t in clause.tokens if t.kind in {"word", "num"}]
    return (
        clause.verb is not None
        and not clause.subject
        and clause.verb is clause.tokens[0]
        and is_participle(clause.verb.low)
        and set(clause.opener) <= {","}
        and (len(words) == 1 or words[1].low in PREPOSITIONS | TIME_WORDS)
    )


def _did_a_task(rest: str) -> bool:
    """ "(you did) the pre-op checklist", "(you did) the 2am obs": a task named by a noun;
    not "a great job", "the right thing", "your best", "a lot", "the needful"."""
    words = rest.split()
    if not words or words[0] not in {"the", "all", "both", "every"} or EMPTY_OBJECT.match(rest):
        return False
    phrase = []
    for word in words[1:5]:
        if word in PREPOSITIONS or word in {",", "and", "so"}:
            break
        phrase.append(word)
    if not phrase:
        return False
    head = phrase[-1]
    general = WORK_IN_GENERAL | {"job", "thing", "things", "stuff", "work", "needful", "rest"}
    return (
        head not in general
        and head not in FUNCTION_WORDS
        and (is_noun(head) or not lemmas(head))
        and not any(w in {"right", "best", "most", "least", "same"} for w in phrase)
    )


def _made_thing_before(clause: Clause) -> bool:
    """ "The sketch you did", "the copy-fitting you did": a determiner and a concrete noun
    just before the person, whose doing the clause is."""
    if not clause.subject or clause.subject[0] not in clause.tokens:
        return False
    before = [
        t for t in clause.tokens[: clause.tokens.index(clause.subject[0])] if t.kind == "word"
    ]
    if len(before) < 2 or before[0].low not in DETERMINERS | {"your", "ur"}:
        return False
    head = before[-1].low
    noun_like = is_noun(head) or head.endswith("ing") or not lemmas(head)  # "handover"
    return noun_like and head not in FUNCTION_WORDS | WORK_IN_GENERAL | {
        "job",
        "thing",
        "things",
        "everything",
        "something",
        "stuff",
    }


def _specific_work(subject: list[Token]) -> bool:
    """ "Your one-page brief", "your revision worksheet on quadratic equations", "your 8 pm
    handover": a piece of the person's work named so that one can tell which (a modifier,
    a number or a phrase after it), not "your presentation" or "your effort"."""
    words = [t for t in subject if t.kind in {"word", "num"}]
    if len(words) >= 4 and words[1].low == "'s":
        words = words[1:]  # "Sarah's pre-brief on the icing": as "your pre-brief ..."
    elif len(words) < 3 or words[0].low not in {"your", "ur", "his", "her"}:
        return False  # ("his", "her": only reached when it is the person's own)
    head = _head_noun(subject)
    noun = (
        is_noun(head)
        or (not is_adjective(head) and head not in FUNCTION_WORDS)  # "Bongani's reroute"
        or (not lemmas(head) and head not in FUNCTION_WORDS)  # "playbook"
        or (head.endswith("ing") and is_gerund(head))  # "her quick rerouting of the van"
    )
    if head in WORK_IN_GENERAL or not noun or head in RELATIONS:
        return False
    return not any(is_adjective(t.low) and not is_noun(t.low) for t in words[1:2])


def _one_dated_case(rest: str) -> bool:
    """ "the customer's refund on Saturday", "the VIP complaint at the gate yesterday": a
    determiner and a noun, then when it was (a day, "yesterday", "this morning")."""
    words = rest.split()
    if len(words) < 3 or words[0] not in DETERMINERS - {"that", "this", "no"} | {"your"}:
        return False
    if words[1] in {"situation", "situations", "thing", "things", "matter", "issue", "stuff"}:
        return False
    dated = (
        WEEKDAYS
        | MONTHS
        | {"yesterday", "tonight", "today", "morning", "afternoon", "evening", "night"}
    )
    return any(w in dated for w in words[2:12])


def _had_it_done(clause: Clause) -> bool:
    """ "you had the temperature logs ready", "she had the van loaded by six": the person
    got something into a state, which is an act; not "you had a meeting", "you had no idea"."""
    if clause.main_verb is None or clause.main_verb.low != "had":
        return False
    words = [t.low for t in clause.after_verb() if t.kind == "word"]
    k = 0
    while k < len(words) and words[k] in DETERMINERS | NUMBERS_WORDS:
        k += 1
    nouns = 0  # the thing: "the temperature logs", "the van"
    while (
        k < len(words)
        and words[k] not in FUNCTION_WORDS | READY
        and not is_participle(words[k])
        and nouns < 3
    ):
        if nouns and "VB" in verb_forms(words[k]) and _plural_or_people(words[k - 1]):
            return True  # "you had the kids line up by colour": they did it because you asked
        k += 1
        nouns += 1
    if not nouns or k >= len(words):
        return False
    state = words[k]
    return state in READY or (
        state.endswith(("ed", "en")) and is_participle(state) and state not in {"been"}
    )


def _helped_to_do(rest: str) -> bool:
    """ "helped the old lady (to) read the meter": help with someone and a task is an act;
    "helped a lot", "helped the team" are not."""
    words = rest.split()[:8]
    for n, word in enumerate(words[1:], start=1):
        if words[n - 1] == "to" and "VB" in verb_forms(word) and word not in FUNCTION_WORDS:
            return verb_lemma(word) not in VAGUE_VERBS
    # "help me load the truck": a bare verb after the person helped, then its object
    return (
        len(words) >= 3
        and words[0] in OBJECT_PRONOUNS | {"everyone", "everybody"}
        and "VB" in verb_forms(words[1])
        and words[1] not in FUNCTION_WORDS
        and verb_lemma(words[1]) not in VAGUE_VERBS
        and (words[2] in DETERMINERS | OBJECT_PRONOUNS or words[2] in {"up", "out", "in"})
    )


def _plural_or_people(word: str) -> bool:
    return word in {"everyone", "everybody", "them", "him", "her", "us"} or (
        word.endswith("s") and is_noun(word) and lemmas(word).get("NOUN", (word,))[0] != word
    )


def is_copular(clause: Clause) -> bool:
    main = clause.main_verb
    if main is None:
        return False
    if clause.verb_kind == "be" or verb_lemma(main.low) == "be":
        return True
    if verb_lemma(main.low) not in LINKING:
        return False
    # "looked good", "stayed calm", but not "could stay for the whole thing"
    index = clause.tokens.index(main) if main in clause.tokens else clause.verb_index
    after = [t.low for t in clause.tokens[index + 1 : index + 3]]
    return bool(after) and (
        is_adjective(after[0]) or after[0] in INTENSIFIERS or after[0] == "like"
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
    if (
        "again" in words[:4]
        and clause.verb is not None
        and clause.verb.low in {"is", "are", "was", "were", "'s", "'re"}
    ):
        return True  # "main is green again": back to how it was, after the act
    if words[:1] == ["been"] and {"now", "since"} & set(words):
        return True  # "it's been stable for three weeks now": a state that began with the act
    for i, token in enumerate(rest[1:], start=1):
        if token.low in {"he", "she", "they", "we", "i", "you", "nobody", "everyone"}:
            after = rest[i + 1 : i + 3]
            if any(
                is_past(t.low) or t.low in {"'s", "'ve", "has", "have", "had", "could"}
                for t in after
            ):
                return True
    return False


def _is_effect(reading: Reading, clause: Clause, sentence: Sentence, index: int) -> bool:
    """Is this clause (whose subject is not the person) a change that followed?"""
    main = clause.main_verb
    if main is None or clause.verb is None or clause.relative:
        return False
    subject = clause.subject
    subject_low = [t.low for t in subject]
    lemma = verb_lemma(main.low)
    opener = set(clause.opener)
    if (
        {"so", "that"} <= opener
        and subject_low[-1:]
        and subject_low[-1] in THING
        and clause.verb_kind == "present"
    ):
        return False  # "rebuilt the spreadsheet so that it reflects the new rules": its purpose
    if "so" in opener:
        opener.discard("that")  # "so that the client could ..."
    consequence = bool(opener & {"so", "meaning"}) or (
        "that" in opener and index > 0 and _sets_up_a_result(sentence.clauses[index - 1])
    )
    after_whom = {",", "who"} <= opener and clause.inherited and clause.verb_kind == "past"
    if opener & SUBORDINATORS and not consequence and not after_whom:
        # scene-setting: "when the GP rang", "as we went", "what we agreed"; but "..., who
        # awarded us costs" is what the person they acted on did next
        return False
    if "which" in opener and is_copular(clause) and not _changed(clause):
        return False
    if (
        subject_low[:1] in (["i"], ["we"])
        and lemma in FRAMING
        and not (consequence and lemma in KNOWING)
    ):
        return False  # "I noticed ...", "we think ...", but "so by lunchtime we knew ..."
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
            role_of(reading, before) == "receiver"
            and before.main_verb is not None
            and verb_lemma(before.main_verb.low) in REPORTING
        ):
            return False  # what the person said: "you told a customer we'd price match"
        scene = set(before.opener) & SUBORDINATORS and not set(before.opener) & {"so", "meaning"}
        if (
            scene
            and before.main_verb is not None
            and before.tokens[-1] is before.main_verb
            and verb_lemma(before.main_verb.low) in COMPLEMENT_VERBS
        ):
            return False  # "even though our tracker showed *we were at 40%*": still the scene
    if (
        is_copular(clause)
        and not _changed(clause)
        and not _state_that_followed(reading, clause, subject, consequence)
    ):
        return False
    if (
        subject_low in (["it"], ["nothing"], ["they"])
        and lemma in {"appear", "arrive", "come", "happen", "materialise", "materialize", "show"}
        and (clause.negated or any(t.low == "never" for t in clause.tokens))
    ):
        return False  # "you agreed to run it, and then it never appeared": the person's lapse
    if (
        subject_low[:1] == ["no"]
        and clause.verb_kind == "passive"
        and lemma in {"raise", "note", "identify", "find"}
    ):
        return False  # "No concerns were raised regarding attendance": a review's all-clear
    if lemma in {"take", "cost"} and _object_after(clause).split()[:1] == ["you"]:
        return False  # "which took you most of the day": what it cost the person, not others
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


def _sets_up_a_result(clause: Clause) -> bool:
    """ "were clear enough (that ...)", "was so well organised (that ...)", "such a good
    summary (that ...)": the clause after "that" is what followed."""
    words = [t.low for t in clause.tokens if t.kind == "word"]
    return bool(words) and (words[-1] == "enough" or bool({"so", "such"} & set(words[-4:])))


def _state_that_followed(
    reading: Reading, clause: Clause, subject: list[Token], consequence: bool
) -> bool:
    """A state told with a linking verb that still counts as an effect: after "so"
    ("so drivers are in and out in under 30 minutes"), in a sentence after the behaviour
    ("The papers were on the table at 9 sharp."), or of people ("she was humiliated", "the
    backend folks were quite hurt"). Not "it was still open" or "that was our busiest day"."""
    subject_low = [t.low for t in subject]
    after_the_act = (bool(reading.behaviour) and clause.start > reading.behaviour[0].end) or (
        bool(reading.thanks) and clause.start > reading.thanks[0][1]  # "Ta for swinging by ..."
    )
    if subject_low == ["there"] and (consequence or after_the_act):
        return True  # "and there wasn't a single leak call on Monday"
    if not subject_low or subject_low[-1] in THING:
        return False
    if consequence:
        return True
    if after_the_act and subject_low[0] not in {"your", "ur"}:
        return True
    if subject_low[-1] in PEOPLE or subject[-1].is_name() or clause.verb_kind == "passive":
        return True
    plural = subject_low[-1].endswith("s") and bool(lemmas(subject_low[-1]).get("NOUN"))
    predicate = [t.low for t in clause.after_verb()[:3]]
    return any(is_participle(w) and (plural or not is_adjective(w)) for w in predicate)


def _counterfactual(clause: Clause) -> bool:
    """ "would have cost us a month": the harm an action headed off is its impact."""
    words = [t.low for t in clause.after_verb()[:3]]
    return len(words) >= 2 and words[0] in {"have", "'ve", "of"} and is_participle(words[1])


def _links(reading: Reading, clause: Clause, sentence: Sentence, index: int) -> bool:
    """Is the effect tied to the person: after they are first mentioned, or before a
    "because you ..." in the same sentence, or with nobody named at all ("The build broke
    and nobody could deploy")?"""
    position = clause.subject[0].start if clause.subject and not clause.inherited else clause.start
    if reading.first_mention < 0:
        if reading.behaviour and position > reading.behaviour[0].start:
            return True  # "merged the hotfix without review -> prod was down 40 min"
        if reading.thanks and position > reading.thanks[0][1]:
            return True  # "fab job re-routing the van, marquee was up by noon"
        return not is_copular(clause) and clause.verb_kind != "passive"
    after = reading.text[clause.verb.end if clause.verb else clause.start : sentence.end].lower()
    if re.search(r"\bso,? (?:thank|thanks|cheers|kudos|ty)\b", after):
        return True  # "Trucks got out on time all week, so thank you."
    if position > reading.first_mention:
        return True
    following = next((s for s in reading.sentences if s.start > sentence.end), None)
    if following is not None and BECAUSE_OF_YOU.match(reading.text[following.start :].lower()):
        return True  # "We finished an hour early. That was because you pre-printed ..."
    for later in sentence.clauses[index + 1 :]:
        if role_of(reading, later) in {"receiver", "artefact"} and set(later.opener) & {
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


def read(text: str) -> Reading:
    sentences = parse(text)
    tokens = [t for s in sentences for t in s.tokens]
    second = any(t.low in SECOND for t in tokens) or bool(
        re.search(r"\bthank (?:you|u|ya)\b", text.lower())
    )
    reading = Reading(
        text=text,
        sentences=sentences,
        second_person=second,
        receiver_names=set(),
        receiver_pronouns=set(),
        requests={i for i, s in enumerate(sentences) if _is_request(s)},
    )
    for sentence in sentences:
        words = word_tokens(sentence)
        if len(sentence.clauses) > 2 and len(words) > 2 and words[1].low == "'s":
            _work_before_its_verb(sentence)  # a name's work, before the person is looked for
    _find_receiver(reading)
    _receiver_by_review_words(reading)
    for token in tokens:
        if (
            token.low in SECOND
            or token.text in reading.receiver_names
            or (not second and token.low in reading.receiver_pronouns)
        ):
            reading.first_mention = token.start
            break
    for role in reading.receiver_roles:
        at = text.lower().find(role)
        if at >= 0 and (reading.first_mention < 0 or at < reading.first_mention):
            reading.first_mention = at
    if reading.first_mention < 0 and not second:
        # "Kudos to Arjun for the hotfix": the person named after a preposition.
        for token in tokens:
            if token.is_name():
                reading.first_mention = token.start
                break
    low = text.lower()
    for match in [*THANKS.finditer(low), *APPRECIATE.finditer(low), *PRAISED_DOING.finditer(low)]:
        # "thanks for walking us through ...": a doing, not "thanks for everything"
        word = match.group("verb")
        rest = low[match.end() :].lstrip()
        counted = verb_lemma(word) in {"handle", "help", "support"} and bool(
            re.match(r"\d", rest)
        )  # "thanks to Jhun for handling 68 chats"
        vague = verb_lemma(word) in VAGUE_VERBS and not counted
        if (
            (is_gerund(word) or _bare_doing(word, rest))
            and not vague
            and not EMPTY_OBJECT.match(rest)
        ):
            reading.thanks.append((match.start(), match.end()))
    for match in _THANKS_FOR_DATED.finditer(low):
        # "ty for the quick rollback last night": thanks for one act, named and dated
        head = match.group("phrase").split()[-1]
        if head not in WORK_IN_GENERAL | {"everything", "all", "stuff", "things"} and not (
            is_adjective(head) and not is_noun(head)
        ):
            reading.thanks.append((match.start(), match.end()))
    for sentence in sentences:
        _subject_after_relative(sentence)
        _you_and_another(reading, sentence)
    described: list[Clause] = []
    _thanks_to_work(reading)
    for index, sentence in enumerate(sentences):
        told_after = -1
        if index in reading.requests:
            reading.asked_to_stop |= _names_a_habit(sentence)
            # "Please keep doing what you did on Friday: you walked the patient's wife ...":
            # after the colon, what was done
            told_after = next(
                (n for n, c in enumerate(sentence.clauses) if n and ":" in c.opener), -1
            )
            if told_after < 0:
                continue
        if reading.behaviour and sentence.clauses and _outcome_label(sentence):
            # "Result - GL extracts in by end of week one": the writer names it an outcome
            reading.impact.append(sentence.clauses[0])
        if sentence.clauses and _doing_as_subject(sentence):
            opening = sentence.clauses[0]
            reading.behaviour.append(opening)
            main = opening.main_verb
            if (
                main is not None
                and verb_lemma(main.low) in CAUSAL | RESULTING | EFFECT_VERBS
                and any(t.kind in {"word", "num"} for t in opening.after_verb())
            ):
                # "Signing off the proofs a day early let the printer slot us in": the
                # doing is the subject, and its verb says what it did
                reading.impact.append(opening)
        elif sentence.clauses and _deed_phrase(reading, sentence):
            opening = sentence.clauses[0]
            reading.behaviour.append(opening)
            following = next(
                (
                    c
                    for c in sentence.clauses[1:]
                    if c.verb
                    and c.verb_kind != "participle"
                    and not set(c.opener) & SUBORDINATORS  # "before anyone asked": a scene
                ),
                None,
            )
            if opening.verb is None and following is not None and not following.subject:
                # "Your email to the landlords explaining the dates, with the checklist
                # attached, *meant* every flat was ready": the act's own verb
                following.subject, following.deed = opening.tokens, True
        elif len(sentence.clauses) > 1:
            _work_before_its_verb(sentence)
        for n, clause in enumerate(sentence.clauses):
            if n < told_after:
                continue
            role = role_of(reading, clause)
            if clause.verb_kind == "count" and (reading.behaviour or reading.thanks):
                reading.impact.append(clause)  # "pinged #support before rollout, zero tickets"
            if clause.verb is None:
                after_the_act = (
                    reading.behaviour and clause.start > reading.behaviour[0].start
                ) or (reading.thanks and clause.start > reading.thanks[0][1])
                if after_the_act and _verbless_change(reading, clause):
                    reading.impact.append(clause)  # "..., this term. Attendance up 6%."
                continue
            if role != "receiver" and _done_by_the_person(reading, clause):
                # "The mislabelled sample was caught by you before it went to the lab"
                reading.behaviour.append(clause)
                continue
            if role == "other" and _thanked_who(reading, clause) and _is_action(clause):
                # "Big thank you to Marisol who stayed until midnight to count the ballots"
                reading.behaviour.append(clause)
                continue
            conditional = set(clause.opener) & {"if", "unless", "whether"}
            if (
                role == "receiver"
                and conditional
                and clause.negated
                and clause.verb.low in {"had", "'d"}
                and clause.verb_kind == "perfect"
                and clause.main_verb is not None
                and clause.main_verb.low != "been"  # "if you hadn't been so rude": a manner
                and _is_action(clause)
            ):
                # "If you hadn't called the client back, we would have lost the renewal":
                # the act, told by what would have happened without it
                reading.behaviour.append(clause)
                continue
            if role == "receiver" and not conditional:
                if _is_action(clause):
                    main = clause.main_verb
                    if (
                        _by_doing(reading, sentence, clause)
                        and main is not None
                        and (
                            verb_lemma(main.low)
                            in EFFECT_VERBS
                            | {
                                "stop",
                                "prevent",
                                "save",
                                "help",
                                "let",
                                "give",
                                "get",
                                "keep",
                                "make",
                            }
                            or _measured_change(clause)
                        )
                    ):
                        # "By flagging the consent form, you stopped us from seeing ...":
                        # the act is in the by-phrase, the clause is what it did.
                        reading.impact.append(clause)
                    if (
                        reading.behaviour
                        and main is not None
                        and verb_lemma(main.low) in EFFECT_VERBS
                        and (clause.inherited or clause.has("and", "so"))
                    ):
                        # "You pushed to main without review and broke the build for the
                        # whole team": a second act that is what the first one did to others.
                        reading.impact.append(clause)
                    if (
                        reading.behaviour  # a second act: the first one is the behaviour
                        and main is not None
                        and verb_lemma(main.low) not in VAGUE_VERBS
                        and _result_by_doing(clause)
                    ):
                        # "kept all twelve bookings and added four more by opening Tuesday
                        # slots": what came of the act told in the -ing phrase after "by"
                        reading.impact.append(clause)
                    reading.behaviour.append(clause)
                continue
            if role == "artefact" and _artefact_action(clause):
                reading.behaviour.append(clause)
            elif (
                role == "artefact"
                and clause.verb_kind in {"be", "have", "passive"}
                and clause.verb is not None
                and clause.verb.low in {"was", "were", "had"}  # one piece, not a habit
                and _specific_work(clause.subject)
            ):
                # "Your handover at 7 was short and clear; the day team started on time":
                # a piece of the person's work, named so one can tell which, described; the
                # making of it is the act when what it changed follows
                described.append(clause)
            if (
                role == "none"
                and n > 0
                and not clause.subject
                and clause.verb is clause.tokens[0]
                and clause.verb_kind == "past"
                and clause.opener
                and set(clause.opener) <= {",", "-", "–", "—", ";"}
                and verb_lemma(clause.verb.low) in RESULTING | EFFECT_VERBS
                and any(end <= clause.start for _, end in reading.thanks)
            ):
                # "Cheers for flagging the error before we wrapped – saved us a reshoot
                # day": what the thanked act did, told without its subject
                reading.impact.append(clause)
                continue
            if role == "none" and n == 0 and not clause.inherited:
                # "Left the dock plate up on door 3 last night.": the person is understood.
                words = word_tokens(sentence)
                understood = clause.verb is words[0] or (  # "LGTM'd my PR within 20 min"
                    clause.verb is not None
                    and clause.verb.low == "'d"
                    and len(words) > 1
                    and clause.verb is words[1]
                )
                if (
                    understood
                    and reading.behaviour
                    and clause.verb_kind == "past"
                    and verb_lemma(clause.verb.low) in CAUSAL | EFFECT_VERBS
                    and index > 0
                ):
                    # "You kept the neighbours back. Made it a lot easier for us ...": what
                    # the act did, told without its subject ("that")
                    reading.impact.append(clause)
                    continue
                if understood and clause.verb_kind == "past" and _is_action(clause):
                    reading.behaviour.append(clause)
                    continue
            if clause.verb_kind == "participle":
                if (
                    reading.behaviour
                    and verb_lemma(clause.verb.low) in RESULTING
                    and _links(reading, clause, sentence, n)
                ):
                    # "You rebooked the crews at 14:00, saving the airline forty hotel rooms"
                    reading.impact.append(clause)
                continue
            if role == "deed":
                if _deed_effect(clause):
                    reading.impact.append(clause)
                continue
            if role == "receiver":
                continue
            if role in {"artefact", "none"} and clause.main_verb is not None:
                moved = verb_lemma(clause.main_verb.low) in CAUSAL | RESULTING
                if role == "artefact" and (
                    moved
                    or _measured_change(clause)
                    or _done_to_people(clause)
                    or (is_copular(clause) and _the_reason(clause))
                ):
                    reading.impact.append(clause)
                    if _specific_work(clause.subject):
                        # "Your one-page brief got the minister's sign-off": making it was
                        # the act
                        reading.made.append((clause.subject[0].start, clause.subject[-1].end))
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
        for n, clause in enumerate(sentence.clauses):
            acted = n > 0 and _act_before_scene(reading, sentence, n)
            if clause in reading.impact or (clause.main_verb is None and not acted):
                continue
            # "Your call to swap comps after we lost pistol *got* us 7 rounds", "requesting it
            # before we went inside *meant* RIT was on scene": the scene set by "after" or
            # "before" ends at the verb of the act before it
            causal = CAUSAL if acted else CAUSAL - {"get", "set", "put", "turn"}
            later = clause.tokens[clause.verb_index + 1 :]
            for i, token in enumerate(later):
                if not is_past(token.low) or verb_lemma(token.low) not in causal:
                    continue
                before = later[i - 1] if i else clause.tokens[clause.verb_index]
                if (
                    before.kind == "word"
                    and (
                        before.low not in FUNCTION_WORDS | {"to"}
                        or (acted and before.low not in DETERMINERS | PERSONAL | {"to"})
                    )
                    and not before.is_name()  # "the slides Priya made": hers, no effect
                ):
                    reading.impact.append(clause)
                    if acted and sentence.clauses[n - 1] not in reading.behaviour:
                        reading.behaviour.append(sentence.clauses[n - 1])
                    break
        if not reading.impact and reading.behaviour:
            outcome = _telegraphed_outcome(reading, sentence)
            if outcome is not None:
                reading.impact.append(outcome)
    for clause in described:
        if any(c.start > clause.start and c is not clause for c in reading.impact):
            reading.made.append((clause.subject[0].start, clause.subject[-1].end))
    return reading


_MEASURE = NUMBERS_WORDS | {"half", "a", "by", "to", "from", "over", "under", "nearly", "almost"}


def _result_by_doing(clause: Clause) -> bool:
    """ "(you) added four more by opening Tuesday slots", "saved us a day by pre-filling the
    forms": the verb and its object are the result, the -ing phrase after "by" the act."""
    after = [t for t in clause.after_verb() if t.kind in {"word", "num"}]
    for n, token in enumerate(after[1:-1], start=1):
        if token.low == "by":
            doing, following = after[n + 1].low, after[n + 2].low if n + 2 < len(after) else ""
            return (
                doing.endswith("ing")
                and is_gerund(doing)
                and verb_lemma(doing) not in VAGUE_VERBS | LINKING
                and bool(following)
                # an object of its own ("by opening Tuesday slots"), not a compound ("by
                # reading level")
                and (
                    following in DETERMINERS | OBJECT_PRONOUNS | WEEKDAYS | {"all", "every", "each"}
                    or after[n + 2].kind == "num"
                )
            )
    return False


def _the_reason(clause: Clause) -> bool:
    """ "(Nadia's talk at the open day) is why three volunteers signed up", "(your costings)
    were the reason we won": the work named as the cause of what follows."""
    words = [t.low for t in clause.after_verb() if t.kind == "word"][:5]
    while words and words[0] in {
        "the",
        "a",
        "exactly",
        "really",
        "just",
        "main",
        "whole",
        "big",
        "one",
        "of",
    }:
        words = words[1:]
    return bool(words) and words[0] in {"why", "reason", "reasons"}


def _done_to_people(clause: Clause) -> bool:
    """ "(the pricing sheet) won us the tender", "(your email) reassured them": the thing did
    something to people, told by a personal object right after a verb in the past."""
    after = [t for t in clause.after_verb() if t.kind == "word"]
    return (
        clause.verb_kind == "past"
        and clause.main_verb is not None
        and verb_lemma(clause.main_verb.low) not in VAGUE_VERBS | _JUDGING | {"have", "do"}
        and bool(after)
        and after[0].low in {"us", "me", "them", "everyone", "everybody"}
    )


def _measured_change(clause: Clause) -> bool:
    """A verb that moved something by a measure: "lifted conversions by 8%", "cut the
    diagnosis time from an hour to ten minutes", "took the backlog down to 12"."""
    main = clause.main_verb
    if main is None or verb_lemma(main.low) in VAGUE_VERBS | LINKING | {"have", "do"}:
        return False
    after = [t for t in clause.after_verb() if t.kind in {"word", "num"}]
    if not after or after[0].low in {"by", "from", "up", "down", "to", "over", "in"}:
        return False  # "rose by 12%": what changed, not what the thing changed
    for n, token in enumerate(after[:-1]):
        following = after[n + 1]
        measure = following.kind == "num" or following.low in _MEASURE - {"by", "to", "from"}
        if token.low == "by" and measure:
            return True
        if token.low == "from" and any(t.low == "to" for t in after[n + 2 :]):
            return True
        if token.low in {"down", "up"} and following.low == "to" and n + 2 < len(after):
            return after[n + 2].kind == "num" or after[n + 2].low in _MEASURE
    return False


def _verbless_change(reading: Reading, clause: Clause) -> bool:
    """A change told without a verb, as in notes or a report: "Attendance up 6%.", "Queues
    down to under five minutes", "no-shows down by a third", "scores from 3.2 to 4.1": a
    noun, then up or down (or from ... to) and a measure."""
    words = [t for t in clause.tokens if t.kind in {"word", "num"}]
    if len(words) < 3 or words[0].low in FUNCTION_WORDS | SECOND:
        return False
    if words[0].text in reading.receiver_names or not (
        is_noun(words[0].low) or not lemmas(words[0].low) or words[0].low.endswith("s")
    ):
        return False
    for n, token in enumerate(words[1:5], start=1):
        following = words[n + 1] if n + 1 < len(words) else None
        if following is None:
            return False
        measured = following.kind == "num" or following.low in _MEASURE
        if token.low in {"up", "down"} and measured:
            return True
        if token.low == "back" and following.low in {"to", "up", "online", "on", "in", "within"}:
            return True  # "error rate back to baseline in 4 min"
        if token.low == "from" and following.kind == "num":
            return any(w.low == "to" for w in words[n + 2 :])
    return False


def _telegraphed_outcome(reading: Reading, sentence: Sentence) -> Clause | None:
    """ "... started the FAST protocol en route. CT on arrival, thrombolysed within 40
    min.": in a sentence after the act, a note of what happened next with its measure
    ("within 40 min", "in under 2 min"), told as a participle after a comma without a
    subject, as in a debrief or a radio log."""
    if sentence.start <= reading.behaviour[0].end:
        return None
    measured = re.search(
        r"\b(?:within|in|under|by) (?:under |about |less than )?\d",
        reading.text[sentence.start : sentence.end],
    )
    if not measured:
        return None
    for clause in sentence.clauses[1:]:
        if (
            clause.verb is not None
            and not clause.subject
            and "," in clause.opener
            and clause.verb is clause.tokens[0]
            and is_participle(clause.verb.low)
            and role_of(reading, clause) == "none"
        ):
            return clause
    return None


def _act_before_scene(reading: Reading, sentence: Sentence, n: int) -> bool:
    """Is clause n a scene ("after we lost pistol", "before we went inside") right after the
    person's act told without a verb of its own: a phrase already read as the act ("Your
    call to swap to the double-controller comp") or an -ing phrase with its object after a
    dash or at the start ("requesting it")?"""
    clause, before = sentence.clauses[n], sentence.clauses[n - 1]
    if not set(clause.opener) & {"after", "before", "when", "once", "as", "until", "till"}:
        return False
    if before.verb is None:
        return before in reading.behaviour
    words = [t for t in before.tokens if t.kind == "word"]
    return (
        before.verb_kind == "participle"
        and (n == 1 or bool(set(before.opener) & {"-", "–", "—", ":", ";"}))
        and len(words) >= 2
        and verb_lemma(words[0].low) not in VAGUE_VERBS
        and (words[1].low in OBJECT_PRONOUNS | DETERMINERS or is_noun(words[1].low))
    )


# What a thing someone made says about them, not what it changed: "the notes you wrote
# showed real care".
_JUDGING = {"show", "prove", "demonstrate", "reflect", "say", "look", "seem", "sound", "feel"}


def _deed_effect(clause: Clause) -> bool:
    """Did the thing the person's act made or touched do something ("the reminders you
    texted cut the no-shows", "the client you called signed the same day"), rather than
    have a quality ("the notes you wrote were clear", "the slides you sent had typos")?"""
    main = clause.main_verb
    if main is None or clause.verb is None:
        return False
    if is_copular(clause):
        return _changed(clause)
    if clause.verb_kind == "have" or verb_lemma(main.low) in _JUDGING:
        return False
    hypothetical = clause.verb_kind == "modal" and clause.verb.low in {"would", "'d", "might"}
    if hypothetical and not _counterfactual(clause):
        return False
    # It acted on something ("cut the no-shows", "ended the rumours") or was used by others
    # ("has been used every night since"); "ran to two pages" only measures it.
    index = clause.tokens.index(main) if main in clause.tokens else clause.verb_index
    after = [t for t in clause.tokens[index + 1 :] if t.low not in ADVERBS]
    acted_on = bool(after) and after[0].kind in {"word", "num"} and after[0].low not in PREPOSITIONS
    return (
        acted_on
        or verb_lemma(main.low) in CAUSAL | EFFECT_VERBS
        # "was forwarded to the board", not "is laminated": a state in the present
        or (
            clause.verb_kind == "passive"
            and clause.verb.low not in {"is", "are", "am", "'s", "'re"}
        )
        or (clause.verb_kind == "perfect" and main.low == "been")
    )


def _by_doing(reading: Reading, sentence: Sentence, clause: Clause) -> bool:
    """Is the clause led by "By <doing something>, ..." in its sentence?"""
    before = reading.text[sentence.start : clause.verb.start if clause.verb else clause.start]
    match = re.search(r"\bby ([a-z'-]+)\b", before.lower())
    return match is not None and is_gerund(match.group(1))


def _head_noun(phrase: list[Token]) -> str:
    """The noun a phrase is about: "effort" in "your effort on the launch"."""
    words = [t.low for t in phrase]
    for n, word in enumerate(words[1:], start=1):
        if word in PREPOSITIONS:
            return words[n - 1]
    return words[-1] if words else ""


def _modifier_or_noun(token: Token) -> bool:
    low = token.low
    if token.kind != "word" or low in FUNCTION_WORDS or (low.endswith("ing") and is_gerund(low)):
        return token.kind == "word" and low.endswith("ing") and bool(lemmas(low).get("NOUN"))
    return (
        is_noun(low)
        or is_adjective(low)
        or token.is_name()
        or low in WEEKDAYS | MONTHS | TIME_WORDS
    )


def _deed_phrase(reading: Reading, sentence: Sentence) -> bool:
    """Does the sentence open with the person's act as a noun phrase: "Your decision to
    skip the methodology slide ...", "Your call to pause the release ...", "Your note to the
    client explaining why ..."? A possessive, a noun that isn't work in general ("your
    effort", "your support"), then an infinitive or a participle of an action."""
    words = [t for t in sentence.tokens if t.kind != "punct" or t.text in {",", "-", "–", "—"}]
    owner = (
        {"your", "ur"}
        if reading.second_person
        else {"his", "her"}
        & {{"he": "his", "she": "her"}.get(p, "") for p in reading.receiver_pronouns}
    )
    start = next((n for n, t in enumerate(words[:6]) if t.low in owner), -1)
    if start < 0 and not reading.second_person:
        # "Mr. Botha's decision to renegotiate the courier contract ...": a name's own act
        start = next(
            (
                n
                for n, t in enumerate(words[:5])
                if t.low == "'s" and n > 0 and words[n - 1].text[:1].isupper()
            ),
            -1,
        )
        if start >= 0 and any(t.low in PERSONAL for t in words[:start]):
            return False
    if start < 0 or any(t.low in PERSONAL for t in words[:start]):
        return False
    k = start + 1
    while k < len(words) and k - start <= 4 and _modifier_or_noun(words[k]):
        k += 1
    if k < len(words) and words[k].low.endswith("ing") and is_gerund(words[k].low):
        k += 1  # "your quick thinking": an -ing form as the noun
    elif k == start + 1 or not is_noun(words[k - 1].low):
        return False
    if words[k - 1].low in WORK_IN_GENERAL:
        return False
    # phrases after the noun: "your email to the landlords explaining ...", "your quick
    # thinking on the night of the flood, moving the server ..."
    for _ in range(3):
        if k + 1 < len(words) and (
            words[k].low in PREPOSITIONS - {"to"}
            or (words[k].low == "to" and not verb_forms(words[k + 1].low) & {"VB"})
        ):
            k += 1
            while k < len(words) and (
                words[k].low in DETERMINERS or words[k].kind == "num" or _modifier_or_noun(words[k])
            ):
                k += 1
        elif k < len(words) and words[k].text in {",", "-", "–", "—"}:
            k += 1
        else:
            break
    if k + 1 < len(words) and words[k].low == "to" and "VB" in verb_forms(words[k + 1].low):
        verb = words[k + 1].low
    elif k < len(words) and is_gerund(words[k].low) and words[k].low.endswith("ing"):
        verb = words[k].low
    else:
        return False
    lemma = verb_lemma(verb)
    return lemma not in VAGUE_VERBS and lemma not in LINKING


def _names_a_habit(sentence: Sentence) -> bool:
    """ "Please stop leaving the tractor keys in the ignition": stop or quit and an action
    with its object; not "stop being so negative", "quit complaining"."""
    words = [t.low for t in word_tokens(sentence)]
    for n, word in enumerate(words[:-2]):
        if word in {"stop", "quit"}:
            doing, after = words[n + 1], words[n + 2]
            return (
                doing.endswith("ing")
                and is_gerund(doing)
                and verb_lemma(doing) not in VAGUE_VERBS | LINKING | {"complain"}
                and (after in DETERMINERS or is_noun(after) or after in OBJECT_PRONOUNS)
            )
    return False


_THANKS_FOR_DATED = re.compile(
    r"\b(?:thanks|thank (?:you|u|ya)|thx|ty|cheers|kudos|props|hats off|shout-?out|big ups?)"
    r"(?: so much| again| a lot)?(?: to (?:you|u|ya|[\w'-]+))? for (?:the|your|ur|that|this)"
    r" (?P<phrase>(?:[\w'-]+ ){0,3}[\w'-]+)"
    r" (?:last (?:night|week|friday|monday|tuesday|wednesday|thursday|saturday|sunday)|yesterday"
    r"|this morning|this afternoon|today|tonight|on (?:monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday)|at \d)"
)


def _bare_doing(word: str, rest: str) -> bool:
    """ "thank you for call all the suppliers", "for stay late on Friday", "for have
    translated the clauses": a verb's plain form or participle after "for", as English as a
    second language has it; a verb because an object, "late" or "back" follows (a noun,
    "thanks for the update on ...", would take a preposition)."""
    following = rest.split()[:1]
    if not following or not verb_forms(word) & {"VB", "VBN", "VBD"} or word in FUNCTION_WORDS:
        return False
    return following[0] in DETERMINERS | OBJECT_PRONOUNS | {
        "it",
        "late",
        "back",
        "up",
        "out",
        "over",
        "early",
        "all",
        "every",
        "everyone",
        "everything",
    }


_THANKS_TO_WORK = re.compile(
    r"\b(?:thanks|due|owing) to (?P<owner>your|ur|his|her|[A-Z][\w'-]+'s) (?P<phrase>(?:[\w'-]+ ){0,6}"
    r"[\w'-]+)\s*(?:,|-|–|—)",
    re.I,
)


def _thanks_to_work(reading: Reading) -> None:
    """ "Thanks to your reminder call, Mrs Obi came ...", "Thanks to Ngaio's quick thinking
    with the fire blanket, ...": the person's act, named by a noun phrase, as the cause of
    what follows; making it counts as the act (not "thanks to your hard work", "your help")."""
    for match in _THANKS_TO_WORK.finditer(reading.text):
        owner = match.group("owner")
        words = match.group("phrase").lower().split()
        head = next((w for w in words if w in PREPOSITIONS), None)
        head = words[words.index(head) - 1] if head and words.index(head) > 0 else words[-1]
        if (
            head in WORK_IN_GENERAL
            or head in FUNCTION_WORDS
            or is_adjective(head)
            and not is_noun(head)
        ):
            continue
        if len(words) < 2:
            continue  # "thanks to your call": which one?
        if owner.endswith("'s"):
            if re.search(r"\b(?:you|your|u|ur|ya)\b", reading.text.lower()):
                continue  # feedback to someone else about a third person's work
            if not reading.receiver_names:
                reading.receiver_names.add(owner[:-2])
        elif owner.lower() in {"his", "her"} and reading.second_person:
            continue
        reading.made.append((match.start("owner"), match.end("phrase")))


def _outcome_label(sentence: Sentence) -> bool:
    """Does the sentence open with "Result:", "Outcome -", "Net effect:"?"""
    tokens = sentence.tokens
    for n, token in enumerate(tokens[:3]):
        if token.kind == "punct":
            return (
                n > 0
                and token.text in {":", "-", "–", "—", "="}
                and " ".join(t.low for t in tokens[:n]) in OUTCOME_LABELS
                and len(tokens) > n + 2
            )
    return False


PARTICLES = {"off", "up", "out", "in", "down", "over", "back", "through", "on", "away"}


def _doing_as_subject(sentence: Sentence) -> bool:
    """ "Pulling the old batch off the shelf on Monday was the right call", "Moving the
    stand-up to 9:15 meant the parents could join": the act, as an -ing phrase with its
    object, is the subject of a past tense."""
    words = word_tokens(sentence)
    if len(words) < 3 or not sentence.clauses:
        return False
    first, second = words[0].low, words[1].low
    if not first.endswith("ing") or not is_gerund(first) or lemmas(first).get("NOUN"):
        return False
    if second in PARTICLES and len(words) > 3:
        second = words[2].low  # "Signing off the proofs a day early let ..."
    if verb_lemma(first) in VAGUE_VERBS or not (
        second in DETERMINERS | {"with", "w"} or is_noun(second)  # "pairing with Sven on ..."
    ):
        return False
    clause = sentence.clauses[0]
    return clause.verb is not None and (
        clause.verb_kind == "past" or clause.verb.low in {"was", "were"}
    )


def _artefact_action(clause: Clause) -> bool:
    """ "Your handover notes listed every professional ...": the person's own work did
    something concrete; "your PR comments were harsh, 'this is obviously wrong'": quoted."""
    if any(t.kind == "quote" for t in clause.tokens):
        return True
    if _head_noun(clause.subject) in WORK_IN_GENERAL:
        return False
    main = clause.main_verb
    if main is None or clause.verb_kind not in {"past", "perfect", "have"}:
        return False
    lemma = verb_lemma(main.low)
    if lemma == "have":
        # "Your summary had one quote per theme": what the work contained, counted
        following = _object_after(clause).split()[:1]
        if _had_it_done(clause):
            return True  # "Your build from last night had the debug overlay switched on"
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
        lemma not in VAGUE_VERBS
        and lemma not in CAUSAL
        and not EMPTY_OBJECT.match(_object_after(clause))
    )


def clause_span(clause: Clause) -> tuple[int, int]:
    return (clause.lead if clause.lead >= 0 else clause.start, clause.end)
