"""Pages under /n/<network>/c/<cohort>/export/."""

from django.urls import path

from . import views

app_name = "transfer"

urlpatterns = [path("", views.cohort_export, name="cohort")]
