from django.urls import path

from . import views

app_name = "health"

urlpatterns = [
    path("", views.network_health, name="network"),
    path("refresh/", views.network_refresh, name="network_refresh"),
    path("settings/", views.health_settings, name="settings"),
    path("c/<slug:cohort>/", views.cohort_health, name="cohort"),
    path("c/<slug:cohort>/refresh/", views.cohort_refresh, name="cohort_refresh"),
]
