from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "cadre.sso"
    label = "sso"
    verbose_name = "Single sign-on"

    def ready(self) -> None:
        from allauth.account.signals import user_logged_in

        from cadre.sso import saml

        # A SAML sign-in keeps its SAML session for single logout; any other clears it.
        user_logged_in.connect(saml.on_signed_in, dispatch_uid="cadre.sso.saml.on_signed_in")
