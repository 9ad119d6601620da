"""On the meeting page a private note is the default and sharing looks different: wording,
colour and an icon with an accessible name; after saving, the page says who can read the note
(issue 10, finding 12: three identical buttons, eight times per meeting)."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from leancoach.engagements import services as engagement_services
from leancoach.engagements.models import PrivateNote
from leancoach.meetings.models import MeetingNote

pytestmark = pytest.mark.django_db


@dataclass
class Button:
    classes: set[str]
    formaction: str
    text: str = ""
    icon_names: list[str] = field(default_factory=list)


@dataclass
class NoteForm:
    action: str
    buttons: list[Button] = field(default_factory=list)


class NoteForms(HTMLParser):
    """The note forms of a meeting page, with their buttons, words and icons."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[NoteForm] = []
        self.button: Button | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form" and "note-form" in values.get("class", "").split():
            self.forms.append(NoteForm(action=values["action"]))
        elif tag == "button" and self.forms and "note-button" in values.get("class", ""):
            self.button = Button(set(values["class"].split()), values.get("formaction", ""))
            self.forms[-1].buttons.append(self.button)
        elif tag == "svg" and self.button is not None and values.get("role") == "img":
            self.button.icon_names.append(values.get("aria-label", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "button":
            self.button = None

    def handle_data(self, data: str) -> None:
        if self.button is not None:
            self.button.text += data


def note_forms(user: Any, meeting: Any) -> list[NoteForm]:
    client = Client()
    client.force_login(user)
    parser = NoteForms()
    parser.feed(client.get(meeting_path(meeting)).content.decode())
    return parser.forms


def meeting_path(meeting: Any) -> str:
    return f"/engagements/{meeting.engagement_id}/meetings/{meeting.pk}/"


def words(text: str) -> str:
    return " ".join(text.split())


def save_note(user: Any, meeting: Any, visibility: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.post(
        f"{meeting_path(meeting)}notes/{visibility}/",
        {"item": "facts", "text": f"A {visibility} note"},
        follow=True,
    )
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_coachs_note_forms_save_a_private_note_by_default(personas: Any, meeting: Any) -> None:
    forms = note_forms(personas.coach, meeting)
    assert len(forms) == 8
    for form in forms:
        assert form.action.endswith("/notes/private/")
        first = form.buttons[0]
        assert "note-button-private" in first.classes
        assert words(first.text) == "Save as a private note"
        assert first.formaction == form.action


def test_sharing_buttons_differ_in_class_wording_and_named_icon(
    personas: Any, meeting: Any
) -> None:
    form = note_forms(personas.coach, meeting)[0]
    _private, shared, summary = form.buttons
    kinds = [{c for c in button.classes if c.startswith("note-button-")} for button in form.buttons]
    assert kinds == [{"note-button-private"}, {"note-button-shared"}, {"note-button-summary"}]
    assert [button.icon_names for button in form.buttons] == [
        ["Private"],
        ["Shared"],
        ["Summary"],
    ]
    assert words(shared.text) == "Share with Casey Client"
    assert words(summary.text) == "Add to the summary (Sam Sponsor may read it)"
    assert shared.formaction.endswith("/notes/shared/")
    assert summary.formaction.endswith("/notes/summary/")


def test_the_stylesheet_gives_each_way_of_sharing_its_own_colour() -> None:
    css = (Path(__file__).parents[2] / "static/leancoach/app.css").read_text()
    rules = {
        name: css.split(f".{name} {{", 1)[1].split("}", 1)[0]
        for name in ("note-button-shared", "note-button-summary")
    }
    colours = {name: rule.split("color:", 1)[1].split(";", 1)[0] for name, rule in rules.items()}
    assert colours["note-button-shared"] != colours["note-button-summary"]
    assert all("dashed" in rule for rule in rules.values())


def test_the_clients_note_forms_share_with_the_coach_by_default(
    personas: Any, meeting: Any
) -> None:
    form = note_forms(personas.client, meeting)[0]
    assert form.action.endswith("/notes/shared/")
    assert [words(button.text) for button in form.buttons] == [
        "Share with Cora Coach",
        "Add to the summary (Sam Sponsor may read it)",
    ]


def test_after_saving_a_private_note_the_page_says_only_you_can_read_it(
    personas: Any, meeting: Any
) -> None:
    page = save_note(personas.coach, meeting, "private")
    assert "Only you can read this note." in page
    assert PrivateNote.objects.filter(meeting=meeting, text="A private note").exists()


def test_after_sharing_a_note_the_page_says_the_client_can_read_it(
    personas: Any, meeting: Any
) -> None:
    assert "Casey Client can read this note." in save_note(personas.coach, meeting, "shared")
    assert "Cora Coach can read this note." in save_note(personas.client, meeting, "shared")
    assert MeetingNote.objects.filter(meeting=meeting, visibility="shared").count() == 2


def test_after_adding_to_the_summary_the_page_says_whether_the_sponsor_reads_it(
    personas: Any, meeting: Any, engagements: Any
) -> None:
    page = save_note(personas.coach, meeting, "summary")
    assert (
        "In the summary: Sam Sponsor can read it if the agreement shares summaries "
        "(it does not at the moment); Casey Client can read it too." in page
    )
    engagement = engagements.ours
    version = engagement_services.propose_agreement(
        request=None,
        engagement=engagement,
        by=engagement.coach,
        role="coach",
        terms={"share_meeting_summaries": True},
    )
    for person in (engagement.coach, engagement.client, engagement.sponsor):
        engagement_services.sign_agreement(request=None, agreement=version, person=person)
    assert "if the agreement shares summaries (it does now)" in save_note(
        personas.coach, meeting, "summary"
    )


def test_saved_notes_carry_a_named_icon_and_who_reads_them(personas: Any, meeting: Any) -> None:
    save_note(personas.coach, meeting, "private")
    page = save_note(personas.coach, meeting, "shared")
    assert '<svg class="icon" role="img" aria-label="Private"><use href="#icon-private">' in page
    assert "private: only you" in page
    assert "shared: coach and client" in page
