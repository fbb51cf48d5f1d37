"""A cohort's coaching rotation, under /n/<network>/c/<cohort>/coaching/."""

from django.urls import path

from . import views

app_name = "coaching"

urlpatterns = [
    path("", views.coaching, name="rotation"),
    path("plan/", views.coaching_plan, name="plan"),
]
