from __future__ import annotations

from django import forms

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class PeopleImportForm(forms.Form):
    file = forms.FileField(
        label="People CSV file",
        help_text="UTF-8 CSV with a header row; columns: email, name, title, manager_email, team, team_parent, team_leader, login.",
    )
    dry_run = forms.BooleanField(
        required=False, label="Check only (validate the file without importing it)"
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                "The file is larger than 50 MB; split it or use `leancoach import-people`."
            )
        return upload
