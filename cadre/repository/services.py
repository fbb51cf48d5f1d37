"""What people do with the library, whichever door they come through (the pages, the API):
add, change and delete items, promote an experiment or a session report to a case study,
copy a template into a cohort, say "I used this", and keep the partner groups.

Each function checks the rule (cadre.repository.policy) and raises `Refused`, whose message
is the sentence people see. What shape an item's data has is `content.check_data`; who may
be offered an item is `check_item` below, which the item form also asks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from cadre.accountability.models import Experiment
from cadre.accountability.policy import can_take_part, can_view_private_item
from cadre.accounts.models import User
from cadre.cohorts.models import CharterAcknowledgement, CharterConflict, Cohort
from cadre.cohorts.policy import can_edit_charter, is_cohort_member
from cadre.lib.rules import Refused
from cadre.networks.models import Network, Skill
from cadre.networks.policy import Person
from cadre.schedule.models import Session, SessionReport
from cadre.schedule.policy import can_run_session, can_view_report, can_view_session

from . import content, policy
from .models import ItemKind, ItemVisibility, PartnerGroup, RepositoryItem, TemplateKind

# --- items ----------------------------------------------------------------------------------


def require_item_writer(by: Person, network: Network) -> None:
    if not policy.can_add_repository_item(by, network):
        raise Refused(
            gettext("Partners read what is shared with them; they do not add items."),
            kind="forbidden",
        )


def require_item_editor(by: Person, item: RepositoryItem) -> None:
    if not policy.can_edit_repository_item(by, item):
        raise Refused(
            gettext("Only the author and the network’s organizers change this item."),
            kind="forbidden",
        )


def partner_problem(groups: Sequence[PartnerGroup], kind: str) -> str | None:
    """Why these groups may not be offered an item of `kind`, or None."""
    refused = [g.name for g in groups if kind not in (g.shares or [])]
    if not refused:
        return None
    names = {"groups": ", ".join(refused)}
    if kind == ItemKind.CASE_STUDY:
        return (
            ngettext(
                "%(groups)s is not offered case studies. Pick groups that share case studies, "
                "or ask an organizer to change the group.",
                "%(groups)s are not offered case studies. Pick groups that share case studies, "
                "or ask an organizer to change the group.",
                len(refused),
            )
            % names
        )
    if kind == ItemKind.TEMPLATE:
        return (
            ngettext(
                "%(groups)s is not offered templates. Pick groups that share templates, "
                "or ask an organizer to change the group.",
                "%(groups)s are not offered templates. Pick groups that share templates, "
                "or ask an organizer to change the group.",
                len(refused),
            )
            % names
        )
    return (
        ngettext(
            "%(groups)s is not offered learnings. Pick groups that share learnings, "
            "or ask an organizer to change the group.",
            "%(groups)s are not offered learnings. Pick groups that share learnings, "
            "or ask an organizer to change the group.",
            len(refused),
        )
        % names
    )


def check_item(
    *,
    kind: str,
    template_kind: str,
    visibility: str,
    partner_groups: Sequence[PartnerGroup],
    data: Any = None,
    check_the_data: bool = True,
) -> tuple[str, dict[str, Any] | None, list[PartnerGroup]]:
    """The rules of an item of `kind`: a template says what kind it is, its data has the
    shape of its kind (content.check_data), and an item for partners names groups that are
    offered its kind. Returns (template kind, data, partner groups) as they are saved."""
    if kind == ItemKind.TEMPLATE and template_kind not in TemplateKind.values:
        raise Refused(gettext("Say what kind of template this is."), field="template_kind")
    if kind != ItemKind.TEMPLATE:
        template_kind = ""
    checked = None
    if check_the_data:
        try:
            checked = content.check_data(kind, template_kind, data)
        except ValidationError as exc:
            raise Refused(exc.messages[0], field="data") from None
    groups = list(partner_groups)
    if visibility == ItemVisibility.PARTNERS:
        if not groups:
            raise Refused(
                gettext("Name at least one partner group to share with."), field="partner_groups"
            )
        if problem := partner_problem(groups, kind):
            raise Refused(problem, field="partner_groups")
    else:
        groups = []
    return template_kind, checked, groups


def _save(
    item: RepositoryItem,
    *,
    skills: Iterable[Skill],
    partner_groups: Iterable[PartnerGroup],
    fields: dict[str, Any],
) -> RepositoryItem:
    for name, value in fields.items():
        setattr(item, name, value)
    item.updated_at = timezone.now()
    with transaction.atomic():
        item.save()
        item.skills.set(list(skills))
        item.partner_groups.set(list(partner_groups))
    return item


def create_item(
    by: User,
    network: Network,
    *,
    kind: str,
    title: str,
    visibility: str,
    template_kind: str = "",
    summary: str = "",
    body: str = "",
    data: Any = None,
    skills: Iterable[Skill] = (),
    partner_groups: Sequence[PartnerGroup] = (),
    origin_cohort: Cohort | None = None,
) -> RepositoryItem:
    """Add an item to the network's library (its insiders)."""
    require_item_writer(by, network)
    template_kind, data, groups = check_item(
        kind=kind,
        template_kind=template_kind,
        visibility=visibility,
        partner_groups=partner_groups,
        data=data,
    )
    item = RepositoryItem(network=network, author=by, origin_cohort=origin_cohort)
    return _save(
        item,
        skills=skills,
        partner_groups=groups,
        fields={
            "kind": kind,
            "template_kind": template_kind,
            "title": title,
            "summary": summary,
            "body": body.replace("\r\n", "\n"),
            "data": data,
            "visibility": visibility,
        },
    )


def update_item(
    by: Person,
    item: RepositoryItem,
    *,
    title: str,
    visibility: str,
    summary: str = "",
    body: str = "",
    data: Any = None,
    skills: Iterable[Skill] = (),
    partner_groups: Sequence[PartnerGroup] = (),
) -> RepositoryItem:
    """Change an item (its author and the organizers); its kind stays what it was made as.
    A case study's data comes from its source and is not changed here."""
    require_item_editor(by, item)
    keeps_data = item.kind == ItemKind.CASE_STUDY and data is None
    _, checked, groups = check_item(
        kind=item.kind,
        template_kind=item.template_kind,
        visibility=visibility,
        partner_groups=partner_groups,
        data=data,
        check_the_data=not keeps_data,
    )
    fields: dict[str, Any] = {
        "title": title,
        "summary": summary,
        "body": body.replace("\r\n", "\n"),
        "visibility": visibility,
    }
    if not keeps_data:
        fields["data"] = checked
    return _save(item, skills=skills, partner_groups=groups, fields=fields)


def delete_item(by: Person, item: RepositoryItem) -> None:
    require_item_editor(by, item)
    item.delete()


# --- case studies ---------------------------------------------------------------------------


def _already(existing: RepositoryItem | None) -> None:
    if existing is not None:
        raise Refused(
            gettext("It is already a case study: “%(title)s”.") % {"title": existing.title},
            kind="conflict",
            detail={"item": existing.pk},
        )


def experiment_to_promote(by: Person, network: Network, *, experiment: int) -> Experiment:
    """The experiment of `network` that `by` may make a case study of."""
    found = (
        Experiment.objects.select_related("cohort__network", "skill", "owner")
        .filter(cohort__network=network, pk=experiment)
        .first()
    )
    if found is None or not can_view_private_item(by, found):
        raise Refused(gettext("No such experiment."), kind="not_found")
    if found.is_running():
        raise Refused(
            gettext("A running experiment cannot be a case study yet: record its outcome first."),
            kind="forbidden",
        )
    if not policy.can_promote_experiment(by, found):
        raise Refused(
            gettext(
                "The person who ran it, the cohort’s hosts and the network’s organizers promote "
                "an experiment."
            ),
            kind="forbidden",
        )
    _already(found.case_studies.first())
    return found


def report_to_promote(by: Person, network: Network, *, report: int) -> SessionReport:
    """The published session report of `network` that `by` may make a case study of."""
    found = (
        SessionReport.objects.select_related("session__cohort__network")
        .prefetch_related("session__roles")
        .filter(session__cohort__network=network, pk=report)
        .first()
    )
    if found is None or not can_view_report(by, found):
        raise Refused(gettext("No such report."), kind="not_found")
    if not policy.can_promote_report(by, found):
        raise Refused(
            gettext(
                "Those who edit a published report promote it: its note-taker, the cohort’s "
                "hosts and the network’s organizers."
            ),
            kind="forbidden",
        )
    _already(found.case_studies.first())
    return found


def experiment_defaults(experiment: Experiment) -> dict[str, Any]:
    """What a case study of `experiment` starts from."""
    outcome = experiment.get_outcome_display().lower()
    return {
        "title": experiment.title,
        "summary": f"{experiment.capability}: {outcome}."[:500],
        "body": content.experiment_body(experiment),
        "skills": [experiment.skill] if experiment.skill else [],
    }


def report_defaults(report: SessionReport) -> dict[str, Any]:
    session = report.session
    return {
        "title": f"{session.cohort.name}: {session.label}, {session.starts_at:%d %b %Y}",
        "body": content.report_body(report),
    }


def _promote(
    by: User,
    network: Network,
    *,
    origin: Cohort,
    data: dict[str, Any],
    link: dict[str, Any],
    title: str,
    visibility: str,
    summary: str,
    body: str,
    skills: Iterable[Skill],
    partner_groups: Sequence[PartnerGroup],
) -> RepositoryItem:
    _, _, groups = check_item(
        kind=ItemKind.CASE_STUDY,
        template_kind="",
        visibility=visibility,
        partner_groups=partner_groups,
        check_the_data=False,
    )
    item = RepositoryItem(
        network=network, kind=ItemKind.CASE_STUDY, author=by, origin_cohort=origin, **link
    )
    return _save(
        item,
        skills=skills,
        partner_groups=groups,
        fields={
            "title": title,
            "summary": summary,
            "body": body.replace("\r\n", "\n"),
            "data": data,
            "visibility": visibility,
        },
    )


def promote_experiment(
    by: User,
    network: Network,
    *,
    experiment: int,
    title: str,
    visibility: str,
    summary: str = "",
    body: str = "",
    skills: Iterable[Skill] = (),
    partner_groups: Sequence[PartnerGroup] = (),
) -> RepositoryItem:
    """A concluded experiment becomes a case study of the library."""
    found = experiment_to_promote(by, network, experiment=experiment)
    return _promote(
        by,
        network,
        origin=found.cohort,
        data=content.experiment_data(found),
        link={"source_experiment": found},
        title=title,
        visibility=visibility,
        summary=summary,
        body=body,
        skills=skills,
        partner_groups=partner_groups,
    )


def promote_report(
    by: User,
    network: Network,
    *,
    report: int,
    title: str,
    visibility: str,
    summary: str = "",
    body: str = "",
    skills: Iterable[Skill] = (),
    partner_groups: Sequence[PartnerGroup] = (),
) -> RepositoryItem:
    """A published session report becomes a case study of the library."""
    found = report_to_promote(by, network, report=report)
    return _promote(
        by,
        network,
        origin=found.session.cohort,
        data=content.report_data(found),
        link={"source_report": found},
        title=title,
        visibility=visibility,
        summary=summary,
        body=body,
        skills=skills,
        partner_groups=partner_groups,
    )


# --- "I used this" --------------------------------------------------------------------------


def record_reuse(
    by: Person, item: RepositoryItem, *, cohort: int | None = None, note: str = ""
) -> bool:
    """Say `by` used the item (in one of their cohorts). True when it was not counted yet."""
    found = None
    if cohort is not None:
        found = Cohort.objects.filter(pk=cohort).first()
        if found is None or not is_cohort_member(by, found):
            raise Refused(gettext("Choose one of your cohorts, or none."), field="cohort")
    return item.record_reuse(by, found, note)


def undo_reuse(by: Person, item: RepositoryItem, *, cohort: int | None = None) -> bool:
    """Take back `by`'s use of the item (in `cohort`). True when there was one."""
    found = Cohort.objects.filter(pk=cohort).first() if cohort is not None else None
    return item.undo_reuse(by, found)


# --- copying a template into a cohort -------------------------------------------------------


def template_to_copy(item: RepositoryItem) -> RepositoryItem:
    if item.kind != ItemKind.TEMPLATE:
        raise Refused(gettext("Only templates are copied into a cohort."), kind="not_found")
    return item


def copy_agenda(by: Person, item: RepositoryItem, *, session: int) -> Session:
    """The upcoming session `session`, one `by` runs, gets the template's blocks, fitted to
    its length; it counts as a reuse."""
    template_to_copy(item)
    found = (
        Session.objects.upcoming()
        .held()
        .select_related("cohort__network")
        .prefetch_related("roles")
        .filter(pk=session)
        .first()
    )
    if found is None or not can_view_session(by, found.cohort):
        raise Refused(gettext("Choose an upcoming session of your cohorts."), field="session")
    if not can_run_session(by, found):
        raise Refused(
            gettext("Only those who run the session change its agenda."), kind="forbidden"
        )
    try:
        content.copy_agenda(item, found, by)
    except ValidationError as exc:
        raise Refused(exc.messages[0], fields={"session": list(exc.messages)}) from None
    return found


def require_charter_editor(by: Person, cohort: Cohort) -> None:
    if not can_edit_charter(by, cohort):
        raise Refused(
            gettext("Only the cohort’s hosts and the network’s organizers change its charter."),
            kind="forbidden",
        )


def copy_charter(
    by: User,
    item: RepositoryItem,
    *,
    cohort: Cohort,
    based_on: int | None,
    values: dict[str, Any],
) -> Any:
    """The cohort's next charter version from the template (`values` as the charter form
    cleaned them); it counts as a reuse."""
    template_to_copy(item)
    require_charter_editor(by, cohort)
    try:
        with transaction.atomic():
            charter = cohort.add_charter_version(created_by=by, based_on=based_on, **values)
            if is_cohort_member(by, cohort):
                CharterAcknowledgement.objects.get_or_create(charter=charter, user=by)
            item.record_reuse(by, cohort, note=f"Charter version {charter.version}")
    except CharterConflict as exc:
        raise Refused(
            gettext(
                "Someone saved version %(version)s of the charter meanwhile; read it, "
                "then save again."
            )
            % {"version": exc.current_version},
            kind="conflict",
            detail={"current_version": exc.current_version},
        ) from None
    return charter


def require_experimenter(by: Person, cohort: Cohort) -> None:
    if not can_take_part(by, cohort):
        raise Refused(
            gettext("Only the cohort’s active members run experiments in it."), kind="forbidden"
        )


def copy_experiment(by: User, item: RepositoryItem, *, experiment: Experiment) -> Experiment:
    """A new experiment of `by` from the plan (`experiment`, unsaved, as the experiment form
    made it); it counts as a reuse."""
    template_to_copy(item)
    require_experimenter(by, experiment.cohort)
    experiment.owner = by
    with transaction.atomic():
        experiment.save()
        item.record_reuse(by, experiment.cohort, note=f"Experiment “{experiment.title}”")
    return experiment


# --- partner groups -------------------------------------------------------------------------


def require_partner_manager(by: Person, network: Network) -> None:
    if not policy.can_manage_partner_groups(by, network):
        raise Refused(
            gettext("Partner groups are the network organizers’ to manage."), kind="forbidden"
        )


def partner_group_of(by: Person, network: Network, *, group: int) -> PartnerGroup:
    require_partner_manager(by, network)
    found = network.partner_groups.filter(pk=group).first()
    if found is None:
        raise Refused(gettext("No such partner group."), kind="not_found")
    return found


def check_group_name(group: PartnerGroup, name: str) -> str:
    """A partner group's name is its network's only one of that name (in any case)."""
    name = name.strip()
    taken = PartnerGroup.objects.filter(network=group.network, name__iexact=name)
    if taken.exclude(pk=group.pk).exists():
        raise Refused(
            gettext("%(network)s already has a partner group “%(name)s”.")
            % {"network": group.network.name, "name": name},
            field="name",
        )
    return name


def _save_group(
    group: PartnerGroup,
    *,
    name: str,
    organization: str,
    shares: Sequence[str],
    members: Iterable[Any],
) -> PartnerGroup:
    name = check_group_name(group, name)
    chosen = set(shares)
    group.name, group.organization = name, organization
    group.shares = [value for value in ItemKind.values if value in chosen]
    with transaction.atomic():
        group.save()
        group.members.set(list(members))
        # Items of kinds it is no longer offered stop being shared with it.
        group.items.remove(*group.items.exclude(kind__in=group.shares))
    return group


def create_partner_group(
    by: Person,
    network: Network,
    *,
    name: str,
    organization: str,
    shares: Sequence[str] = (),
    members: Iterable[Any] = (),
) -> PartnerGroup:
    require_partner_manager(by, network)
    return _save_group(
        PartnerGroup(network=network),
        name=name,
        organization=organization,
        shares=shares,
        members=members,
    )


def update_partner_group(
    by: Person,
    group: PartnerGroup,
    *,
    name: str,
    organization: str,
    shares: Sequence[str] = (),
    members: Iterable[Any] = (),
) -> PartnerGroup:
    require_partner_manager(by, group.network)
    return _save_group(group, name=name, organization=organization, shares=shares, members=members)


def delete_partner_group(by: Person, group: PartnerGroup) -> None:
    require_partner_manager(by, group.network)
    group.delete()
