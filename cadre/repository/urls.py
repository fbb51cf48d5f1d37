"""Pages under /n/<network>/library/."""

from django.urls import path  # noqa: F401

app_name = "repository"

urlpatterns: list = []
