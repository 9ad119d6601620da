from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from leancoach.core.forms import DATE_INPUT
from leancoach.engagements.models import (
    NEED_CATEGORIES,
    Cadence,
    CoachingModel,
    Kind,
    NeedCategory,
    SharingCategory,
    Status,
    Zone,
)
from leancoach.metrics.models import Frequency
from leancoach.people.models import Person


class PersonByEmailField(forms.EmailField):
    """A person chosen by work e-mail (the directory is too big for a drop-down)."""

    def clean(self, value: Any) -> Person | None:
        email = super().clean(value)
        if not email:
            return None
        person = Person.objects.filter(email=email.strip().lower()).first()
        if person is None:
            raise ValidationError(f"No one in the directory has the e-mail {email}.")
        return person


class OpenEngagementForm(forms.Form):
    client = PersonByEmailField(label="Client's e-mail", help_text="The person to be coached.")
    kind = forms.ChoiceField(choices=Kind.choices, initial=Kind.COACHING)
    coaching_model = forms.ChoiceField(
        label="Coaching model", choices=CoachingModel.choices, initial=CoachingModel.LEADERSHIP
    )
    zones = forms.MultipleChoiceField(
        label="Zones of caring",
        choices=Zone.choices,
        initial=[Zone.BLUE],
        widget=forms.CheckboxSelectMultiple,
        help_text="One or more.",
    )
    cadence = forms.ChoiceField(
        label="Meeting cadence", choices=Cadence.choices, initial=Cadence.FORTNIGHTLY
    )
    sponsor = PersonByEmailField(
        label="Sponsor's e-mail",
        required=False,
        help_text="Leave empty for the default: the client's manager (their manager, if you are it).",
    )
    focus = forms.CharField(label="Focus", max_length=200, required=False)
    coach = PersonByEmailField(
        label="Coach's e-mail",
        required=False,
        help_text="Admins only: open the engagement for another coach. Empty means you.",
    )


class RequestMentorForm(forms.Form):
    mentor = PersonByEmailField(label="Mentor's e-mail")
    focus = forms.CharField(label="What you would like to grow in", max_length=200, required=False)
    cadence = forms.ChoiceField(
        label="How often to meet", choices=Cadence.choices, initial=Cadence.MONTHLY
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices)
    reason = forms.CharField(max_length=500)
    on = forms.DateField(label="Date", required=False, widget=DATE_INPUT)


class AnswerForm(forms.Form):
    accept = forms.TypedChoiceField(
        label="Your answer",
        choices=[("yes", "Accept"), ("no", "Decline")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason (optional; kept in the history if you decline)",
        max_length=400,
        required=False,
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=[("coach", "Coach"), ("sponsor", "Sponsor")])
    person = PersonByEmailField(label="E-mail of the person you propose", required=False)
    reason = forms.CharField(max_length=300)


class AgreementForm(forms.Form):
    cadence = forms.ChoiceField(label="Meeting cadence", choices=Cadence.choices)
    sponsor_expects_feedback = forms.BooleanField(
        required=False, label="The sponsor expects feedback on how they manage the client"
    )
    client_confidential = forms.CharField(
        label="What the client asks to keep confidential",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Seen by the coach and the client only; the sponsor sees only that such a clause exists.",
    )
    coach_commitments = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    client_commitments = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    sponsor_commitments = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for category in SharingCategory:
            self.fields[f"share_{category.value}"] = forms.BooleanField(
                required=False, label=category.label
            )

    def sharing_fields(self) -> list[forms.BoundField]:
        return [self[f"share_{category.value}"] for category in SharingCategory]


class NeedForm(forms.Form):
    category = forms.ChoiceField(choices=NeedCategory.choices)
    description = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, owner: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = set(NEED_CATEGORIES[owner])
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [
            (value, label) for value, label in NeedCategory.choices if value in allowed
        ]


class MoveForm(forms.Form):
    position = forms.IntegerField(min_value=1, max_value=10_000)


class AssumptionsForm(forms.Form):
    best_outcome = forms.CharField(
        label="The client's hoped-for best outcome",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    strengths = forms.CharField(
        label="Strengths (one per line)", max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class PrivateNoteForm(forms.Form):
    text = forms.CharField(
        label="Private note", max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )


class MeasureForm(forms.Form):
    name = forms.CharField(max_length=200)
    unit = forms.CharField(max_length=50, required=False)
    better = forms.ChoiceField(label="Better is", choices=[("up", "Higher"), ("down", "Lower")])
    frequency = forms.ChoiceField(
        label="Expected frequency", choices=Frequency.choices, initial=Frequency.WEEKLY
    )


class ValueForm(forms.Form):
    on = forms.DateField(label="Date", widget=DATE_INPUT)
    value = forms.FloatField()
