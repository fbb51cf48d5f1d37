"""A cohort's data export: who may download it, and that private rows stay out."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from cadre.accountability.models import Commitment, Kudos
from cadre.journal.models import JournalEntry, JournalTag

PAGE = "/n/northwind/c/reliability/export/"
API = "/api/v1/networks/northwind/cohorts/reliability/export"


@pytest.fixture
def records(cast: Any) -> dict[str, Any]:
    shared = Commitment.objects.create(
        cohort=cast.cohort, owner=cast.member, text="Publish the runbook by Friday"
    )
    private = Commitment.objects.create(
        cohort=cast.cohort, owner=cast.member, text="Secret goal", visibility="private"
    )
    Kudos.objects.create(commitment=shared, giver=cast.host)
    Kudos.objects.create(commitment=private, giver=cast.member)
    diary = JournalEntry.objects.create(
        network=cast.network,
        author=cast.member,
        cohort=cast.cohort,
        title="Dear diary",
        body="private",
        visibility="private",
    )
    JournalTag.objects.create(entry=diary, name="secret")
    open_entry = JournalEntry.objects.create(
        network=cast.network,
        author=cast.member,
        cohort=cast.cohort,
        title="What I learned",
        body="shared",
        visibility="cohort",
        created_at=timezone.now(),
    )
    JournalTag.objects.create(entry=open_entry, name="learning")
    return {"shared": shared, "private": private, "diary": diary, "open": open_entry}


@pytest.mark.parametrize("who", ["host", "organizer", "admin"])
def test_hosts_and_organizers_download_json_without_private_rows(
    cast: Any, client_for: Any, records: dict[str, Any], who: str
) -> None:
    client = client_for(getattr(cast, who))
    assert client.get(PAGE).status_code == 200
    response = client.get(PAGE + "?format=json")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('reliability.json"')
    document = json.loads(response.content)
    tables = document["tables"]
    commitments = {row["text"] for row in tables["accountability.Commitment"]}
    assert commitments == {"Publish the runbook by Friday"}
    assert [row["commitment"] for row in tables["accountability.Kudos"]] == [records["shared"].pk]
    assert [row["title"] for row in tables["journal.JournalEntry"]] == ["What I learned"]
    assert [row["name"] for row in tables["journal.JournalTag"]] == ["learning"]
    assert [row["slug"] for row in tables["cohorts.Cohort"]] == ["reliability"]
    assert "Secret goal" not in response.content.decode()
    assert "Dear diary" not in response.content.decode()
    names = {person["name"] for person in document["people"]}
    assert cast.member.name in names
    assert "@" not in json.dumps(document["people"])


def test_csv_zip_has_a_file_for_each_kind_of_record(
    cast: Any, client_for: Any, records: dict[str, Any]
) -> None:
    response = client_for(cast.host).get(PAGE + "?format=csv")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert "commitments.csv" in archive.namelist()
    assert "members.csv" in archive.namelist()
    text = archive.read("commitments.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["Commitment"] for row in rows] == ["Publish the runbook by Friday"]


def test_csv_zip_neutralises_formula_text_but_not_the_json(
    cast: Any, client_for: Any, records: dict[str, Any]
) -> None:
    records["shared"].text = "=cmd|' /c calc'!A0 by Friday"
    records["shared"].save()
    cast.member.name = "@SUM(A1:A9)"
    cast.member.save()
    response = client_for(cast.host).get(PAGE + "?format=csv")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    text = archive.read("commitments.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["Commitment"] for row in rows] == ["'=cmd|' /c calc'!A0 by Friday"]
    people = list(csv.DictReader(io.StringIO(archive.read("members.csv").decode("utf-8-sig"))))
    assert "'@SUM(A1:A9)" in {p["Name"] for p in people}
    document = client_for(cast.host).get(PAGE + "?format=json").json()
    texts = [row["text"] for row in document["tables"]["accountability.Commitment"]]
    assert texts == ["=cmd|' /c calc'!A0 by Friday"]  # JSON keeps the text exactly


def test_unknown_format_is_explained(cast: Any, client_for: Any) -> None:
    response = client_for(cast.host).get(PAGE + "?format=xml")
    assert response.status_code == 400
    assert b"choose json or csv" in response.content


@pytest.mark.parametrize("who", ["member", "other_cohort_member", "mentor", "partner", "outsider"])
def test_others_do_not_find_the_page(cast: Any, client_for: Any, who: str) -> None:
    client = client_for(getattr(cast, who))
    assert client.get(PAGE).status_code == 404
    assert client.get(PAGE + "?format=json").status_code == 404


def test_anonymous_and_newcomers_are_sent_away(cast: Any, client_for: Any) -> None:
    response = client_for(None).get(PAGE + "?format=json")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert client_for(None).get(API).status_code == 401
    response = client_for(cast.newcomer).get(PAGE + "?format=json")
    assert response.status_code == 302 and "conduct" in response["Location"]


def test_api_export(cast: Any, client_for: Any, records: dict[str, Any]) -> None:
    response = client_for(cast.host).get(API)
    assert response.status_code == 200
    assert {row["text"] for row in response.json()["tables"]["accountability.Commitment"]} == {
        "Publish the runbook by Friday"
    }
    assert client_for(cast.member).get(API).json()["error"]["code"] == "forbidden"
    for who in ("other_cohort_member", "partner", "outsider"):
        assert client_for(getattr(cast, who)).get(API).status_code == 404
    assert client_for(cast.newcomer).get(API).json()["error"]["code"] == "conduct_not_accepted"
