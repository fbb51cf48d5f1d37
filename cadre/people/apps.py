from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "cadre.people"
    label = "people"
