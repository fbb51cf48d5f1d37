"""The feedback check: is feedback about a behaviour, with its impact, rather than the person?

    result = check_feedback("You are so lazy.")
    result.ok          # False
    [p.code for p in result.problems]
    # ['about_the_person', 'no_behaviour', 'no_impact']
    result.suggestion
    # 'In the most recent case, when you said or did the specific thing I noticed, it
    #  affected the team and the work. Next time, could you tell me what was going on for
    #  you, so we can agree one thing to change?'

Rule-based and deterministic: the same text always gives the same result. Good feedback
follows situation, behaviour, impact, suggestion. The check reports:

- about_the_person: a label or trait aimed at the person ("you are lazy", "you're not a
  team player", "typical of you", "your attitude"), not at something they did.
- generalization: "always", "never", "every time", "constantly", "all the time",
  "whenever": one case stretched into a rule, which invites an argument about the
  exceptions.
- no_behaviour: no concrete, observable action by the person ("you interrupted Maya
  twice", "the slides you sent"); praise or criticism with nothing anyone could have seen.
- no_impact: nothing says what the action changed for the work, the people or the outcome
  ("so the client ...", "which delayed ...", ", and she stopped sharing").

The suggestion rewrites the feedback as "In <situation>, when you <behaviour>, <impact>.
Next time, could you <suggestion>?", keeping the person's own words where it can; it always
passes this same check.
"""

from __future__ import annotations

import re

from .commitments import LintResult, Problem

ABOUT_THE_PERSON = "about_the_person"
GENERALIZATION = "generalization"
NO_BEHAVIOUR = "no_behaviour"
NO_IMPACT = "no_impact"
CODES = (ABOUT_THE_PERSON, GENERALIZATION, NO_BEHAVIOUR, NO_IMPACT)

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

# Traits and labels. Matched after "you are", "you're", "you seem to be" and so on, or
# after "your code/work is".
_TRAITS = (
    r"lazy|laziest|rude|selfish|unreliable|reliable|careless|sloppy|disorgani[sz]ed|arrogant"
    r"|negative|unprofessional|difficult|incompetent|hopeless|useless|annoying|toxic"
    r"|emotional|defensive|quiet|shy|smart|clever|stupid|dumb|bossy|pushy|aggressive"
    r"|passive|weak|mean|nice|kind|brilliant|awesome|amazing|slow|moody|sensitive"
    r"|immature|unmotivated|lazier|messy|a mess|such a mess|bully|slacker|control freak"
    r"|know-it-all|team player|people person|leader|listener|natural|genius|idiot|liar"
    r"|jerk|pain|nightmare|disaster|joke|problem|flake|perfectionist|micromanager"
)
_FILLER = (
    r"(?:so|such|too|very|really|a bit|a little|quite|just|the|a|an|kind of|sort of|being"
    r"|always|never|not|totally|completely|honestly|simply|pretty|rather|real|bit of a"
    r"|great|good|bad|terrible|natural|real|\w+est|the \w+est|most|more|less|such an?)"
)
_ABOUT_PERSON = [
    re.compile(
        r"\byou(?: are|'re| r| were| seem(?: to be)?| come across as| sound| act(?: so)?)"
        # "you are always late and lazy": a trait may come after other words joined by "and".
        rf"(?: {_FILLER})*(?: \w+(?:,| and| or))?(?: {_FILLER})* (?:{_TRAITS})\b"
    ),
    re.compile(rf"\byour (?:code|work|writing|desk|manner) (?:is|was) (?:{_FILLER} )*sloppy\b"),
    re.compile(r"\btypical (?:of )?you\b|\bso you\b(?= to )"),
    re.compile(r"\b(?:that's|that is|it's|this is) (?:just )?(?:how|who|what) you are\b"),
    re.compile(r"\byour (?:attitude|personality|character)\b"),
    re.compile(r"\byou have (?:a|such a|no) (?:\w+ )?(?:attitude|personality|ego|work ethic)\b"),
    re.compile(r"\byou(?: are|'re) (?:the )?(?:kind|type|sort) of person\b"),
    re.compile(r"\byou(?: are|'re) (?:not|never) (?:a|an|very|really) \w+\b"),
    re.compile(r"\byou(?: are|'re) (?:a|an) (?:real |total |complete |bit of a )?\w+(?:er|ist)\b"),
]

_GENERALIZATION = re.compile(
    r"\b(?:always|never|every (?:single )?time|everytime|constantly|continually|all the time"
    r"|whenever|each time|forever|every day|every meeting|without fail|at all times)\b"
)

# Concrete actions after "you": past tenses and a list of present-tense verbs.
_IRREGULAR = (
    r"sent|wrote|rewrote|overrode|withdrew|undid|left|took|spoke|came|ran|gave|made|told|said|forgot|brought|let|kept|cut"
    r"|shut|put|got|went|saw|heard|met|paid|sold|bought|built|broke|drove|threw|hung|hit|lost"
    r"|set|shot|stood|swore|tore|woke|won|froze|hid|led|read|rode|sang|sat|slept|spent|stole"
    r"|struck|taught|thought|caught|found|held|chose|drew|flew|forgave|rang|began|shook"
)
_PRESENT = (
    r"interrupt|answer|show|leave|forget|test|update|skip|push|send|miss|arrive|talk|sigh"
    r"|cut|roll|raise|shout|ignore|blame|check|reply|come|turn|post|share|write|call|hum"
    r"|cancel|change|delete|book|use|close|open|lock|speak|say|yell|swear|eat|hand|submit"
    r"|finish|start|stop|walk|leave|joke|laugh|text|email|message|tell|ask|rewrite|reschedule"
    r"|log|commit|merge|deploy|ship|review|present|explain|correct|criticise|criticize"
    r"|contradict|undermine|mute|drop|cover|bring|run|take|make|give|put|keep"
)
_VAGUE_VERBS = {
    "seemed",
    "tried",
    "needed",
    "wanted",
    "appeared",
    "handled",
    "managed",
    "cared",
    "improved",
    "worked",
    "helped",
    "listened",
    "complained",
    "behaved",
    "acted",
    "performed",
    "exceeded",
    "impressed",
    "thought",
    "got",
    "made",
    "took",
}
_SKIP = (
    r"(?:always|never|constantly|just|also|then|really|still|often|sometimes|usually|again"
    r"|barely|rarely|even|kept|keep|keeps|didn't|did not|don't|do not|to|both|all|twice"
    r"|once|have|had|'ve|already|regularly|repeatedly|frequently|literally|actually)"
)
_YOU_VERB = re.compile(rf"\byou((?: {_SKIP})*),? ([a-z'-]+)(?=((?: [a-z'-]+){{0,3}}))")
_NEGATED = re.compile(r"\b(?:didn't|did not|don't|do not)\b")
_EMPTY_OBJECT = re.compile(r"^ (?:anything|nothing|everything|stuff|things|anyone|a \w+ job)\b")
_STATE = re.compile(
    r"\byou(?: are|'re| were)(?: \w+ly| always| constantly| never)? (?:late|early|absent"
    r"|on your phone|on the phone|on your laptop|not there|missing)\b"
)
_THANKS = re.compile(r"\b(?:thanks|thank you) for (?!your\b)\w+ing\b")
_VAGUE_PHRASE = re.compile(r"\byou (?:took|take) [\w' ]+ seriously\b")

_SUBJECT = (
    r"(?:the|we|i|she|he|they|it|nobody|no one|everyone|everybody|people|our|my|his|her"
    r"|their|its|one|two|three|four|five|six|ten|\d+|this|that|none|nothing|customers"
    r"|clients|half|several|some|most|both|all|others|another)"
)
_IMPACT = [
    re.compile(rf"(?:,|;|\band|\bso|\bwhich|\bbut)\s+(?:so\s+|then\s+)?{_SUBJECT}\b"),
    re.compile(r",\s+and\s+(?!you\b|your\b|then\b)[a-z]"),
    re.compile(rf"\bwhen you [^,.;]+,\s*{_SUBJECT}\b"),
    re.compile(
        r"\b(?:which|it|this|that) (?:means?|meant|is why|was why|led to|leads to|pushed"
        r"|delayed|cost|caused|made|makes|held up|holds up|slows?|slowed|broke|affected"
        r"|gave|saved)\b"
    ),
    re.compile(
        r"\b(?:as a result|because of (?:this|that|it)|that's why|so that|made me|makes me"
        r"|i felt|i feel|we had to|i had to|they had to|slows? (?:\w+ )?down|holds? up"
        r"|held up|delayed|broke the|cost us|we lost|nobody knows|no one knows|the rest of us"
        r"|affected the|made the team|makes the team|made it|makes it)\b"
    ),
]

_SITUATION = re.compile(
    r"\b(?:in|during|at|on|after|before) (?:the|our|my|this|last|yesterday's|today's|monday's"
    r"|tuesday's|wednesday's|thursday's|friday's|a|an|\w+'s) [^,.;!?]+?(?=,| you\b|[.;!?]|$)"
    r"|\b(?:yesterday|this morning|last night|last week|on (?:monday|tuesday|wednesday"
    r"|thursday|friday|saturday|sunday))\b",
    re.I,
)
_TRAIT_ALONE = re.compile(rf"\b(?:{_TRAITS})\b")
_CONNECTOR = re.compile(r",|;|\b(?:so|which|and it|and the|and she|and he|and they|and we)\b")


def _norm(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    text = text.replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip()


def _is_present(verb: str) -> bool:
    stems = {verb, verb.removesuffix("s")}
    if verb.endswith("ing"):
        stem = verb[:-3]
        stems |= {stem, stem + "e", stem[:-1]}
    return any(re.fullmatch(_PRESENT, stem) for stem in stems)


def _behaviour(low: str) -> re.Match[str] | None:
    """The first "you <concrete verb> ..." in the (lower-cased) text, or None."""
    for match in _YOU_VERB.finditer(low):
        skipped, verb, after = match.group(1), match.group(2), match.group(3)
        negated = bool(_NEGATED.search(skipped))
        if verb in {"be", "are", "were", "was", "seem", "need", "should", "must", "could"}:
            continue
        concrete = (
            (verb.endswith("ed") and verb not in _VAGUE_VERBS)
            or re.fullmatch(_IRREGULAR, verb) is not None
            and verb not in _VAGUE_VERBS
            or _is_present(verb)
            or (skipped.strip().startswith("kept") and verb.endswith("ing"))
        )
        if verb in {"made", "took", "got"} and re.match(
            r" (?:it|a|the|your|my|our|\w+s?)\b", after
        ):
            concrete = True
        if not concrete:
            continue
        if not negated and _EMPTY_OBJECT.match(after):
            continue
        return match
    return None


def _has_behaviour(low: str) -> bool:
    if _VAGUE_PHRASE.search(low):
        low = _VAGUE_PHRASE.sub("", low)
    return bool(_behaviour(low) or _STATE.search(low) or _THANKS.search(low))


def _has_impact(low: str) -> bool:
    return any(pattern.search(low) for pattern in _IMPACT)


def _codes(text: str) -> list[str]:
    low = _norm(text).lower()
    codes = []
    if any(pattern.search(low) for pattern in _ABOUT_PERSON):
        codes.append(ABOUT_THE_PERSON)
    if _GENERALIZATION.search(low):
        codes.append(GENERALIZATION)
    if not _has_behaviour(low):
        codes.append(NO_BEHAVIOUR)
    if not _has_impact(low):
        codes.append(NO_IMPACT)
    return codes


# --- the rewrite ----------------------------------------------------------------------

_FALLBACK_SITUATION = "the most recent case"
_FALLBACK_BEHAVIOUR = "said or did the specific thing I noticed"
_FALLBACK_IMPACT = "it affected the team and the work"
_NEXT_STEP = {
    ABOUT_THE_PERSON: "tell me what was going on for you, so we can agree one thing to change",
    GENERALIZATION: "tell me what was different on the days it went well",
    NO_BEHAVIOUR: "tell me how you see that moment, so we can agree one thing to change",
    NO_IMPACT: "talk with me about what that changed for the others",
    "": "keep doing this and tell me if anything gets in the way",
}
_PLAIN = re.compile(r"[^\w' -]")


def _clean(words: str) -> str:
    words = _GENERALIZATION.sub("", words)
    words = re.sub(r"\b(?:really|just|so|literally|honestly)\b", "", words)
    words = _PLAIN.sub("", words)
    return re.sub(r"\s+", " ", words).strip(" ,-'")


def _situation(text: str) -> str:
    match = _SITUATION.search(text)
    if not match:
        return _FALLBACK_SITUATION
    words = _clean(match.group(0))
    words = re.sub(r"^(?:in|during|at)\s+", "", words, flags=re.I)
    if not words or _TRAIT_ALONE.search(words.lower()):
        return _FALLBACK_SITUATION
    return words[:1].lower() + words[1:] if not words[:2].isupper() else words


def _behaviour_words(text: str) -> str:
    low = text.lower()
    match = _behaviour(low)
    if not match:
        return _FALLBACK_BEHAVIOUR
    start = match.start(2)
    rest = text[start:]
    stop = _CONNECTOR.search(rest.lower())
    words = rest[: stop.start()] if stop else rest
    skipped = match.group(1)
    words = re.sub(r"\bnever\b", "didn't", f"{skipped} {words}", flags=re.I)
    words = _clean(words)
    words = re.sub(r"^(?:kept|keep|keeps)\s+", "kept ", words)
    words = re.sub(r"\b(?:in|during|at|on)\s*$", "", words).strip()
    return words or _FALLBACK_BEHAVIOUR


def _impact_words(text: str) -> str:
    low = text.lower()
    best: int | None = None
    for pattern in _IMPACT:
        match = pattern.search(low)
        if match and (best is None or match.start() < best):
            best = match.start()
    if best is None:
        return _FALLBACK_IMPACT
    words = text[best:]
    words = re.sub(r"^(?:[,;]\s*)?(?:and|so|but)?\s*", "", words, flags=re.I)
    words = _clean(words.split(".")[0])
    if re.match(r"^(?:which|that)\b", words, re.I):
        words = re.sub(r"^(?:which|that)\b", "this", words, flags=re.I)
    if not words:
        return _FALLBACK_IMPACT
    return words[:1].lower() + words[1:] if words[:1] != "I" else words


def _compose(situation: str, behaviour: str, impact: str, step: str) -> str:
    return f"In {situation}, when you {behaviour}, {impact}. Next time, could you {step}?"


def _rewrite(text: str, codes: list[str]) -> str:
    norm = _norm(text)
    step = _NEXT_STEP[codes[0] if codes else ""]
    situation = _situation(norm)
    behaviour = _behaviour_words(norm)
    impact = _impact_words(norm)
    candidates = [
        _compose(situation, behaviour, impact, step),
        _compose(situation, behaviour, _FALLBACK_IMPACT, step),
        _compose(_FALLBACK_SITUATION, behaviour, _FALLBACK_IMPACT, step),
    ]
    for candidate in candidates:
        if not _codes(candidate):
            return candidate
    return _compose(_FALLBACK_SITUATION, _FALLBACK_BEHAVIOUR, _FALLBACK_IMPACT, step)


def check_feedback(text: str) -> LintResult:
    """Check one piece of feedback; see the module docstring for the codes."""
    codes = _codes(text)
    problems = [Problem(code, _MESSAGES[code]) for code in codes]
    if not codes:
        return LintResult(ok=True, problems=[], suggestion=_norm(text))
    return LintResult(ok=False, problems=problems, suggestion=_rewrite(text, codes))
