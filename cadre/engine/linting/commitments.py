"""The commitment check: is a commitment specific, observable and time-bound?

    result = check_commitment("work on the prototype", today=date(2026, 11, 24))
    result.ok          # False
    [p.code for p in result.problems]
    # ['not_specific', 'not_observable', 'not_time_bound']
    result.suggestion  # 'Finish the prototype.'
    result.rewrite.missing            # ('due',)
    result.rewrite.prompt("due")      # 'When will it be done? Give a date.'

Rule-based and deterministic: the same text, due date, deliverable, today and next session
always give the same result. The text is split into clauses ("and", commas, "then"); each
clause is judged by its first verb:

- not_specific: the first verb is vague ("work on", "look into", "think about", "explore",
  "improve", "be more", ...), hedged ("try to", "maybe", "hopefully"), or one that only
  means something with evidence attached ("get", "practise", "clean up", "do") and none is.
- not_observable: no clause with a non-vague verb produces something someone else could
  see: a deliverable ("doc", "deck", "PR", "notes"), an act of showing or sending ("share",
  "send", "present", "deploy"), or a number ("3 customers", "from 60% to 75%"); or a
  `deliverable` given outside the text names one.
- not_time_bound: no deadline (in the text or `due`), a deadline already past, or one after
  `next_session` when that is known. Relative words are read against `today`.

The rewrite (`result.rewrite`, a `Rewrite`) keeps the writer's own words: it removes hedges,
fillers, vague time words and dates that cannot stand, and puts one strong verb where a vague
one was ("work on" -> "finish", "look into" -> "share what I learn about"). It never invents
what only the writer knows: a missing date, deliverable or action (what to do towards a goal
such as "be a better listener") is named in `rewrite.missing`, with the question to ask, and
a form asks for it. A rewrite with nothing missing passes this same check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from .dates import Deadline, find_deadlines, format_day

NOT_SPECIFIC = "not_specific"
NOT_OBSERVABLE = "not_observable"
NOT_TIME_BOUND = "not_time_bound"
CODES = (NOT_SPECIFIC, NOT_OBSERVABLE, NOT_TIME_BOUND)


@dataclass(frozen=True)
class Problem:
    """One thing missing from a commitment: a stable code and a plain message."""

    code: str
    message: str


@dataclass(frozen=True)
class LintResult:
    """ok is True when there are no problems; suggestion is a rewrite that has none."""

    ok: bool
    problems: list[Problem] = field(default_factory=list)
    suggestion: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "problems": [{"code": p.code, "message": p.message} for p in self.problems],
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True)
class CommitmentLint(LintResult):
    """What the commitment check says: ok, the problems, `deadline` (the date it read as the
    deadline: the latest of the text's dates and `due`; None when none was given, or only
    "before the next session" with that date unknown) and `rewrite`, the suggestion in parts
    with what is still missing. `suggestion` is `rewrite.text`."""

    deadline: date | None = None
    rewrite: Rewrite | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            **super().to_dict(),
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "rewrite": self.rewrite.to_dict() if self.rewrite else None,
        }


# Common misspellings, fixed before anything else is read.
_TYPOS = {
    "teh": "the",
    "hte": "the",
    "adn": "and",
    "wiht": "with",
    "recieve": "receive",
    "shre": "share",
    "sned": "send",
    "finsh": "finish",
    "wokr": "work",
    "lok": "look",
    "imporve": "improve",
    "improvee": "improve",
    "reserch": "research",
    "porotype": "prototype",
    "prototpye": "prototype",
    "documnet": "document",
    "reprot": "report",
}

# Said before the verb; stripped without comment.
_LEAD_IN = re.compile(
    r"^(?:(?:i|we)\s+(?:will|shall|am going to|are going to|need to|want to|plan to|would like to"
    r"|intend to|promise to|commit to|have to|must|should|can)\s+|(?:i'll|we'll|i'm going to"
    r"|we're going to|i'd like to|i want to|i need to|going to|will|plan to|commit to|need to"
    r"|my commitment is to|commitment:|goal:|to)\s+|(?:also|then|first|finally|just|really"
    r"|definitely|actually|please)\s+)+"
)

# Hedges: not specific, but what follows is still read (it may be observable).
_HEDGES = re.compile(
    r"^(?:try to|try and|attempt to|aim to|hope to|hoping to|maybe|perhaps|probably|possibly"
    r"|hopefully|ideally|if possible,?|if i can,?|see if i can|see whether i can|start to)\s+"
)
_HEDGE_ANYWHERE = re.compile(
    r"\b(?:try to|try and|attempt to|hopefully|maybe|if i have time|if possible|when i have time"
    r"|when i can|if i get the chance)\b"
)

# Vague heads. The value is the kind of rewrite that suits them.
_VAGUE_HEADS: list[tuple[str, str]] = [
    (r"work(?:ing)? (?:on|towards?)", "build"),
    (r"(?:make|making) (?:some )?progress (?:on|with)", "build"),
    (r"progress (?:on|with)", "build"),
    (r"(?:keep|continue|carry on)(?: to)? (?:work(?:ing)? on|with)", "build"),
    (r"(?:continue|carry on)(?: to)?", "build"),
    (r"(?:help|helping) (?:out )?(?:with|on)", "build"),
    (r"deal(?:ing)? with", "build"),
    (r"sort(?:ing)? out", "build"),
    (r"handle", "build"),
    (r"do(?= (?:the|some|a bit of|more)\b)", "build"),
    (r"get (?:the |my |our )?\S+(?: \S+)? (?:working|done|sorted|going|moving|started)", "build"),
    (r"look(?:ing)? (?:into|at|over)", "investigate"),
    (r"(?:take|have) a (?:look|peek) at", "investigate"),
    (r"check(?:ing)? out", "investigate"),
    (r"explor(?:e|ing)", "investigate"),
    (r"investigat(?:e|ing)", "investigate"),
    (r"dig(?:ging)? into", "investigate"),
    (r"research(?:ing)?", "investigate"),
    (r"read(?:ing)? up on", "investigate"),
    (r"learn(?:ing)?(?: (?:more )?about| more)?", "investigate"),
    (r"figur(?:e|ing) out", "investigate"),
    (r"(?:get|gain|develop|build) (?:a )?(?:better |deeper )?understanding of", "investigate"),
    (r"understand(?:ing)?", "investigate"),
    (r"get up to speed (?:on|with)", "investigate"),
    (r"go(?:ing)? (?:through|over)", "investigate"),
    (r"play(?:ing)? (?:around )?with", "investigate"),
    (r"familiari[sz]e (?:myself|ourselves) with", "investigate"),
    (r"try out", "investigate"),
    (r"think(?:ing)? (?:about|through|on|over)", "decide"),
    (r"reflect(?:ing)? on", "decide"),
    (r"consider(?:ing)?", "decide"),
    (r"brainstorm(?:ing)?", "decide"),
    (r"revisit(?:ing)?", "decide"),
    (r"ponder", "decide"),
    (r"(?:spend|spending) (?:some |more )?time(?: on)?", "build"),
    (
        r"start(?:ing)? (?:thinking|looking|working|learning|exploring)(?: about| into| on| at)?",
        "build",
    ),
    (r"get(?:ting)? better at", "improve"),
    (r"(?:be|become|get|being) (?:more|less|better|a better|a more|an? \S+er)", "improve"),
    (r"(?:be|become)", "improve"),
    (r"improv(?:e|ing)", "improve"),
    (r"(?:make sure|ensure)", "improve"),
    (r"focus(?:ing)? (?:more |less )?on", "improve"),
    (r"focus more", "improve"),
    (r"keep(?:ing)?(?: up)?", "improve"),
    (r"stay(?:ing)?", "improve"),
    (r"develop(?:ing)? (?:my|our|your|the team's)", "improve"),
    (r"grow(?:ing)? (?:my|our)", "improve"),
    (r"strengthen(?:ing)?", "improve"),
    (
        r"build(?:ing)? (?:better |stronger |more )?(?:relationships|rapport|trust|connections)",
        "improve",
    ),
    (r"(?:educate|upskill) (?:myself|ourselves)", "investigate"),
    (r"(?:stud(?:y|ying)|learn(?:ing)?) (?:up )?(?:for|on)", "investigate"),
    (r"enhanc(?:e|ing)", "improve"),
    (r"optimi[sz](?:e|ing)", "improve"),
    (r"work(?:ing)? (?:harder|smarter)", "improve"),
]
_VAGUE_RE = [(re.compile(rf"^(?:{p})\b"), kind) for p, kind in _VAGUE_HEADS]

# Vague anywhere in the text, not only at the head ("spend an hour looking into ...").
_VAGUE_ANYWHERE = re.compile(
    r"\b(?:work(?:ing)? on|look(?:ing)? into|think(?:ing)? about|try to|make progress)\b"
)

# Verbs that are vague unless something observable comes with them.
_CONDITIONAL = re.compile(
    r"^(?:get|try|practi[cs]e|practi[cs]ing|do|make|clean(?: up)?|tidy(?: up)?|mentor|support"
    r"|help|assess|review(?: (?:and|&) \w+)?|reduce|increase|raise|cut|lower|grow|boost|develop"
    r"|manage|address|talk to|engage|prepare for|prep|reach out to|connect with|touch base"
    r"|follow up|delegate|own|drive|lead|plan|coordinate|prioriti[sz]e|align"
    r"|collaborate|network|study|communicate|handle|work with|participate|contribute|track|monitor|analy[sz]e"
    r"|evaluate|update|refine|polish|streamline|tackle|push|progress)\b"
)

# Heads that produce evidence on their own: something is sent, shown, released or logged.
_EVIDENCE_VERBS = re.compile(
    r"^(?:share|send|email|e-mail|post|publish|present|demo|show|submit|upload|announce|circulate"
    r"|report|record|log|file|open|merge|deploy|ship|launch|release|tag|deliver|hand|book"
    r"|schedule|invite|hire|sign|interview|call|survey|run|host|hold|pass|teach|walk|write down|write up"
    r"|list|distribute|print|archive|close|complete|finish|finali[sz]e|approve|decline|submit"
    r"|enrol|enroll|register|pay|order|buy|install|migrate|publish|commit|push|screenshot"
    r"|photograph|pilot|ask|request|email)\b"
)

_DELIVERABLES = re.compile(
    r"\b(?:doc|docs|document|documents|documentation page|report|reports|deck|slides?|prototype"
    r"|draft|drafts|memo|one-pager|one pager|one-page|page|pages|summary|summaries|notes|note"
    r"|table|spreadsheet|sheet|chart|charts|graph|diagram|flowchart|dashboard|pr|prs"
    r"|pull request|merge request|tickets?|bug report|plan|proposal|checklist|runbook|readme"
    r"|faq|guide|agenda|survey|results|list|post|blog post|article|video|recording|demo"
    r"|presentation|talk|abstract|release notes|release|feature|email|e-mail|message|invites?"
    r"|quote|quotes|contract|budget|case|self-review|review|certificate|log|screenshots?"
    r"|mock-?ups?|wireframes?|test plan|job ad|ad|landing page|components?|library|notebook"
    r"|tracker|register|roadmap|scorecard|handbook|minutes|write-?up|recap|update|newsletter"
    r"|brief|spec|specification|rfc|adr|template|playbook|questionnaire|poll|map|matrix"
    r"|comparison|estimate|forecast|analysis|model|script|ticket|issue|commit|branch|build"
    r"|fix|patch|pipeline|form|policy|sop|procedure|announcement|invoice|offer|letter|answer"
    r"|takeaways|findings|learnings|options|recommendation|decision|ratings?|scores?"
    r"|metrics|kpis?|timings?|counts?|numbers|figures|mape|before and after|before-and-after"
    r"|list|backlog item|items|portfolio|repo|repository|site|website|app|prd|okr doc|okrs?"
    r"|tests|test suite|pitch|mvp|poc|proof of concept|sketch(?:es)?|storyboard|personas?"
    r"|journey map|job description|changelog|infographic|benchmark|runbooks?|course certificate"
    r"|minutes|slide deck|walkthrough|screencast|loom|jira tickets?|pr description)\b"
)

_NUMBER = re.compile(
    r"(?<![\w-])(?:\d+(?:[.,:]\d+)?%?|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|fifteen|twenty|thirty|forty|fifty|hundred|dozen|twice|once|each|every|all|both|first"
    r"|one)(?![\w-])"
)
_NUMERIC_TARGET = re.compile(r"\b(?:to|by|below|under|above|over|from|at least|at most)\s+\d")

_VAGUE_OBJECTS = re.compile(
    r"^(?:(?:the|my|our|some|a|an|this|that|more|on)\s+)*(?:it|this|that|things?|stuff|progress"
    r"|something|everything|anything|more|bits?)\b(?!\s*(?:update|report|note|log|doc))"
)

# "more", "better" at the end turn an action into a wish ("delegate more").
_TRAILING_WISH = re.compile(r"\b(?:more|better|less|more often|properly|a lot)\s*$")

_DETERMINER = re.compile(r"^(?:the|a|an|my|our|your|their|his|her|some)\s+")
_CLAUSE_SPLIT = re.compile(
    r"\s*(?:;|,\s*(?:and\s+|then\s+)?|\s+and\s+(?:then\s+)?|\s+then\s+|\s+&\s+|\s+plus\s+)\s*"
)
_LEAD_PREPOSITION = re.compile(
    r"(?:\b(?:by|on|before|until|till|no later than|at|for|in|within|due|over|during|ahead of"
    r"|starting|from)"
    r"\s+)+$"
)
# Vague words that, on their own, say nothing about time.
_VAGUE_TIME = re.compile(
    r"\b(?:soon|asap|a\.s\.a\.p\.?|eventually|someday|some day|at some point|sometime|later"
    r"|in the future|when i have time|when i can|before the holidays|over time|ongoing"
    r"|going forward|from now on|regularly)\b"
)


@dataclass(frozen=True)
class _Clause:
    text: str
    head: str  # the vague phrase or verb found at the start, lower case ("" if none)
    vague_kind: str  # "build", "investigate", "decide", "improve", "hedge", "conditional" or ""
    rest: str  # the words after the vague phrase


@dataclass(frozen=True)
class _Reading:
    body: str  # the commitment without time expressions and lead-in, lower case
    original_body: str  # the same with the person's capitals
    clauses: list[_Clause]
    deadlines: list[Deadline]
    hedged: bool
    fixed: str  # the text as written, typos fixed


def _fix_typos(text: str) -> str:
    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        fixed = _TYPOS.get(word.lower())
        if fixed is None:
            return word
        return fixed.capitalize() if word[0].isupper() else fixed

    return re.sub(r"[A-Za-z]+", fix, text)


def _strip_deadlines(text: str, deadlines: list[Deadline]) -> str:
    """The text with every time expression (and the "by"/"on" before it) removed."""
    out = text
    for deadline in sorted(deadlines, key=lambda d: -d.start):
        before = out[: deadline.start]
        lead = _LEAD_PREPOSITION.search(before.lower())
        if lead is not None:
            before = before[: lead.start()]
        out = before + " " + out[deadline.end :]
    return out


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"(?:^[\s,;:.-]+|[\s,;:.!-]+$)", "", text)
    text = re.sub(r",\s*,", ",", text)
    return text.strip()


def _read_clause(text: str) -> _Clause:
    lowered = text.lower()
    kind_found = ""
    head_found = ""
    rest = lowered
    for _round in range(4):  # chains such as "try to keep working on improving ..."
        rest = _LEAD_IN.sub("", rest)
        hedge = _HEDGES.match(rest)
        if hedge is not None:
            head_found = head_found or hedge.group(0).strip()
            kind_found = kind_found or "hedge"
            rest = rest[hedge.end() :]
            continue
        for pattern, kind in _VAGUE_RE:
            m = pattern.match(rest)
            if m is not None:
                if not head_found or kind_found == "hedge":
                    head_found = m.group(0)
                    kind_found = kind
                rest = rest[m.end() :].lstrip()
                break
        else:
            break
    if not kind_found:
        conditional = _CONDITIONAL.match(rest)
        if conditional is not None:
            head_found, kind_found = conditional.group(0), "conditional"
    return _Clause(text=lowered, head=head_found, vague_kind=kind_found, rest=rest.strip())


def _read(text: str, today: date, next_session: date | None) -> _Reading:
    fixed = _fix_typos(text.strip()).replace(_MARK_OPEN, " ").replace(_MARK_CLOSE, " ")
    deadlines = find_deadlines(fixed, today, next_session)
    original_body = _tidy(_strip_deadlines(fixed, deadlines))
    original_body = _tidy(re.sub(_VAGUE_TIME.pattern, " ", original_body, flags=re.IGNORECASE))
    lead = _LEAD_IN.match(original_body.lower())
    if lead is not None:
        original_body = original_body[lead.end() :]
    body = original_body.lower()
    parts = [p for p in _CLAUSE_SPLIT.split(body) if p.strip()]
    clauses = [_read_clause(p) for p in parts] or [_read_clause("")]
    hedged = _HEDGE_ANYWHERE.search(fixed.lower()) is not None
    return _Reading(body, original_body, clauses, deadlines, hedged, fixed)


def _clause_evidence(clause: _Clause, *, first: bool) -> bool:
    """Does this clause produce something another person could see or count?"""
    if clause.vague_kind in {"build", "investigate", "decide", "improve"}:
        return False
    rest = clause.rest
    if first and _VAGUE_OBJECTS.match(_strip_head(rest)):
        return False
    if _EVIDENCE_VERBS.match(rest):
        return True
    obj = _strip_head(rest)
    return bool(_DELIVERABLES.search(obj) or _NUMBER.search(obj))


def _strip_head(rest: str) -> str:
    """The object: what comes after the first word (or two-word verb) of a clause."""
    m = re.match(r"^(?:write down|write up|hand over|set up|walk \w+ through|\S+)\s*", rest)
    return rest[m.end() :] if m is not None else rest


def _specific_problem(reading: _Reading, observable: bool) -> str | None:
    """The vague phrase to quote, or None when the commitment is specific."""
    first = reading.clauses[0]
    if first.vague_kind and first.vague_kind not in {"conditional", "hedge"}:
        return first.head
    if first.vague_kind == "hedge" or reading.hedged:
        m = _HEDGE_ANYWHERE.search(reading.body) or _HEDGES.match(first.text)
        return m.group(0).strip() if m is not None else first.head
    anywhere = _VAGUE_ANYWHERE.search(reading.body)
    if anywhere is not None:
        return anywhere.group(0)
    if first.vague_kind == "conditional":
        if re.match(r"^(?:reduce|increase|raise|cut|lower|grow|boost)\b", first.rest):
            if not _NUMERIC_TARGET.search(first.rest) and not observable:
                return first.head
        elif not observable:
            return first.head
    if first.rest and _VAGUE_OBJECTS.match(_strip_head(first.rest)) and len(reading.clauses) == 1:
        return "object:" + first.text
    if (wish := _TRAILING_WISH.search(reading.body)) and not observable:
        return wish.group(0)
    if not first.rest.strip():
        return "(nothing)"
    return None


def _deadline(reading: _Reading, due: date | None) -> tuple[date | None, bool, str]:
    """(the date it must be done by, whether any deadline was given, the words used)."""
    dated = [d for d in reading.deadlines if d.when is not None]
    session = [d for d in reading.deadlines if d.next_session]
    if due is not None:
        dated_days = [d.when for d in dated if d.when is not None]
        return max([due, *dated_days]), True, ""
    if dated:
        latest = max(dated, key=lambda d: d.when or date.min)
        return latest.when, True, latest.words
    if session:
        return None, True, session[0].words
    return None, False, ""


def default_deadline(today: date, next_session: date | None) -> date:
    """The date a rewrite proposes when none was given: the first Friday at least two days
    away, or the day of the next session when that comes sooner."""
    friday = today + timedelta(days=(4 - today.weekday()) % 7)
    if (friday - today).days < 2:
        friday += timedelta(days=7)
    if next_session is not None and today <= next_session < friday:
        return next_session
    return friday


def check_commitment(
    text: str,
    *,
    due: date | None = None,
    today: date | None = None,
    next_session: date | None = None,
    deliverable: str = "",
) -> CommitmentLint:
    """Check one commitment. Objective: say which of specific, observable and time-bound it
    is missing, with a plain message for each, and a rewrite in parts that names what only
    the writer can add.

    `due` is a deadline given outside the text (a form field or --due); `deliverable` is what
    others will see, given outside the text (a form field); `today` anchors relative dates
    ("by Friday", "within 5 days"; the system date when None); `next_session`, when known, is
    the latest acceptable deadline."""
    today = today or date.today()
    diagnosis = _diagnose(text, due, today, next_session, deliverable)
    rewrite = _rewrite(diagnosis, due, deliverable, today, next_session)
    return CommitmentLint(
        ok=not diagnosis.problems,
        problems=diagnosis.problems,
        suggestion=rewrite.text,
        deadline=diagnosis.when,
        rewrite=rewrite,
    )


@dataclass(frozen=True)
class _Diagnosis:
    reading: _Reading
    problems: list[Problem]
    when: date | None
    words: str
    late: bool


def _diagnose(
    text: str, due: date | None, today: date, next_session: date | None, deliverable: str = ""
) -> _Diagnosis:
    reading = _read(text, today, next_session)
    problems: list[Problem] = []

    shown = _names_a_thing(deliverable) or any(
        _clause_evidence(c, first=i == 0) for i, c in enumerate(reading.clauses)
    )
    observable = shown and not (
        len(reading.clauses) == 1 and _TRAILING_WISH.search(reading.body) is not None
    )
    vague = _specific_problem(reading, observable)
    if vague is not None:
        problems.append(Problem(NOT_SPECIFIC, _specific_message(vague)))
    if not observable:
        problems.append(
            Problem(
                NOT_OBSERVABLE,
                "Nobody could see that this is done: name what you will produce or show, such"
                " as a document, a demo, a message sent or a number of calls made.",
            )
        )

    when, given, words = _deadline(reading, due)
    late = False
    if not given:
        problems.append(
            Problem(
                NOT_TIME_BOUND,
                "Say when it will be done: add a date, such as 'by "
                f"{format_day(default_deadline(today, next_session), today)}'.",
            )
        )
    elif when is not None and when < today:
        problems.append(
            Problem(
                NOT_TIME_BOUND,
                f"The date ({format_day(when, today)}) has already passed; choose one from today"
                " on.",
            )
        )
    elif when is not None and next_session is not None and when > next_session:
        late = True
        problems.append(
            Problem(
                NOT_TIME_BOUND,
                f"The date ({format_day(when, today)}) is after the next session"
                f" ({format_day(next_session, today)}); pick a date on or before it, so the"
                " cohort can see it done.",
            )
        )
    return _Diagnosis(reading, problems, when, words, late)


def _names_a_thing(deliverable: str) -> bool:
    """Does a deliverable given outside the text name something others could see?"""
    words = _tidy(deliverable.lower())
    return bool(re.search(r"[a-z0-9]", words)) and _VAGUE_OBJECTS.match(words) is None


_SAY_WHAT = "Say what you will do: start with a verb, such as 'send', 'write' or 'finish'."


def _not_yet_an_action(goal: str) -> str:
    return (
        f"'{goal}' is a goal, not yet an action: what is one thing you will do towards it"
        " that others could see? Start with a verb, such as 'send', 'write' or 'run'."
    )


def _specific_message(phrase: str) -> str:
    if phrase.startswith("object:"):
        return (
            f"'{phrase[7:]}' does not name the thing itself: say which document, result or"
            " number you will share."
        )
    if phrase == "(nothing)":
        return _SAY_WHAT
    if re.match(
        r"^(?:try|attempt|aim|hope|maybe|perhaps|probably|possibly|hopefully|if|when|see|start to)",
        phrase,
    ):
        return (
            f"'{phrase}' leaves room for not doing it: say what you will do, so that everyone"
            " can tell when it is done."
        )
    if re.match(r"^(?:be|become|get better|getting better|being|more|better|less)\b", phrase):
        return (
            f"'{phrase}' describes a wish, not an action: name one thing you will do that shows it."
        )
    return (
        f"Say what you will do, not what you will {phrase}: '{phrase}' does not say when it"
        " is done."
    )


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


# --- the rewrite ------------------------------------------------------------------------
#
# A rewrite only ever removes words (hedges, fillers, vague time words, dates already past
# or after the next session) or puts one strong verb where a vague one was ("work on" ->
# "finish", "look into" -> "share what I learn about"). What only the writer knows — what
# they will do towards a goal, what others will see, the date — is never made up: it is
# named in `missing`, with a question the form asks.

# Marks a date kept from the text while the rest is rewritten, so that "Friday, 27 November"
# is never split at its comma; private-use characters, removed from the text first.
_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"
_MARK = re.compile(f"{_MARK_OPEN}(\\d+){_MARK_CLOSE}")

_HEDGE_WORDS = re.compile(
    r"(?:,\s*)?\b(?:try(?:ing)? to|try and|attempt(?:ing)? to|aim(?:ing)? to|hop(?:e|ing) to"
    r"|see (?:if|whether) (?:i|we) can|maybe|perhaps|probably|possibly|ideally"
    r"|hopefully(?: (?:done|finished|completed?|ready|sorted))?"
    r"|if (?:at all )?possible|if (?:i|we) can|if (?:i|we) have (?:the |some )?time"
    r"|when (?:i|we) have (?:the |some )?time|when (?:i|we) can"
    r"|if (?:i|we) get (?:the|a) chance|start(?:ing)? to)\b,?",
    re.IGNORECASE,
)
_VAGUE_TIME_ANY = re.compile(_VAGUE_TIME.pattern, re.IGNORECASE)
_LEAD_IN_ANY = re.compile(_LEAD_IN.pattern, re.IGNORECASE)
_CLAUSE_SPLIT_ANY = re.compile(_CLAUSE_SPLIT.pattern, re.IGNORECASE)
_VAGUE_AT = [(re.compile(rf"(?:{p})\b", re.IGNORECASE), kind) for p, kind in _VAGUE_HEADS]
_VAGUE_THING = re.compile(
    r"^(?:(?:the|my|our|some|a|an|this|that|all|any|more|little)\s+)*(?:it|this|that|things?"
    r"|stuff|progress|something|everything|anything|more|bits?|one)"
    r"(?:\s+(?:we|i|you|they)\s+(?:discussed|talked about|mentioned|said|agreed(?: on)?))?$",
    re.IGNORECASE,
)
_WH_WORD = re.compile(r"^(?:how|what|whether|which|who|when|where|why)\b", re.IGNORECASE)
_WEEKDAY_OR_MONTH = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|april"
    r"|june|july|august|september|october|november|december)(?='s\b|\b)",
    re.IGNORECASE,
)
# Inside a date's own words only: "may", "march", "sun" and "sat" are words too.
_DATE_NAMES = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|weds?|thu(?:rs?)?"
    r"|fri|sat|sun|january|february|march|april|may|june|july|august|september|october"
    r"|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b",
    re.IGNORECASE,
)
_DANGLING = re.compile(r"(?:^(?:and|then|or|plus|but)\b\s*|\s*\b(?:and|then|or|plus|but)$)", re.I)

ACTION = "action"
DELIVERABLE = "deliverable"
DUE = "due"
PARTS = (ACTION, DELIVERABLE, DUE)

DELIVERABLE_PROMPT = (
    "What will people see when it's done? Name it: a document, a message sent, a demo or a number."
)


@dataclass(frozen=True)
class Rewrite:
    """A rewrite in parts. `text` is a sentence the writer could send as it is; it is "" when
    what they will do is itself missing. `missing` names the parts only the writer can give
    ("action", "deliverable", "due"), and `prompts` the question to ask for each. With nothing
    missing, `text` passes the check on its own (given the same deliverable)."""

    text: str
    action: str  # what the writer will do, in their words, without the date
    deliverable: str  # what others will see, when given outside the text
    due: date | None  # the date the rewrite means, None when missing or unknown
    date_words: str  # the date as written ("by Friday"), "" when missing
    missing: tuple[str, ...] = ()
    prompts: tuple[tuple[str, str], ...] = ()

    @property
    def complete(self) -> bool:
        return not self.missing

    def prompt(self, part: str) -> str:
        """The question for a missing part ("" when that part is not missing)."""
        return dict(self.prompts).get(part, "")

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "parts": {
                ACTION: self.action,
                DELIVERABLE: self.deliverable,
                DUE: self.due.isoformat() if self.due else None,
                "date_words": self.date_words,
            },
            "missing": list(self.missing),
            "prompts": dict(self.prompts),
        }


def _valid(when: date | None, today: date, next_session: date | None) -> bool:
    return when is not None and today <= when and (next_session is None or when <= next_session)


def _capitalise_date_words(words: str) -> str:
    return _DATE_NAMES.sub(lambda m: m.group(0).capitalize(), words)


def _mask_dates(
    reading: _Reading, today: date, next_session: date | None
) -> tuple[str, list[Deadline]]:
    """The text with each date that can stay replaced by a mark (the words kept aside, with
    their "by"/"on") and each date already past or after the next session removed."""
    text = reading.fixed
    kept: list[Deadline] = []
    out: list[str] = []
    pos = 0
    for deadline in reading.deadlines:
        before = text[pos : deadline.start]
        lead = _LEAD_PREPOSITION.search(before.lower())
        cut = lead.start() if lead is not None else len(before)
        out.append(before[:cut])
        if deadline.when is None or _valid(deadline.when, today, next_session):
            words = _capitalise_date_words(before[cut:] + text[deadline.start : deadline.end])
            kept.append(replace(deadline, words=words))
            out.append(f"{_MARK_OPEN}{len(kept) - 1}{_MARK_CLOSE}")
        else:
            out.append(" ")
        pos = deadline.end
    out.append(text[pos:])
    return "".join(out), kept


def _clauses(text: str) -> list[tuple[str, str]]:
    """(the separator before it, the clause), in order."""
    pieces: list[tuple[str, str]] = []
    pos, separator = 0, ""
    for m in _CLAUSE_SPLIT_ANY.finditer(text):
        pieces.append((separator, text[pos : m.start()]))
        separator, pos = m.group(0), m.end()
    pieces.append((separator, text[pos:]))
    return [(s, c) for s, c in pieces if _MARK.sub("", c).strip(" ,.;")]


def _rewrite_clause(clause: str, me: str) -> tuple[str, str]:
    """(the clause with a strong verb where a vague one was, the writer's words when the
    clause is a goal, so that no verb can go there without inventing what they will do)."""
    lead = _LEAD_IN_ANY.match(clause)
    start = pos = lead.end() if lead is not None else 0
    chain: list[tuple[str, str]] = []
    for _round in range(4):  # "keep working on improving ..."
        for pattern, kind in _VAGUE_AT:
            m = pattern.match(clause, pos)
            if m is not None:
                chain.append((kind, m.group(0)))
                pos = m.end()
                while pos < len(clause) and clause[pos] == " ":
                    pos += 1
                break
        else:
            break
    if not chain:
        return clause, ""
    goal = _tidy(_MARK.sub("", clause[start:]))
    obj = clause[pos:].strip()
    thing = _tidy(_MARK.sub("", obj))
    kind, head = chain[0]
    low = head.lower()
    if any(k == "improve" for k, _h in chain) or re.match(
        r"^(?:help|work(?:ing)? towards?|do (?:some|a bit of|more)|stud|learn(?:ing)?(?: more)?$"
        r"|learn(?:ing)? (?:up )?(?:for|on)|(?:spend|spending) (?:some |more )?time$)",
        low,
    ):
        return clause, goal
    got = re.match(
        r"^get (?:(the|my|our) )?(.+?) (working|done|sorted|going|moving|started)$", head, re.I
    )
    if got is not None:
        if got.group(3).lower() not in {"working", "done", "sorted"}:
            return clause, goal
        verb = "finish" if got.group(3).lower() == "done" else "fix"
        det = f"{got.group(1)} " if got.group(1) else ""
        return f"{clause[:start]}{verb} {det}{got.group(2)} {obj}".rstrip(), ""
    if not thing or _VAGUE_THING.match(thing):
        return clause, "thing:" + goal
    started = re.match(r"^start(?:ing)? (thinking|looking|working|learning|exploring)", low)
    if started is not None:
        kind = {"thinking": "decide", "working": "build"}.get(started.group(1), "investigate")
    obj_bare = re.sub(r"^(?:about|on|into|at|with|in)\s+", "", obj, flags=re.I)
    if kind == "investigate":
        if re.match(r"^(?:try out|play|check)", low):
            phrase = f"try {obj} and share what {me} learn"
        else:
            phrase = f"share what {me} learn about {obj_bare}"
    elif kind == "decide":
        if low.startswith("reflect"):
            phrase = f"share what {me} learned from {obj_bare}"
        elif low.startswith("brainstorm"):
            phrase = f"list ideas {obj}" if obj != obj_bare else f"list {obj}"
        elif low.startswith("revisit"):
            phrase = f"revise {obj}"
        elif _WH_WORD.match(obj_bare):
            phrase = f"decide {obj_bare}"
        elif re.match(r"^if\b", obj_bare, re.I):
            phrase = f"decide whether{obj_bare[2:]}"
        else:
            phrase = f"decide on {obj_bare}"
    elif re.match(r"^(?:deal|sort|handle)", low):
        phrase = f"resolve {obj}"
    else:
        phrase = f"finish {obj}"
    return clause[:start] + phrase, ""


def _join(pieces: list[tuple[str, str]]) -> str:
    if not pieces:
        return ""
    text = pieces[0][1]
    for i, (separator, clause) in enumerate(pieces[1:], start=1):
        last = i == len(pieces) - 1
        if last and separator.strip() == ",":
            separator = " and "
        text += separator + clause
    return text


def _polish(text: str) -> str:
    """Spaces, dangling "and", capitals ("I", days and months, the first letter), one full
    stop."""
    text = _tidy(text)
    for _round in range(3):
        text = _tidy(_DANGLING.sub("", text))
    text = re.sub(r"\bi(?=\b|'[a-z])", "I", text)
    text = _WEEKDAY_OR_MONTH.sub(lambda m: m.group(0).capitalize(), text)
    text = re.sub(r"\b(\w+)(\s+\1\b)+", r"\1", text, flags=re.IGNORECASE)  # "the the"
    return _capitalise(text) + "." if text else ""


def _rewrite(
    diagnosis: _Diagnosis,
    due: date | None,
    deliverable: str,
    today: date,
    next_session: date | None,
) -> Rewrite:
    reading = diagnosis.reading
    masked, kept = _mask_dates(reading, today, next_session)
    masked = _HEDGE_WORDS.sub(" ", _VAGUE_TIME_ANY.sub(" ", masked))
    masked = _tidy(masked)
    lead = _LEAD_IN_ANY.match(masked)
    if lead is not None:
        masked = masked[lead.end() :]
    me = "we" if re.match(r"^\s*(?:we\b|we'|let's|let us)", reading.fixed, re.I) else "I"
    body, goals = masked, []
    if any(p.code == NOT_SPECIFIC for p in diagnosis.problems):
        rewritten = [(s, *_rewrite_clause(c, me)) for s, c in _clauses(masked)]
        # Goals at the start give way to the concrete steps after them ("be more structured
        # in 1:1s and send the agenda ahead"); a later one is left as written.
        first = 0
        while first < len(rewritten) and rewritten[first][2]:
            first += 1
        concrete = [(s, c) for s, c, _goal in rewritten[first:]]
        if concrete:
            body = _join(concrete)
        else:
            goals = [goal for _s, _c, goal in rewritten]
    marks = [int(i) for i in _MARK.findall(body)]
    if kept and not marks:  # the date was in a clause left out: keep it at the end
        marks = [len(kept) - 1]
        body = f"{body} {_MARK_OPEN}{marks[0]}{_MARK_CLOSE}"
    # The action is the sentence without its date, except a date used as a name
    # ("Tuesday's session"), which stays.
    action = _polish(
        _MARK.sub(
            lambda m: kept[int(m.group(1))].words if re.match(r"['’]s\b", body[m.end() :]) else " ",
            body,
        )
    ).rstrip(".")
    # The words of the date the check reads as the deadline: the latest.
    latest = max(marks, key=lambda i: (kept[i].when or date.min, i), default=None)
    date_words = kept[latest].words if latest is not None else ""
    if not marks and due is not None and _valid(due, today, next_session):
        date_words = f"by {format_day(due, today)}"
        body = f"{body} {date_words}"
    text = _polish(_MARK.sub(lambda m: kept[int(m.group(1))].words, body))

    again = _diagnose(text, None, today, next_session, deliverable)
    codes = {p.code for p in again.problems}
    filled = _diagnose(text, today, today, next_session, deliverable or "a written summary")
    missing: list[str] = []
    if goals or any(p.code == NOT_SPECIFIC for p in filled.problems):
        missing.append(ACTION)
    if NOT_OBSERVABLE in codes:
        missing.append(DELIVERABLE)
    if NOT_TIME_BOUND in codes:
        missing.append(DUE)
    prompts = tuple(
        (part, _prompt(part, diagnosis, again, goals, today, next_session)) for part in missing
    )
    return Rewrite(
        text="" if ACTION in missing else text,
        action="" if ACTION in missing else action,
        deliverable=deliverable.strip(),
        due=None if DUE in missing else again.when,
        date_words="" if DUE in missing else date_words,
        missing=tuple(missing),
        prompts=prompts,
    )


def _prompt(
    part: str,
    diagnosis: _Diagnosis,
    again: _Diagnosis,
    goals: list[str],
    today: date,
    next_session: date | None,
) -> str:
    if part == DELIVERABLE:
        return DELIVERABLE_PROMPT
    if part == DUE:
        limit = (
            f" on or before the next session ({format_day(next_session, today)})"
            if next_session is not None
            else ""
        )
        when = diagnosis.when
        if when is not None and when < today:
            return (
                f"The date you wrote ({format_day(when, today)}) has passed: when will it be"
                f" done? Give a date from today{limit}."
            )
        if diagnosis.late and when is not None:
            return (
                f"The date you wrote ({format_day(when, today)}) is after the next session: when"
                f" will it be done? Give a date{limit}."
            )
        return f"When will it be done? Give a date{limit}."
    goal = goals[0] if goals else ""
    if goal.startswith("thing:"):
        return (
            f"'{goal[6:]}' does not say what the thing is: name it, and what you will do with"
            " it, such as 'send the signed contract to legal'."
        )
    if goal:
        return _not_yet_an_action(goal)
    wish = again.reading.original_body
    if _TRAILING_WISH.search(wish.lower()):
        return _not_yet_an_action(_capitalise(wish))
    vague = next((p.message for p in again.problems if p.code == NOT_SPECIFIC), "")
    return vague or _SAY_WHAT
