def test_the_cohort_page_links_the_board_only_for_those_who_may_open_it(cast, client_for):
    from django.urls import reverse

    cast.cohort.shared_with_network = True
    cast.cohort.save()
    board = reverse("accountability:board", args=[cast.network.slug, cast.cohort.slug]).encode()
    page = cast.cohort.get_absolute_url()
    assert board in client_for(cast.member).get(page).content
    assert board in client_for(cast.organizer).get(page).content
    shared_view = client_for(cast.other_cohort_member).get(page)
    assert shared_view.status_code == 200
    assert board not in shared_view.content
