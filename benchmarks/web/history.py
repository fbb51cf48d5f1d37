"""Give the benchmark's demo network a year of history before the web benchmark runs.

The demo itself covers the cohorts' last weeks; the dashboards must stay fast with a year
behind them. For every active cohort of the network this adds, once, weekly past sessions
for HISTORY_WEEKS weeks before its earliest session, with attendance (about 85% present),
the facilitator and note-taker roles in turn, one commitment per member every other week
(done on time, done late or missed) and a progress update each; moves the cohort's start
back to match; then recomputes the cohorts' health snapshots as the worker would.

    DATABASE_URL=sqlite:////tmp/cadre-bench-web.sqlite3 .venv/bin/python benchmarks/web/history.py [--weeks 52]

--weeks 156 gives three years (benchmarks/web/cpu.py compares one year with three).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import timedelta

HISTORY_WEEKS = 52
SEED = 2026


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=HISTORY_WEEKS)
    weeks = parser.parse_args().weeks
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadre.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from cadre.accountability.models import Commitment, CommitmentStatus, ProgressUpdate
    from cadre.cohorts.models import Cohort, CohortStatus
    from cadre.schedule.models import Attendance, AttendanceStatus, RoleAssignment, Session

    started = time.perf_counter()
    rng = random.Random(SEED)
    cohorts = list(
        Cohort.objects.filter(network__slug="northwind", status=CohortStatus.ACTIVE).order_by("pk")
    )
    if not cohorts:
        sys.exit("no active cohorts in the northwind network: build the demo first")
    earliest = {
        c: Session.objects.filter(cohort=c)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
        for c in cohorts
    }
    long_ago = timezone.now() - timedelta(weeks=min(weeks, HISTORY_WEEKS) // 2)
    if Session.objects.filter(cohort__in=cohorts, starts_at__lt=long_ago).exists():
        print("the year of history is already there")
        return
    counts = {"sessions": 0, "attendance": 0, "commitments": 0, "updates": 0}
    with transaction.atomic():
        for cohort in cohorts:
            start = earliest[cohort]
            if start is None:
                continue
            members = list(
                cohort.memberships.active().order_by("user_id").values_list("user_id", flat=True)
            )
            if not members:
                continue
            sessions = Session.objects.bulk_create(
                Session(
                    cohort=cohort,
                    starts_at=start - timedelta(weeks=k),
                    minutes=cohort.session_minutes,
                    created_at=start - timedelta(weeks=k + 1),
                )
                for k in range(weeks, 0, -1)
            )
            attendance, roles, commitments = [], [], []
            for n, session in enumerate(sessions):
                for user_id in members:
                    present = rng.random() < 0.85
                    attendance.append(
                        Attendance(
                            session=session,
                            user_id=user_id,
                            status=AttendanceStatus.PRESENT if present else AttendanceStatus.ABSENT,
                        )
                    )
                roles.append(
                    RoleAssignment(
                        session=session, role="facilitator", user_id=members[n % len(members)]
                    )
                )
                roles.append(
                    RoleAssignment(
                        session=session, role="note-taker", user_id=members[(n + 1) % len(members)]
                    )
                )
                if n % 2 == 0:
                    due = (session.starts_at + timedelta(days=7)).date()
                    for user_id in members:
                        roll = rng.random()
                        status = CommitmentStatus.DONE if roll < 0.8 else CommitmentStatus.MISSED
                        late = 0.7 <= roll < 0.8
                        done_at = session.starts_at + timedelta(days=9 if late else 5)
                        commitments.append(
                            Commitment(
                                cohort=cohort,
                                owner_id=user_id,
                                session=session,
                                text=f"Try one change from session {n + 1} in my team by the next session",
                                due_on=due,
                                status=status,
                                completed_at=done_at if status == CommitmentStatus.DONE else None,
                                created_at=session.starts_at,
                            )
                        )
            Attendance.objects.bulk_create(attendance, batch_size=2000)
            RoleAssignment.objects.bulk_create(roles, batch_size=2000)
            made = Commitment.objects.bulk_create(commitments, batch_size=2000)
            ProgressUpdate.objects.bulk_create(
                (
                    ProgressUpdate(
                        cohort=cohort,
                        author_id=c.owner_id,
                        commitment=c,
                        done="Tried it with two colleagues",
                        remaining="Write up what changed",
                        created_at=c.created_at + timedelta(days=4),
                    )
                    for c in made
                ),
                batch_size=2000,
            )
            Cohort.objects.filter(pk=cohort.pk).update(starts_on=sessions[0].starts_at.date())
            counts["sessions"] += len(sessions)
            counts["attendance"] += len(attendance)
            counts["commitments"] += len(made)
            counts["updates"] += len(made)
    call_command("health", "refresh", network="northwind")
    print(
        f"added {weeks} weeks of history to {len(cohorts)} cohorts: "
        + ", ".join(f"{v:,} {k}" for k, v in counts.items())
        + f" ({time.perf_counter() - started:.0f} s)"
    )


if __name__ == "__main__":
    main()
