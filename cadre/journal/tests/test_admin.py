"""Operators see that journal entries exist, never what they say: not in the admin's list of
entries, an entry's page, nor in what deleting a person or a network would take with it."""

import pytest
from django.urls import reverse

from cadre.testing import make_user

from .helpers import entry_for

SECRET = "Why I think my manager is wrong"


@pytest.fixture
def superuser(db):
    return make_user("root@example.test", "Root", is_staff=True, is_superuser=True)


@pytest.mark.parametrize(
    "page",
    ["list", "entry", "entry_history", "entry_delete", "author_delete", "network_delete"],
)
def test_the_admin_never_shows_an_entrys_title_or_tags(cast, client_for, superuser, page):
    entry = entry_for(cast, "private", title=SECRET, tags=("salary-talk",))
    url = {
        "list": reverse("admin:journal_journalentry_changelist"),
        "entry": reverse("admin:journal_journalentry_change", args=[entry.pk]),
        "entry_history": reverse("admin:journal_journalentry_history", args=[entry.pk]),
        "entry_delete": reverse("admin:journal_journalentry_delete", args=[entry.pk]),
        "author_delete": reverse("admin:accounts_user_delete", args=[cast.member.pk]),
        "network_delete": reverse("admin:networks_network_delete", args=[cast.network.pk]),
    }[page]
    response = client_for(superuser).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert SECRET not in html and "salary-talk" not in html
    assert f"Journal entry #{entry.pk}" in html
