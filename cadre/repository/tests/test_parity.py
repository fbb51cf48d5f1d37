"""The page and the API are two doors to the same services: each write of the library, done
by the same person with the same input on two identical set-ups, leaves the same rows, and a
refusal says the same sentence through both."""

from typing import Any

import pytest
from django.urls import reverse

from cadre.repository.models import PartnerGroup, RepositoryItem, Reuse
from cadre.schedule.models import AgendaBlock
from cadre.testing_parity import (
    api_as,
    api_field_messages,
    api_message,
    fields_of,
    page_as,
    shown_on_page,
    through_both,
)

from .conftest import item
from .helpers import experiment, published_report, upcoming_session

LIB = "/networks/northwind/library"


def url(name: str, *args: Any) -> str:
    return reverse(f"repository:{name}", args=["northwind", *args])


def nothing() -> None:
    return None


def item_rows(_: Any) -> Any:
    return (
        fields_of(RepositoryItem.objects.all()),
        sorted(
            RepositoryItem.skills.through.objects.values_list("repositoryitem__title", "skill_id")
        ),
        sorted(
            RepositoryItem.partner_groups.through.objects.values_list(
                "repositoryitem__title", "partnergroup_id"
            )
        ),
    )


# --- items ----------------------------------------------------------------------------------


def test_adding_an_item_leaves_the_same_rows_through_both_doors(cast, lib):
    skill = cast.network.skills.order_by("slug").first()
    page, api = through_both(
        nothing,
        lambda _: page_as(cast.member).post(
            url("new"),
            {
                "kind": "learning",
                "title": "Blameless reviews work",
                "summary": "Short",
                "body": "We tried it.",
                "data": "",
                "skills": [skill.pk],
                "visibility": "partners",
                "partner_groups": [lib.group_a.pk],
            },
        ),
        lambda _: api_as(cast.member).post(
            f"{LIB}/items",
            {
                "kind": "learning",
                "title": "Blameless reviews work",
                "summary": "Short",
                "body": "We tried it.",
                "skills": [skill.slug],
                "visibility": "partners",
                "partner_groups": [lib.group_a.pk],
            },
        ),
        item_rows,
    )
    assert ("Blameless reviews work", lib.group_a.pk) in page[2]
    assert page == api


def test_an_item_for_partners_without_a_group_is_refused_alike(cast, lib):
    page = page_as(cast.member).post(
        url("new"),
        {"kind": "learning", "title": "T", "body": "", "data": "", "visibility": "partners"},
    )
    api = api_as(cast.member).post(
        f"{LIB}/items", {"kind": "learning", "title": "T", "visibility": "partners"}
    )
    [message] = api_field_messages(api, "partner_groups")
    assert page.context["form"].errors["partner_groups"] == [message]
    assert not RepositoryItem.objects.filter(title="T").exists()


def test_changing_an_item_leaves_the_same_rows_through_both_doors(cast, lib):
    target = lib.network_item
    page, api = through_both(
        nothing,
        lambda _: page_as(cast.member).post(
            url("edit", target.pk),
            {
                "title": "Game days, revised",
                "summary": "",
                "body": "New text",
                "data": "{}",
                "visibility": "network",
            },
        ),
        lambda _: api_as(cast.member).patch(
            f"{LIB}/items/{target.pk}",
            {
                "title": "Game days, revised",
                "summary": "",
                "body": "New text",
                "data": {},
                "visibility": "network",
            },
        ),
        item_rows,
    )
    assert "Game days, revised" in {row["title"] for row in page[0]}
    assert page == api


def test_changing_someone_elses_item_is_refused_alike(cast, lib):
    target = lib.network_item
    page = page_as(lib.peer).post(url("edit", target.pk), {"title": "Mine now", "data": "{}"})
    api = api_as(lib.peer).patch(f"{LIB}/items/{target.pk}", {"title": "Mine now"})
    assert (page.status_code, api.status_code) == (403, 403)
    assert api_message(api) in shown_on_page(page)
    target.refresh_from_db()
    assert target.title == "Network only game day"


def test_deleting_an_item_leaves_the_same_rows_through_both_doors(cast, lib):
    target = lib.network_item
    page, api = through_both(
        nothing,
        lambda _: page_as(cast.organizer).post(url("delete", target.pk)),
        lambda _: api_as(cast.organizer).delete(f"{LIB}/items/{target.pk}"),
        item_rows,
    )
    assert target.title not in {row["title"] for row in page[0]}
    assert page == api


def test_deleting_someone_elses_item_is_refused_alike(cast, lib):
    target = lib.network_item
    page = page_as(lib.peer).post(url("delete", target.pk))
    api = api_as(lib.peer).delete(f"{LIB}/items/{target.pk}")
    assert (page.status_code, api.status_code) == (403, 403)
    assert api_message(api) in shown_on_page(page)
    assert RepositoryItem.objects.filter(pk=target.pk).exists()


# --- case studies ---------------------------------------------------------------------------

CASE_FORM = {"title": "Game days", "summary": "It worked.", "body": "Body", "visibility": "network"}


def test_promoting_an_experiment_leaves_the_same_rows_through_both_doors(cast, lib):
    source = experiment(cast.member, cast.cohort)
    page, api = through_both(
        nothing,
        lambda _: page_as(cast.member).post(url("promote_experiment", source.pk), CASE_FORM),
        lambda _: api_as(cast.member).post(
            f"{LIB}/promote/experiment/{source.pk}", {**CASE_FORM, "skills": []}
        ),
        item_rows,
    )
    assert any(row["source_experiment_id"] == source.pk for row in page[0])
    assert page == api


def test_promoting_a_running_experiment_is_refused_alike(cast, lib):
    source = experiment(cast.member, cast.cohort, outcome="running")
    page = page_as(cast.member).post(url("promote_experiment", source.pk), CASE_FORM)
    api = api_as(cast.member).post(f"{LIB}/promote/experiment/{source.pk}", CASE_FORM)
    assert (page.status_code, api.status_code) == (403, 403)
    assert api_message(api) in shown_on_page(page)


def test_promoting_a_report_leaves_the_same_rows_through_both_doors(cast, lib):
    report = published_report(cast.cohort)
    page, api = through_both(
        nothing,
        lambda _: page_as(cast.host).post(url("promote_report", report.pk), CASE_FORM),
        lambda _: api_as(cast.host).post(f"{LIB}/promote/report/{report.pk}", CASE_FORM),
        item_rows,
    )
    assert any(row["source_report_id"] == report.pk for row in page[0])
    assert page == api


def test_promoting_a_report_twice_is_refused_alike(cast, lib):
    report = published_report(cast.cohort)
    item(cast.network, cast.host, "Already", source_report=report)
    page = page_as(cast.host).post(url("promote_report", report.pk), CASE_FORM, follow=True)
    api = api_as(cast.host).post(f"{LIB}/promote/report/{report.pk}", CASE_FORM)
    assert api.status_code == 409
    assert api_message(api) in shown_on_page(page)
    assert RepositoryItem.objects.filter(source_report=report).count() == 1


# --- copying a template and "I used this" ---------------------------------------------------


def test_copying_an_agenda_leaves_the_same_rows_through_both_doors(cast, lib):
    template = item(
        cast.network,
        cast.member,
        "Tight agenda",
        kind="template",
        template_kind="agenda",
        data={"blocks": [{"kind": "check_in", "title": "Check-in", "minutes": 10}]},
    )
    session = upcoming_session(cast.cohort)
    page, api = through_both(
        nothing,
        lambda _: page_as(cast.host).post(url("copy", template.pk), {"session": session.pk}),
        lambda _: api_as(cast.host).post(
            f"{LIB}/items/{template.pk}/copy", {"session": session.pk}
        ),
        lambda _: (fields_of(AgendaBlock.objects.all()), fields_of(Reuse.objects.all())),
    )
    assert page[0] and len(page[1]) == 1
    assert page == api


def test_copying_what_is_not_a_template_is_not_found_alike(cast, lib):
    page = page_as(cast.host).post(url("copy", lib.network_item.pk), {"session": 1})
    api = api_as(cast.host).post(f"{LIB}/items/{lib.network_item.pk}/copy", {"session": 1})
    # A 404 page says no more than that there is nothing here.
    assert (page.status_code, api.status_code) == (404, 404)
    assert api_message(api) == "Only templates are copied into a cohort."


@pytest.mark.parametrize("write", ["reuse", "undo"])
def test_saying_i_used_it_leaves_the_same_rows_through_both_doors(cast, lib, write):
    target = lib.network_item
    if write == "undo":
        target.record_reuse(cast.host, cast.cohort)

    def by_page(_: Any) -> Any:
        if write == "reuse":
            body = {"cohort": cast.cohort.pk, "note": "In our retro"}
            return page_as(cast.host).post(url("reuse", target.pk), body)
        return page_as(cast.host).post(url("reuse_undo", target.pk), {"cohort": cast.cohort.pk})

    def by_api(_: Any) -> Any:
        caller = api_as(cast.host)
        path = f"{LIB}/items/{target.pk}/reuse"
        if write == "reuse":
            return caller.post(path, {"cohort": cast.cohort.pk, "note": "In our retro"})
        return caller.client.delete(
            f"/api/v1{path}?cohort={cast.cohort.pk}", headers=caller.headers
        )

    page, api = through_both(
        nothing,
        by_page,
        by_api,
        lambda _: (fields_of(Reuse.objects.all()), fields_of(RepositoryItem.objects.all())),
    )
    assert len(page[0]) == (1 if write == "reuse" else 0)
    assert page == api


# --- partner groups -------------------------------------------------------------------------


def group_rows(_: Any) -> Any:
    return (
        fields_of(PartnerGroup.objects.all()),
        sorted(PartnerGroup.members.through.objects.values_list("partnergroup__name", "user_id")),
        sorted(
            RepositoryItem.partner_groups.through.objects.values_list(
                "repositoryitem__title", "partnergroup__name"
            )
        ),
    )


def test_creating_a_partner_group_leaves_the_same_rows_through_both_doors(cast, lib):
    body = {"name": "Dock Co", "organization": "Dock", "shares": ["learning", "template"]}
    page, api = through_both(
        nothing,
        lambda _: page_as(cast.organizer).post(
            url("partners"), {**body, "members": [lib.lone_partner.pk]}
        ),
        lambda _: api_as(cast.organizer).post(
            f"{LIB}/partner-groups", {**body, "members": [lib.lone_partner.pk]}
        ),
        group_rows,
    )
    assert ("Dock Co", lib.lone_partner.pk) in page[1]
    assert page == api


def test_a_partner_group_name_taken_is_refused_alike(cast, lib):
    body = {"name": "harbor logistics", "organization": "Other"}
    page = page_as(cast.organizer).post(url("partners"), body)
    api = api_as(cast.organizer).post(f"{LIB}/partner-groups", body)
    [message] = api_field_messages(api, "name")
    assert page.context["form"].errors["name"] == [message]
    assert PartnerGroup.objects.count() == 2


def test_changing_a_partner_group_leaves_the_same_rows_through_both_doors(cast, lib):
    group = lib.group_a
    page, api = through_both(
        nothing,
        lambda _: page_as(cast.organizer).post(
            url("partner", group.pk),
            {"name": "Harbor", "organization": "Harbor", "shares": ["learning"]},
        ),
        lambda _: api_as(cast.organizer).patch(
            f"{LIB}/partner-groups/{group.pk}",
            {"name": "Harbor", "organization": "Harbor", "shares": ["learning"], "members": []},
        ),
        group_rows,
    )
    # The group is no longer offered case studies: the item shared with it stops being.
    assert not [row for row in page[2] if row[1] == "Harbor"]
    assert page == api


def test_deleting_a_partner_group_leaves_the_same_rows_through_both_doors(cast, lib):
    group = lib.group_b
    page, api = through_both(
        nothing,
        lambda _: page_as(cast.organizer).post(url("partner", group.pk), {"delete": "1"}),
        lambda _: api_as(cast.organizer).delete(f"{LIB}/partner-groups/{group.pk}"),
        group_rows,
    )
    assert len(page[0]) == 1 and page == api
