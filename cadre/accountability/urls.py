from django.urls import path

from . import views

app_name = "accountability"

urlpatterns = [
    path("", views.board, name="board"),
    path("commitments/new/", views.commitment_new, name="commitment_new"),
    path("commitments/<int:pk>/", views.commitment_detail, name="commitment"),
    path("commitments/<int:pk>/status/", views.commitment_status, name="commitment_status"),
    path("commitments/<int:pk>/kudos/", views.kudos_give, name="kudos"),
    path("updates/new/", views.update_new, name="update_new"),
    path("blockers/<int:pk>/offer/", views.offer_help, name="offer"),
    path("offers/<int:pk>/accept/", views.offer_accept, name="accept"),
    path("experiments/", views.experiment_list, name="experiments"),
    path("experiments/new/", views.experiment_new, name="experiment_new"),
    path("experiments/<int:pk>/", views.experiment_detail, name="experiment"),
    path("experiments/<int:pk>/edit/", views.experiment_edit, name="experiment_edit"),
]
