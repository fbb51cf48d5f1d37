"""Cadre's answers at some of allauth's addresses, under allauth's names (cadre.urls puts them
before allauth's): signing out, and the SAML provider's end of sign-in, metadata and logout,
which single logout needs (cadre.sso.saml)."""

from django.urls import path

from . import views

urlpatterns = [
    path("logout/", views.SignOut.as_view(), name="account_logout"),
    path(
        "saml/<str:organization_slug>/acs/finish/",
        views.SamlFinishAcs.as_view(),
        name="saml_finish_acs",
    ),
    path("saml/<str:organization_slug>/sls/", views.saml_sls, name="saml_sls"),
    path("saml/<str:organization_slug>/metadata/", views.saml_metadata, name="saml_metadata"),
]
