"""The admin signs in, uploads a CSV with two bad rows, fixes it, imports, searches, opens the team tree."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from leancoach.people.models import Person
from leancoach.testing.personas import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HEADER = "email,name,title,manager_email,team,team_parent,team_leader\n"
ROWS = [
    "dana.director@example.com,Dana Director,Director,,Plant,,yes",
    "lou.lead@example.com,Lou Lead,Team Leader,dana.director@example.com,Paint Shop,Plant,yes",
    "pat.painter@example.com,Pat Painter,Painter,lou.lead@example.com,Paint Shop,,",
]
BAD_ROWS = [
    "not-an-email,Rob Broken,Painter,lou.lead@example.com,Paint Shop,,",
    "sid.sprayer@example.com,Sid Sprayer,Painter,ghost@example.com,Paint Shop,,",
]


def write(tmp_path: Path, name: str, rows: list[str]) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_admin_imports_people_then_finds_them(
    page: Page, live_url: str, personas_tx: Any, tmp_path: Path
) -> None:
    admin = personas_tx.admin
    admin.set_password(PASSWORD)
    admin.save()

    page.goto(f"{live_url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("E-mail").fill("admin@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome, Alex Admin")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Import people").click()
    page.get_by_label("People CSV file").set_input_files(
        write(tmp_path, "bad.csv", ROWS[:2] + BAD_ROWS[:1] + ROWS[2:] + BAD_ROWS[1:])
    )
    page.get_by_role("button", name="Import").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Nothing was imported: 2 problems")
    lines = page.locator("tr.import-error td:first-child").all_inner_texts()
    assert lines == ["4", "6"]
    assert not Person.objects.filter(
        email__in=["dana.director@example.com", "pat.painter@example.com"]
    ).exists()

    page.get_by_label("People CSV file").set_input_files(write(tmp_path, "good.csv", ROWS))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", name="Import complete")).to_be_visible()
    expect(page.locator(".import-result")).to_contain_text("People added")
    assert (
        Person.objects.filter(
            email__endswith="@example.com", name__in=["Dana Director", "Lou Lead", "Pat Painter"]
        ).count()
        == 3
    )

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="People", exact=True
    ).click()
    page.get_by_label("Search people").fill("painter")  # htmx searches as you type
    results = page.locator("#directory-results")
    expect(results.get_by_role("link", name="Pat Painter")).to_be_visible()
    expect(results.get_by_role("link", name="Casey Client")).to_have_count(0)
    results.get_by_role("link", name="Pat Painter").click()
    expect(page.get_by_role("heading", name="Pat Painter")).to_be_visible()
    expect(page.get_by_role("list", name="Management chain, nearest first")).to_contain_text(
        "Lou Lead"
    )

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Teams").click()
    plant = page.locator("summary", has_text="Plant")
    plant.focus()
    page.keyboard.press("Enter")  # open the branch from the keyboard; htmx loads the sub-teams
    expect(page.get_by_role("list", name="Teams inside Plant")).to_contain_text("Paint Shop")
