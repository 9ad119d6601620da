"""Issue 10, finding 12: on a phone-sized screen the coach writes a note and saves it with the
keyboard's first choice, a private note, and the page says only they can read it; a note
shared with the client says that the client can read it."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from leancoach.meetings import services
from leancoach.testing.personas import PASSWORD, make_engagements

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PRIVATE = "Casey hesitates when the plant manager joins"
SHARED = "Three problems came up at the huddle: good"


def test_a_private_note_is_the_default_and_sharing_says_who_reads(
    page: Page, live_url: str, personas_tx: Any
) -> None:
    personas_tx.coach.set_password(PASSWORD)
    personas_tx.coach.save()
    engagement = make_engagements(personas_tx).ours
    meeting = services.add_meeting(
        engagement=engagement,
        by=engagement.coach,
        starts_at=timezone.now() + datetime.timedelta(minutes=5),
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_url}/accounts/login/")
    page.get_by_label("E-mail").fill("coach@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_url}/engagements/{engagement.pk}/meetings/{meeting.pk}/")

    # The first button after the note is the private one: Tab, Enter.
    feedback = page.get_by_role("form", name="Note on 6. Feedback")
    note = feedback.get_by_label(re.compile("^Note on"))
    note.fill(PRIVATE)
    note.press("Tab")
    expect(feedback.get_by_role("button", name="Save as a private note")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(
        "Private note saved. Only you can read this note."
    )
    expect(page.locator("#item-feedback .note-private")).to_contain_text(PRIVATE)
    expect(
        page.locator("#item-feedback .note-private").get_by_role("img", name="Private")
    ).to_be_visible()

    # Sharing is a different button, in words, colour and icon, and the page says who reads it.
    facts = page.get_by_role("form", name="Note on 1. Review the facts")
    share = facts.get_by_role("button", name="Share with Casey Client")
    expect(share.get_by_role("img", name="Shared")).to_be_visible()
    private_colour = facts.get_by_role("button", name="Save as a private note").evaluate(
        "b => getComputedStyle(b).backgroundColor"
    )
    assert share.evaluate("b => getComputedStyle(b).backgroundColor") != private_colour
    facts.get_by_label(re.compile("^Note on")).fill(SHARED)
    share.click()
    expect(page.get_by_role("status")).to_contain_text(
        "Shared note saved. Casey Client can read this note."
    )
    expect(page.locator("#item-facts .note-shared")).to_contain_text(SHARED)

    # Nothing on the page is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
