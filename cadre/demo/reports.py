"""The demo's session reports. In the active cohorts (the demo log-ins' cohort first, at most
MAX_COHORTS of them, so ten thousand people still build in seconds) each held session but the
latest has a published report: drafted from the session's own record, as a note-taker starts
one, and finished with what worked and what did not. Reports of cohorts shared with the
network are shared with it too. The latest session is left without one, so a note-taker can
try drafting. Nobody is e-mailed: these reports are history.

Texts are picked by position, never by the builder's random generator, so the people and
cohorts built before stay exactly as they were for a given seed."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from cadre.cohorts.models import Cohort, CohortRole, CohortStatus
from cadre.networks.models import Network
from cadre.schedule.models import ReportStatus, Session, SessionReport
from cadre.schedule.reports import draft_text

if TYPE_CHECKING:
    from cadre.demo.builder import Builder

MAX_COHORTS = 12
LOGINS_COHORT = "experimentation-in-ops"

WHAT_WORKED = (
    "Keeping the check-in to **one sentence each** left twenty minutes for practice.",
    "- The timebox held for every block\n- Everyone spoke once before anyone spoke twice",
    "Pairing people from **different organizations** for the practice round.",
    "Ending with one written commitment each, read out loud.",
)
WHAT_DID_NOT = (
    "The demo ran long, so the reflection was rushed. *Next time:* a visible timer.",
    "- Two people joined late and missed the framing\n- The shared document was read-only",
    "We drifted into status updates; the facilitator should steer back sooner.",
    "",
)


class ReportBuilder:
    def __init__(self, builder: Builder) -> None:
        self.b = builder

    def build(self, network: Network) -> int:
        now = timezone.now()
        reports = []
        cohorts = sorted(
            Cohort.objects.filter(network=network, status=CohortStatus.ACTIVE),
            key=lambda c: (c.slug != LOGINS_COHORT, c.slug),
        )
        for cohort in cohorts[:MAX_COHORTS]:
            held = list(cohort.sessions.past(now).held().order_by("starts_at"))
            hosts = cohort.memberships.active().filter(role=CohortRole.HOST).order_by("user_id")
            host = hosts.values_list("user_id", flat=True).first()
            for n, session in enumerate(held[:-1]):
                reports.append(self.report(session, n, host, cohort.shared_with_network))
        self.b.bulk(SessionReport, reports)
        self.b.step("session reports", len(reports))
        return len(reports)

    def report(self, session: Session, n: int, host: int | None, shared: bool) -> SessionReport:
        note_taker = next((a.user_id for a in session.roles.all() if a.role == "note-taker"), None)
        return SessionReport(
            session=session,
            body=draft_text(session),
            what_worked=WHAT_WORKED[n % len(WHAT_WORKED)],
            what_did_not=WHAT_DID_NOT[n % len(WHAT_DID_NOT)],
            status=ReportStatus.PUBLISHED,
            share_with_network=shared,
            published_at=session.ends_at + timedelta(hours=20),
            published_by_id=note_taker or host,
        )
