"""Which fields of which rows carry the matrix's canaries, and who may read them: the rules
are the policies' (the apps' policy modules, and for the rows of a cohort the rules the pages
apply, cadre.transfer.cohort.READABLE), asked here, never decided here. The few places where a
page shows a row to people beyond the row's own readers, by design, are named with the docs
that say so (SHOWN_WITH, IMPACT_REPORT_LISTS, NEVER_IN_ADMIN)."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.db import models

# --- which fields carry canaries -------------------------------------------------------------

# Every free-text field a person writes, model by model. A model with a free-text field must be
# here or in NO_CANARY (test_every_model_with_free_text_carries_canaries keeps this true).
CANARY_FIELDS: dict[str, tuple[str, ...]] = {
    "accounts.User": ("name",),
    "networks.Network": ("name", "description"),
    "networks.Skill": ("name", "category", "description"),
    "networks.CodeOfConduct": ("body", "change_note"),
    "networks.Invitation": ("message",),
    "people.Profile": ("headline", "function", "industry", "organization", "bio"),
    "cohorts.Cohort": ("name", "objective", "outcomes"),
    "cohorts.Charter": ("mission", "project_kinds", "norms", "change_note"),
    "cohorts.CohortMembership": ("learning_statement",),
    "cohorts.SurveyAnswer": ("changed", "keep_or_change"),
    "formation.WaitlistEntry": ("why",),
    "formation.Intake": ("title", "description", "objective"),
    "formation.Application": ("statement",),
    "formation.FormationRun": ("error",),
    "schedule.Session": ("title", "meeting_url", "place"),
    "schedule.CohortSchedule": ("meeting_url", "place"),
    "schedule.Absence": ("note",),
    "schedule.MentorMatch": ("explanation", "meeting_url", "place"),
    "schedule.AgendaBlock": ("title", "notes"),
    "schedule.SessionNote": ("text",),
    "schedule.SessionReport": ("body", "what_worked", "what_did_not"),
    "schedule.Holiday": ("name",),
    "rotations.Ritual": ("name", "description"),
    "accountability.Commitment": ("text", "deliverable", "evidence"),
    "accountability.ProgressUpdate": ("done", "remaining"),
    "accountability.Blocker": ("text",),
    "accountability.HelpOffer": ("message",),
    "accountability.Experiment": (
        "title",
        "capability",
        "hypothesis",
        "plan",
        "measure",
        "baseline",
        "result_data",
        "learnings",
        "next_steps",
    ),
    "conversation.Comment": ("body",),
    "coaching.CoachPrompt": ("text",),
    "coaching.CoachingSession": ("focus", "notes", "observer_notes", "next_step"),
    "coaching.Feedback": ("situation", "behaviour", "impact", "suggestion"),
    "diagnostics.AssessmentRound": ("label",),
    "diagnostics.Assessment": ("note",),
    "journal.JournalEntry": ("title", "body"),
    "journal.JournalTag": ("name",),
    "repository.PartnerGroup": ("name", "organization"),
    "repository.RepositoryItem": ("title", "summary", "body"),
    "repository.Reuse": ("note",),
    "programmes.Programme": ("title", "summary"),
    "programmes.ProgrammeWeek": ("theme",),
    "metrics.Metric": ("name", "unit", "description"),
    "metrics.Observation": ("note",),
    "api.ApiToken": ("name",),
    "pairings.MeetingCheck": ("note",),
    "pairings.Relationship": ("what", "how_often"),
    "pairings.MentorMeeting": ("notes",),
    "webhooks.Endpoint": ("description",),
    # Its name is public by design ("Sign in with Contoso" on the sign-in pages): no canary.
    "sso.IdentityProvider": ("client_id", "entity_id", "x509cert"),
}

# Models with free text that carry no canary, and why.
NO_CANARY: dict[str, str] = {
    "delivery.Message": "written by Cadre, not a person: e-mail copies of rows that have canaries",
    "reminders.Reminder": "a key Cadre makes to send each reminder once",
    "reminders.Invitation": "written by Cadre: the calendar event last sent, copied from rows "
    "that have canaries, and keys Cadre makes",
    "schedule.RoleAssignment": "the role's name comes from the cohort's schedule",
    "schedule.RoleSwap": "the role's name comes from the cohort's schedule",
    "schedule.CalendarToken": "the token is a secret itself, looked for as one (World.secrets)",
    "worker.Beat": "the worker's host name and id",
    "worker.PeriodicRun": "the name of one of Cadre's own periodic tasks",
    "health.CohortHealth": "computed by Cadre from the rows that have canaries",
    "mfa.Authenticator": "its TOTP secret is looked for as a secret (World.secrets)",
    "webhooks.Delivery": "written by Cadre: event names, ids, and copies of rows that have canaries",
    "chat.ChatDelivery": "written by Cadre: notices copied from rows that have canaries",
    "chat.SlackWorkspace": "written by Slack: the team's name; the token is looked for as a secret",
    "chat.ChannelLink": "channel ids and a workflow address chosen from Slack and Teams",
    "chat.SlackIdentity": "a Slack user id and the e-mail address Slack gives",
    "chat.SlackSignature": "a SHA-256 of a request signature Slack sent, kept to refuse replays",
}


def free_text_fields(model: type[models.Model]) -> list[str]:
    """The fields of `model` that hold text someone could write: character and text fields
    without choices (slugs, e-mail addresses, and fields Cadre fills itself aside)."""
    names = []
    for f in model._meta.concrete_fields:
        if not isinstance(f, models.CharField | models.TextField) or f.choices:
            continue
        if isinstance(f, models.SlugField | models.EmailField) or not f.editable:
            continue
        if f.name in ("password", "time_zone", "key", "token", "task_id", "claimed_by", "prefix"):
            continue
        names.append(f.name)
    return names


# --- who may read a row: the policies' answer ------------------------------------------------

Reader = Any
Rule = Callable[[Reader, Any], bool]


def _perm() -> Any:
    """Every app's policy rules, by name."""
    from cadre.networks.access_tags import policies

    return SimpleNamespace(**policies())


def _in_cohort_rule(label: str) -> Rule:
    """For a row of a cohort: the rule the cohort's pages apply (transfer.cohort.READABLE)."""

    def rule(reader: Reader, row: Any) -> bool:
        from cadre.transfer.cohort import READABLE
        from cadre.transfer.graph import cohort_models

        lookup = {o.label: o.lookup for o in cohort_models()}[label]
        model = type(row)
        cohort = _cohort_of(row, lookup)
        if cohort is None:
            return False
        rows = model._default_manager.filter(pk=row.pk)
        return bool(READABLE[label](reader, cohort, rows).exists())

    return rule


def _cohort_of(row: Any, lookup: str) -> Any:
    """The cohort a row belongs to, along the lookup transfer.graph found for its model."""
    from cadre.cohorts.models import Cohort

    if not lookup:
        return row
    cohort_id = type(row)._default_manager.filter(pk=row.pk).values_list(lookup, flat=True).first()
    return Cohort.objects.select_related("network").filter(pk=cohort_id).first()


def may_read_person(reader: Reader, user: Any) -> bool:
    """A person's name and profile: themselves, and the people who may see a directory of a
    network the person belongs to."""
    from cadre.networks.models import Network

    if reader.is_authenticated and reader.pk == user.pk:
        return True
    perm = _perm()
    return any(
        perm.can_view_directory(reader, network)
        for network in Network.objects.filter(memberships__user=user)
    )


def _network_rule(check: str) -> Rule:
    def rule(reader: Reader, row: Any) -> bool:
        network = row if row._meta.label == "networks.Network" else row.network
        return bool(getattr(_perm(), check)(reader, network))

    return rule


def _owner(attr: str) -> Rule:
    def rule(reader: Reader, row: Any) -> bool:
        return bool(reader.is_authenticated and getattr(row, f"{attr}_id") == reader.pk)

    return rule


def _application(reader: Reader, row: Any) -> bool:
    return _owner("user")(reader, row) or _perm().can_manage_intakes(reader, row.intake.network)


def _run(reader: Reader, row: Any) -> bool:
    return bool(_perm().can_manage_intakes(reader, row.intake.network))


def _survey_answer(reader: Reader, row: Any) -> bool:
    """An answer is its author's; hosts and organizers read the written answers without
    names on the close page (docs/cohorts.md)."""
    return _owner("user")(reader, row) or bool(_perm().can_read_survey_results(reader, row.cohort))


def _intake(reader: Reader, row: Any) -> bool:
    return bool(_perm().can_view_intake(reader, row))


def _ritual(reader: Reader, row: Any) -> bool:
    return _perm().visible_rituals(reader, row.network).filter(pk=row.pk).exists()


def _match(reader: Reader, row: Any) -> bool:
    if _perm().can_manage_mentoring(reader, row.network):
        return True
    return bool(reader.is_authenticated and reader.pk in (row.mentor_id, row.newcomer_id))


def _partner_group(reader: Reader, row: Any) -> bool:
    """Organizers manage the groups, and the people who add items choose among them."""
    if _perm().can_add_repository_item(reader, row.network):
        return True
    return bool(reader.is_authenticated and row.members.filter(pk=reader.pk).exists())


def _journal(reader: Reader, row: Any) -> bool:
    return bool(_perm().can_view_journal_entry(reader, row))


def _library(reader: Reader, row: Any) -> bool:
    return bool(_perm().can_view_repository_item(reader, row))


def _reuse(reader: Reader, row: Any) -> bool:
    return _perm().visible_reuses(reader).filter(pk=row.pk).exists()


def _profile(reader: Reader, row: Any) -> bool:
    return may_read_person(reader, row.user)


def _user(reader: Reader, row: Any) -> bool:
    return may_read_person(reader, row)


def _assessment(reader: Reader, row: Any) -> bool:
    """Peer assessments are never shown one by one (only as means of two or more): a note is
    read by the person who wrote it alone."""
    return _owner("assessor")(reader, row)


def _prompt(reader: Reader, row: Any) -> bool:
    """The coach prompts are shown to the coaches of the network's cohorts, and the bank to
    its organizers: the network's insiders."""
    return bool(_perm().is_network_insider(reader, row.network))


# Models of no cohort (or of a network and maybe a cohort): their rule, from the policies.
NETWORK_RULES: dict[str, Rule] = {
    "accounts.User": _user,
    "people.Profile": _profile,
    "networks.Network": _network_rule("can_view_network"),
    "networks.Skill": _network_rule("can_view_network"),
    "networks.CodeOfConduct": _network_rule("can_view_network"),
    "networks.Invitation": _network_rule("can_manage_network"),
    "formation.Intake": _intake,
    "formation.Application": _application,
    "formation.FormationRun": _run,
    "formation.WaitlistEntry": _run,
    "cohorts.SurveyAnswer": _survey_answer,
    "schedule.MentorMatch": _match,
    "schedule.Holiday": lambda reader, row: bool(_perm().can_view_holiday(reader, row)),
    "rotations.Ritual": _ritual,
    "coaching.CoachPrompt": _prompt,
    "diagnostics.Assessment": _assessment,
    "journal.JournalEntry": _journal,
    "journal.JournalTag": lambda reader, row: _journal(reader, row.entry),
    "repository.PartnerGroup": _partner_group,
    "repository.RepositoryItem": _library,
    "repository.Reuse": _reuse,
    "metrics.Metric": lambda reader, row: bool(_perm().can_view_metric(reader, row)),
    "metrics.Observation": lambda reader, row: bool(_perm().can_view_metric(reader, row.metric)),
    "api.ApiToken": _owner("user"),
    "rotations.PairingExclusion": _owner("owner"),
    "programmes.Programme": _network_rule("can_view_programmes"),
    "programmes.ProgrammeWeek": lambda reader, row: bool(
        _perm().can_view_programmes(reader, row.programme.network)
    ),
    "conversation.Notification": _owner("recipient"),
    "pairings.MeetingCheck": lambda reader, row: bool(_perm().can_read_check(reader, row)),
    "pairings.Relationship": lambda reader, row: bool(
        _perm().can_view_relationship(reader, row.match)
    ),
    "pairings.MentorMeeting": lambda reader, row: bool(
        _perm().can_view_relationship(reader, row.match)
    ),
    "webhooks.Endpoint": _network_rule("can_manage_webhooks"),
    "webhooks.Delivery": lambda reader, row: bool(
        _perm().can_manage_webhooks(reader, row.endpoint.network)
    ),
    "sso.IdentityProvider": _network_rule("can_manage_sso"),
    "chat.ChatDelivery": _network_rule("can_manage_chat"),
    "chat.SlackWorkspace": _network_rule("can_manage_chat"),
    "chat.ChannelLink": lambda reader, row: bool(
        _perm().can_manage_chat(reader, row.cohort.network)
    ),
    "chat.SlackIdentity": lambda reader, row: bool(
        _perm().can_manage_chat(reader, row.workspace.network)
    ),
}


# What a row shows of the rows it comes from, to everyone who may read it: a library item its
# origin (network and cohort, docs/repository.md), a reuse who used the item and in which
# cohort, a session report shared with the network the session and cohort it reports on.
SHOWN_WITH: dict[str, tuple[tuple[str, str], ...]] = {
    "repository.RepositoryItem": (("network", "name"), ("origin_cohort", "name")),
    "repository.Reuse": (("cohort", "name"), ("user", "name")),
    "schedule.SessionReport": (("session", "title"), ("session.cohort", "name")),
}


def shown_with(by_field: dict[tuple[str, int, str], str], row: Any) -> set[str]:
    """The canaries of the fields `row` shows of the rows it comes from (SHOWN_WITH), given
    the canary of each (model, pk, field)."""
    tokens = set()
    for path, name in SHOWN_WITH.get(row._meta.label, ()):
        target = row
        for step in path.split("."):
            target = getattr(target, step, None)
        if target is not None:
            token = by_field.get((target._meta.label, target.pk, name))
            if token:
                tokens.add(token)
    return tokens


# The impact report is a window on a cohort for people who may not see its board (the
# network's members, when the cohort is shared): it lists the cohort's purpose, charter,
# cohort-visible experiments, metrics and assessment rounds (cadre/impact/report.py says so),
# never a private item. Its readers (permissions.can_view_impact_report) read those rows.
IMPACT_REPORT_LISTS = frozenset(
    {
        "cohorts.Cohort",
        "cohorts.Charter",
        "accountability.Experiment",
        "metrics.Metric",
        "diagnostics.AssessmentRound",
    }
)


def in_impact_report(reader: Reader, row: Any) -> bool:
    label = row._meta.label
    if label not in IMPACT_REPORT_LISTS or getattr(row, "visibility", "cohort") == "private":
        return False
    if label == "metrics.Metric" and row.cohort_id is None:
        return False
    cohort = row if label == "cohorts.Cohort" else row.cohort
    return bool(_perm().can_view_impact_report(reader, cohort))


def read_rule(label: str) -> Rule | None:
    """The rule for rows of `label`, or None for a model no rule covers."""
    from cadre.transfer.cohort import READABLE

    if label in NETWORK_RULES:
        return NETWORK_RULES[label]
    return _in_cohort_rule(label) if label in READABLE else None


# The Django admin is the operators' view of every row, except what Cadre promises no one
# else reads (docs/permissions.md, docs/coaching.md, cadre/*/admin.py): what was said in a
# coaching session and in feedback, journal entries, single peer assessments, and secrets.
NEVER_IN_ADMIN = frozenset(
    {
        "coaching.CoachingSession",
        "coaching.Feedback",
        "journal.JournalEntry",
        "journal.JournalTag",
        "diagnostics.Assessment",
    }
)
