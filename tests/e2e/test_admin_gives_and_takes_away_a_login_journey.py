"""Issue 10, finding 12, as an admin clicks through it: an imported person is invited from
their page and signs in with the password the e-mailed link let them choose; a signed-in
person's login is disabled and their next click lands on the sign-in page; enabled again,
they must sign in afresh."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from leancoach.people.models import Person
from leancoach.testing.personas import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

IVYS_PASSWORD = "ivy-chose-this-long-one"


def sign_in(page: Page, live_url: str, email: str, password: str = PASSWORD) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_url}/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile("^Welcome"))).to_be_visible()


def open_person(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="People", exact=True
    ).click()
    page.get_by_label("Search people").fill(name)
    page.get_by_label("Search people").press("Enter")
    page.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()


def test_an_admin_invites_an_imported_person_who_then_signs_in(
    page: Page, live_url: str, personas_tx: Any, mailoutbox: list[Any]
) -> None:
    personas_tx.admin.set_password(PASSWORD)
    personas_tx.admin.save()
    Person.objects.create(
        email="ivy.imported@example.com", name="Ivy Imported", team=personas_tx.teams["line"]
    )

    sign_in(page, live_url, "admin@example.com")
    open_person(page, "Ivy Imported")
    login = page.get_by_role("region", name="Login")
    expect(login).to_contain_text("No login: cannot sign in.")
    login.get_by_role("button", name="Invite Ivy Imported to sign in").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Invitation sent to ivy.imported@example.com"
    )
    expect(login).to_contain_text("has not chosen a password yet")

    # Ivy opens the e-mail and follows its link.
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ivy.imported@example.com"]
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", str(mailoutbox[0].body))
    assert link is not None
    page.context.clear_cookies()
    page.goto(live_url + link.group(1))
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    page.get_by_label(re.compile(r"^New password:?$")).fill(IVYS_PASSWORD)
    page.get_by_label("New password confirmation").fill(IVYS_PASSWORD)
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("heading", name="Your password is set")).to_be_visible()
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("E-mail").fill("ivy.imported@example.com")
    page.get_by_label("Password").fill(IVYS_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile("^Welcome"))).to_be_visible()

    # The link worked once.
    page.goto(live_url + link.group(1))
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()


def test_a_disabled_login_is_signed_out_at_once_and_stays_out_until_it_signs_in_again(
    page: Page, browser: Browser, live_url: str, personas_tx: Any
) -> None:
    for role in ("admin", "coach"):
        user = getattr(personas_tx, role)
        user.set_password(PASSWORD)
        user.save()

    # The coach is at work in one browser …
    sign_in(page, live_url, "coach@example.com")
    # … while the admin, in another, disables the coach's login.
    admin_page = browser.new_context().new_page()
    sign_in(admin_page, live_url, "admin@example.com")
    open_person(admin_page, "Cora Coach")
    login = admin_page.get_by_role("region", name="Login")
    login.get_by_text("Disable this login").click()
    login.get_by_role("button", name="Disable Cora Coach's login").click()
    expect(admin_page.get_by_role("status")).to_contain_text("Cora Coach's login is disabled")
    expect(login).to_contain_text("Login disabled: cannot sign in.")

    # The coach's next click lands on the sign-in page.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Engagements").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()

    # Enabled again: the old session stays ended, so the coach signs in afresh.
    login.get_by_role("button", name="Enable Cora Coach's login").click()
    expect(admin_page.get_by_role("status")).to_contain_text("Cora Coach can sign in again")
    page.goto(f"{live_url}/engagements/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("E-mail").fill("coach@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Engagements", level=1)).to_be_visible()
    admin_page.context.close()
