"""The board's access rules: each filter and its instance check say the same thing."""

import pytest

from cadre.accountability import policy
from cadre.accountability.models import Experiment

from .helpers import commit

PEOPLE = ["admin", "organizer", "host", "member", "other_cohort_member", "mentor", "partner"]


@pytest.mark.parametrize("person", PEOPLE)
def test_the_list_and_the_detail_agree_on_every_commitment_and_experiment(cast, person):
    user = getattr(cast, person)
    for owner in (cast.member, cast.host):
        for visibility in ("cohort", "private"):
            commit(owner, cast.cohort, visibility=visibility)
            Experiment.objects.create(
                cohort=cast.cohort,
                owner=owner,
                title="Game day",
                capability="Incident response",
                hypothesis="Faster",
                plan="Break things",
                starts_on="2027-03-01",
                ends_on="2027-03-15",
                measure="Minutes",
                visibility=visibility,
            )
    listed = set(policy.visible_commitments(user, cast.cohort)) | set(
        policy.visible_experiments(user, cast.cohort)
    )
    items = list(cast.cohort.commitments.all()) + list(cast.cohort.experiments.all())
    for item in items:
        shown = policy.can_view_board(user, cast.cohort) and policy.is_shown(user, item)
        assert shown == (item in listed), (person, item.visibility, item.owner)
        assert policy.can_view_private_item(user, item) == (item in listed)


def test_the_organizers_read_the_board_but_do_not_take_part(cast):
    assert policy.can_view_board(cast.organizer, cast.cohort)
    assert not policy.can_take_part(cast.organizer, cast.cohort)
    assert policy.can_take_part(cast.member, cast.cohort)
    assert not policy.can_view_board(cast.other_cohort_member, cast.cohort)
