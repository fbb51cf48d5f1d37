import pytest

from cadre.cohorts.policy import can_edit_charter, can_view_cohort, visible_cohorts
from cadre.networks.policy import forget, must_accept_conduct


@pytest.mark.django_db
def test_cohort_content_is_for_members_and_organizers_only(cast):
    sees = {
        name: can_view_cohort(getattr(cast, name), cast.cohort)
        for name in [
            "admin",
            "organizer",
            "host",
            "member",
            "other_cohort_member",
            "mentor",
            "partner",
            "outsider",
        ]
    }
    assert sees == {
        "admin": True,
        "organizer": True,
        "host": True,
        "member": True,
        "other_cohort_member": False,
        "mentor": False,
        "partner": False,
        "outsider": False,
    }


@pytest.mark.django_db
def test_a_cohort_shared_with_the_network_is_readable_by_network_members_not_partners(cast):
    cast.cohort.shared_with_network = True
    cast.cohort.save()
    assert can_view_cohort(cast.other_cohort_member, cast.cohort)
    assert can_view_cohort(cast.mentor, cast.cohort)
    assert not can_view_cohort(cast.partner, cast.cohort)
    assert not can_view_cohort(cast.outsider, cast.cohort)


@pytest.mark.django_db
def test_charter_is_edited_by_hosts_and_organizers(cast):
    assert can_edit_charter(cast.host, cast.cohort)
    assert can_edit_charter(cast.organizer, cast.cohort)
    assert not can_edit_charter(cast.member, cast.cohort)
    assert not can_edit_charter(cast.outsider, cast.cohort)


@pytest.mark.django_db
def test_visible_cohorts_follow_the_same_rules(cast):
    def names(user):
        return sorted(visible_cohorts(user, cast.network).values_list("slug", flat=True))

    assert names(cast.organizer) == ["design-ops", "reliability"]
    assert names(cast.member) == ["reliability"]
    assert names(cast.other_cohort_member) == ["design-ops"]
    assert names(cast.outsider) == []


@pytest.mark.django_db
def test_only_the_newcomer_must_accept_the_code_of_conduct(cast):
    assert must_accept_conduct(cast.newcomer, cast.network)
    assert not must_accept_conduct(cast.member, cast.network)


@pytest.mark.django_db
def test_a_left_member_loses_access(cast):
    from datetime import date

    membership = cast.cohort.memberships.get(user=cast.member)
    membership.left_on = date.today()
    membership.save()
    forget(cast.member)
    assert not can_view_cohort(cast.member, cast.cohort)


# --- asking from templates ------------------------------------------------------------------


@pytest.mark.django_db
def test_templates_ask_the_same_question_as_the_view(cast):
    from django.template import Context, Template

    page = Template('{% may "can_view_directory" person network as ok %}{{ ok }}')
    for person, expected in [(cast.member, "True"), (cast.partner, "False")]:
        assert page.render(Context({"person": person, "network": cast.network})) == expected


def test_templates_may_only_ask_the_can_questions():
    from django.template import Context, Template, TemplateSyntaxError

    for name in ("forget", "can_no_such_thing"):
        with pytest.raises(TemplateSyntaxError):
            Template(f'{{% may "{name}" 1 %}}').render(Context())
