"""Pages under /n/<network>/journal/."""

from django.urls import path  # noqa: F401

app_name = "journal"

urlpatterns: list = []
