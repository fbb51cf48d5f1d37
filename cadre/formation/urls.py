from django.urls import path

from . import views, views_waitlist

app_name = "formation"

urlpatterns = [
    path("", views.intake_list, name="list"),
    path("new/", views.intake_create, name="create"),
    path("<slug:intake>/", views.intake_detail, name="detail"),
    path("<slug:intake>/edit/", views.intake_edit, name="edit"),
    path("<slug:intake>/status/", views.intake_status, name="status"),
    path("<slug:intake>/apply/", views.apply, name="apply"),
    path("<slug:intake>/withdraw/", views.withdraw, name="withdraw"),
    path("<slug:intake>/applications/", views.applications, name="applications"),
    path("<slug:intake>/runs/new/", views.run_start, name="run_start"),
    path("<slug:intake>/runs/<int:run>/", views.run_detail, name="run"),
    path("<slug:intake>/proposal/", views.proposal, name="proposal"),
    path("<slug:intake>/proposal/move/", views.proposal_move, name="move"),
    path("<slug:intake>/proposal/lock/", views.proposal_lock, name="lock"),
    path("<slug:intake>/proposal/rerun/", views.proposal_rerun, name="rerun"),
    path("<slug:intake>/publish/", views.publish, name="publish"),
    path("<slug:intake>/waitlist/", views_waitlist.waitlist, name="waitlist"),
    path("<slug:intake>/waitlist/add/", views_waitlist.waitlist_add, name="waitlist_add"),
    path(
        "<slug:intake>/waitlist/<int:user>/remove/",
        views_waitlist.waitlist_remove,
        name="waitlist_remove",
    ),
    path(
        "<slug:intake>/waitlist/<int:user>/move/",
        views_waitlist.waitlist_move,
        name="waitlist_move",
    ),
]
