"""A cohort's metrics, under /n/<network>/c/<cohort>/metrics/: the same views as the
network's, plus the built-in metrics and composition Cadre computes for a cohort."""

from django.urls import path

from . import views
from .views import in_cohort as scoped

app_name = "metrics_cohort"

urlpatterns = [
    path("", scoped(views.index), name="index"),
    path("new/", scoped(views.metric_new), name="new"),
    path("built-in/<slug:key>/csv/", scoped(views.builtin_csv), name="builtin_csv"),
    path("reporters/", scoped(views.reporter_add), name="cohort_reporter_add"),
    path("reporters/<int:grant>/remove/", scoped(views.reporter_remove), name="reporter_remove"),
    path("<int:pk>/", scoped(views.metric_detail), name="detail"),
    path("<int:pk>/edit/", scoped(views.metric_edit), name="edit"),
    path("<int:pk>/csv/", scoped(views.metric_csv), name="csv"),
    path("<int:pk>/record/", scoped(views.record), name="record"),
    path("<int:pk>/upload/", scoped(views.upload), name="upload"),
    path("<int:pk>/reporters/", scoped(views.reporter_add), name="reporter_add"),
    path("observations/<int:pk>/edit/", scoped(views.observation_edit), name="observation_edit"),
    path(
        "observations/<int:pk>/delete/", scoped(views.observation_delete), name="observation_delete"
    ),
]
