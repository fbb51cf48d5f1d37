from typing import Any

import pytest

from cadre.api.tests.conftest import api_as  # noqa: F401  (the API tests' fixture, reused)
from cadre.cohorts.models import CohortMembership, CohortRole
from cadre.networks.models import Role

from .helpers import add_person


@pytest.fixture
def people(cast: Any) -> dict[str, Any]:
    """Every kind of person the journal's rules tell apart, by name. `member` writes the
    entries; `peer` is another member of that cohort; `named_mentor` is a mentor the entries
    are shared with by name."""
    peer = add_person(cast, "pia@northwind.test", "Pia Peer")
    CohortMembership.objects.create(cohort=cast.cohort, user=peer, role=CohortRole.MEMBER)
    named = add_person(cast, "max@northwind.test", "Max Namedmentor", Role.MENTOR)
    return {
        "author": cast.member,
        "peer": peer,
        "host": cast.host,
        "other_cohort_member": cast.other_cohort_member,
        "organizer": cast.organizer,
        "admin": cast.admin,
        "mentor": cast.mentor,
        "named_mentor": named,
        "partner": cast.partner,
        "outsider": cast.outsider,
        "newcomer": cast.newcomer,
        "anonymous": None,
    }
