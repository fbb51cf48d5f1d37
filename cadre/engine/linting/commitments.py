"""The commitment check: is a commitment specific, observable and time-bound?

    result = check_commitment("work on the prototype", today=date(2026, 11, 24))
    result.ok          # False
    [p.code for p in result.problems]
    # ['not_specific', 'not_observable', 'not_time_bound']
    result.suggestion
    # 'Finish the first version of the prototype and share it with the cohort by Friday
    #  27 November.'

Rule-based and deterministic: the same text, due date, today and next session always give
the same result. The text is split into clauses ("and", commas, "then"); each clause is
judged by its first verb:

- not_specific: the first verb is vague ("work on", "look into", "think about", "explore",
  "improve", "be more", ...), hedged ("try to", "maybe", "hopefully"), or one that only
  means something with evidence attached ("get", "practise", "clean up", "do") and none is.
- not_observable: no clause with a non-vague verb produces something someone else could
  see: a deliverable ("doc", "deck", "PR", "notes"), an act of showing or sending ("share",
  "send", "present", "deploy"), or a number ("3 customers", "from 60% to 75%").
- not_time_bound: no deadline (in the text or `due`), a deadline already past, or one after
  `next_session` when that is known. Relative words are read against `today`.

The suggestion rewrites the commitment as "<strong verb> <deliverable> by <date>", keeping
the person's own words where it can; it always passes this same check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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
    fixed = _fix_typos(text.strip())
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
    return _Reading(body, original_body, clauses, deadlines, hedged)


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
    if _TRAILING_WISH.search(reading.body) and not observable:
        return _TRAILING_WISH.search(reading.body).group(0)  # type: ignore[union-attr]
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
) -> LintResult:
    """Check one commitment. Objective: say which of specific, observable and time-bound it
    is missing, with a plain message for each and a rewrite that passes.

    `due` is a deadline given outside the text (a form field or --due); `today` anchors
    relative dates ("by Friday", "within 5 days"; the system date when None); `next_session`,
    when known, is the latest acceptable deadline."""
    today = today or date.today()
    diagnosis = _diagnose(text, due, today, next_session)
    problems = diagnosis.problems
    codes = {p.code for p in problems}
    suggestion = ""
    if not problems:
        suggestion = _finish(
            _capitalise(diagnosis.reading.original_body),
            diagnosis.when,
            diagnosis.words,
            today,
            next_session,
        )
    if not suggestion or not _passes(suggestion, today, next_session):
        suggestion = _rewrite(diagnosis, codes, today, next_session)
    return LintResult(ok=not problems, problems=problems, suggestion=suggestion)


@dataclass(frozen=True)
class _Diagnosis:
    reading: _Reading
    problems: list[Problem]
    when: date | None
    words: str
    late: bool


def _diagnose(text: str, due: date | None, today: date, next_session: date | None) -> _Diagnosis:
    reading = _read(text, today, next_session)
    problems: list[Problem] = []

    observable = any(
        _clause_evidence(c, first=i == 0) for i, c in enumerate(reading.clauses)
    ) and not (len(reading.clauses) == 1 and _TRAILING_WISH.search(reading.body) is not None)
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


def _specific_message(phrase: str) -> str:
    if phrase.startswith("object:"):
        return (
            f"'{phrase[7:]}' does not name the thing itself: say which document, result or"
            " number you will share."
        )
    if phrase == "(nothing)":
        return "Say what you will do: start with a verb, such as 'send', 'write' or 'finish'."
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


def _date_words(
    when: date | None, words: str, today: date, next_session: date | None, late: bool
) -> str:
    if when is None or late or when < today:
        if words and not late and when is None:
            return words.strip()  # "before the next session" with no date known
        return "by " + format_day(default_deadline(today, next_session), today)
    return "by " + format_day(when, today)


def _finish(
    body: str, when: date | None, words: str, today: date, next_session: date | None
) -> str:
    return f"{_tidy(body)} {_date_words(when, words, today, next_session, False)}."


def _passes(suggestion: str, today: date, next_session: date | None) -> bool:
    return not _diagnose(suggestion, None, today, next_session).problems


_GENERIC_OBJECT = re.compile(r"^(?:it|this|that|things?|stuff|more|the thing.*|something.*)?$")


def _original(reading: _Reading, fragment: str) -> str:
    """The person's own capitals for a lower-cased fragment of the body."""
    start = reading.body.find(fragment) if fragment else -1
    if start < 0:
        return fragment
    return reading.original_body[start : start + len(fragment)]


def _object_words(reading: _Reading) -> str:
    """The person's own words for what the commitment is about, with the vague verb (and
    any trailing wish such as "more") removed."""
    first = reading.clauses[0]
    rest = first.rest
    if first.vague_kind == "conditional":
        rest = _strip_head(rest)
    words = _original(reading, rest)
    words = _TRAILING_WISH.sub("", words)
    words = re.sub(r"^(?:improving|developing|learning|exploring|understanding)\s+", "", words)
    words = re.sub(r"\b(?:a bit|a little|some)\s*$", "", words)
    return _tidy(words)


_KIND_BY_HEAD = [
    (re.compile(r"^(?:continu|keep(?:ing)? (?:working|going)|carry on)"), "continue"),
    (re.compile(r"^(?:deal|sort|handle)"), "resolve"),
    (re.compile(r"^reflect"), "reflect"),
    (re.compile(r"^work(?:ing)? towards?"), "improve"),
]


def _rewrite(diagnosis: _Diagnosis, codes: set[str], today: date, next_session: date | None) -> str:
    reading = diagnosis.reading
    first = reading.clauses[0]
    obj = _object_words(reading)
    date_words = _date_words(diagnosis.when, diagnosis.words, today, next_session, diagnosis.late)
    body = _capitalise(_tidy(reading.original_body))
    candidates: list[str] = []
    if NOT_SPECIFIC not in codes and NOT_OBSERVABLE not in codes:
        candidates.append(body)
    elif NOT_SPECIFIC not in codes:
        candidates.append(f"{body} and share a short note on the result with the cohort")
    elif first.vague_kind == "hedge" and NOT_OBSERVABLE not in codes:
        candidates.append(_capitalise(_original(reading, first.rest)))
    kind = first.vague_kind
    for pattern, special in _KIND_BY_HEAD:
        if pattern.match(first.head):
            kind = special
    if kind in {"build", "continue", "resolve", "hedge", ""} and re.search(
        r"\b(?:skills?|habits?|confidence|mindset|my \w+ing|at)\b", obj.lower()
    ):
        kind = "improve"
    if kind == "" and _VAGUE_OBJECTS.match(_strip_head(first.rest)):
        candidates.append(
            "Post a short update on what is done, what remains and any blockers in the cohort"
            " channel"
        )
    if kind in {"conditional", "hedge"}:
        rest = _original(reading, first.rest)
        candidates.append(
            f"{_capitalise(rest)} and share a short note on the result with the cohort"
        )
    if not _GENERIC_OBJECT.match(obj.lower()):
        if kind == "investigate":
            candidates.append(
                f"Write a one-page summary of what you found out about {obj} and share it with"
                " the cohort"
            )
        elif kind == "decide":
            candidates.append(
                f"Write down three options for {obj}, pick one, and share the choice with the"
                " cohort"
            )
        elif kind == "reflect":
            candidates.append(f"Write down three lessons from {obj} and share them with the cohort")
        elif kind == "resolve":
            candidates.append(
                f"Resolve {obj} and share a short note on what you did with the cohort"
            )
        elif kind == "continue":
            candidates.append(f"Finish the next part of {obj} and share it with the cohort")
        elif kind == "improve":
            phrase = _original(reading, first.text).strip()
            phrase = re.sub(
                r"^(?:(?:work(?:ing)? on|try to|try and|focus(?:ing)? on|maybe|hopefully)\s+)+",
                "",
                phrase,
                flags=re.I,
            )
            phrase = _TRAILING_WISH.sub("", phrase).strip()
            if (
                not phrase
                or _VAGUE_ANYWHERE.search(phrase.lower())
                or not any(pattern.match(phrase.lower()) for pattern, _kind in _VAGUE_RE)
            ):
                phrase = f"improve {obj}"
            phrase = phrase[:1].lower() + phrase[1:]
            candidates.append(
                f"Write down one concrete step to {phrase}, take it, and share what changed"
                " with the cohort"
            )
        else:
            candidates.append(f"Finish the first version of {obj} and share it with the cohort")
    candidates.append("Write down your next step, take it, and share the result with the cohort")
    for candidate in candidates:
        suggestion = f"{_tidy(candidate)} {date_words}."
        if _passes(suggestion, today, next_session):
            return suggestion
    return f"Write down your next step, take it, and share the result with the cohort {date_words}."
