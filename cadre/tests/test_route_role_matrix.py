"""The route × role matrix, for the people inside the first network: every page and every API
operation requested by a member of the shared cohort alpha, a member of cohort beta, alpha's
host, an organizer, the network's admin and a mentor (test_route_role_matrix_outsiders.py has
everyone else, so that two test processes share the work). What is checked is in cadre/tests/matrix.py;
the world requested in, with a canary in every row, in cadre/tests/matrix_world.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from cadre.tests.matrix import SURFACES, Matrix, check_role, matrix_in_transaction

pytestmark = pytest.mark.django_db

INSIDERS = ["member_a", "member_b", "host_a", "organizer", "admin", "mentor"]


@pytest.fixture(scope="module")
def matrix(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Matrix]:
    with matrix_in_transaction(django_db_blocker) as built:
        yield built


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("role", INSIDERS)
def test_every_route_answers_this_person_without_leaking(
    matrix: Matrix, role: str, surface: str, settings: Any
) -> None:
    settings.CADRE_API_RATE = settings.CADRE_SEARCH_RATE = "100000/m"  # not what is tested here
    check_role(matrix, role, surface)
