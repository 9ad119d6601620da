from __future__ import annotations

from django import forms

from leancoach.core.forms import DATE_INPUT
from leancoach.metrics.models import Direction, Frequency

# ISO whatever the locale: a browser drops any other value of a date input.
DATE = DATE_INPUT


class BaselineForm(forms.Form):
    starts_on = forms.DateField(label="Starts on", widget=DATE)
    ends_on = forms.DateField(
        label="Ends on",
        required=False,
        widget=DATE,
        help_text="Leave empty to use the first 20 values from the start.",
    )
    reason = forms.CharField(
        max_length=300, help_text="What changed in the process, or why this period."
    )


class PointsUploadForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="Columns: date (YYYY-MM-DD), value.")


class MeasureForm(forms.Form):
    name = forms.CharField(max_length=200)
    unit = forms.CharField(max_length=50, required=False, help_text="e.g. %, minutes, parts")
    better = forms.ChoiceField(label="Which direction is better", choices=Direction.choices)
    frequency = forms.ChoiceField(
        label="Expected frequency",
        choices=Frequency.choices,
        initial=Frequency.WEEKLY,
        help_text="How often a new value comes in.",
    )
