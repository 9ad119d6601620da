"""Consent, signing that moves, and a new coach the client accepts, clicked through.

- A coach proposes coaching; client and sponsor find it on their home page and accept;
  everyone signs from the home-page prompt; the engagement is Active without anyone
  touching the status control.
- The sponsor declines: the proposal closes, with the reason in its history.
- The admin proposes a new coach (not themselves: that is refused); the proposed coach sees
  nothing until the client accepts; then the new coach is asked to sign.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from leancoach.engagements.models import Engagement
from leancoach.testing.personas import PASSWORD, make_engagements

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def with_passwords(personas: Any, *roles: str) -> None:
    for role in roles:
        user = getattr(personas, role)
        user.set_password(PASSWORD)
        user.save()


def sign_in(page: Page, live_url: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_url}/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile("^Welcome"))).to_be_visible()


def waiting_for_me(page: Page) -> Any:
    return page.get_by_role("region", name="Waiting for you")


def propose_coaching(page: Page, live_url: str) -> None:
    sign_in(page, live_url, "coach@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Engagements").click()
    page.get_by_role("link", name="Open a coaching engagement").click()
    page.get_by_label("Client's e-mail").fill("client@example.com")
    page.get_by_label("Focus").fill("Huddles that solve problems")
    page.get_by_role("button", name="Open the engagement").click()
    expect(page.get_by_role("status")).to_contain_text("Proposed.")
    expect(page.locator("#proposal")).to_contain_text("waiting for Casey Client (client)")


def answer_from_home(page: Page, live_url: str, email: str, answer: str, reason: str = "") -> None:
    sign_in(page, live_url, email)
    waiting_for_me(page).get_by_role("link", name=re.compile("accept or decline")).click()
    expect(page.get_by_role("heading", name=re.compile("^Proposed: Coaching"))).to_be_visible()
    page.get_by_label(answer, exact=True).check()
    if reason:
        page.get_by_label(re.compile("^Reason")).fill(reason)
    page.get_by_role("button", name="Send the answer").click()


def test_a_proposal_accepted_and_signed_by_everyone_starts_by_itself(
    page: Page, live_url: str, personas_tx: Any
) -> None:
    with_passwords(personas_tx, "coach", "client", "sponsor")
    propose_coaching(page, live_url)

    # The client and the sponsor each find the proposal on their home page and accept.
    for email in ("client@example.com", "sponsor@example.com"):
        answer_from_home(page, live_url, email, "Accept")
        expect(page.get_by_role("status")).to_contain_text("You accepted.")

    # The coach drafts the agreement and signs it.
    sign_in(page, live_url, "coach@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Engagements").click()
    page.get_by_role("link", name="Casey Client").click()
    page.get_by_role("link", name="Write or change the agreement").click()
    page.get_by_role("group", name="What the sponsor may see").get_by_label(
        "Measures and KPIs"
    ).check()
    page.get_by_role("button", name="Propose for signature").click()
    page.get_by_role("button", name="Sign version 1 as coach").click()

    # Client and sponsor are prompted on their home page, and sign.
    for email, role, others in (
        ("client@example.com", "client", "Cora Coach"),
        ("sponsor@example.com", "sponsor", "Casey Client and Cora Coach"),
    ):
        sign_in(page, live_url, email)
        waiting_for_me(page).get_by_role(
            "link", name=f"Version 1 of your agreement with {others} waits for your signature"
        ).click()
        page.get_by_role("button", name=f"Sign version 1 as {role}").click()
        expect(page.get_by_role("status")).to_contain_text("You signed version 1")

    # Active, by itself; the history says why.
    page.get_by_role("link", name=re.compile("Coaching of Casey Client")).click()
    expect(page.locator("dl.facts")).to_contain_text("Active")
    expect(page.locator("#lifecycle")).to_contain_text(
        "proposed → active — Agreement v1 signed by everyone"
    )
    assert Engagement.objects.get().status == "active"


def test_a_declined_proposal_closes_with_the_reason(
    page: Page, live_url: str, personas_tx: Any
) -> None:
    with_passwords(personas_tx, "coach", "sponsor")
    propose_coaching(page, live_url)
    answer_from_home(
        page, live_url, "sponsor@example.com", "Decline", "Casey moves to another team"
    )
    expect(page.get_by_role("status")).to_contain_text("You declined.")

    sign_in(page, live_url, "coach@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Engagements").click()
    page.get_by_role("link", name="Casey Client").click()
    expect(page.locator("dl.facts")).to_contain_text("Closed")
    expect(page.locator("#lifecycle")).to_contain_text(
        "Declined by the sponsor: Casey moves to another team"
    )


def test_an_admin_proposes_a_new_coach_whom_the_client_accepts(
    page: Page, live_url: str, personas_tx: Any
) -> None:
    with_passwords(personas_tx, "admin", "client", "outsider")
    engagement = make_engagements(personas_tx).ours
    detail = f"{live_url}/engagements/{engagement.pk}/"

    # The admin may not take the role themselves, but may propose someone else.
    sign_in(page, live_url, "admin@example.com")
    page.goto(detail)
    roles = page.locator("#roles")
    roles.get_by_text("Propose a new coach or sponsor").click()
    roles.get_by_label("Role").select_option("coach")
    roles.get_by_label("E-mail of the person you propose").fill("admin@example.com")
    roles.get_by_label("Reason").fill("Cover for a month")
    roles.get_by_role("button", name="Propose").click()
    expect(page.get_by_role("status")).to_contain_text("cannot propose yourself")
    roles = page.locator("#roles")
    roles.get_by_text("Propose a new coach or sponsor").click()
    roles.get_by_label("Role").select_option("coach")
    roles.get_by_label("E-mail of the person you propose").fill("outsider@example.com")
    roles.get_by_label("Reason").fill("Cora moves to another site")
    roles.get_by_role("button", name="Propose").click()
    expect(page.get_by_role("status")).to_contain_text("Nothing changes until the client accepts")

    # The proposed coach sees nothing yet.
    sign_in(page, live_url, "outsider@example.com")
    response = page.goto(detail)
    assert response is not None
    assert response.status == 404
    notes = page.request.get(f"{live_url}/api/v1/engagements/{engagement.pk}/private-notes")
    assert notes.status == 404

    # The client accepts from their home page.
    sign_in(page, live_url, "client@example.com")
    waiting_for_me(page).get_by_role(
        "link", name=re.compile("Oscar Outsider is proposed as your coach")
    ).click()
    change = page.locator(".role-changes li").first
    change.get_by_label("Accept", exact=True).check()
    change.get_by_role("button", name="Send the answer").click()
    expect(page.get_by_role("status")).to_contain_text("You accepted.")

    # Now the new coach has the engagement, and a copy of the agreement to sign.
    sign_in(page, live_url, "outsider@example.com")
    waiting_for_me(page).get_by_role(
        "link", name="Version 2 of your agreement with Casey Client waits for your signature"
    ).click()
    expect(page.get_by_role("button", name="Sign version 2 as coach")).to_be_visible()
    response = page.goto(detail)
    assert response is not None
    assert response.status == 200
