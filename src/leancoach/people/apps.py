from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "leancoach.people"
    label = "people"
