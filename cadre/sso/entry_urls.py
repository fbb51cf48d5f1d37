"""Signing in through single sign-on, under /sso/."""

from django.urls import path

from . import views

app_name = "sso_entry"

urlpatterns = [
    path("", views.route, name="route"),
    path("<int:provider>/start/", views.start, name="start"),
]
