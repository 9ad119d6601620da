"""The coach puts needs in priority order, from the keyboard and by dragging."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from leancoach.engagements import services
from leancoach.engagements.models import Need
from leancoach.testing.personas import make_engagements

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def order() -> list[str]:
    return list(
        Need.objects.filter(owner="client")
        .order_by("position")
        .values_list("description", flat=True)
    )


def test_needs_can_be_reordered_from_the_keyboard_and_by_dragging(
    page: Page, live_url: str, personas_tx: Any
) -> None:
    engagement = make_engagements(personas_tx).ours
    for text in ("First", "Second", "Third"):
        services.add_need(
            engagement=engagement,
            by=engagement.coach,
            owner="client",
            category="quality",
            description=text,
        )
    personas_tx.coach.set_password("a-long-test-password-42")
    personas_tx.coach.save()
    page.goto(f"{live_url}/accounts/login/?next=/engagements/{engagement.pk}/needs/")
    page.get_by_label("E-mail").fill("coach@example.com")
    page.get_by_label("Password").fill("a-long-test-password-42")
    page.keyboard.press("Enter")

    items = page.locator("#client-needs .need-description")
    expect(items).to_have_text(["First", "Second", "Third"])

    # Keyboard: give "Third" priority 1 and press Enter in the field.
    field = page.get_by_label("Priority of “Third”")
    field.fill("1")
    field.press("Enter")
    expect(items).to_have_text(["Third", "First", "Second"])
    assert order() == ["Third", "First", "Second"]

    # Drag: move "Second" to the top.
    handle = page.locator("#client-needs li.need", has_text="Second").locator(".drag-handle")
    target = page.locator("#client-needs li.need", has_text="Third").locator(".drag-handle")
    handle.hover()
    page.mouse.down()
    box = target.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=8)
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] - 4, steps=8)
    # The list reorders in the browser at once; wait for the server to save it.
    with page.expect_response(lambda response: "/move/" in response.url):
        page.mouse.up()
    expect(items).to_have_text(["Second", "Third", "First"])
    assert order() == ["Second", "Third", "First"]
