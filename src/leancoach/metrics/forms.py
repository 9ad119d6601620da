from __future__ import annotations

from django import forms


class BaselineForm(forms.Form):
    starts_on = forms.DateField(label="Starts on", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label="Ends on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty to use the first 20 values from the start.",
    )
    reason = forms.CharField(
        max_length=300, help_text="What changed in the process, or why this period."
    )


class PointsUploadForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="Columns: date (YYYY-MM-DD), value.")
