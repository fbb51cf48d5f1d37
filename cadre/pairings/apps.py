from django.apps import AppConfig


class PairingsConfig(AppConfig):
    name = "cadre.pairings"
    verbose_name = "Follow-through on pairings"

    def ready(self) -> None:
        from cadre.networks.contributions import on_network_home
        from cadre.pairings.home import add_did_you_meet

        on_network_home(add_did_you_meet)
