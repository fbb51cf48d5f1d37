"""Publishing a proposal: its cohorts are created with their memberships in one transaction,
and once that is committed every applicant is told their cohort by e-mail. Views and the API
both call these; the permission checks stay with them."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from cadre.cohorts.models import Cohort, CohortMembership, CohortStatus
from cadre.delivery.services import Email, queue_many
from cadre.lib.tasks import enqueue_on_commit

from .models import FormationRun, Intake, IntakeStatus, RunStatus
from .proposals import ProposalProblem, proposed_cohorts


def cohort_slug(intake: Intake, number: int, taken: set[str]) -> str:
    base = slugify(f"{intake.slug}-{number}")[:56] or f"cohort-{number}"
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


def publish(intake: Intake, run: FormationRun, by: Any) -> list[Cohort]:
    """Create one cohort per proposed group with its memberships and mark the intake
    published, all in one transaction; once it is committed, a task queues each applicant's
    e-mail. Publishing twice is refused."""
    from .tasks import announce_publication

    with transaction.atomic():
        current = Intake.objects.select_for_update().get(pk=intake.pk)
        if current.status == IntakeStatus.PUBLISHED:
            raise ProposalProblem("The cohorts of this intake are already published.")
        run = FormationRun.objects.select_for_update().get(pk=run.pk)
        if run.status != RunStatus.DONE:
            raise ProposalProblem("Only a finished run's proposal can be published.")
        groups = proposed_cohorts(run)
        taken = set(Cohort.objects.filter(network=intake.network).values_list("slug", flat=True))
        cohorts = []
        for group in groups:
            if not group.members:
                continue
            slug = cohort_slug(intake, group.number, taken)
            taken.add(slug)
            cohort = Cohort.objects.create(
                network=intake.network,
                name=f"{intake.title} · Cohort {group.number}"[:120],
                slug=slug,
                objective=intake.objective or intake.description or intake.title,
                status=CohortStatus.FORMING,
                session_minutes=intake.session_minutes,
            )
            CohortMembership.objects.bulk_create(
                CohortMembership(cohort=cohort, user=member.user) for member in group.members
            )
            cohort.proposed = group  # type: ignore[attr-defined]
            cohorts.append(cohort)
        now = timezone.now()
        Intake.objects.filter(pk=intake.pk).update(status=IntakeStatus.PUBLISHED, published_at=now)
        FormationRun.objects.filter(pk=run.pk).update(published_cohorts=[c.pk for c in cohorts])
        enqueue_on_commit(announce_publication, intake.pk)
    intake.refresh_from_db()
    return cohorts


def queue_publication_emails(intake_id: int) -> int:
    """Queue one e-mail per member of each cohort published from intake `intake_id`, with
    their cohort and its members; a person queued before is skipped. Returns how many were
    queued."""
    intake = Intake.objects.select_related("network").filter(pk=intake_id).first()
    run = (
        FormationRun.objects.filter(intake_id=intake_id)
        .exclude(published_cohorts=[])
        .order_by("-pk")
        .first()
    )
    if intake is None or run is None or not intake.is_published:
        return 0
    cohorts = Cohort.objects.filter(pk__in=run.published_cohorts).select_related("network")
    members: dict[int, list[Any]] = defaultdict(list)
    for membership in (
        CohortMembership.objects.filter(cohort__in=cohorts)
        .select_related("user")
        .order_by("cohort_id", "user__name", "user_id")
    ):
        members[membership.cohort_id].append(membership.user)
    emails = []
    for cohort in cohorts:
        url = settings.CADRE_SITE_URL.rstrip("/") + cohort.get_absolute_url()
        for person in members[cohort.pk]:
            context = {
                "intake": intake,
                "cohort": cohort,
                "person": person,
                "others": [u for u in members[cohort.pk] if u.pk != person.pk],
                "url": url,
            }
            emails.append(
                Email(
                    key=f"formation:{intake.pk}:{person.pk}",
                    to=person.email,
                    user=person,
                    subject=f"[Cadre] Your cohort: {cohort.name}",
                    body=render_to_string("formation/email_published.txt", context),
                )
            )
    return queue_many(emails)
