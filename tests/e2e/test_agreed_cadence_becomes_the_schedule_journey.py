"""Issue 10, finding 12: the coach proposes a version of the agreement with a weekly cadence,
client and sponsor sign it, and the meeting list follows the new cadence at once."""

from __future__ import annotations

import datetime
import itertools
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from leancoach.meetings import services
from leancoach.testing.personas import PASSWORD, make_engagements

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, live_url: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_url}/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile("^Welcome"))).to_be_visible()


def open_engagement_page(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Engagements").click()
    page.get_by_role("link", name="Casey Client").click()


def test_signing_a_weekly_cadence_reschedules_the_meetings(
    page: Page, live_url: str, personas_tx: Any
) -> None:
    for role in ("coach", "client", "sponsor"):
        user = getattr(personas_tx, role)
        user.set_password(PASSWORD)
        user.save()
    engagement = make_engagements(personas_tx).ours
    first = timezone.localtime(timezone.now() + datetime.timedelta(days=2)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    services.schedule_meetings(
        engagement=engagement, by=engagement.coach, first_starts_at=first, cadence="fortnightly"
    )

    # The coach proposes version 2 with weekly meetings and signs it.
    sign_in(page, live_url, "coach@example.com")
    open_engagement_page(page)
    page.get_by_role("link", name="Write or change the agreement").click()
    page.get_by_label("Meeting cadence").select_option("weekly")
    page.get_by_role("button", name="Propose for signature").click()
    page.get_by_role("button", name="Sign version 2 as coach").click()
    expect(page.locator(".signatures").first).to_contain_text("coach: Cora Coach")

    # Client and sponsor sign; the last signature puts the version in force.
    for email, role in (("client@example.com", "client"), ("sponsor@example.com", "sponsor")):
        sign_in(page, live_url, email)
        open_engagement_page(page)
        page.get_by_role("link", name="Read the agreement and sign it").click()
        page.get_by_role("button", name=f"Sign version 2 as {role}").click()
        expect(page.get_by_role("status")).to_contain_text("You signed version 2")

    # The meeting list follows the weekly cadence.
    sign_in(page, live_url, "coach@example.com")
    open_engagement_page(page)
    expect(page.locator("dl.facts")).to_contain_text("Weekly")
    page.get_by_role("link", name="Schedule and open the meetings").click()
    expect(page.locator("main")).to_contain_text("Meetings follow the weekly cadence")
    rows = page.get_by_role("region", name="Coming up").locator("tbody th")
    days = [
        datetime.datetime.strptime(text.split(",")[0], "%a %d %b %Y").date()
        for text in rows.all_inner_texts()[:3]
    ]
    assert [(later - earlier).days for earlier, later in itertools.pairwise(days)] == [
        7,
        7,
    ]
    assert days[0] == first.date()
