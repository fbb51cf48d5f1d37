"""Formation's pages about one cohort, under /n/<network>/c/<cohort>/: filling a seat from
the intake's waitlist, and opening the next intake when the cohort closes."""

from django.urls import path

from . import views_waitlist

app_name = "seats"

urlpatterns = [
    path("seat/", views_waitlist.fill_seat, name="fill"),
    path("next-intake/", views_waitlist.next_intake, name="next_intake"),
]
