"""At phone width and with the keyboard alone: a coach makes a read-only token that expires,
sees it listed with its scope, expiry and last use; the client reads whether the audit log
is intact. Neither page scrolls sideways at 390 px."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command
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


def fits_the_width(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_a_read_only_token_by_keyboard_and_the_audit_statement_at_phone_width(
    page: Page, live_url: str, personas_tx: Any
) -> None:
    from leancoach.testing.personas import make_engagements

    make_engagements(personas_tx)
    for role in ("coach", "client"):
        user = getattr(personas_tx, role)
        user.set_password(PASSWORD)
        user.save()
    page.set_viewport_size({"width": 390, "height": 844})

    sign_in(page, live_url, "coach@example.com")
    page.goto(f"{live_url}/profile/")
    form = page.get_by_role("form", name="Create an API token")
    form.get_by_label("Token name").focus()
    page.keyboard.type("Weekly report")
    expect(form.get_by_label("Read only")).to_be_checked()
    form.get_by_label("Expires after").select_option("30")
    form.get_by_label("Expires after").focus()
    page.keyboard.press("Tab")  # to the button
    page.keyboard.press("Enter")
    expect(page.get_by_label("New token")).to_have_value(re.compile("^lc_"))
    token = page.locator(".api-token").filter(has_text="Weekly report")
    expect(token).to_contain_text("Read only")
    expect(token).to_contain_text("Last used")
    expect(token).to_contain_text("never")
    expect(token.get_by_role("button", name="Revoke token Weekly report")).to_be_visible()
    assert fits_the_width(page)

    call_command("audit_verify", "--no-progress")
    sign_in(page, live_url, "client@example.com")
    page.goto(f"{live_url}/engagements/who-has-seen-my-data/")
    integrity = page.get_by_role("region", name="Can these records be trusted?")
    expect(integrity).to_contain_text("intact")
    expect(integrity).to_contain_text("was last checked from its first entry to its last")
    assert fits_the_width(page)  # the wide table scrolls in its own region, by keyboard too
    expect(page.get_by_role("region", name="Audit log")).to_have_attribute("tabindex", "0")
