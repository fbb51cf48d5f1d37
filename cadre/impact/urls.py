"""Pages under /n/<network>/c/<cohort>/impact/."""

from django.urls import path

from . import views

app_name = "impact"

urlpatterns = [
    path("", views.report, name="report"),
    path("report.pdf", views.report_pdf, name="pdf"),
]
