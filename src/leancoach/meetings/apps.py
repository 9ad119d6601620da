from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "leancoach.meetings"
    label = "meetings"

    def ready(self) -> None:
        from leancoach.engagements.signals import agreement_in_force
        from leancoach.meetings.receivers import apply_agreed_cadence

        agreement_in_force.connect(apply_agreed_cadence, dispatch_uid="meetings.agreed_cadence")
