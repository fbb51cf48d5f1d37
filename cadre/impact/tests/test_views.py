"""The report's page, its PDF and its API endpoint: what they show, and who may open them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from cadre.impact.pdf import font_dir
from cadre.networks.policy import forget

from .story import api_url, grow, impact_url

# Who reads the report of an unshared cohort, and who does not.
READERS = ["member", "host", "organizer", "admin"]
NOT_READERS = ["other_cohort_member", "mentor", "partner", "outsider"]


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


# --- the page ---------------------------------------------------------------------------------


def test_the_page_shows_what_the_cohort_set_out_to_do_did_and_changed(cast, client_for, story):
    response = client_for(cast.host).get(impact_url(cast))
    assert response.status_code == 200
    html = response.content.decode()
    for heading in ("What we set out to do", "What we did", "What changed"):
        assert heading in html
    assert "Cut incident recovery time by sharing what works." in html
    assert "Median recovery under 30 minutes" in html
    assert "Secret mission of Platform Reliability." in html  # the charter's mission
    assert "Łukasz Nowak" in html and "Zoë Ng" in html
    assert "Attendance, since the start" in html
    assert "87.5% <small>7 of 8 marks present</small>" in html
    assert "Follow-through, since the start" in html
    assert "50% <small>2 of 4 due done</small>" in html
    assert "25% (1 of 4)" in html  # done on time
    assert "Game day drills" in html and "Runbooks beat memory." in html
    assert "Game day playbook" in html
    assert "Recovery time" in html and "50 minutes" in html and "32 minutes" in html
    assert 'class="verdict-better">better<' in html and 'class="verdict-worse">worse<' in html
    assert "Round 1. Start" in html and "Round 3. End" in html
    # Two kinds of chart, each with its numbers.
    assert html.count('role="img"') == 3  # two metric charts and the skill chart
    assert "Target 30" in html
    assert "The numbers behind" in html
    assert 'href="/n/northwind/c/reliability/impact/report.pdf"' in html
    # The print layout is in the report's stylesheet (no inline <style>: the CSP forbids it).
    assert 'href="/static/impact/impact.css"' in html
    assert "@media print" in Path(finders.find("impact/impact.css")).read_text()


def test_the_page_never_shows_private_items_or_coaching_content(cast, client_for, story):
    html = client_for(cast.member).get(impact_url(cast)).content.decode()
    for secret in ("Secret goal", "Secret side project", "Private insight", "Secret blocker"):
        assert secret not in html
    assert "Confidential focus" not in html and "Hush" not in html


def test_an_empty_cohort_says_what_is_missing(cast, client_for):
    html = client_for(cast.admin).get(impact_url(cast, cohort=cast.other_cohort)).content.decode()
    assert "No experiment has concluded yet" in html
    assert "The cohort has no metrics yet." in html
    assert "The cohort has not chosen target skills yet." in html
    assert "— (none yet)" in html


def test_the_cohort_page_links_to_the_report(cast, client_for):
    html = client_for(cast.member).get(cast.cohort.get_absolute_url()).content.decode()
    assert impact_url(cast) in html


# --- the PDF ----------------------------------------------------------------------------------


def test_the_pdf_holds_the_objective_outcomes_names_and_numbers(cast, client_for, story):
    assert font_dir() is not None, (
        "DejaVu Sans is missing: install fonts-dejavu-core (make test does) or set CADRE_PDF_FONT_DIR"
    )
    response = client_for(cast.host).get(impact_url(cast, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "reliability-impact-" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "Cut incident recovery time by sharing what works." in text
    assert "Median recovery under 30 minutes" in text
    assert "Łukasz Nowak" in text and "Zoë Ng" in text
    flowing = " ".join(text.split())  # the PDF wraps long cells
    assert "Attendance, since the start 87.5% (7 of 8 marks present)" in flowing
    assert "Follow-through, since the start 50% (2 of 4 due done)" in flowing
    assert "25% (1 of 4)" in text
    assert "Game day drills" in text and "Runbooks beat memory." in text
    assert "Recovery time" in text and "better" in text and "worse" in text
    assert "Facilitation" in text and "+1.4" in text
    for secret in ("Secret goal", "Secret side project", "Confidential focus"):
        assert secret not in text


def test_without_dejavu_the_pdf_falls_back_to_helvetica(
    cast, client_for, story, settings, tmp_path
):
    settings.CADRE_PDF_FONT_DIR = str(tmp_path)  # a folder without the fonts
    assert font_dir() is None
    response = client_for(cast.host).get(impact_url(cast, "pdf"))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Zoë Ng" in text  # Latin-1 survives
    assert "?ukasz Nowak" in text  # what Helvetica cannot draw is marked, not dropped
    assert "Cut incident recovery time by sharing what works." in text


def test_the_pdf_marks_characters_its_font_cannot_draw(cast, client_for, story):
    story.zoe.name = "Zoë 王 Ng"
    story.zoe.save()
    text = pdf_text(client_for(cast.host).get(impact_url(cast, "pdf")).content)
    assert "Zoë ? Ng" in text


# --- the API ----------------------------------------------------------------------------------


def test_the_api_gives_the_same_report_as_json(cast, client_for, story):
    response = client_for(cast.member).get(api_url(cast))
    assert response.status_code == 200
    body = response.json()
    assert (body["network"], body["cohort"]) == ("northwind", "reliability")
    assert body["purpose"]["outcomes"][0] == "Median recovery under 30 minutes"
    assert body["sessions"]["attendance_rate"] == 87.5
    assert body["commitments"]["done_on_time"] == 1
    assert body["commitments"]["on_time_rate"] == 25.0
    assert body["commitments"]["follow_through"] == 50.0
    by_key = {f["key"]: f for f in body["figures"]}
    assert by_key["attendance"]["label"] == "Attendance, since the start"
    assert (by_key["attendance"]["text"], by_key["attendance"]["part"]) == ("87.5%", 7)
    assert by_key["active_members"]["window"] == "today"
    assert [e["title"] for e in body["experiments"]["concluded"]] == [
        "Game day drills",
        "Pager rotation swap",
    ]
    assert body["help"]["blockers_resolved"] == 1
    assert body["coaching"] == {"sessions": 2, "people_coached": 2}
    assert body["total_reuses"] == 4
    recovery = next(m for m in body["metrics"] if m["name"] == "Recovery time")
    assert recovery["verdict"] == "better" and recovery["meets_target"] is False
    assert [float(w["mean"]) for w in recovery["weekly"]] == [45.0, 32.0]
    facilitation = next(s for s in body["skills"]["skills"] if s["skill"] == "Facilitation")
    assert (facilitation["first"], facilitation["latest"]) == (1.3, 2.7)
    assert "Secret goal" not in response.content.decode()


# --- who may open it --------------------------------------------------------------------------


@pytest.mark.parametrize("person", READERS)
@pytest.mark.parametrize("page", ["report", "pdf"])
def test_the_cohort_and_its_organizers_read_the_report(cast, client_for, person, page):
    assert client_for(getattr(cast, person)).get(impact_url(cast, page)).status_code == 200


@pytest.mark.parametrize("person", READERS)
def test_the_cohort_and_its_organizers_read_the_report_in_the_api(cast, client_for, person):
    assert client_for(getattr(cast, person)).get(api_url(cast)).status_code == 200


@pytest.mark.parametrize("person", NOT_READERS)
@pytest.mark.parametrize("page", ["report", "pdf"])
def test_people_outside_an_unshared_cohort_get_404(cast, client_for, person, page):
    assert client_for(getattr(cast, person)).get(impact_url(cast, page)).status_code == 404


@pytest.mark.parametrize("person", NOT_READERS)
def test_people_outside_an_unshared_cohort_get_404_in_the_api(cast, client_for, person):
    response = client_for(getattr(cast, person)).get(api_url(cast))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.fixture
def shared(cast):
    cast.cohort.shared_with_network = True
    cast.cohort.save()
    return cast


@pytest.mark.parametrize("person", ["other_cohort_member", "mentor"])
@pytest.mark.parametrize("page", ["report", "pdf"])
def test_network_members_and_mentors_read_a_shared_cohorts_report(shared, client_for, person, page):
    assert client_for(getattr(shared, person)).get(impact_url(shared, page)).status_code == 200
    assert client_for(getattr(shared, person)).get(api_url(shared)).status_code == 200


@pytest.mark.parametrize("person", ["partner", "outsider"])
@pytest.mark.parametrize("page", ["report", "pdf"])
def test_partners_and_outsiders_never_read_a_shared_cohorts_report(
    shared, client_for, person, page
):
    assert client_for(getattr(shared, person)).get(impact_url(shared, page)).status_code == 404
    assert client_for(getattr(shared, person)).get(api_url(shared)).status_code == 404


def test_a_shared_report_keeps_private_items_out_for_network_readers(shared, client_for, story):
    html = client_for(shared.mentor).get(impact_url(shared)).content.decode()
    assert "87.5% <small>7 of 8 marks present</small>" in html
    assert "Secret goal" not in html and "Confidential focus" not in html


@pytest.mark.parametrize("page", ["report", "pdf"])
def test_anonymous_visitors_are_sent_to_sign_in(cast, client_for, page):
    response = client_for(None).get(impact_url(cast, page))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_anonymous_api_callers_get_401(cast, client_for):
    response = client_for(None).get(api_url(cast))
    assert response.status_code == 401


@pytest.mark.parametrize("page", ["report", "pdf"])
def test_newcomers_are_sent_to_the_code_of_conduct_first(cast, client_for, page):
    response = client_for(cast.newcomer).get(impact_url(cast, page))
    assert response.status_code == 302
    assert response["Location"].startswith("/n/northwind/conduct")


def test_newcomers_are_told_to_accept_the_code_of_conduct_in_the_api(cast, client_for):
    response = client_for(cast.newcomer).get(api_url(cast))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "conduct_not_accepted"


def test_the_report_is_read_only(cast, client_for):
    assert client_for(cast.host).post(impact_url(cast)).status_code == 405


# --- bounded queries --------------------------------------------------------------------------


def _page_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["report", "pdf"])
def test_page_and_pdf_cost_the_same_queries_at_two_data_sizes(cast, client_for, story, page):
    client = client_for(cast.host)
    url = impact_url(cast, page)
    small = _page_queries(client, url)
    grow(cast, 2)
    forget(cast.host)
    assert _page_queries(client, url) == small


def test_the_api_costs_the_same_queries_at_two_data_sizes(cast, client_for, story):
    client = client_for(cast.host)
    small = _page_queries(client, api_url(cast))
    grow(cast, 2)
    assert _page_queries(client, api_url(cast)) == small


def test_a_charts_numbers_table_prints_each_cell_as_the_template_would():
    from django.template import Context, Template

    from cadre.impact.templatetags.impact_tags import table_rows

    rows = [["2026-03-02", "1.5"], ["<b>", ""]]
    looped = Template(
        "{% for row in rows %}<tr>{% for v in row %}<td>{{ v }}</td>{% endfor %}</tr>{% endfor %}"
    ).render(Context({"rows": rows}))
    assert table_rows(rows) == looped
    assert "&lt;b&gt;" in looped


def test_a_charts_numbers_table_is_written_once_per_chart_and_language():
    from django.utils import translation

    from cadre.impact.templatetags.impact_tags import chart_rows, table_rows
    from cadre.lib.charts import Chart

    chart = Chart("<svg/>", "t", "s", ["Date", "Mean"], [["2026-03-02", "1.5"], ["<b>", ""]])
    with translation.override("de"):
        first = chart_rows(chart)
        assert first == table_rows(chart.rows)
        assert chart_rows(chart) is first
    with translation.override("en"):
        assert chart_rows(chart) is not first and chart_rows(chart) == first
