"""The coach opens an engagement, which client and sponsor accept; the coach writes needs
and strengths, and proposes an agreement sharing only measures and action status; client
and sponsor sign; the sponsor sees just that; the client sees the sponsor's read in "who
has seen my coaching data"."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from leancoach.testing.personas import PASSWORD

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


def test_the_agreement_decides_what_the_sponsor_sees(
    page: Page, live_url: str, personas_tx: Any
) -> None:
    for role in ("coach", "client", "sponsor"):
        user = getattr(personas_tx, role)
        user.set_password(PASSWORD)
        user.save()

    # The coach opens the engagement; the sponsor defaults to the client's manager.
    sign_in(page, live_url, "coach@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Engagements").click()
    page.get_by_role("link", name="Open a coaching engagement").click()
    page.get_by_label("Client's e-mail").fill("client@example.com")
    page.get_by_label("Focus").fill("Huddles that solve problems")
    page.get_by_role("button", name="Open the engagement").click()
    expect(page.get_by_role("heading", name="Coaching of Casey Client")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("Sam Sponsor")

    # It is a proposal until the client and the sponsor accept, each from their home page.
    for email in ("client@example.com", "sponsor@example.com"):
        sign_in(page, live_url, email)
        page.locator("#waiting-for-you").get_by_role(
            "link", name=re.compile("accept or decline")
        ).click()
        page.get_by_label("Accept", exact=True).check()
        page.get_by_role("button", name="Send the answer").click()
        expect(page.get_by_role("status")).to_contain_text("You accepted.")
    sign_in(page, live_url, "coach@example.com")
    open_engagement_page(page)

    # Needs: one for the sponsor's list, one for the client's.
    page.get_by_role("link", name="Open the needs analysis").click()
    sponsor_form = page.get_by_role("form", name="Add a sponsor need")
    sponsor_form.get_by_label("Category").select_option("quality")
    sponsor_form.get_by_label("Description").fill("Halve the rework on line 1")
    sponsor_form.get_by_role("button", name=re.compile("Add to")).click()
    client_form = page.get_by_role("form", name="Add a client need")
    client_form.get_by_label("Category").select_option("team_behaviour")
    client_form.get_by_label("Description").fill("The team raises problems in the huddle")
    client_form.get_by_role("button", name=re.compile("Add to")).click()
    expect(page.locator("#client-needs .need")).to_have_count(1)

    # Strengths, written at the start.
    page.get_by_role("link", name=re.compile("Coaching of Casey Client")).click()
    page.get_by_role("link", name="Write the positive assumptions").click()
    page.get_by_label("The client's hoped-for best outcome").fill(
        "A team that fixes its own problems"
    )
    page.get_by_label("Strengths (one per line)").fill("Patient listener\nKnows the process")
    page.get_by_role("button", name="Save").click()

    # The agreement: share measures and action status, nothing else; the coach signs.
    page.get_by_role("link", name=re.compile("Coaching of Casey Client")).click()
    page.get_by_role("link", name="Write or change the agreement").click()
    sharing = page.get_by_role("group", name="What the sponsor may see")
    sharing.get_by_label("Measures and KPIs").check()
    sharing.get_by_label("Action-log status").check()
    page.get_by_label("What the client asks to keep confidential").fill("Anything about my health")
    page.get_by_role("button", name="Propose for signature").click()
    page.get_by_role("button", name="Sign version 1 as coach").click()
    expect(page.locator(".signatures")).to_contain_text("coach: Cora Coach")

    # Something to share: a measure with a value and an action.
    page.get_by_role("link", name=re.compile("Coaching of Casey Client")).click()
    page.locator("#measures summary", has_text="Add a measure").click()
    page.locator("#measures").get_by_label("Name").fill("Rework per week")
    page.get_by_role("button", name="Add measure").click()
    page.locator("#measures summary", has_text="Add a measure").click()
    value_form = page.get_by_role("form", name="Record a value of Rework per week")
    value_form.get_by_label("Date").fill("2026-11-20")
    value_form.get_by_label("Value").fill("14")
    value_form.get_by_role("button", name="Record").click()
    page.locator("#actions").get_by_role("link", name="Open the action log").click()
    page.get_by_text("Add an action", exact=True).click()
    actions = page.get_by_role("form", name="Add an action")
    actions.get_by_label("What").fill("Hold a 10-minute huddle at 8:00 every day")
    actions.get_by_label("Agreed date").fill("2026-12-04")
    actions.get_by_role("button", name="Add action").click()
    expect(page.locator("tr.action")).to_have_count(1)
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Coaching of Casey Client"
    ).click()
    expect(page.locator("#actions tr.action")).to_have_count(1)

    # The client and the sponsor read and sign.
    for email, role in (("client@example.com", "client"), ("sponsor@example.com", "sponsor")):
        sign_in(page, live_url, email)
        open_engagement_page(page)
        page.get_by_role("link", name="Read the agreement and sign it").click()
        page.get_by_role("button", name=f"Sign version 1 as {role}").click()
        expect(page.get_by_role("status")).to_contain_text("You signed version 1")

    # The sponsor sees measures and the action log, and nothing else.
    page.get_by_role("link", name=re.compile("Coaching of Casey Client")).click()
    expect(page.get_by_role("heading", name="Measures")).to_be_visible()
    expect(page.locator("figure.measure")).to_contain_text("latest 14.0")
    # the process behaviour chart
    expect(page.get_by_role("img", name="Rework per week")).to_be_visible()
    expect(page.get_by_role("heading", name="Action log")).to_be_visible()
    expect(page.locator("tr.action")).to_contain_text("Open")
    for hidden in ("Needs analysis", "Positive assumptions", "Private notes", "Targets"):
        expect(page.get_by_role("heading", name=hidden)).to_have_count(0)
    body = page.locator("main").inner_text()
    assert "raises problems in the huddle" not in body
    assert "Patient listener" not in body
    page.get_by_role("link", name="Read the agreement").click()
    assert "Anything about my health" not in page.locator("main").inner_text()

    # The client sees the sponsor's read.
    sign_in(page, live_url, "client@example.com")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Who has seen my data"
    ).click()
    reads = page.locator("tr.audit-read")
    expect(
        reads.filter(has_text="Sam Sponsor").filter(has_text="measures and KPIs")
    ).not_to_have_count(0)
    expect(
        reads.filter(has_text="Sam Sponsor").filter(has_text="the action log")
    ).not_to_have_count(0)
