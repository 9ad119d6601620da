from django.apps import AppConfig


class CycleConfig(AppConfig):
    name = "leancoach.cycle"
    label = "cycle"
