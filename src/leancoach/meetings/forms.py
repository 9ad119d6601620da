from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from leancoach.core.forms import DATE_INPUT
from leancoach.core.models import ReminderChoice
from leancoach.engagements.models import Cadence
from leancoach.meetings.models import ActionOwner, ActionStatus, MeetingStatus

DATE = DATE_INPUT
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class ScheduleForm(forms.Form):
    first_starts_at = forms.DateTimeField(
        label="First meeting", widget=DATETIME, input_formats=DATETIME_FORMATS
    )
    cadence = forms.ChoiceField(label="Every", choices=Cadence.choices)
    duration_minutes = forms.IntegerField(label="Minutes", min_value=5, max_value=480, initial=60)
    location = forms.CharField(label="Where", max_length=200, required=False)


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(label="Starts", widget=DATETIME, input_formats=DATETIME_FORMATS)
    duration_minutes = forms.IntegerField(label="Minutes", min_value=5, max_value=480, initial=60)
    location = forms.CharField(label="Where", max_length=200, required=False)


class CloseMeetingForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(MeetingStatus.HELD, "Held"), (MeetingStatus.MISSED, "Missed")]
    )


class NoteForm(forms.Form):
    item = forms.CharField(max_length=30, widget=forms.HiddenInput)
    text = forms.CharField(label="Note", max_length=10000, widget=forms.Textarea(attrs={"rows": 2}))


class ActionForm(forms.Form):
    what = forms.CharField(max_length=300)
    owner = forms.ChoiceField(choices=ActionOwner.choices)
    due_on = forms.DateField(label="Agreed date", widget=DATE)
    check_back_on = forms.DateField(
        label="Coach checks back on",
        widget=DATE,
        required=False,
        help_text="When the coach checks back or observes.",
    )


class ActionEditForm(ActionForm):
    status = forms.ChoiceField(choices=ActionStatus.choices)


SORTS = {
    "due": ("due_on", "Agreed date"),
    "created": ("created_at", "Date added"),
}


class ActionFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", "Any status"), ("overdue", "Overdue"), *ActionStatus.choices],
        required=False,
    )
    owner = forms.ChoiceField(choices=[("", "Anyone"), *ActionOwner.choices], required=False)
    sort = forms.ChoiceField(
        choices=[(key, label) for key, (_f, label) in SORTS.items()], required=False
    )
    order = forms.ChoiceField(
        choices=[("asc", "Oldest first"), ("desc", "Newest first")], required=False
    )


class ObstacleForm(forms.Form):
    text = forms.CharField(label="Obstacle", max_length=500)
    work_on_now = forms.BooleanField(label="Work on this one now", required=False)


class ExperimentForm(forms.Form):
    step = forms.CharField(label="The next step", max_length=500)
    expected = forms.CharField(label="What do you expect?", max_length=1000)
    obstacle = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReflectForm(forms.Form):
    happened = forms.CharField(label="What happened?", max_length=1000)
    learned = forms.CharField(label="What did you learn?", max_length=1000)


def _zone_choices() -> list[tuple[str, str]]:
    return [("", "The organisation's time zone")] + [
        (name, name) for name in sorted(zoneinfo.available_timezones())
    ]


class PreferencesForm(forms.Form):
    time_zone = forms.ChoiceField(label="Your time zone", choices=_zone_choices, required=False)
    reminders = forms.ChoiceField(label="Reminders", choices=ReminderChoice.choices)

    def clean_time_zone(self) -> str:
        value: Any = self.cleaned_data.get("time_zone") or ""
        if value and value not in zoneinfo.available_timezones():
            raise ValidationError("Choose a time zone from the list.")
        return str(value)
