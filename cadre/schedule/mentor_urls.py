from django.urls import path

from . import views

app_name = "mentors"

urlpatterns = [
    path("", views.mentors, name="list"),
    path("confirm/", views.mentor_confirm, name="confirm"),
    path("matches/<int:match>/end/", views.mentor_match_end, name="end"),
    path("settings/<int:user>/", views.mentor_settings, name="settings"),
    path("mine/", views.mentors_mine, name="mine"),
]
