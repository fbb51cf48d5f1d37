from django.apps import AppConfig


class FormationConfig(AppConfig):
    name = "cadre.formation"
    label = "formation"
    verbose_name = "Intakes and cohort formation"

    def ready(self) -> None:
        from cadre.cohorts.contributions import on_close_page, on_roster_page

        from .contributions import offer_a_seat, offer_next_intake

        on_roster_page(offer_a_seat)
        on_close_page(offer_next_intake)
