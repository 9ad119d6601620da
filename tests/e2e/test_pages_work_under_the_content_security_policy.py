"""Key pages load in Chromium under the Content-Security-Policy without a single violation,
and htmx still works: search as you type, and a team branch that loads when opened."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import ConsoleMessage, Page, expect

from leancoach.engagements import services
from leancoach.meetings.services import add_meeting
from leancoach.metrics.services import add_measure, record_value
from leancoach.testing.personas import PASSWORD, make_engagements

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Runs in every page before its own scripts: collect what the browser refuses.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


def violations(page: Page) -> list[str]:
    return list(page.evaluate("window.__violations"))


def test_key_pages_load_without_a_csp_violation_and_htmx_still_works(
    page: Page, live_url: str, personas_tx: Any
) -> None:
    engagement = make_engagements(personas_tx).ours
    coach = engagement.coach
    services.add_need(
        engagement=engagement, by=coach, owner="client", category="quality", description="Fewer"
    )
    measure = add_measure(engagement=engagement, by=coach, name="First-pass yield", unit="%")
    today = timezone.localdate()
    for days, value in ((3, 91.0), (2, 93.0), (1, 92.0)):
        record_value(measure=measure, on=today - datetime.timedelta(days=days), value=value)
    meeting = add_meeting(
        engagement=engagement, by=coach, starts_at=timezone.now() + datetime.timedelta(days=1)
    )
    personas_tx.coach.set_password(PASSWORD)
    personas_tx.coach.save()

    console: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            console.append(message.text)

    page.on("console", on_console)
    page.add_init_script(RECORD_VIOLATIONS)

    page.goto(f"{live_url}/accounts/login/")
    page.get_by_label("E-mail").fill("coach@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()

    pages = [
        "/",
        f"/engagements/{engagement.pk}/",
        f"/engagements/{engagement.pk}/needs/",
        f"/engagements/{engagement.pk}/measures/{measure.pk}/",
        f"/engagements/{engagement.pk}/meetings/{meeting.pk}/",
        "/profile/",
    ]
    seen: dict[str, list[str]] = {}
    for path in pages:
        response = page.goto(live_url + path)
        assert response is not None
        assert response.status == 200, path
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        seen[path] = violations(page)

    # the API's own documentation page renders, its icons included
    page.goto(f"{live_url}/api/v1/docs")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    page.locator(".swagger-ui .opblock-summary").first.click()
    page.wait_for_timeout(300)
    seen["/api/v1/docs"] = violations(page)

    # htmx: search as you type replaces the results without a page load
    page.goto(f"{live_url}/people/")
    page.get_by_label("Search people").fill("casey")
    results = page.locator("#directory-results")
    expect(results.get_by_role("link", name="Casey Client").first).to_be_visible()
    expect(results.get_by_role("link", name="Chris Chief")).to_have_count(0)
    seen["/people/ (search)"] = violations(page)

    # htmx: opening a team branch loads its sub-teams
    page.goto(f"{live_url}/teams/")
    executive = page.locator("summary", has_text="Executive")
    executive.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("list", name="Teams inside Executive")).to_contain_text("Operations")
    seen["/teams/ (branch)"] = violations(page)

    assert {path: found for path, found in seen.items() if found} == {}
    assert console == []
