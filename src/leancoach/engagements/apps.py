from django.apps import AppConfig


class EngagementsConfig(AppConfig):
    name = "leancoach.engagements"
    label = "engagements"
