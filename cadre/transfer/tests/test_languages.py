"""The cohort export page in the reader's language; the files it gives keep one format
(docs/languages.md)."""

import io
import zipfile
from datetime import UTC, datetime

import pytest
from django.utils import translation

from cadre.lib.rules import Refused
from cadre.schedule.models import Attendance, Session
from cadre.testing import save_language
from cadre.transfer.sheets import cohort_spreadsheets

PAGE = "/n/northwind/c/reliability/export/"


def test_the_export_page_speaks_the_hosts_language(cast, client_for):
    save_language(cast.host, "de")
    browser = client_for(cast.host)
    page = browser.get(PAGE).content.decode()
    assert "Die Daten der Kohorte exportieren" in page
    assert "Die Tabellen herunterladen (zip)" in page
    assert "Export the cohort's data" not in page
    unknown = browser.get(PAGE + "?format=xml")
    assert unknown.status_code == 400
    assert unknown.content.decode() == "Unbekanntes Format: Wähle json oder csv."


def test_the_files_keep_one_format_whatever_the_language(cast, client_for):
    save_language(cast.host, "es")
    document = client_for(cast.host).get(PAGE + "?format=json").json()
    assert "format" in document  # keys are the export's, not translated


def test_the_refusal_follows_the_active_language(cast):
    with translation.override("es"), pytest.raises(Refused) as refused:
        cohort_spreadsheets(cast.member, cohort=cast.cohort)
    assert refused.value.message == (
        "Solo las personas facilitadoras de la cohorte y el equipo organizador de la red "
        "exportan sus datos."
    )


def test_the_spreadsheets_keep_english_statuses_whatever_the_language(cast, client_for):
    session = Session.objects.create(
        cohort=cast.cohort, starts_at=datetime(2026, 3, 3, 14, 0, tzinfo=UTC)
    )
    Attendance.objects.create(session=session, user=cast.member, status="excused")
    save_language(cast.host, "de")
    response = client_for(cast.host).get(PAGE + "?format=csv")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    attendance = archive.read(
        next(n for n in archive.namelist() if n.endswith("attendance.csv"))
    ).decode("utf-8-sig")
    assert "Excused" in attendance and "Entschuldigt" not in attendance
