"""Issue 5, end to end: the coach opens the next meeting, sees the pre-filled agenda, writes a
private and a shared note, agrees two actions with dates in contracting and closes the meeting;
the client signs in, sees the shared note but not the private one and marks an action done; the
coach sees it on the home page, waiting to be confirmed."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from leancoach.meetings import services
from leancoach.metrics.services import add_measure, record_value
from leancoach.testing.personas import PASSWORD, make_engagements

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PRIVATE = "Casey seems tired; ask about workload next time"
SHARED = "Rework doubled last week: look at the night shift first"


def sign_in(page: Page, live_url: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_url}/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile("^Welcome"))).to_be_visible()


def open_the_next_meeting(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Engagements").click()
    page.get_by_role("link", name="Casey Client").click()
    meetings = page.locator("#meetings")
    meetings.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name=re.compile("^Meeting of"))).to_be_visible()


def agree(page: Page, what: str, owner: str, due: datetime.date) -> None:
    form = page.get_by_role("form", name="Agree an action")
    form.get_by_label("What").fill(what)
    form.get_by_label("Owner").select_option(owner)
    form.get_by_label("Agreed date").fill(due.isoformat())
    form.get_by_label("Coach checks back on").fill((due + datetime.timedelta(days=1)).isoformat())
    form.get_by_role("button", name="Agree the action").click()
    expect(page.locator(".messages")).to_contain_text("Action agreed.")


def test_a_coaching_meeting_from_agenda_to_actions(
    page: Page, live_url: str, personas_tx: Any
) -> None:
    for role in ("coach", "client"):
        user = getattr(personas_tx, role)
        user.set_password(PASSWORD)
        user.save()
    engagement = make_engagements(personas_tx).ours
    coach = engagement.coach
    today = timezone.localdate()
    measure = add_measure(engagement=engagement, by=coach, name="Rework per shift")
    for back, value in enumerate(reversed([10, 11, 9, 10, 12, 10, 11, 9, 10, 31])):
        record_value(measure=measure, on=today - datetime.timedelta(days=back), value=value)
    services.add_action(
        engagement=engagement,
        by=coach,
        what="Post the rework chart at the line",
        owner="client",
        due_on=today - datetime.timedelta(days=2),
    )
    services.add_meeting(
        engagement=engagement,
        by=coach,
        starts_at=timezone.now() + datetime.timedelta(minutes=5),
        location="Line 1 office",
    )

    # Five minutes before, the coach opens the meeting: the agenda is already filled in.
    sign_in(page, live_url, "coach@example.com")
    open_the_next_meeting(page)
    facts = page.locator("#item-facts")
    expect(facts).to_contain_text("Rework per shift: latest 31")
    expect(facts).to_contain_text("New signal in Rework per shift")
    expect(page.locator("#item-action_review")).to_contain_text(
        "Overdue: Post the rework chart at the line"
    )
    expect(page.get_by_role("heading", name="8. Contracting")).to_be_visible()

    # A private note under feedback, a shared note under the facts.
    feedback = page.get_by_role("form", name="Note on 6. Feedback")
    feedback.get_by_label(re.compile("^Note on")).fill(PRIVATE)
    feedback.get_by_role("button", name="Save as a private note").click()
    expect(page.locator("#item-feedback .note-private")).to_contain_text(PRIVATE)
    on_facts = page.get_by_role("form", name="Note on 1. Review the facts")
    on_facts.get_by_label(re.compile("^Note on")).fill(SHARED)
    on_facts.get_by_role("button", name="Share with Casey Client").click()
    expect(page.locator("#item-facts .note-shared")).to_contain_text(SHARED)

    # Contracting: two actions with dates, then close the meeting.
    agree(page, "Walk the night shift with the lead", "client", today + datetime.timedelta(days=3))
    agree(page, "Observe Friday's huddle", "coach", today + datetime.timedelta(days=4))
    contracting = page.locator("#item-contracting")
    expect(contracting).to_contain_text("Agreed: Walk the night shift with the lead — client")
    expect(contracting).to_contain_text("Agreed: Observe Friday's huddle — coach")
    page.get_by_role("button", name="Close the meeting as held").click()
    expect(page.locator(".messages")).to_contain_text("Meeting closed.")
    expect(page.locator("dl.facts")).to_contain_text("Held")

    # The client reads the shared note, never the private one, and marks an action done.
    sign_in(page, live_url, "client@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Engagements").click()
    page.get_by_role("link", name="Casey Client").click()
    page.get_by_role("link", name="All meetings").click()
    page.get_by_role("region", name="Earlier").get_by_role("link").first.click()
    expect(page.locator("#item-facts")).to_contain_text(SHARED)
    expect(page.locator("body")).not_to_contain_text(PRIVATE)
    expect(page.get_by_role("button", name="Save as a private note")).to_have_count(0)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    expect(page.locator("#client-today")).to_contain_text("Walk the night shift with the lead")
    page.locator("#client-today").get_by_role(
        "link", name="Walk the night shift with the lead"
    ).click()
    page.get_by_role("button", name="Mark done: “Walk the night shift with the lead”").click()
    expect(page.locator(".messages")).to_contain_text("your coach will confirm it")
    expect(page.get_by_role("row", name=re.compile("Walk the night shift"))).to_contain_text(
        "waiting for the coach to confirm"
    )

    # The coach sees it on the home page and confirms it with the keyboard.
    sign_in(page, live_url, "coach@example.com")
    to_confirm = page.locator(".to-confirm")
    expect(to_confirm).to_contain_text("Walk the night shift with the lead")
    confirm = to_confirm.get_by_role(
        "button", name="Confirm done: “Walk the night shift with the lead”"
    )
    confirm.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Action confirmed.")
    expect(page.locator(".to-confirm")).to_have_count(0)
