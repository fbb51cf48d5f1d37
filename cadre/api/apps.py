from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cadre.api"
    label = "api"

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_added

        from cadre.api.signals import revoke_tokens_made_before_two_factor

        authenticator_added.connect(
            revoke_tokens_made_before_two_factor, dispatch_uid="cadre.api.revoke_tokens"
        )
