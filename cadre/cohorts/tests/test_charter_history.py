from cadre.cohorts.models import Charter

from .helpers import valid_charter_data


def _two_edits(cast, client_for, url):
    client = client_for(cast.host)
    client.post(
        url("charter_edit"),
        valid_charter_data(
            mission="Cut incident recovery time.\nShare game-day results.",
            weekly_hours="3",
            change_note="Add game days.",
        ),
    )
    client.post(
        url("charter_edit"),
        valid_charter_data(
            mission="Cut incident recovery time.\nShare game-day results.",
            weekly_hours="4",
            change_note="More hours.",
            based_on="2",
        ),
    )
    return client


def test_history_lists_every_version_newest_first_with_author_note_and_diff_link(
    cast, client_for, url
):
    client = _two_edits(cast, client_for, url)
    page = client.get(url("charter_history")).content.decode()
    # Only the page's content: the CSRF tokens before it are random and may hold "v2".
    page = page[page.index("<main") :]
    assert page.index("v3") < page.index("v2") < page.index("v1")
    assert "More hours." in page and "Add game days." in page
    assert "Hana Host" in page
    assert url("charter_diff") + "?from=2&amp;to=3" in page
    assert "?from=1&amp;to=2" in page
    assert 'name="from"' in page and 'name="to"' in page


def test_history_of_a_cohort_without_a_charter_says_so(cast, client_for, url):
    cast.cohort.charters.all().delete()
    page = client_for(cast.member).get(url("charter_history")).content.decode()
    assert "no charter yet" in page


def test_diff_shows_removed_and_added_lines_and_lists_unchanged_fields(cast, client_for, url):
    client = _two_edits(cast, client_for, url)
    response = client.get(url("charter_diff", **{"from": 1, "to": 3}))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<del class="diff-del">− Cut incident recovery time by sharing what works.' in page
    assert '<ins class="diff-add">+ Cut incident recovery time.</ins>' in page
    assert '<ins class="diff-add">+ Share game-day results.</ins>' in page
    assert '<del class="diff-del">− 2.0</del>' in page
    assert '<ins class="diff-add">+ 4.0</ins>' in page
    changed_labels = [f["label"] for f in response.context["changed"]]
    unchanged_labels = [f["label"] for f in response.context["unchanged"]]
    assert "Mission" in changed_labels
    assert "Weekly time commitment (hours)" in changed_labels
    assert set(changed_labels) | set(unchanged_labels) == {
        label for _, label in Charter.DIFF_FIELDS
    }


def test_diff_between_consecutive_versions_lists_the_untouched_fields_as_unchanged(
    cast, client_for, url
):
    client = _two_edits(cast, client_for, url)
    response = client.get(url("charter_diff", **{"from": 2, "to": 3}))
    assert [f["label"] for f in response.context["changed"]] == ["Weekly time commitment (hours)"]
    page = response.content.decode()
    assert 'Mission <span class="muted">(unchanged)</span>' in page
    assert 'Norms <span class="muted">(unchanged)</span>' in page


def test_diff_can_go_from_a_newer_to_an_older_version(cast, client_for, url):
    client = _two_edits(cast, client_for, url)
    response = client.get(url("charter_diff", **{"from": 3, "to": 2}))
    assert response.status_code == 200
    assert '<del class="diff-del">− 4.0</del>' in response.content.decode()


def test_diff_escapes_charter_text(cast, client_for, url):
    client = client_for(cast.host)
    client.post(url("charter_edit"), valid_charter_data(mission="<img src=x onerror=alert(1)>"))
    page = client.get(url("charter_diff", **{"from": 1, "to": 2})).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_diff_without_version_numbers_is_a_400_with_a_clear_message(cast, client_for, url):
    client = client_for(cast.member)
    for query in [{}, {"from": 1}, {"to": 1}, {"from": "one", "to": 2}, {"from": 0, "to": 1}]:
        response = client.get(url("charter_diff", **query))
        assert response.status_code == 400, query
        assert "must be version numbers" in response.content.decode()


def test_diff_of_a_version_with_itself_is_a_400(cast, client_for, url):
    response = client_for(cast.member).get(url("charter_diff", **{"from": 1, "to": 1}))
    assert response.status_code == 400
    assert "pick two different versions" in response.content.decode()


def test_diff_with_a_version_that_does_not_exist_is_a_404(cast, client_for, url):
    response = client_for(cast.member).get(url("charter_diff", **{"from": 1, "to": 7}))
    assert response.status_code == 404
    assert "has no version 7" in response.content.decode()


def test_diff_never_reads_another_cohorts_charter(cast, client_for, url):
    other = cast.other_cohort.current_charter()
    other.pk = None
    other.version = 2
    other.save()
    response = client_for(cast.member).get(url("charter_diff", **{"from": 1, "to": 2}))
    assert response.status_code == 404
    assert b"Design Ops" not in response.content


def test_diff_marks_the_gap_between_distant_changes_and_not_the_top(cast, client_for, url):
    lines = [f"Norm {i}." for i in range(1, 11)]
    client = client_for(cast.host)
    client.post(url("charter_edit"), valid_charter_data(norms="\n".join(lines)))
    lines[0], lines[9] = "Norm one, reworded.", "Norm ten, reworded."
    client.post(url("charter_edit"), valid_charter_data(norms="\n".join(lines), based_on="2"))
    response = client.get(url("charter_diff", **{"from": 2, "to": 3}))
    (norms,) = response.context["changed"]
    kinds = [kind for kind, _ in norms["rows"]]
    assert kinds[0] == "del"
    assert kinds.count("gap") == 1
    assert ("add", "Norm ten, reworded.") in norms["rows"]
