from django.urls import path

from . import views, views_closing

app_name = "cohorts"

urlpatterns = [
    path("new/", views.cohort_new, name="new"),
    path("<slug:cohort>/", views.cohort_detail, name="detail"),
    path("<slug:cohort>/charter/edit/", views.charter_edit, name="charter_edit"),
    path("<slug:cohort>/charter/history/", views.charter_history, name="charter_history"),
    path("<slug:cohort>/charter/diff/", views.charter_diff, name="charter_diff"),
    path(
        "<slug:cohort>/charter/acknowledge/", views.charter_acknowledge, name="charter_acknowledge"
    ),
    path("<slug:cohort>/statement/", views.statement_edit, name="statement_edit"),
    path("<slug:cohort>/settings/", views.cohort_edit, name="edit"),
    path("<slug:cohort>/status/", views.cohort_status, name="status"),
    path("<slug:cohort>/members/", views.members, name="members"),
    path("<slug:cohort>/members/add/", views.member_add, name="member_add"),
    path("<slug:cohort>/members/<int:user>/remove/", views.member_remove, name="member_remove"),
    path("<slug:cohort>/members/<int:user>/move/", views.member_move, name="member_move"),
    path("<slug:cohort>/members/<int:user>/role/", views.member_role, name="member_role"),
    path("<slug:cohort>/close/", views_closing.close, name="close"),
    path("<slug:cohort>/close/renew/", views_closing.renew, name="renew"),
    path("<slug:cohort>/close/graduate/", views_closing.graduate, name="graduate"),
    path("<slug:cohort>/survey/", views_closing.survey, name="survey"),
]
