"""Programme files: the programme that ships with Cadre, and the problems a file can have,
each named with where it is."""

import json
from typing import Any

import pytest

from cadre.programmes import files
from cadre.programmes.files import ProgrammeFileRefused
from cadre.schedule.models import AgendaKind

from .helpers import shipped_dict, small_programme


def test_the_shipped_programme_is_eight_complete_weeks_that_fit_the_session():
    data = files.parse(files.shipped()["leading-change"].read_bytes())
    assert data.title == "Leading change in your team"
    assert [w.number for w in data.weeks] == list(range(1, 9))
    for week in data.weeks:
        assert week.theme
        assert 4 <= len(week.blocks) <= 6
        assert sum(b["minutes"] for b in week.blocks) == data.session_minutes == 60
        assert all(b["kind"] in AgendaKind.values for b in week.blocks)
        assert 2 <= len(week.prompts) <= 3
        assert week.experiment["title"] and week.experiment["hypothesis"]
        assert week.experiment["measure"]
        assert 1 <= len(week.readings) <= 2


def test_a_file_round_trips_through_export_and_import():
    data = files.parse(json.dumps(shipped_dict()))
    assert files.parse(files.dump(data)) == data


def problems_of(doc: Any) -> list[str]:
    with pytest.raises(ProgrammeFileRefused) as refused:
        files.parse(doc if isinstance(doc, str | bytes) else json.dumps(doc))
    return refused.value.problems


def test_a_block_with_minutes_that_are_not_whole_says_where():
    doc = small_programme()
    doc["weeks"][1]["blocks"][1]["minutes"] = "fifty"
    assert problems_of(doc) == ["week 2, block 2: minutes must be a whole number"]


def test_blocks_that_do_not_fill_the_session_say_by_how_much():
    doc = small_programme()
    doc["weeks"][0]["blocks"][1]["minutes"] = 45
    assert problems_of(doc) == ["week 1: the blocks add up to 55 minutes, not the programme's 60"]


def test_every_problem_is_listed_at_once():
    doc = small_programme(title="")
    doc["weeks"][0]["blocks"][0]["kind"] = "party"
    doc["weeks"][1]["reading"] = [{"title": "No link"}]
    doc["weeks"][1]["experiment"] = {"title": "x", "hypothesis": "", "measure": "m"}
    assert problems_of(doc) == [
        "title is missing",
        f"week 1, block 1: kind must be one of {files.KINDS}",
        "week 2, experiment: hypothesis is missing",
        "week 2, reading 1: give either a link or a library item's title",
    ]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{", "the file is not valid JSON (line 1, column 2"),
        ("[]", "the file must hold one programme"),
        (b"\xff\xfe", "the file is not UTF-8 text"),
        (json.dumps(small_programme(weeks=[])), "weeks must be a list of at least one week"),
        (json.dumps(small_programme(session_minutes=5)), "session_minutes must be a whole number"),
    ],
)
def test_a_broken_file_says_what_is_wrong(content: Any, problem: str):
    [found] = problems_of(content)
    assert found.startswith(problem)


def test_weeks_out_of_order_are_named():
    doc = small_programme()
    doc["weeks"][1]["week"] = 3
    assert problems_of(doc) == ["week 2: its number must be 2 (weeks run 1, 2, 3… in order)"]


def test_a_link_must_be_a_web_address():
    doc = small_programme()
    doc["weeks"][0]["reading"] = [{"title": "Local", "link": "file:///etc/passwd"}]
    assert problems_of(doc) == ["week 1, reading 1: link must start with https:// or http://"]
