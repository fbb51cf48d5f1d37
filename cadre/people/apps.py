from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "cadre.people"
    label = "people"

    def ready(self) -> None:
        # A person's saved language goes into their session when they sign in.
        from cadre.people import languages  # noqa: F401
