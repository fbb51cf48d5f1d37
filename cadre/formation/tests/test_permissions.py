"""The permission layer's answers for intakes, person by person."""

import pytest

from cadre.formation import policy
from cadre.formation.models import IntakeStatus

PEOPLE = ["admin", "organizer", "host", "member", "other_cohort_member", "mentor", "partner"]


@pytest.mark.parametrize(
    "question, expected",
    [
        ("can_manage_intakes", {"admin", "organizer"}),
        ("can_apply", {"host", "member", "other_cohort_member", "mentor"}),
        (
            "can_view_intake",
            {"admin", "organizer", "host", "member", "other_cohort_member", "mentor"},
        ),
    ],
)
def test_who_may_do_what_with_an_open_intake(cast, intake, question, expected):
    ask = getattr(policy, question)
    subject = intake.network if question == "can_manage_intakes" else intake
    answers = {who for who in PEOPLE if ask(getattr(cast, who), subject)}
    assert answers == expected
    assert not ask(cast.outsider, subject)


def test_a_draft_is_for_organizers_only_and_nobody_applies_to_it(cast, intake):
    intake.status = IntakeStatus.DRAFT
    intake.save()
    assert {w for w in PEOPLE if policy.can_view_intake(getattr(cast, w), intake)} == {
        "admin",
        "organizer",
    }
    assert not any(policy.can_apply(getattr(cast, w), intake) for w in PEOPLE)
    assert list(policy.visible_intakes(cast.member, cast.network)) == []
    assert list(policy.visible_intakes(cast.organizer, cast.network)) == [intake]


def test_visible_intakes_of_another_network_are_none(cast, intake):
    assert not policy.visible_intakes(cast.outsider, cast.network).exists()
    assert not policy.visible_intakes(cast.partner, cast.network).exists()
