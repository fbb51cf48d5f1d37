"""The demo network comes with an open intake whose applications are ready for formation."""

from cadre.demo import data
from cadre.demo.builder import build_demo, delete_demo
from cadre.formation import policy
from cadre.formation.models import Application, Intake, IntakeStatus
from cadre.formation.proposals import applications_for, build_problem
from cadre.networks.models import Role


def applications_digest() -> list[tuple[str, list[str], list[int], bool]]:
    return sorted(
        (a.user.email, a.goals, a.availability, a.withdrawn)
        for a in Application.objects.select_related("user")
    )


def test_the_demo_has_an_open_intake_with_about_forty_applicants(db):
    result = build_demo(seed=5)
    intake = Intake.objects.get(network__slug=data.NETWORK_SLUG, slug="autumn")
    assert intake.status == IntakeStatus.OPEN and intake.accepts_applications()
    assert result.counts["applications"] == 40
    active = applications_for(intake)
    assert len(active) == 39
    assert all(a.skills and a.goals and a.availability and len(a.answers) == 2 for a in active)
    roles = set(
        intake.network.memberships.filter(user__applications__intake=intake).values_list(
            "role", flat=True
        )
    )
    assert roles <= {Role.MEMBER, Role.MENTOR}
    member = intake.network.memberships.get(user__email="member@demo.cadre.test").user
    assert policy.can_apply(member, intake)
    from cadre.engine.formation import validate_problem

    assert validate_problem(build_problem(intake, active)) == []


def test_the_demo_intake_is_the_same_for_the_same_seed(db):
    build_demo(seed=5)
    first = applications_digest()
    delete_demo()
    assert not Application.objects.exists()
    build_demo(seed=5)
    assert applications_digest() == first
