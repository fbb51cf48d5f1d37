"""The network admins' single sign-on pages, under /n/<network>/settings/sso/."""

from django.urls import path

from . import views

app_name = "sso"

urlpatterns = [
    path("", views.providers, name="providers"),
    path("<int:idp>/", views.provider_edit, name="provider"),
    path("<int:idp>/enable/", views.provider_enable, name="provider_enable"),
    path("<int:idp>/check/", views.provider_check, name="provider_check"),
    path("<int:idp>/delete/", views.provider_delete, name="provider_delete"),
]
