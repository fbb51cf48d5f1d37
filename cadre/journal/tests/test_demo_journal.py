"""The demo's journal: entries of every visibility, tied only to what their author may see,
the same for the same seed."""

from cadre.accountability.policy import can_view_private_item
from cadre.demo import data
from cadre.demo.builder import MIN_PEOPLE, build_demo
from cadre.journal.models import JournalEntry
from cadre.networks.models import NetworkMembership, Role


def test_the_demo_journal_follows_the_rules(db):
    build_demo(people=MIN_PEOPLE, seed=3)
    entries = list(
        JournalEntry.objects.filter(network__slug=data.NETWORK_SLUG)
        .select_related("author", "network", "cohort", "experiment", "commitment")
        .prefetch_related("tags", "skills", "shared_with")
    )
    assert len(entries) >= 250
    assert {e.visibility for e in entries} == {"private", "cohort", "network"}
    assert sum(1 for e in entries if e.session_id) >= 10
    assert any(e.experiment_id or e.commitment_id for e in entries)
    assert any(e.shared_with.all() for e in entries)
    roles = dict(
        NetworkMembership.objects.filter(network=entries[0].network).values_list("user_id", "role")
    )
    for entry in entries:
        assert entry.author_id in roles
        assert 1 <= len(entry.tags.all()) <= 10
        if roles[entry.author_id] == Role.PARTNER:
            assert entry.visibility == "private"
        if entry.visibility == "cohort":
            assert entry.cohort is not None
        for item in (entry.experiment, entry.commitment):
            if item is not None:
                assert item.cohort_id == entry.cohort_id
                assert can_view_private_item(entry.author, item)
        entry.full_clean()
