"""Virtual coffee, under /n/<network>/coffee/."""

from django.urls import path

from . import views

app_name = "coffee"

urlpatterns = [
    path("", views.ritual_list, name="list"),
    path("new/", views.ritual_create, name="create"),
    path("exclusions/", views.exclusions, name="exclusions"),
    path("exclusions/<int:exclusion>/remove/", views.exclusion_remove, name="exclusion_remove"),
    path("<int:ritual>/", views.ritual_detail, name="detail"),
    path("<int:ritual>/edit/", views.ritual_edit, name="edit"),
    path("<int:ritual>/join/", views.ritual_join, name="join"),
    path("<int:ritual>/leave/", views.ritual_leave, name="leave"),
    path("<int:ritual>/snooze/", views.ritual_snooze, name="snooze"),
    path("<int:ritual>/rounds/new/", views.round_generate, name="generate"),
    path("<int:ritual>/rounds/<int:number>/", views.round_detail, name="round"),
    path("<int:ritual>/rounds/<int:number>/undo/", views.round_undo, name="undo"),
]
