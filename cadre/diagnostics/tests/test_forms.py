"""Bad input gets a clear message naming the field, and nothing is saved."""

import pytest

from cadre.accounts.models import User
from cadre.diagnostics import services
from cadre.diagnostics.forms import (
    PeerAssessmentForm,
    RoundForm,
    SelfAssessmentForm,
    TargetSkillsForm,
)
from cadre.diagnostics.models import Assessment, AssessmentRound, TargetSkill
from cadre.lib.rules import Refused
from cadre.networks.models import Skill

from .helpers import open_round, set_targets


def self_form(cast, data, r=None):
    targets = list(cast.cohort.target_skills.select_related("skill"))
    r = r or AssessmentRound.objects.get(cohort=cast.cohort)
    return SelfAssessmentForm(data, round=r, targets=targets, user=cast.member)


def test_a_level_of_5_is_refused_naming_the_skill_and_nothing_is_saved(cast):
    set_targets(cast, facilitation=3, data_analysis=3)
    open_round(cast.cohort)
    form = self_form(cast, {"level_facilitation": "2", "level_data-analysis": "5"})
    assert not form.is_valid()
    assert list(form.errors) == ["level_data-analysis"]
    assert "from 0" in form.errors["level_data-analysis"][0]
    assert form["level_data-analysis"].label == "Data analysis"
    assert not Assessment.objects.exists()


def test_every_target_skill_needs_a_level(cast):
    set_targets(cast, facilitation=3, data_analysis=3)
    open_round(cast.cohort)
    form = self_form(cast, {"level_facilitation": "2"})
    assert not form.is_valid() and list(form.errors) == ["level_data-analysis"]


def test_a_full_self_assessment_is_saved_and_sending_it_again_updates_it(cast):
    set_targets(cast, facilitation=3, data_analysis=3)
    open_round(cast.cohort)
    form = self_form(cast, {"level_facilitation": "1", "level_data-analysis": "2"})
    assert form.is_valid(), form.errors
    services.save_self_assessment(cast.member, cast.cohort, levels=form.levels())
    again = self_form(
        cast,
        {"level_facilitation": "3", "level_data-analysis": "2", "note_facilitation": " Ran one "},
    )
    assert again.initial["level_facilitation"] == "1"
    assert again.is_valid()
    services.save_self_assessment(cast.member, cast.cohort, levels=again.levels())
    levels = dict(
        Assessment.objects.filter(subject=cast.member).values_list("skill__slug", "level")
    )
    assert levels == {"facilitation": 3, "data-analysis": 2}
    assert Assessment.objects.get(skill__slug="facilitation").note == "Ran one"


def peer_form(cast, data, r):
    targets = list(cast.cohort.target_skills.select_related("skill"))
    peers = User.objects.filter(pk__in=[cast.host.pk])
    return PeerAssessmentForm(data, round=r, peers=peers, targets=targets)


def test_a_peer_assessment_of_another_networks_skill_is_refused(cast):
    set_targets(cast, facilitation=3)
    r = open_round(cast.cohort, peers=True)
    welding = Skill.objects.get(network=cast.other_network)
    form = peer_form(cast, {"subject": cast.host.pk, "skill": welding.pk, "level": "3"}, r)
    assert not form.is_valid()
    assert form.errors["skill"] == ["Choose one of this cohort’s target skills."]
    assert not Assessment.objects.exists()


def test_a_peer_assessment_of_a_skill_that_is_not_a_target_is_refused(cast):
    set_targets(cast, facilitation=3)
    r = open_round(cast.cohort, peers=True)
    discovery = cast.network.skills.get(slug="product-discovery")
    form = peer_form(cast, {"subject": cast.host.pk, "skill": discovery.pk, "level": "3"}, r)
    assert not form.is_valid() and list(form.errors) == ["skill"]
    outsider = peer_form(cast, {"subject": cast.outsider.pk, "skill": "x", "level": "9"}, r)
    assert not outsider.is_valid()
    assert set(outsider.errors) == {"subject", "skill", "level"}
    assert outsider.errors["subject"] == ["Choose another active member of this cohort."]
    assert not Assessment.objects.exists()


def test_targets_must_be_1_to_4_and_at_least_one(cast):
    form = TargetSkillsForm({"target_facilitation": "7"}, cohort=cast.cohort)
    assert not form.is_valid() and list(form.errors) == ["target_facilitation"]
    empty = TargetSkillsForm({}, cohort=cast.cohort)
    assert empty.is_valid() and empty.targets() == []
    with pytest.raises(Refused, match="at least one target skill"):
        services.set_targets(cast.host, cast.cohort, targets=empty.targets())
    assert not TargetSkill.objects.exists()


def test_targets_are_replaced_as_a_whole(cast):
    set_targets(cast, facilitation=3, data_analysis=3)
    form = TargetSkillsForm(
        {"target_data-analysis": "4", "target_product-discovery": "2"}, cohort=cast.cohort
    )
    assert form.initial == {} and form["target_facilitation"].initial == 3
    assert form.is_valid(), form.errors
    services.set_targets(cast.host, cast.cohort, targets=form.targets())
    assert dict(
        TargetSkill.objects.filter(cohort=cast.cohort).values_list("skill__slug", "target_level")
    ) == {"data-analysis": 4, "product-discovery": 2}


def test_a_round_cannot_open_before_the_last_one(cast):
    open_round(cast.cohort, days_ago=0)
    form = RoundForm({"label": "Back", "opens_on": "2001-01-01"})
    assert form.is_valid(), form.errors
    with pytest.raises(Refused, match="on or after the last one") as refused:
        services.open_round(cast.host, cast.cohort, **form.cleaned_data)
    assert refused.value.field == "opens_on"
    blank = RoundForm({"label": "  ", "opens_on": "2099-01-01"})
    assert not blank.is_valid() and list(blank.errors) == ["label"]
    assert AssessmentRound.objects.count() == 1


def test_a_skill_category_in_the_target_form_is_text_not_markup(cast):
    hostile = '<script>alert("category")</script>'
    Skill.objects.filter(network=cast.network).update(category=hostile)
    form = TargetSkillsForm(cohort=cast.cohort)
    rendered = "".join(str(field.as_field_group()) for field in form)
    assert "&lt;script&gt;alert(&quot;category&quot;)&lt;/script&gt;" in rendered
    assert "<script>" not in rendered
