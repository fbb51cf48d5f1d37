"""Laying a programme onto a cohort's schedule, importing and exporting, and who may."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from cadre.lib.rules import Refused
from cadre.programmes import policy, services
from cadre.programmes.files import ProgrammeFileRefused
from cadre.programmes.models import Programme, ProgrammeWeek, SessionWeek
from cadre.schedule import services as schedule
from cadre.schedule.models import AgendaBlock, Session
from cadre.schedule.tests.helpers import add_past_sessions, make_schedule

from .helpers import add_shipped, small_programme


def agenda(session: Session) -> list[tuple[str, str, int]]:
    return [(b.kind, b.title, b.minutes) for b in session.agenda.order_by("order", "pk")]


def test_applying_gives_each_upcoming_session_its_weeks_agenda(cast):
    make_schedule(cast.cohort)
    past = add_past_sessions(cast.cohort, 2)
    AgendaBlock.ensure_for(past[0])
    before = agenda(past[0])
    programme = add_shipped(cast.network, cast.organizer)

    done = services.apply_programme(by=cast.organizer, programme=programme, cohort=cast.cohort)

    upcoming = services.upcoming_sessions(cast.cohort)
    assert len(done.pairs) == 8 and [w.number for w, _ in done.pairs] == list(range(1, 9))
    for (week, session), expected in zip(done.pairs, upcoming, strict=False):
        assert session == expected
        assert agenda(session) == [(b["kind"], b["title"], b["minutes"]) for b in week.blocks]
        assert SessionWeek.objects.get(session=session).week == week
    assert agenda(past[0]) == before  # a session that already ran is left alone
    assert not SessionWeek.objects.filter(session__in=past).exists()


def test_an_agenda_someone_wrote_is_replaced_only_when_confirmed(cast):
    make_schedule(cast.cohort)
    programme = add_shipped(cast.network, cast.organizer)
    second = services.upcoming_sessions(cast.cohort)[1]
    mine = [schedule.Block(kind="other", title="Our own plan", minutes=60)]
    schedule.replace_agenda(cast.host, second, blocks=mine)

    with pytest.raises(Refused) as refused:
        services.apply_programme(by=cast.host, programme=programme, cohort=cast.cohort)
    assert refused.value.kind == "conflict" and refused.value.code == "agenda_exists"
    assert f"{second.starts_at:%-d %b}" in refused.value.message
    assert agenda(second) == [("other", "Our own plan", 60)]  # nothing half done
    assert not SessionWeek.objects.exists()

    services.apply_programme(by=cast.host, programme=programme, cohort=cast.cohort, overwrite=True)
    assert agenda(second)[0][1].startswith("Since last time")
    # Applying again asks nothing: the agendas are still the programme's own.
    services.apply_programme(by=cast.host, programme=programme, cohort=cast.cohort)


def test_blocks_keep_their_proportions_on_a_longer_session(cast):
    make_schedule(cast.cohort)
    session = services.upcoming_sessions(cast.cohort)[0]
    Session.objects.filter(pk=session.pk).update(minutes=90)
    programme = add_shipped(cast.network, cast.organizer)
    services.apply_programme(by=cast.organizer, programme=programme, cohort=cast.cohort)
    minutes = [m for _, _, m in agenda(session)]
    assert sum(minutes) == 90 and minutes == [12, 30, 26, 15, 7]


@pytest.mark.parametrize(
    ("given", "total"), [([10, 20, 30], 60), ([8, 20, 17, 10, 5], 45), ([1, 1, 58], 15)]
)
def test_fitted_minutes_add_up_and_no_block_vanishes(given, total):
    fitted = services.fit_minutes(given, total)
    assert sum(fitted) == total and min(fitted) >= 1 and len(fitted) == len(given)


def test_a_cohort_without_upcoming_sessions_is_told_to_set_its_schedule(cast):
    programme = add_shipped(cast.network, cast.organizer)
    with pytest.raises(Refused, match="no upcoming sessions"):
        services.apply_programme(by=cast.organizer, programme=programme, cohort=cast.cohort)


def test_a_programme_of_another_network_is_not_laid_onto_a_cohort(cast):
    make_schedule(cast.cohort)
    theirs = add_shipped(cast.other_network, cast.outsider)
    with pytest.raises(Refused) as refused:
        services.apply_programme(by=cast.organizer, programme=theirs, cohort=cast.cohort)
    assert refused.value.kind == "not_found"


@pytest.mark.parametrize("who", ["member", "other_cohort_member", "mentor", "partner", "outsider"])
def test_only_hosts_and_organizers_apply(cast, who):
    make_schedule(cast.cohort)
    programme = add_shipped(cast.network, cast.organizer)
    with pytest.raises(Refused) as refused:
        services.apply_programme(by=getattr(cast, who), programme=programme, cohort=cast.cohort)
    assert refused.value.kind == "forbidden"
    assert not SessionWeek.objects.exists()


def test_a_bad_file_saves_nothing(cast):
    doc = small_programme()
    doc["weeks"][1]["blocks"][0]["minutes"] = 1.5
    with pytest.raises(ProgrammeFileRefused, match="week 2, block 1: minutes must be a whole"):
        services.import_programme(by=cast.organizer, network=cast.network, content=json.dumps(doc))
    assert not Programme.objects.exists() and not ProgrammeWeek.objects.exists()


def test_importing_the_same_title_twice_is_refused(cast):
    content = json.dumps(small_programme())
    services.import_programme(by=cast.organizer, network=cast.network, content=content)
    with pytest.raises(Refused) as refused:
        services.import_programme(by=cast.admin, network=cast.network, content=content)
    assert refused.value.kind == "conflict"
    # Another network may have a programme of that title.
    services.import_programme(by=cast.outsider, network=cast.other_network, content=content)


@pytest.mark.parametrize("who", ["host", "member", "mentor", "partner", "outsider"])
def test_only_organizers_import(cast, who):
    with pytest.raises(Refused) as refused:
        services.import_programme(
            by=getattr(cast, who), network=cast.network, content=json.dumps(small_programme())
        )
    assert refused.value.kind == "forbidden"


def test_an_exported_programme_imports_into_another_network_as_it_was(cast):
    programme = add_shipped(cast.network, cast.organizer)
    text = services.export_programme(programme=programme)
    copy = services.import_programme(by=cast.outsider, network=cast.other_network, content=text)
    assert services.export_programme(programme=copy) == text
    assert copy.weeks.count() == 8


ROLES = {
    "admin": (True, True, True),
    "organizer": (True, True, True),
    "host": (True, False, True),
    "member": (True, False, False),
    "newcomer": (True, False, False),
    "other_cohort_member": (True, False, False),
    "mentor": (True, False, False),
    "partner": (False, False, False),
    "outsider": (False, False, False),
}


@pytest.mark.parametrize("who", [*ROLES, "anonymous"])
def test_who_may_view_import_and_apply(cast, who):
    person = AnonymousUser() if who == "anonymous" else getattr(cast, who)
    view, manage, apply = ROLES.get(who, (False, False, False))
    assert policy.can_view_programmes(person, cast.network) is view
    assert policy.can_manage_programmes(person, cast.network) is manage
    assert policy.can_apply_programme(person, cast.cohort) is apply
    programme = add_shipped(cast.network, cast.organizer)
    assert list(policy.visible_programmes(person, cast.network)) == ([programme] if view else [])


def test_the_session_follows_its_week_until_applied_again(cast):
    make_schedule(cast.cohort)
    programme = add_shipped(cast.network, cast.organizer)
    services.apply_programme(by=cast.organizer, programme=programme, cohort=cast.cohort)
    first = services.upcoming_sessions(cast.cohort)[0]
    assert services.week_of(first).number == 1
    assert (
        services.week_of(
            Session.objects.create(
                cohort=cast.cohort, starts_at=timezone.now() - timedelta(days=30)
            )
        )
        is None
    )
