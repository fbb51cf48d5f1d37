from django.urls import path

from . import views

app_name = "cohorts"

urlpatterns = [
    path("<slug:cohort>/", views.cohort_detail, name="detail"),
    path("<slug:cohort>/charter/edit/", views.charter_edit, name="charter_edit"),
    path("<slug:cohort>/charter/history/", views.charter_history, name="charter_history"),
    path("<slug:cohort>/charter/diff/", views.charter_diff, name="charter_diff"),
    path(
        "<slug:cohort>/charter/acknowledge/", views.charter_acknowledge, name="charter_acknowledge"
    ),
    path("<slug:cohort>/statement/", views.statement_edit, name="statement_edit"),
]
