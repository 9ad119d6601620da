"""Pre-filled date inputs carry ISO dates: a browser drops any other value of
``<input type="date">``, and under en-gb Django would write 01/12/2026, leaving a
required date empty so that the form could not be sent."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from leancoach.cycle import services
from leancoach.metrics.forms import BaselineForm

pytestmark = pytest.mark.django_db

DATE_INPUT = re.compile(r'<input type="date"[^>]*>')
VALUE = re.compile(r'value="([^"]*)"')


def date_values(html: str) -> list[str]:
    return [
        match.group(1)
        for tag in DATE_INPUT.findall(html)
        if (match := VALUE.search(tag)) is not None
    ]


@override_settings(LANGUAGE_CODE="en-gb")
def test_every_prefilled_date_on_the_cycle_pages_is_iso(personas: Any, huddle: Any) -> None:
    engagement = huddle[0].engagement
    services.commit_to_practice(
        engagement=engagement, by=engagement.coach, behaviour=huddle[0], when="8:00", where="board"
    )
    services.define_skill(engagement=engagement, by=engagement.coach, name="Huddle", steps=huddle)
    client = Client()
    client.force_login(personas.coach)
    today = f"{timezone.localdate():%Y-%m-%d}"
    for page in ("practice", "observations", "skills", "current-condition"):
        html = client.get(f"/engagements/{engagement.pk}/{page}/").content.decode()
        values = date_values(html)
        assert today in values, page
        assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) for value in values), (page, values)


@override_settings(LANGUAGE_CODE="en-gb")
def test_a_baseline_date_given_as_initial_is_written_iso() -> None:
    form = BaselineForm(initial={"starts_on": datetime.date(2026, 3, 2)})
    assert 'value="2026-03-02"' in str(form["starts_on"])
