"""A cohort's data for its hosts and the network's organizers, as JSON (the spreadsheets a
host reads are cadre.transfer.sheets, made from the same rules).

An export holds, for each kind of record, exactly the rows its reader may open on Cadre's
pages, because it asks the same rules: READABLE gives every exported model the rule its
pages apply (from the apps' policy modules or the model's own QuerySet), and nothing else
decides. A model that can be reached from a cohort but has no rule there is left out (deny
by default); LEFT_OUT says why a model is left out on purpose, and a test fails when a model
is in neither. Peer assessments leave only in the form the pages show them (DERIVED: the
growth table, peer scores as means of at least two peers, no assessor, no note).

A reference to a row of the cohort that the reader may not open (a journal entry tied to
someone's private commitment, feedback given in a coaching session they did not sit in) is
blanked, so an id says nothing the pages would not. People appear by id and name only.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from cadre.accountability.models import Blocker, Commitment
from cadre.accountability.policy import can_view_board
from cadre.coaching.policy import visible_coaching_sessions, visible_feedback
from cadre.cohorts.policy import can_close_cohort, can_view_cohort
from cadre.conversation.policy import visible_comments, visible_reactions
from cadre.diagnostics.analysis import growth_table
from cadre.diagnostics.policy import can_view_diagnostics
from cadre.health.policy import can_view_cohort_health
from cadre.journal.policy import visible_journal_entries
from cadre.metrics.policy import can_view_builtin_metrics, visible_cohort_metrics
from cadre.repository.policy import visible_repository_items, visible_reuses
from cadre.schedule.policy import can_view_session, visible_session_reports
from cadre.transfer.graph import USER, cohort_models, related_label
from cadre.transfer.transfer import _serialize

# (reader, cohort, the model's rows of the cohort) -> the rows the reader may open.
Rule = Callable[[Any, Any, QuerySet[Any]], QuerySet[Any]]


def _gate(check: Callable[[Any, Any], bool]) -> Rule:
    """Every row, for readers who pass the page's gate; none for the others."""

    def rule(reader: Any, cohort: Any, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows if check(reader, cohort) else rows.none()

    return rule


def _board(keep: Callable[[Any, QuerySet[Any]], QuerySet[Any]]) -> Rule:
    """The cohort's board (can_view_board), then the rows its pages show the reader."""

    def rule(reader: Any, cohort: Any, rows: QuerySet[Any]) -> QuerySet[Any]:
        return keep(reader, rows) if can_view_board(reader, cohort) else rows.none()

    return rule


@runtime_checkable
class _OwnRule(Protocol):
    """A model's QuerySet that knows which of its rows a person may see (accountability's)."""

    def visible_to(self, user: Any) -> QuerySet[Any]: ...


def _visible_to(reader: Any, rows: QuerySet[Any]) -> QuerySet[Any]:
    """The rows the model's own QuerySet shows `reader` (its `visible_to`)."""
    assert isinstance(rows, _OwnRule), f"{rows.model._meta.label} has no visible_to"
    return rows.visible_to(reader)


def _within(visible: Callable[[Any, Any], QuerySet[Any]], through: str = "pk") -> Rule:
    """The rows whose `through` (the row itself, or what it hangs off) is in `visible`."""

    def rule(reader: Any, cohort: Any, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.filter(**{f"{through}__in": visible(reader, cohort).values("pk")})

    return rule


def _journal(reader: Any, cohort: Any) -> QuerySet[Any]:
    return visible_journal_entries(reader, cohort.network)


def _library(reader: Any, cohort: Any) -> QuerySet[Any]:
    return visible_repository_items(reader, None)


def _reuses(reader: Any, cohort: Any) -> QuerySet[Any]:
    return visible_reuses(reader)


READABLE: dict[str, Rule] = {
    # The cohort page, its charter history and the coaching rotation page.
    "cohorts.Cohort": _gate(can_view_cohort),
    "cohorts.Charter": _gate(can_view_cohort),
    "cohorts.CohortMembership": _gate(can_view_cohort),
    "cohorts.CharterAcknowledgement": _gate(can_view_cohort),
    # Who left and who took their seat: the close page (hosts and organizers).
    "cohorts.Turnover": _gate(can_close_cohort),
    "rotations.CoachingRound": _gate(can_view_cohort),
    "rotations.CoachingGroup": _gate(can_view_cohort),
    "rotations.CoachingSeat": _gate(can_view_cohort),
    # The schedule page lists sessions, roles and absences; a session's page the rest.
    "schedule.CohortSchedule": _gate(can_view_cohort),
    "schedule.Session": _gate(can_view_cohort),
    "schedule.RoleAssignment": _gate(can_view_cohort),
    "schedule.Absence": _gate(can_view_cohort),
    "schedule.AgendaBlock": _gate(can_view_session),
    "schedule.Attendance": _gate(can_view_session),
    "schedule.SessionNote": _gate(can_view_session),
    "schedule.SessionReport": _within(visible_session_reports),
    "schedule.Holiday": _gate(can_view_cohort),
    "schedule.RoleSwap": _gate(can_view_cohort),
    # The programme week a session follows shows on the session's page.
    "programmes.SessionWeek": _gate(can_view_session),
    # The board: a private commitment or experiment, and what hangs off it, for its owner.
    "accountability.Commitment": _board(_visible_to),
    "accountability.Experiment": _board(_visible_to),
    "accountability.ProgressUpdate": _board(_visible_to),
    "accountability.Blocker": _board(_visible_to),
    "accountability.Kudos": _board(
        lambda reader, rows: rows.filter(commitment__in=Commitment.objects.visible_to(reader))
    ),
    "accountability.HelpOffer": _board(
        lambda reader, rows: rows.filter(blocker__in=Blocker.objects.visible_to(reader))
    ),
    # Coaching content is for the people in the session; feedback as its receiver says.
    "coaching.CoachingSession": _within(visible_coaching_sessions),
    "coaching.Feedback": _within(visible_feedback),
    "diagnostics.TargetSkill": _gate(can_view_diagnostics),
    "diagnostics.AssessmentRound": _gate(can_view_diagnostics),
    "health.CohortHealth": _gate(can_view_cohort_health),
    "metrics.Metric": _within(visible_cohort_metrics),
    "metrics.Observation": _within(visible_cohort_metrics, "metric"),
    "metrics.MetricReporter": _gate(can_view_builtin_metrics),
    "journal.JournalEntry": _within(_journal),
    "journal.JournalTag": _within(_journal, "entry"),
    "repository.RepositoryItem": _within(_library),
    "repository.Reuse": _within(_reuses),
    # What was said about an item, and reactions, for exactly the item's readers.
    "conversation.Comment": _within(visible_comments),
    "conversation.Reaction": _within(visible_reactions),
}

# Models reachable from a cohort that the export leaves out on purpose, and why.
LEFT_OUT: dict[str, str] = {
    "cohorts.MembershipPeriod": (
        "the dates of a member's earlier spell in the cohort, shown to organizers on Manage "
        "members; the membership itself is exported"
    ),
    "cohorts.SurveyAnswer": (
        "one member's answer to the end-of-cohort survey, read by that member; the close page "
        "shows hosts and organizers totals and unnamed written answers"
    ),
    "formation.Intake": (
        "the intake opened after the cohort (and what hangs off it): intakes are the "
        "network's, in the network export"
    ),
    "formation.Application": "an applicant's answer to an intake, the network's",
    "formation.FormationRun": "a formation run of an intake, the network's",
    "formation.WaitlistEntry": "a place on an intake's waitlist, the network's",
    "schedule.PreviousAgenda": (
        "the agenda a replacement took the place of, kept only so it can be put back; "
        "the session's agenda itself is exported"
    ),
    "diagnostics.Assessment": (
        "each row names who gave a peer score and their note, which no page shows; "
        "the export holds the growth table instead (DERIVED)"
    ),
    "pairings.MeetingCheck": (
        'one person\'s answer to "did you meet?" and their note, read by that person; the '
        "cohort's pages show only counts of meetings that happened"
    ),
}

# Tables made from records that the pages show only in this form: name -> rows for reader.
DERIVED: dict[str, Callable[[Any, Any], list[dict[str, Any]]]] = {
    "diagnostics.growth": growth_table,
}
DERIVED_PEOPLE = ("subject",)  # the columns of derived tables that name people


def _relations(model: type[models.Model]) -> list[tuple[models.Field[Any, Any], str]]:
    """(field, target label) for the foreign keys and many-to-many fields of `model`."""
    return [
        (f, related_label(f))
        for f in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if f.is_relation and f.related_model is not None
    ]


def export_cohort(cohort: Any, reader: Any) -> dict[str, Any]:
    """What `reader` may read of the cohort: {"cohort": ..., "people": [...], "tables": {label:
    rows}}. Callers check can_export_cohort first; this only decides which rows."""
    kept: dict[str, list[dict[str, Any]]] = {}
    hidden: dict[str, set[Any]] = {}
    exported: list[type[models.Model]] = []
    for owned in cohort_models():
        rule = READABLE.get(owned.label)
        if rule is None:
            continue  # deny by default: a model without a rule is not exported
        model = owned.model
        lookup = {owned.lookup: cohort} if owned.lookup else {"pk": cohort.pk}
        rows = model._default_manager.filter(**lookup)
        readable = rule(reader, cohort, rows).values("pk")
        hidden[owned.label] = set(rows.exclude(pk__in=readable).values_list("pk", flat=True))
        chosen = model._default_manager.filter(pk__in=readable).order_by("pk")
        kept[owned.label] = [{"id": row["pk"], **row["fields"]} for row in _serialize(chosen)]
        exported.append(model)

    people: set[Any] = set()
    for model in exported:
        links = _relations(model)
        for row in kept[model._meta.label]:
            for f, target in links:
                value = row.get(f.name)
                blanked = hidden.get(target, set())
                if isinstance(value, list):
                    row[f.name] = value = [v for v in value if v not in blanked]
                elif value in blanked:
                    row[f.name] = value = None
                if target == USER:
                    people.update(value if isinstance(value, list) else [value])
    tables: dict[str, list[dict[str, Any]]] = dict(kept)
    for name, make in DERIVED.items():
        tables[name] = make(reader, cohort)
        people.update(row[column] for row in tables[name] for column in DERIVED_PEOPLE)
    people.discard(None)

    user_model = apps.get_model(USER)
    return {
        "format": "cadre-cohort-export",
        "version": 2,
        "exported_at": timezone.now().isoformat(),
        "cohort": {"network": cohort.network.slug, "slug": cohort.slug, "name": cohort.name},
        "people": [
            {"id": pk, "name": name}
            for pk, name in user_model._default_manager.filter(pk__in=people)
            .order_by("pk")
            .values_list("pk", "name")
        ],
        "tables": tables,
    }


def as_json(document: dict[str, Any]) -> str:
    return json.dumps(document, cls=DjangoJSONEncoder, indent=1)
