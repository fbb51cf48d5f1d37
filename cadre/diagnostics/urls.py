"""Pages under /n/<network>/c/<cohort>/skills/."""

from django.urls import path

from . import views

app_name = "diagnostics"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("gap-map.csv", views.gap_map_csv, name="gap_map_csv"),
    path("targets/", views.targets, name="targets"),
    path("rounds/", views.rounds, name="rounds"),
    path("assess/", views.self_assessment, name="assess"),
    path("peers/", views.peer_assessment, name="peer"),
    path("growth/", views.cohort_growth, name="growth"),
    path("growth.csv", views.cohort_growth_csv, name="growth_csv"),
    path("me/", views.my_growth, name="me"),
    path("people/<int:user_id>/", views.member_growth, name="member"),
    path("people/<int:user_id>/growth.csv", views.member_growth_csv, name="member_csv"),
]
