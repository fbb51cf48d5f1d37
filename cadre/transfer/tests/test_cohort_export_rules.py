"""A cohort's export holds, for every model, exactly the rows its reader may open on the pages.

Rows of every visibility are seeded for every exported model, each with canary text where it
has text. For each reader who may export (host, organizer, admin), the ids in the export are
compared with the rows that reader can open, found through the pages where a row has a page
of its own and through the instance checks of the apps' policy modules otherwise; then no canary
of a refused row may appear in the JSON, the CSV zip or the API's document."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from cadre.accountability.models import (
    Blocker,
    Commitment,
    Experiment,
    HelpOffer,
    Kudos,
    ProgressUpdate,
)
from cadre.accountability.policy import can_view_board
from cadre.coaching.models import CoachingSession, Feedback
from cadre.cohorts.models import CharterAcknowledgement, Turnover
from cadre.cohorts.policy import can_close_cohort, can_view_cohort, is_cohort_member
from cadre.conversation.models import Comment, Reaction
from cadre.diagnostics.models import Assessment, AssessmentRound, TargetSkill
from cadre.diagnostics.policy import can_view_diagnostics
from cadre.health.models import CohortHealth
from cadre.health.policy import can_view_cohort_health
from cadre.journal.models import JournalEntry, JournalTag
from cadre.metrics.models import Metric, MetricReporter, Observation
from cadre.metrics.policy import can_view_builtin_metrics, can_view_metric
from cadre.networks.models import Skill
from cadre.networks.policy import forget
from cadre.repository.models import RepositoryItem, Reuse
from cadre.rotations.models import CoachingGroup, CoachingRound, CoachingSeat
from cadre.schedule.models import (
    Absence,
    AgendaBlock,
    Attendance,
    CohortSchedule,
    Holiday,
    RoleAssignment,
    RoleSwap,
    Session,
    SessionNote,
    SessionReport,
)
from cadre.schedule.policy import can_view_session
from cadre.transfer import cohort as export
from cadre.transfer.graph import cohort_models

PAGE = "/n/northwind/c/reliability/export/"
API = "/api/v1/networks/northwind/cohorts/reliability/export"
READERS = ["host", "organizer", "admin"]

_SUBJECTS = {
    ProgressUpdate: "update",
    Blocker: "blocker",
    Experiment: "experiment",
    SessionReport: "report",
}


@dataclass
class Seeded:
    rows: dict[str, list[Any]] = field(default_factory=dict)
    canaries: dict[tuple[str, Any], str] = field(default_factory=dict)

    def add(self, obj: Any, canary_field: str | None = None) -> Any:
        label = obj._meta.label
        if canary_field is not None:
            canary = f"CANARY-{label.replace('.', '-')}-{obj.pk}"
            type(obj).objects.filter(pk=obj.pk).update(**{canary_field: canary})
            self.canaries[(label, obj.pk)] = canary
        self.rows.setdefault(label, []).append(obj)
        return obj


@pytest.fixture
def seeded(cast: Any) -> Seeded:
    """Rows of every exported model, readable and unreadable by each reader."""
    s = Seeded()
    c, net = cast.cohort, cast.network
    host, member, peer = cast.host, cast.member, cast.newcomer
    now = timezone.now()
    skill = Skill.objects.filter(network=net).order_by("pk").first()
    assert skill is not None, "the cast's network has skills"

    s.add(c)
    for charter in c.charters.all():
        s.add(charter, "norms")
    for membership in c.memberships.all():
        s.add(membership, "learning_statement")
    s.add(CharterAcknowledgement.objects.create(charter=c.charters.get(), user=member))
    s.add(Turnover.objects.create(cohort=c, left=peer, joined=member, on=c.today()))
    s.add(CohortSchedule.objects.create(cohort=c))
    held = s.add(Session.objects.create(cohort=c, starts_at=now - timedelta(days=2)), "title")
    later = s.add(Session.objects.create(cohort=c, starts_at=now + timedelta(days=5)), "title")
    s.add(RoleAssignment.objects.create(session=held, user=member, role="note-taker"))
    s.add(Absence.objects.create(session=later, user=member), "note")
    s.add(
        Holiday.objects.create(network=net, cohort=c, on=now.date() + timedelta(days=9), name="h"),
        "name",
    )
    s.add(RoleSwap.objects.create(session=later, role="note-taker", asked_by=member, partner=host))
    from cadre.programmes.models import Programme, ProgrammeWeek, SessionWeek

    programme = Programme.objects.create(network=net, title="p")
    week = ProgrammeWeek.objects.create(programme=programme, number=1, theme="t")
    s.add(SessionWeek.objects.create(session=later, week=week))
    s.add(AgendaBlock.objects.create(session=held, title="t", minutes=30), "title")
    s.add(Attendance.objects.create(session=held, user=member, status="present"))
    s.add(SessionNote.objects.create(session=held, author=member, text="t"), "text")
    s.add(SessionReport.objects.create(session=held), "body")  # a draft
    s.add(
        SessionReport.objects.create(
            session=later, status="published", share_with_network=True, published_at=now
        ),
        "body",
    )
    coaching_round = s.add(CoachingRound.objects.create(cohort=c, number=1, starts_on=now.date()))
    group = s.add(CoachingGroup.objects.create(round=coaching_round, index=0))
    s.add(CoachingSeat.objects.create(group=group, user=member, role="coach"))
    s.add(CoachingSeat.objects.create(group=group, user=peer, role="coachee"))

    shared = s.add(Commitment.objects.create(cohort=c, owner=member, text="t"), "text")
    secret = s.add(
        Commitment.objects.create(
            cohort=c, owner=member, text="t", visibility="private", status="done"
        ),
        "text",
    )
    hosts_own = s.add(
        Commitment.objects.create(cohort=c, owner=host, text="t", visibility="private"), "text"
    )
    day = now.date()
    for owner, visibility in ((member, "cohort"), (member, "private"), (host, "private")):
        s.add(
            Experiment.objects.create(
                cohort=c,
                owner=owner,
                title="t",
                capability="c",
                hypothesis="h",
                plan="p",
                starts_on=day,
                ends_on=day + timedelta(days=14),
                measure="m",
                visibility=visibility,
            ),
            "hypothesis",
        )
    for about in (shared, secret, hosts_own, None):
        author = about.owner if about else peer
        update = s.add(
            ProgressUpdate.objects.create(cohort=c, author=author, commitment=about), "done"
        )
        blocker = s.add(Blocker.objects.create(update=update, text="t"), "text")
        helper = peer if author != peer else member
        s.add(HelpOffer.objects.create(blocker=blocker, helper=helper), "message")
    s.add(Kudos.objects.create(commitment=shared, giver=host))
    s.add(Kudos.objects.create(commitment=secret, giver=peer))

    theirs = s.add(
        CoachingSession.objects.create(cohort=c, coachee=member, coach=peer, focus="f"), "notes"
    )
    s.add(
        CoachingSession.objects.create(
            cohort=c, coachee=host, coach=member, observer=peer, focus="f"
        ),
        "observer_notes",
    )
    s.add(
        Feedback.objects.create(cohort=c, giver=member, receiver=peer, behaviour="b"), "behaviour"
    )
    told = s.add(
        Feedback.objects.create(
            cohort=c,
            giver=peer,
            receiver=member,
            behaviour="b",
            visibility="shared",
            coaching_session=theirs,
        ),
        "behaviour",
    )
    told.shared_with.add(host)
    s.add(
        Feedback.objects.create(
            cohort=c, giver=peer, receiver=member, behaviour="b", visibility="cohort"
        ),
        "impact",
    )
    s.add(Feedback.objects.create(cohort=c, giver=host, receiver=peer, behaviour="b"), "suggestion")

    s.add(TargetSkill.objects.create(cohort=c, skill=skill, target_level=3))
    s.add(AssessmentRound.objects.create(cohort=c, number=1, label="Start", opens_on=day), "label")
    s.add(CohortHealth.objects.create(cohort=c, network=net, main_function="CANARY-health"))
    metric = s.add(
        Metric.objects.create(
            network=net, cohort=c, name="t", unit="days", direction="lower", target=Decimal(3)
        ),
        "description",
    )
    s.add(
        Observation.objects.create(
            metric=metric, value=Decimal(4), observed_on=day, recorded_by=member
        ),
        "note",
    )
    s.add(MetricReporter.objects.create(network=net, cohort=c, user=cast.other_cohort_member))

    entries = []
    for author, visibility in (
        (member, "private"),
        (member, "cohort"),
        (member, "network"),
        (peer, "private"),
        (host, "private"),
    ):
        entry = s.add(
            JournalEntry.objects.create(
                network=net, author=author, cohort=c, title="t", body="b", visibility=visibility
            ),
            "body",
        )
        s.add(JournalTag.objects.create(entry=entry, name=f"tag-{entry.pk}"), "name")
        entries.append(entry)
    entries[1].commitment = secret  # a readable entry tied to a private commitment
    entries[1].save()
    entries[3].shared_with.add(host)

    for visibility in ("network", "partners", "public"):
        s.add(
            RepositoryItem.objects.create(
                network=net,
                kind="learning",
                title="t",
                author=member,
                origin_cohort=c,
                visibility=visibility,
            ),
            "body",
        )
    ours = s.rows["repository.RepositoryItem"][0]
    elsewhere = RepositoryItem.objects.create(
        network=cast.other_network, kind="learning", title="t", visibility="network"
    )
    s.add(Reuse.objects.create(item=ours, user=member, cohort=c), "note")
    s.add(Reuse.objects.create(item=elsewhere, user=member, cohort=c), "note")
    # What was said about the board's items and the reports, and reactions to it.
    talked_about = [
        *s.rows["accountability.ProgressUpdate"],
        *s.rows["accountability.Blocker"],
        *s.rows["accountability.Experiment"],
        *s.rows["schedule.SessionReport"],
    ]
    for item in talked_about:
        subject = _SUBJECTS[type(item)]
        cohort_id = (
            item.update.cohort_id
            if subject == "blocker"
            else (item.session.cohort_id if subject == "report" else item.cohort_id)
        )
        comment = s.add(
            Comment.objects.create(cohort_id=cohort_id, author=member, body="b", **{subject: item}),
            "body",
        )
        s.add(
            Reaction.objects.create(cohort_id=cohort_id, user=host, kind="tada", **{subject: item})
        )
        s.add(Reaction.objects.create(cohort_id=cohort_id, user=host, kind="bulb", comment=comment))
    return s


# --- what each reader may open, asked of the pages or of the instance checks -------------

Oracle = Callable[[Any, Any, Any], bool]  # (client signed in as the reader, reader, row)


def _page(url: Callable[[Any], str]) -> Oracle:
    def opens(client: Any, reader: Any, row: Any) -> bool:
        status = client.get(url(row)).status_code
        assert status in (200, 404), (url(row), status)
        return status == 200

    return opens


def _board_item(client: Any, reader: Any, item: Any) -> bool:
    kind = "commitment" if isinstance(item, Commitment) else "experiment"
    return _page(
        lambda i: reverse(f"accountability:{kind}", args=["northwind", "reliability", i.pk])
    )(client, reader, item)


def _update(client: Any, reader: Any, update: Any) -> bool:
    if not can_view_board(reader, update.cohort):
        return False
    if update.commitment is None or update.author_id == reader.pk:
        return True
    return _board_item(client, reader, update.commitment)


def _conversation(client: Any, row: Any) -> bool:
    """A comment or reaction is read on its item's conversation page."""
    url = reverse(
        f"conversation:{row.subject.value}", args=["northwind", "reliability", row.subject_id]
    )
    return _page(lambda _: url)(client, None, row)


def _feedback(client: Any, reader: Any, row: Any) -> bool:
    if reader.pk in (row.giver_id, row.receiver_id):
        return True
    if row.visibility == "shared":
        return row.shared_with.filter(pk=reader.pk).exists()
    return row.visibility == "cohort" and is_cohort_member(reader, row.cohort)


def _reuse(client: Any, reader: Any, row: Any) -> bool:
    response = client.get(reverse("repository:item", args=[row.item.network.slug, row.item.pk]))
    return response.status_code == 200 and row.note in response.content.decode()


def _journal(client: Any, reader: Any, entry: Any) -> bool:
    return _page(lambda e: reverse("journal:entry", args=["northwind", e.pk]))(
        client, reader, entry
    )


def _cohort_gate(check: Callable[[Any, Any], bool]) -> Oracle:
    """A cohort's page that shows every such row to whoever passes its gate."""

    def opens(client: Any, reader: Any, row: Any) -> bool:
        from cadre.cohorts.models import Cohort

        return check(reader, Cohort.objects.get(slug="reliability"))

    return opens


ORACLES: dict[str, Oracle] = {
    "cohorts.Cohort": _cohort_gate(can_view_cohort),
    "cohorts.Charter": _cohort_gate(can_view_cohort),
    "cohorts.CohortMembership": _cohort_gate(can_view_cohort),
    "cohorts.CharterAcknowledgement": _cohort_gate(can_view_cohort),
    "cohorts.Turnover": _cohort_gate(can_close_cohort),  # the close page lists them
    "rotations.CoachingRound": _cohort_gate(can_view_cohort),
    "rotations.CoachingGroup": _cohort_gate(can_view_cohort),
    "rotations.CoachingSeat": _cohort_gate(can_view_cohort),
    "schedule.CohortSchedule": _cohort_gate(can_view_cohort),
    "schedule.Session": _cohort_gate(can_view_cohort),
    "schedule.RoleAssignment": _cohort_gate(can_view_cohort),
    "schedule.Absence": _cohort_gate(can_view_cohort),
    "schedule.Holiday": _cohort_gate(can_view_cohort),
    "schedule.RoleSwap": _cohort_gate(can_view_cohort),
    "schedule.AgendaBlock": _cohort_gate(can_view_session),
    "schedule.Attendance": _cohort_gate(can_view_session),
    "schedule.SessionNote": _cohort_gate(can_view_session),
    "schedule.SessionReport": _page(
        lambda r: reverse("schedule:report", args=["northwind", "reliability", r.session_id])
    ),
    "accountability.Commitment": _board_item,
    "accountability.Experiment": _board_item,
    "accountability.ProgressUpdate": _update,
    "accountability.Blocker": lambda client, reader, row: _update(client, reader, row.update),
    "accountability.Kudos": lambda client, reader, row: _board_item(client, reader, row.commitment),
    "accountability.HelpOffer": lambda client, reader, row: _update(
        client, reader, row.blocker.update
    ),
    "coaching.CoachingSession": _page(
        lambda s: reverse("peer_coaching:session", args=["northwind", "reliability", s.pk])
    ),
    "coaching.Feedback": _feedback,
    "diagnostics.TargetSkill": _cohort_gate(can_view_diagnostics),
    "diagnostics.AssessmentRound": _cohort_gate(can_view_diagnostics),
    "health.CohortHealth": _cohort_gate(can_view_cohort_health),
    "metrics.Metric": lambda client, reader, row: can_view_metric(reader, row),
    "metrics.Observation": lambda client, reader, row: can_view_metric(reader, row.metric),
    "metrics.MetricReporter": _cohort_gate(can_view_builtin_metrics),
    "journal.JournalEntry": _journal,
    "journal.JournalTag": lambda client, reader, row: _journal(client, reader, row.entry),
    "repository.RepositoryItem": _page(
        lambda i: reverse("repository:item", args=[i.network.slug, i.pk])
    ),
    "repository.Reuse": _reuse,
    "programmes.SessionWeek": _cohort_gate(can_view_session),
    "conversation.Comment": lambda client, reader, row: _conversation(client, row),
    "conversation.Reaction": lambda client, reader, row: _conversation(client, row.comment or row),
}


# --- the gate: every model reachable from a cohort is decided ------------------------------


def test_every_model_reachable_from_a_cohort_has_a_rule_or_is_left_out_on_purpose() -> None:
    reachable = {owned.label for owned in cohort_models()}
    ruled, left_out = set(export.READABLE), set(export.LEFT_OUT)
    assert not ruled & left_out, "a model cannot be both exported and left out"
    undecided = reachable - ruled - left_out
    assert not undecided, f"give these a rule in READABLE or a reason in LEFT_OUT: {undecided}"
    assert ruled | left_out <= reachable, "a rule for a model the cohort does not reach"
    assert set(ORACLES) == ruled, "every exported model needs an oracle in this test"


def test_a_model_without_a_rule_is_not_exported(
    cast: Any, seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = dict(export.READABLE)
    del rules["journal.JournalEntry"]
    monkeypatch.setattr(export, "READABLE", rules)
    document = export.export_cohort(cast.cohort, cast.host)
    assert "journal.JournalEntry" not in document["tables"]
    assert "accountability.Commitment" in document["tables"]


# --- the comparison -------------------------------------------------------------------------


@pytest.mark.parametrize("who", READERS)
def test_the_export_holds_exactly_what_its_reader_may_open(
    cast: Any, client_for: Any, seeded: Seeded, who: str
) -> None:
    reader = getattr(cast, who)
    client = client_for(reader)
    tables = export.export_cohort(cast.cohort, reader)["tables"]
    refused: list[str] = []
    for label, oracle in ORACLES.items():
        rows = seeded.rows.get(label, [])
        assert rows, f"seed at least one {label} row"
        model = apps.get_model(label)
        expected = set()
        for row in model._default_manager.filter(pk__in=[r.pk for r in rows]):
            forget(reader)
            if oracle(client, reader, row):
                expected.add(row.pk)
            elif (label, row.pk) in seeded.canaries:
                refused.append(seeded.canaries[(label, row.pk)])
        exported = {row["id"] for row in tables.get(label, [])}
        assert exported & {r.pk for r in rows} == expected, (label, who)
    assert refused, "the seeds must hold rows this reader may not open"

    documents = {
        "page json": client.get(PAGE + "?format=json").content.decode(),
        "api": client.get(API).content.decode(),
    }
    archive = zipfile.ZipFile(io.BytesIO(client.get(PAGE + "?format=csv").content))
    documents["csv zip"] = "".join(archive.read(name).decode() for name in archive.namelist())
    for name, text in documents.items():
        leaked = [canary for canary in refused if canary in text]
        assert not leaked, (who, name, leaked)


def test_coaching_sessions_are_for_the_people_in_them(
    cast: Any, client_for: Any, seeded: Seeded
) -> None:
    """The finding: the export gave hosts and organizers every session's notes."""
    theirs, hosts_own = seeded.rows["coaching.CoachingSession"]
    for who in READERS:
        document = client_for(getattr(cast, who)).get(PAGE + "?format=json").json()
        ids = {row["id"] for row in document["tables"]["coaching.CoachingSession"]}
        assert theirs.pk not in ids
        assert (hosts_own.pk in ids) == (who == "host")


def test_a_reference_to_a_row_the_reader_may_not_open_is_blanked(cast: Any, seeded: Seeded) -> None:
    tables = export.export_cohort(cast.cohort, cast.organizer)["tables"]
    entry = next(row for row in tables["journal.JournalEntry"] if row["visibility"] == "cohort")
    assert entry["commitment"] is None  # the member's private commitment
    shared = seeded.rows["coaching.Feedback"][1]
    host_tables = export.export_cohort(cast.cohort, cast.host)["tables"]
    feedback = next(row for row in host_tables["coaching.Feedback"] if row["id"] == shared.pk)
    assert feedback["coaching_session"] is None  # a session the host did not sit in
    assert feedback["behaviour"].startswith("CANARY")  # the feedback itself was shared


def test_the_people_named_are_only_those_of_rows_the_reader_may_open(
    cast: Any, seeded: Seeded
) -> None:
    other = cast.other_cohort_member  # a data reporter: named on the metrics page
    document = export.export_cohort(cast.cohort, cast.organizer)
    assert other.pk in {p["id"] for p in document["people"]}
    MetricReporter.objects.all().delete()
    document = export.export_cohort(cast.cohort, cast.organizer)
    assert other.pk not in {p["id"] for p in document["people"]}


# --- peer assessments (H2) ------------------------------------------------------------------


@pytest.fixture
def assessed(cast: Any) -> dict[str, Any]:
    skill = Skill.objects.filter(network=cast.network).order_by("pk").first()
    assert skill is not None, "the cast's network has skills"
    other_skill = Skill.objects.filter(network=cast.network).order_by("pk")[1]
    TargetSkill.objects.create(cohort=cast.cohort, skill=skill, target_level=3)
    TargetSkill.objects.create(cohort=cast.cohort, skill=other_skill, target_level=3)
    start = AssessmentRound.objects.create(
        cohort=cast.cohort, number=1, label="Start", peer_assessments_enabled=True
    )
    member, host, peer = cast.member, cast.host, cast.newcomer

    def score(subject: Any, assessor: Any, level: int, on: Any = skill, note: str = "") -> None:
        Assessment.objects.create(
            round=start, skill=on, subject=subject, assessor=assessor, level=level, note=note
        )

    score(member, member, 1, note="CANARY-self-note")
    score(host, host, 3)
    score(member, host, 2, note="CANARY-peer-note-host")
    score(member, peer, 4, note="CANARY-peer-note-peer")
    score(host, member, 1, note="CANARY-lonely-peer-note")  # one peer only: no mean
    score(member, host, 3, on=other_skill)  # one peer only: no mean
    return {"skill": skill, "other": other_skill, "round": start}


@pytest.mark.parametrize("who", READERS)
def test_peer_scores_leave_only_as_means_of_two_peers_without_names_or_notes(
    cast: Any, client_for: Any, assessed: dict[str, Any], who: str
) -> None:
    client = client_for(getattr(cast, who))
    text = client.get(PAGE + "?format=json").content.decode()
    document = json.loads(text)
    assert "diagnostics.Assessment" not in document["tables"]
    assert "assessor" not in text and "CANARY" not in text
    growth = document["tables"]["diagnostics.growth"]
    skill, other, start = assessed["skill"], assessed["other"], assessed["round"]
    assert sorted(growth, key=lambda r: (r["subject"], r["skill"])) == sorted(
        [
            {
                "subject": cast.member.pk,
                "skill": skill.pk,
                "round": start.pk,
                "self_level": 1,
                "peer_mean": 3.0,
            },
            {
                "subject": cast.host.pk,
                "skill": skill.pk,
                "round": start.pk,
                "self_level": 3,
                "peer_mean": None,
            },
        ],
        key=lambda r: (r["subject"], r["skill"]),
    )
    assert other.pk not in {row["skill"] for row in growth}
    archive = zipfile.ZipFile(io.BytesIO(client.get(PAGE + "?format=csv").content))
    assert not [name for name in archive.namelist() if "growth" in name or "assess" in name]
    assert not any(b"CANARY" in archive.read(name) for name in archive.namelist())


def test_the_growth_table_is_what_the_member_growth_pages_show(
    cast: Any, client_for: Any, assessed: dict[str, Any]
) -> None:
    import csv

    client = client_for(cast.host)
    growth = export.export_cohort(cast.cohort, cast.host)["tables"]["diagnostics.growth"]
    for subject in (cast.member, cast.host):
        url = reverse("diagnostics:member_csv", args=["northwind", "reliability", subject.pk])
        page = [
            (int(r["round"]), r["skill"], r["self_level"], r["peer_mean"])
            for r in csv.DictReader(io.StringIO(client.get(url).content.decode()))
            if r["self_level"] or r["peer_mean"]
        ]
        names = {s.pk: s.name for s in Skill.objects.all()}
        exported = [
            (
                assessed["round"].number,
                names[r["skill"]],
                "" if r["self_level"] is None else str(r["self_level"]),
                "" if r["peer_mean"] is None else str(r["peer_mean"]),
            )
            for r in growth
            if r["subject"] == subject.pk
        ]
        assert sorted(exported) == sorted(page)
