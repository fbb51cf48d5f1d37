"""What goes into an item's `data` and body, and how a template goes back into a cohort.

A case study promoted from an experiment or a session report carries the source's fields in
`data` and a Markdown body drafted from them (the author edits the body before saving). A
template carries what its copy needs: an agenda's blocks, a charter's fields, an experiment
plan's fields. `check_data` is the one place that says what shape each kind of data has; the
web forms and the API both call it, so bad data gets the same clear message everywhere.

Copying a template into a cohort goes through the cohort's own rules: agenda blocks are fitted
to the session's length (as the agenda editor requires), a charter becomes a new version
through the charter form's validation, an experiment plan is saved through the experiment
form's validation. Each copy records a Reuse.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext, gettext_lazy

from cadre.accountability.models import Experiment
from cadre.cohorts.models import Charter, LearningFormat
from cadre.schedule.models import AgendaBlock, AgendaKind, Session, SessionReport

from .models import ItemKind, RepositoryItem, TemplateKind

MAX_BLOCKS = 20
CHARTER_FIELDS = ("mission", "weekly_hours", "learning_formats", "project_kinds", "norms")
EXPERIMENT_PLAN_FIELDS = ("title", "capability", "hypothesis", "plan", "measure", "baseline")
# The names of a template's fields, as its page shows them.
TEMPLATE_FIELD_LABELS = {
    "mission": gettext_lazy("Mission"),
    "weekly_hours": gettext_lazy("Weekly hours"),
    "learning_formats": gettext_lazy("Learning formats"),
    "project_kinds": gettext_lazy("Project kinds"),
    "norms": gettext_lazy("Norms"),
    "title": gettext_lazy("Title"),
    "capability": gettext_lazy("Capability"),
    "hypothesis": gettext_lazy("Hypothesis"),
    "plan": gettext_lazy("Plan"),
    "measure": gettext_lazy("Measure"),
    "baseline": gettext_lazy("Baseline"),
}
CASE_STUDY_LABELS = [
    ("capability", gettext_lazy("Capability")),
    ("skill", gettext_lazy("Skill")),
    ("hypothesis", gettext_lazy("Hypothesis")),
    ("plan", gettext_lazy("Plan")),
    ("measure", gettext_lazy("Measure")),
    ("baseline", gettext_lazy("Baseline")),
    ("result_data", gettext_lazy("Result data")),
    ("outcome", gettext_lazy("Outcome")),
    ("learnings", gettext_lazy("Learnings")),
    ("next_steps", gettext_lazy("Next steps")),
    ("starts_on", gettext_lazy("Started")),
    ("ends_on", gettext_lazy("Ended")),
    ("session", gettext_lazy("Session")),
    ("held_on", gettext_lazy("Held on")),
    ("what_worked", gettext_lazy("What worked")),
    ("what_did_not", gettext_lazy("What did not, and why")),
]


# --- case studies ---------------------------------------------------------------------------


def experiment_data(experiment: Experiment) -> dict[str, Any]:
    return {
        "source": "experiment",
        "title": experiment.title,
        "capability": experiment.capability,
        "skill": experiment.skill.name if experiment.skill else "",
        "hypothesis": experiment.hypothesis,
        "plan": experiment.plan,
        "measure": experiment.measure,
        "baseline": experiment.baseline,
        "result_data": experiment.result_data,
        "outcome": experiment.get_outcome_display(),
        "learnings": experiment.learnings,
        "next_steps": experiment.next_steps,
        "starts_on": experiment.starts_on.isoformat(),
        "ends_on": experiment.ends_on.isoformat(),
    }


def experiment_body(experiment: Experiment) -> str:
    """A first draft of the case study, in Markdown, from the experiment's own words."""
    parts = [
        f"**Capability:** {experiment.capability}",
        f"**Outcome:** {experiment.get_outcome_display()} "
        f"({experiment.starts_on:%d %b %Y} to {experiment.ends_on:%d %b %Y})",
        "## Hypothesis",
        experiment.hypothesis,
        "## What we did",
        experiment.plan,
        "## How we measured it",
        experiment.measure + (f" (baseline: {experiment.baseline})" if experiment.baseline else ""),
    ]
    for heading, text in [
        ("## Results", experiment.result_data),
        ("## What we learned", experiment.learnings),
        ("## Next steps", experiment.next_steps),
    ]:
        if text.strip():
            parts += [heading, text]
    return "\n\n".join(p.strip() for p in parts) + "\n"


def report_data(report: SessionReport) -> dict[str, Any]:
    session = report.session
    return {
        "source": "session_report",
        "session": session.label,
        "held_on": session.starts_at.date().isoformat(),
        "what_worked": report.what_worked,
        "what_did_not": report.what_did_not,
    }


def report_body(report: SessionReport) -> str:
    parts = [report.body.strip()]
    if report.what_worked.strip():
        parts += ["## What worked", report.what_worked.strip()]
    if report.what_did_not.strip():
        parts += ["## What did not, and why", report.what_did_not.strip()]
    return "\n\n".join(p for p in parts if p) + "\n"


def case_study_rows(data: dict[str, Any]) -> list[tuple[str, str]]:
    """The readable (label, value) rows of a case study's data, known fields first."""
    known = dict(CASE_STUDY_LABELS)
    rows = [(str(label), str(data[key])) for key, label in CASE_STUDY_LABELS if data.get(key)]
    rows += [
        (key.replace("_", " ").capitalize(), str(value))
        for key, value in data.items()
        if key not in known and key not in ("source", "title") and value not in ("", None)
    ]
    return rows


# --- templates from a cohort's own things ----------------------------------------------------


def agenda_data(session: Session) -> dict[str, Any]:
    blocks = session.agenda.order_by("order", "pk")
    return {"blocks": [{"kind": b.kind, "title": b.title, "minutes": b.minutes} for b in blocks]}


def charter_data(charter: Charter) -> dict[str, Any]:
    return {
        "mission": charter.mission,
        "weekly_hours": float(charter.weekly_hours),
        "learning_formats": list(charter.learning_formats),
        "project_kinds": charter.project_kinds,
        "norms": charter.norms,
    }


def experiment_plan_data(experiment: Experiment) -> dict[str, Any]:
    return {name: getattr(experiment, name) for name in EXPERIMENT_PLAN_FIELDS}


# --- what each kind of data must look like ---------------------------------------------------


def check_data(kind: str, template_kind: str, data: Any) -> dict[str, Any]:
    """`data` if it has the shape its kind needs; a ValidationError naming the place that is
    wrong otherwise."""
    if data in (None, ""):
        data = {}
    if not isinstance(data, dict):
        raise ValidationError(gettext("Structured data must be a JSON object ({...})."))
    if kind != ItemKind.TEMPLATE:
        return data
    if template_kind == TemplateKind.AGENDA:
        return {"blocks": _check_blocks(data)}
    if template_kind == TemplateKind.CHARTER:
        return _check_charter(data)
    if template_kind == TemplateKind.EXPERIMENT_PLAN:
        return _check_strings(data, EXPERIMENT_PLAN_FIELDS, required=("hypothesis", "plan"))
    raise ValidationError(gettext("Choose what kind of template this is."))


def _check_blocks(data: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = data.get("blocks")
    if not isinstance(blocks, list) or not blocks:
        raise ValidationError(
            gettext('An agenda template needs "blocks": a list of {"kind", "title", "minutes"}.')
        )
    if len(blocks) > MAX_BLOCKS:
        raise ValidationError(
            gettext("An agenda template has at most %(count)s blocks.") % {"count": MAX_BLOCKS}
        )
    clean = []
    for n, block in enumerate(blocks, start=1):
        if not isinstance(block, dict):
            raise ValidationError(
                gettext("Block %(n)s must be an object with kind, title and minutes.") % {"n": n}
            )
        kind = block.get("kind", AgendaKind.OTHER)
        if kind not in AgendaKind.values:
            raise ValidationError(
                gettext("Block %(n)s: kind must be one of %(kinds)s.")
                % {"n": n, "kinds": ", ".join(AgendaKind.values)}
            )
        title = str(block.get("title", "")).strip()
        if not title or len(title) > 120:
            raise ValidationError(
                gettext("Block %(n)s: give a title of 1 to 120 characters.") % {"n": n}
            )
        minutes = block.get("minutes")
        if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 480:
            raise ValidationError(
                gettext("Block %(n)s: minutes must be a whole number from 1 to 480.") % {"n": n}
            )
        clean.append({"kind": kind, "title": title, "minutes": minutes})
    return clean


def _check_strings(
    data: dict[str, Any], fields: tuple[str, ...], required: tuple[str, ...] = ()
) -> dict[str, Any]:
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ValidationError(
            gettext("Unknown field(s) %(unknown)s; use %(fields)s.")
            % {"unknown": ", ".join(unknown), "fields": ", ".join(fields)}
        )
    for name in fields:
        if name in data and not isinstance(data[name], str):
            raise ValidationError(gettext("%(name)s must be text.") % {"name": name})
    missing = [name for name in required if not str(data.get(name, "")).strip()]
    if missing:
        raise ValidationError(gettext("Fill in %(fields)s.") % {"fields": ", ".join(missing)})
    return {name: data[name] for name in fields if name in data}


def _check_charter(data: dict[str, Any]) -> dict[str, Any]:
    rest = {k: v for k, v in data.items() if k not in ("weekly_hours", "learning_formats")}
    clean = _check_strings(rest, ("mission", "project_kinds", "norms"), required=("mission",))
    unknown = sorted(set(data) - set(CHARTER_FIELDS))
    if unknown:
        raise ValidationError(
            gettext("Unknown field(s) %(unknown)s.") % {"unknown": ", ".join(unknown)}
        )
    if "weekly_hours" in data:
        try:
            hours = Decimal(str(data["weekly_hours"]))
        except InvalidOperation:
            hours = Decimal(-1)
        if not Decimal("0.5") <= hours <= Decimal("40"):
            raise ValidationError(gettext("weekly_hours must be a number from 0.5 to 40."))
        clean["weekly_hours"] = float(hours)
    if "learning_formats" in data:
        formats = data["learning_formats"]
        if not isinstance(formats, list) or any(f not in LearningFormat.values for f in formats):
            raise ValidationError(
                gettext("learning_formats must be a list of %(formats)s.")
                % {"formats": ", ".join(LearningFormat.values)}
            )
        clean["learning_formats"] = list(formats)
    return clean


# --- copying a template into a cohort --------------------------------------------------------


def fit_minutes(minutes: list[int], total: int) -> list[int]:
    """Scale block lengths to add up to exactly `total` (largest remainder), each at least 1
    minute, so a template written for 90 minutes fits a 60-minute session."""
    if sum(minutes) == total:
        return list(minutes)
    exact = [m * total / sum(minutes) for m in minutes]
    boxes = [max(1, int(x)) for x in exact]
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - int(exact[i])), i))
    i = 0
    while sum(boxes) < total:
        boxes[order[i % len(order)]] += 1
        i += 1
    while sum(boxes) > total:
        j = max(range(len(boxes)), key=lambda k: boxes[k])
        boxes[j] -= 1
    return boxes


def copy_agenda(item: RepositoryItem, session: Session, user: Any) -> list[AgendaBlock]:
    """Replace the session's agenda with the template's blocks, fitted to its length, and
    record the reuse; all or nothing."""
    blocks = _check_blocks(item.data)
    if len(blocks) > session.minutes:
        raise ValidationError(
            gettext(
                "The template has %(blocks)s blocks; a %(minutes)s-minute session "
                "cannot give each one a minute."
            )
            % {"blocks": len(blocks), "minutes": session.minutes}
        )
    minutes = fit_minutes([b["minutes"] for b in blocks], session.minutes)
    with transaction.atomic():
        session.agenda.all().delete()
        created = AgendaBlock.objects.bulk_create(
            AgendaBlock(session=session, order=n, kind=b["kind"], title=b["title"], minutes=m)
            for n, (b, m) in enumerate(zip(blocks, minutes, strict=True))
        )
        item.record_reuse(user, session.cohort, note=f"Agenda of {session.label}")
    return created


def charter_initial(item: RepositoryItem, previous: Charter | None) -> dict[str, Any]:
    """The charter form's starting values: the cohort's current charter with the template's
    fields over it."""
    from cadre.cohorts.forms import CharterForm

    initial = CharterForm.initial_from(previous) if previous is not None else {}
    for name in CHARTER_FIELDS:
        if name in item.data:
            initial[name] = item.data[name]
    initial["change_note"] = f"From the template “{item.title}”"[:200]
    return initial
