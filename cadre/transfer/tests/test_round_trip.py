"""`cadre export` then `cadre import` gives back the same network, row for row."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from cadre.accountability.models import Blocker, Commitment, ProgressUpdate
from cadre.accounts.models import User
from cadre.cohorts.models import Cohort
from cadre.networks.models import Network, Skill
from cadre.people.models import ProfileSkill
from cadre.schedule.models import Session
from cadre.transfer.graph import owned_models
from cadre.transfer.transfer import (
    ImportProblem,
    differences,
    dump,
    export_network,
    import_network,
)


def enrich(cast: Any) -> None:
    """Rows that reach the network by longer paths and many-to-many links."""
    skill = Skill.objects.filter(network=cast.network).first()
    assert skill is not None, "the cast's network has skills"
    ProfileSkill.objects.create(profile=cast.member.profile, skill=skill, level=2)
    session = Session.objects.create(cohort=cast.cohort, starts_at=timezone.now())
    commitment = Commitment.objects.create(
        cohort=cast.cohort,
        owner=cast.member,
        text="Run one game day by Friday",
        due_on=timezone.localdate() + timedelta(days=3),
        session=session,
    )
    update = ProgressUpdate.objects.create(
        cohort=cast.cohort, author=cast.member, commitment=commitment, done="Drafted it"
    )
    blocker = Blocker.objects.create(update=update, text="No test cluster")
    blocker.skills.add(skill)


def test_every_model_of_a_network_is_exported() -> None:
    labels = {owned.label for owned in owned_models()}
    for label in (
        "networks.Network",
        "cohorts.CharterAcknowledgement",
        "schedule.Attendance",
        "accountability.HelpOffer",
        "people.ProfileSkill",
        "journal.JournalTag",
        "repository.Reuse",
    ):
        assert label in labels
    assert "api.ApiToken" not in labels
    # Nothing is left out by accident: every model of Cadre is the network's, a person's,
    # or deliberately excluded.
    from django.apps import apps

    from cadre.transfer.graph import EXCLUDED, PERSONAL, USER

    for model in apps.get_models():
        label = model._meta.label
        if model.__module__.startswith("cadre."):
            assert label in labels or label in EXCLUDED or label in PERSONAL or label == USER, label
    order = [owned.label for owned in owned_models()]
    assert order.index("cohorts.Cohort") < order.index("schedule.Session")
    assert order.index("schedule.Session") < order.index("accountability.Commitment")


def test_round_trip_under_a_new_address_loses_nothing(cast: Any) -> None:
    enrich(cast)
    before = export_network(cast.network)
    result = import_network(before, slug="northwind-copy", name="Northwind copy")
    after = export_network(result.network)
    assert differences(before, after, result) == []
    assert result.network.cohorts.count() == cast.network.cohorts.count()
    assert result.matched_users == len(before["users"])
    copy = Cohort.objects.get(network=result.network, slug=cast.cohort.slug)
    assert Blocker.objects.get(update__cohort=copy).skills.get().network == result.network


def test_round_trip_into_an_empty_installation_recreates_people(cast: Any) -> None:
    enrich(cast)
    before = json.loads(dump(export_network(cast.network)))
    emails = [row["fields"]["email"] for row in before["users"]]
    password = cast.member.password
    cast.network.delete()
    User.objects.filter(email__in=emails).delete()
    result = import_network(before)
    assert len(result.created_people) == len(emails)
    assert differences(before, export_network(result.network), result) == []
    member = User.objects.get(email=cast.member.email)
    assert member.password == password
    assert member.profile.time_zone == "Europe/Berlin"
    assert not member.is_superuser


@pytest.mark.parametrize("microsecond", [0, 123, 999_999])
def test_times_keep_every_digit_whatever_the_clock_read(cast: Any, microsecond: int) -> None:
    """Django's JSON encoder rounds times to milliseconds; a time whose microseconds were
    under a thousand then came back different from an export of the import."""
    when = timezone.now().replace(microsecond=microsecond)
    Cohort.objects.filter(pk=cast.cohort.pk).update(created_at=when)
    before = json.loads(dump(export_network(cast.network)))
    result = import_network(before, slug="copy")
    assert differences(before, json.loads(dump(export_network(result.network))), result) == []
    copy = Cohort.objects.get(network=result.network, slug=cast.cohort.slug)
    assert copy.created_at == when


def test_a_difference_is_reported(cast: Any) -> None:
    before = export_network(cast.network)
    result = import_network(before, slug="copy")
    Cohort.objects.filter(network=result.network, slug="reliability").update(objective="Changed")
    problems = differences(before, export_network(result.network), result)
    assert len(problems) == 1 and "objective" in problems[0]


def test_an_existing_address_is_refused(cast: Any) -> None:
    with pytest.raises(ImportProblem, match="already exists"):
        import_network(export_network(cast.network))


def drop_person(document: dict[str, Any], pk: int) -> None:
    document["users"] = [row for row in document["users"] if row["pk"] != pk]
    for _label, rows in document["personal"]:
        rows[:] = [row for row in rows if row["fields"].get("user") != pk]


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda d: d.update(format="other"), "not a Cadre network export"),
        (lambda d: d.update(version=99), "version 99"),
        (lambda d: d["models"].append(["nosuch.Model", []]), "never holds"),
        (lambda d: d["users"].clear(), "belongs to nobody in the file"),
        (lambda d: drop_person(d, d["users"][0]["pk"]), "user points to accounts.User"),
    ],
)
def test_a_broken_file_imports_nothing(cast: Any, mangle: Any, message: str) -> None:
    document = export_network(cast.network)
    mangle(document)
    networks, users = Network.objects.count(), User.objects.count()
    with pytest.raises(ImportProblem, match=message):
        import_network(document, slug="copy")
    assert (Network.objects.count(), User.objects.count()) == (networks, users)


def test_the_commands_round_trip(cast: Any, tmp_path: Any, capsys: Any) -> None:
    enrich(cast)
    path = tmp_path / "northwind.json"
    call_command("export", "northwind", output=str(path))
    call_command("import", str(path), slug="restored", verify=True)
    out = capsys.readouterr().out
    assert "Verified" in out and Network.objects.filter(slug="restored").exists()


def test_the_commands_explain_problems(cast: Any, tmp_path: Any) -> None:
    with pytest.raises(CommandError, match="no network 'nowhere'"):
        call_command("export", "nowhere")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(CommandError, match="line 1"):
        call_command("import", str(bad))
    with pytest.raises(CommandError, match="^Nothing was imported: cannot read"):
        call_command("import", str(tmp_path / "missing.json"))


def test_an_imported_network_is_searchable(cast: Any) -> None:
    from cadre.repository.models import RepositoryItem
    from cadre.repository.search import search

    RepositoryItem.objects.create(
        network=cast.network,
        kind="learning",
        title="Zebra crossings for deploys",
        author=cast.member,
    )
    result = import_network(export_network(cast.network), slug="copy")
    found = search(cast.member, result.network, "zebra")
    assert [hit.title for hit in found.results] == ["Zebra crossings for deploys"]
