"""Pages under /n/<network>/c/<cohort>/coaching/ (beside the rotation's pages)."""

from django.urls import path  # noqa: F401

app_name = "peer_coaching"

urlpatterns: list = []
