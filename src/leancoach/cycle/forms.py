"""Forms for the cycle pages: input shapes only; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms

from leancoach.cycle.models import Behaviour, Performance, Recurrence, Response
from leancoach.engagements.models import Engagement

DATE = forms.DateInput(attrs={"type": "date"})


class BehaviourChoice(forms.ModelChoiceField):
    """One of this engagement's behaviours (the service checks the engagement again)."""

    def __init__(self, engagement: Engagement | None = None, **kwargs: Any) -> None:
        queryset = (
            Behaviour.objects.filter(engagement=engagement, archived=False)
            if engagement is not None
            else Behaviour.objects.none()
        )
        super().__init__(queryset=queryset, label="Behaviour", **kwargs)


class EngagementForm(forms.Form):
    def __init__(self, *args: Any, engagement: Engagement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["behaviour"] = BehaviourChoice(engagement)


class BehaviourForm(forms.Form):
    text = forms.CharField(
        label="Pinpointed behaviour",
        max_length=300,
        help_text="What the person does or says, and when: something you could see and count.",
    )


class CommitmentForm(EngagementForm):
    when = forms.CharField(max_length=200, help_text="e.g. “at the 8:00 huddle”.")
    where = forms.CharField(max_length=200, help_text="e.g. “at the line 1 board”.")
    recurrence = forms.ChoiceField(choices=Recurrence.choices, initial=Recurrence.DAILY)
    count_target = forms.IntegerField(
        label="Times per occasion", min_value=1, max_value=100, initial=1
    )
    starts_on = forms.DateField(label="Starts on", required=False, widget=DATE)
    ends_on = forms.DateField(label="Ends on", required=False, widget=DATE)


class LogForm(forms.Form):
    on = forms.DateField(label="Date", widget=DATE)
    done = forms.TypedChoiceField(
        label="Practised?",
        choices=(("yes", "Yes"), ("no", "No")),
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    count = forms.IntegerField(label="How many times", min_value=0, max_value=1000, initial=0)
    reflection = forms.CharField(
        max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ObservationForm(EngagementForm):
    on = forms.DateField(label="Date", widget=DATE)
    performance = forms.ChoiceField(choices=Performance.choices)
    response = forms.ChoiceField(label="Your response", choices=Response.choices)
    context = forms.CharField(max_length=500, required=False)
    words = forms.CharField(
        label="What you said",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
