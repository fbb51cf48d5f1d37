"""The network's own metrics, under /n/<network>/metrics/."""

from django.urls import path

from . import views
from .views import in_network as scoped

app_name = "metrics"

urlpatterns = [
    path("", scoped(views.index), name="index"),
    path("new/", scoped(views.metric_new), name="new"),
    path("<int:pk>/", scoped(views.metric_detail), name="detail"),
    path("<int:pk>/edit/", scoped(views.metric_edit), name="edit"),
    path("<int:pk>/csv/", scoped(views.metric_csv), name="csv"),
    path("<int:pk>/record/", scoped(views.record), name="record"),
    path("<int:pk>/upload/", scoped(views.upload), name="upload"),
    path("<int:pk>/reporters/", scoped(views.reporter_add), name="reporter_add"),
    path("reporters/<int:grant>/remove/", scoped(views.reporter_remove), name="reporter_remove"),
    path("observations/<int:pk>/edit/", scoped(views.observation_edit), name="observation_edit"),
    path(
        "observations/<int:pk>/delete/", scoped(views.observation_delete), name="observation_delete"
    ),
]
