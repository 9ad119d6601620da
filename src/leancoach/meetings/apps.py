from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "leancoach.meetings"
    label = "meetings"
