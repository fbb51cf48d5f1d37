"""The programme pages, the API and the `programme` command: who may open what, importing
with its problems listed, exporting, laying a programme onto a schedule (asking before
replacing an agenda someone wrote), and the week on the session page and the run view."""

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from cadre.programmes import services
from cadre.programmes.models import Programme, SessionWeek
from cadre.schedule import services as schedule
from cadre.schedule.tests.helpers import make_schedule
from cadre.testing_parity import (
    api_as,
    fields_of,
    page_as,
    shown_on_page,
    through_both,
)

from .helpers import add_shipped, small_programme

API = "/api/v1/networks/northwind/programmes"


def url(name: str, *args: Any, network: str = "northwind") -> str:
    return reverse(f"programmes:{name}", args=[network, *args])


def upload(doc: Any, name: str = "programme.json") -> SimpleUploadedFile:
    content = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
    return SimpleUploadedFile(name, content, content_type="application/json")


# --- who may open the pages -----------------------------------------------------------------

INSIDERS = ["admin", "organizer", "host", "member", "other_cohort_member", "mentor"]


@pytest.mark.parametrize("who", INSIDERS)
def test_insiders_read_and_export_programmes(cast, client_for, who):
    programme = add_shipped(cast.network, cast.organizer)
    client = client_for(getattr(cast, who))
    assert "Leading change in your team" in client.get(url("list")).content.decode()
    detail = client.get(url("detail", programme.pk))
    assert detail.status_code == 200 and "Week 8: Making it stick" in shown_on_page(detail)
    exported = client.get(url("export", programme.pk))
    assert (
        exported["Content-Disposition"] == 'attachment; filename="leading-change-in-your-team.json"'
    )
    assert json.loads(exported.content)["title"] == programme.title


@pytest.mark.parametrize("who", ["partner", "outsider"])
def test_people_outside_the_network_get_404(cast, client_for, who):
    programme = add_shipped(cast.network, cast.organizer)
    client = client_for(getattr(cast, who))
    for path in (url("list"), url("detail", programme.pk), url("export", programme.pk)):
        assert client.get(path).status_code == 404
    assert api_as(getattr(cast, who)).get("/networks/northwind/programmes").status_code == 404


def test_anonymous_is_sent_to_sign_in(cast, client):
    response = client.get(url("list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(API).status_code == 401


def test_the_newcomer_accepts_the_code_of_conduct_first(cast, client_for):
    response = client_for(cast.newcomer).get(url("list"))
    assert response.status_code == 302 and "conduct" in response["Location"]


def test_a_programme_of_another_network_is_not_found(cast, client_for):
    theirs = add_shipped(cast.other_network, cast.outsider)
    client = client_for(cast.organizer)
    assert client.get(url("detail", theirs.pk)).status_code == 404
    assert (
        api_as(cast.organizer).get(f"/networks/northwind/programmes/{theirs.pk}").status_code == 404
    )


@pytest.mark.parametrize("who", ["host", "member", "mentor"])
def test_only_organizers_import(cast, client_for, who):
    client = client_for(getattr(cast, who))
    assert client.get(url("import")).status_code == 403
    assert client.post(url("add_shipped"), {"slug": "leading-change"}).status_code == 403
    assert (
        api_as(getattr(cast, who))
        .post("/networks/northwind/programmes/shipped", {"slug": "leading-change"})
        .status_code
        == 403
    )
    assert not Programme.objects.exists()


@pytest.mark.parametrize("who", ["member", "other_cohort_member", "mentor"])
def test_members_cannot_apply(cast, client_for, who):
    make_schedule(cast.cohort)
    programme = add_shipped(cast.network, cast.organizer)
    client = client_for(getattr(cast, who))
    assert client.get(url("apply", programme.pk)).status_code == 403
    answer = api_as(getattr(cast, who)).post(
        f"/networks/northwind/programmes/{programme.pk}/apply", {"cohort": "reliability"}
    )
    assert answer.status_code == (403 if who == "member" else 404)
    assert not SessionWeek.objects.exists()


# --- importing --------------------------------------------------------------------------------


def test_the_list_offers_the_shipped_programme_to_organizers(cast, client_for):
    client = client_for(cast.organizer)
    page = shown_on_page(client.get(url("list")))
    assert "This network has no programmes yet." in page
    assert "Add “Leading change in your team” to this network" in page
    response = client.post(url("add_shipped"), {"slug": "leading-change"}, follow=True)
    assert "is added to the network’s programmes" in shown_on_page(response)
    assert Programme.objects.get(network=cast.network).weeks.count() == 8
    assert "Add “Leading change" not in shown_on_page(client.get(url("list")))


def test_an_upload_with_problems_lists_them_and_saves_nothing(cast, client_for):
    doc = small_programme()
    doc["weeks"][2 - 1]["blocks"][1]["minutes"] = "a lot"
    doc["weeks"][0]["theme"] = ""
    response = client_for(cast.organizer).post(url("import"), {"file": upload(doc)})
    assert response.status_code == 400
    page = shown_on_page(response)
    assert "Nothing was imported." in page
    assert "week 1: theme is missing" in page
    assert "week 2, block 2: minutes must be a whole number" in page
    assert not Programme.objects.exists()


def test_an_upload_is_imported_and_shown(cast, client_for):
    response = client_for(cast.organizer).post(
        url("import"), {"file": upload(small_programme())}, follow=True
    )
    assert "“Two weeks of feedback” is imported, with 2 weeks." in shown_on_page(response)
    assert Programme.objects.get().weeks.count() == 2


def test_the_api_imports_and_lists_every_problem(cast):
    caller = api_as(cast.organizer)
    doc = small_programme()
    doc["weeks"][1]["blocks"][0]["minutes"] = 0
    bad = caller.post("/networks/northwind/programmes/import", doc)
    assert bad.status_code == 422
    assert bad.json()["error"]["detail"]["problems"] == [
        "week 2, block 1: minutes must be at least 1",
        "week 2: the blocks add up to 50 minutes, not the programme's 60",
    ]
    good = caller.post("/networks/northwind/programmes/import", small_programme())
    assert good.status_code == 201 and len(good.json()["week_list"]) == 2
    again = caller.post("/networks/northwind/programmes/import", small_programme())
    assert again.status_code == 409
    listed = caller.get("/networks/northwind/programmes").json()
    assert [p["title"] for p in listed] == ["Two weeks of feedback"]
    exported = caller.get(f"/networks/northwind/programmes/{good.json()['id']}/export").json()
    assert exported["weeks"][0]["blocks"][0]["title"] == "Check-in 1"


# --- applying, and the parity of the two doors ------------------------------------------------


def applied_rows(_: Any) -> Any:
    from cadre.schedule.models import AgendaBlock

    return (
        fields_of(
            SessionWeek.objects.all(),
            ignore=("session_id", "week_id"),
            also=("session__starts_at", "week__number"),
        ),
        fields_of(AgendaBlock.objects.all(), ignore=("session_id",), also=("session__starts_at",)),
    )


def test_applying_leaves_the_same_rows_through_both_doors(cast):
    make_schedule(cast.cohort)
    programme = add_shipped(cast.network, cast.organizer)
    page, api = through_both(
        lambda: None,
        lambda _: page_as(cast.organizer).post(
            url("apply", programme.pk), {"cohort": "reliability"}
        ),
        lambda _: api_as(cast.organizer).post(
            f"/networks/northwind/programmes/{programme.pk}/apply", {"cohort": "reliability"}
        ),
        applied_rows,
    )
    assert len(page[0]) == 8 and page == api


def test_replacing_an_agenda_is_asked_alike_through_both_doors(cast, client_for):
    make_schedule(cast.cohort)
    programme = add_shipped(cast.network, cast.organizer)
    first = services.upcoming_sessions(cast.cohort)[0]
    schedule.replace_agenda(cast.host, first, blocks=[schedule.Block("other", "Ours", 60)])
    page = client_for(cast.host).post(url("apply", programme.pk), {"cohort": "reliability"})
    api = api_as(cast.host).post(
        f"/networks/northwind/programmes/{programme.pk}/apply", {"cohort": "reliability"}
    )
    assert api.status_code == 409 and api.json()["error"]["code"] == "agenda_exists"
    assert api.json()["error"]["message"] in shown_on_page(page)
    assert "Replace the agendas that upcoming sessions already have" in shown_on_page(page)
    assert not SessionWeek.objects.exists()
    done = client_for(cast.host).post(
        url("apply", programme.pk), {"cohort": "reliability", "overwrite": "on"}, follow=True
    )
    assert "weeks 1–8 are on its next 8 sessions" in shown_on_page(done)
    assert SessionWeek.objects.count() == 8


def test_the_session_page_and_run_view_show_the_week(cast, client_for):
    make_schedule(cast.cohort)
    programme = add_shipped(cast.network, cast.organizer)
    services.apply_programme(by=cast.organizer, programme=programme, cohort=cast.cohort)
    first = services.upcoming_sessions(cast.cohort)[0]
    args = [cast.network.slug, cast.cohort.slug, first.pk]
    session_page = shown_on_page(
        client_for(cast.member).get(reverse("schedule:session", args=args))
    )
    assert "Week 1 of Leading change in your team" in session_page
    assert "What would someone outside your team notice first" in session_page
    assert "Suggested experiment: One-week baseline" in session_page
    run = shown_on_page(client_for(cast.host).get(reverse("schedule:run", args=args)))
    assert "Arrivals: one word for how your team feels" in run
    assert "Week 1 of Leading change in your team" in run


# --- the command, as docs/getting-started.md writes it ----------------------------------------


def test_the_programme_command_imports_and_exports(cast, tmp_path, capsys):
    call_command("programme", "import", "northwind", "leading-change")
    assert (
        "Imported “Leading change in your team” (8 weeks) into northwind."
        in capsys.readouterr().out
    )
    out = tmp_path / "copy.json"
    call_command("programme", "export", "northwind", "Leading change in your team", "-o", str(out))
    call_command("programme", "import", "southgate", str(out))
    assert Programme.objects.filter(title="Leading change in your team").count() == 2


def test_the_programme_command_explains_problems(cast, tmp_path):
    from django.core.management.base import CommandError

    bad = tmp_path / "bad.json"
    doc = small_programme()
    doc["weeks"][0]["blocks"][0]["minutes"] = "ten"
    bad.write_text(json.dumps(doc))
    with pytest.raises(CommandError, match="week 1, block 1: minutes must be a whole number"):
        call_command("programme", "import", "northwind", str(bad))
    with pytest.raises(CommandError, match="There is no network 'nowhere'"):
        call_command("programme", "import", "nowhere", str(bad))
