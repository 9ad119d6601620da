"""Forms for the cycle pages: input shapes only; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms

from leancoach.core.forms import DATE_INPUT
from leancoach.cycle.models import (
    Behaviour,
    Performance,
    RatePeriod,
    Recurrence,
    Response,
    TargetKind,
    TargetStatus,
)
from leancoach.engagements.models import Engagement
from leancoach.metrics.models import Measure

DATE = DATE_INPUT


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


class TargetForm(forms.Form):
    """Either a measure and the value it should reach, or a behaviour and how often."""

    kind = forms.ChoiceField(
        label="The target is", choices=TargetKind.choices, widget=forms.RadioSelect
    )
    measure = forms.ModelChoiceField(queryset=Measure.objects.none(), required=False)
    target_value = forms.FloatField(label="Value to reach", required=False)
    behaviour = forms.ModelChoiceField(queryset=Behaviour.objects.none(), required=False)
    rate = forms.IntegerField(label="Times", min_value=1, max_value=10000, required=False)
    rate_period = forms.ChoiceField(
        label="Per", choices=[("", "—"), *RatePeriod.choices], required=False
    )
    by_date = forms.DateField(label="By", widget=DATE)
    expected = forms.CharField(
        label="We expect",
        max_length=2000,
        help_text="What you expect to happen, and why: the hypothesis of this experiment.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, engagement: Engagement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        measure = self.fields["measure"]
        behaviour = self.fields["behaviour"]
        assert isinstance(measure, forms.ModelChoiceField)
        assert isinstance(behaviour, forms.ModelChoiceField)
        measure.queryset = Measure.objects.filter(engagement=engagement)
        behaviour.queryset = Behaviour.objects.filter(engagement=engagement, archived=False)

    def service_arguments(self) -> dict[str, Any]:
        """Only the fields of the chosen kind: the service refuses a target that names both."""
        data = self.cleaned_data
        chosen = {"by_date": data["by_date"], "expected": data["expected"]}
        if data["kind"] == TargetKind.MEASURE:
            return {**chosen, "measure": data["measure"], "target_value": data["target_value"]}
        return {
            **chosen,
            "behaviour": data["behaviour"],
            "rate": data["rate"],
            "rate_period": data["rate_period"],
        }


class CloseTargetForm(forms.Form):
    status = forms.ChoiceField(
        label="Result",
        choices=[
            (TargetStatus.MET, "Met"),
            (TargetStatus.NOT_MET, "Not met"),
            (TargetStatus.DROPPED, "Dropped"),
        ],
        widget=forms.RadioSelect,
    )
    actual = forms.CharField(
        label="What happened",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    learned = forms.CharField(
        label="What we learned", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


MAX_STEPS = 4


class SkillForm(forms.Form):
    """A chain of behaviours in the order they are performed: steps 1 to 4, at least two."""

    name = forms.CharField(max_length=200)
    fluency_threshold = forms.IntegerField(
        label="Fluent observations in a row to count as chained",
        min_value=1,
        max_value=20,
        initial=3,
    )

    def __init__(self, *args: Any, engagement: Engagement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in range(1, MAX_STEPS + 1):
            field = BehaviourChoice(engagement, required=number <= 2)
            field.label = f"Step {number}"
            self.fields[f"step_{number}"] = field

    def steps(self) -> list[Behaviour]:
        return [
            self.cleaned_data[f"step_{number}"]
            for number in range(1, MAX_STEPS + 1)
            if self.cleaned_data.get(f"step_{number}") is not None
        ]


class ChainObservationForm(forms.Form):
    """An observation of the whole chain, performed in order."""

    on = forms.DateField(label="Date", widget=DATE)
    performance = forms.ChoiceField(label="The whole chain was", choices=Performance.choices)
    response = forms.ChoiceField(label="Your response", choices=Response.choices)
    words = forms.CharField(
        label="What you said",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ChallengeForm(forms.Form):
    title = forms.CharField(max_length=200)
    why_it_matters = forms.CharField(
        label="Why it matters", max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.EmailField(label="Owner's e-mail", help_text="The senior manager who owns it.")
    teams = forms.CharField(
        label="Teams (names, one per line)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LinkChallengeForm(forms.Form):
    challenge = forms.IntegerField(required=False, min_value=1, max_value=10**18)


class CurrentConditionForm(forms.Form):
    on = forms.DateField(label="Date", widget=DATE)
    observed_behaviour = forms.CharField(
        label="Observed behaviour against the desired skills",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    external_conditions = forms.CharField(
        label="External conditions imposed by the landscape",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    priorities = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
