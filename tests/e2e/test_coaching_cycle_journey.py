"""Issue 4, end to end: the coach adds a measure and imports 30 data points, sees the
XmR chart with a signal explained, writes a pinpointed behaviour (first with a trait
word, sees the hint, rewrites it), builds a three-step chain, records observations
with reinforcements and one correction and sees the ratio; the client logs in and
records two practices."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from leancoach.testing.personas import PASSWORD, make_engagements

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MEASURE = "Rework items per week"
TRAIT = "Be more proactive in huddles"
ASKS = "Asks each team member 'what got in your way yesterday?' at the 8:00 huddle"
WRITES = "Writes each problem the team names on the huddle board"
OWNS = "Names an owner and a date for each problem before the huddle ends"
CHAIN = "Run a problem-solving huddle"

# Thirty weekly values in routine variation around 10.7, except point 25: 25 items,
# far above the upper natural process limit (16.6) that the first 20 values set.
ROUTINE = [10, 12, 9, 11, 10, 13, 9, 11, 10, 12]
VALUES = [25 if point == 25 else ROUTINE[(point - 1) % 10] for point in range(1, 31)]


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
    expect(page.get_by_role("heading", name="Coaching of Casey Client")).to_be_visible()


def back_to_the_engagement(page: Page) -> None:
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Coaching of Casey Client"
    ).click()
    expect(page.get_by_role("heading", name="Coaching of Casey Client")).to_be_visible()


def points_csv(today: datetime.date) -> bytes:
    """One value a week, the newest a week ago: never in the future, whatever today is."""
    first = today - datetime.timedelta(weeks=len(VALUES))
    lines = ["date,value"] + [
        f"{first + datetime.timedelta(weeks=n):%Y-%m-%d},{value}" for n, value in enumerate(VALUES)
    ]
    return ("\n".join(lines) + "\n").encode()


def working_days_before(today: datetime.date, count: int) -> list[datetime.date]:
    """The last ``count`` working days before today, oldest first: the days practice is due."""
    days: list[datetime.date] = []
    day = today
    while len(days) < count:
        day -= datetime.timedelta(days=1)
        if day.weekday() < 5:
            days.insert(0, day)
    return days


def add_behaviour(page: Page, text: str) -> None:
    form = page.get_by_role("form", name="Add a behaviour")
    form.get_by_label("Pinpointed behaviour").fill(text)
    form.get_by_role("button", name="Add behaviour").click()
    expect(page.get_by_role("status")).to_contain_text("Behaviour saved.")


def record_observation(page: Page, behaviour: str, response: str, words: str) -> None:
    form = page.get_by_role("form", name="Record an observation")
    form.get_by_label("Behaviour").select_option(label=behaviour)
    form.get_by_label("Performance").select_option(label="Performed")
    form.get_by_label("Your response").select_option(label=response)
    form.get_by_label("What you said").fill(words)
    form.get_by_role("button", name="Record").click()
    expect(page.get_by_role("status").first).to_contain_text("Observation recorded.")


def test_the_coaching_cycle_from_measure_to_practice(
    page: Page, live_url: str, personas_tx: Any
) -> None:
    for role in ("coach", "client"):
        user = getattr(personas_tx, role)
        user.set_password(PASSWORD)
        user.save()
    make_engagements(personas_tx)
    today = timezone.localdate()

    # The coach adds a measure on the engagement page ...
    sign_in(page, live_url, "coach@example.com")
    open_engagement_page(page)
    measures = page.locator("#measures")
    measures.locator("summary", has_text="Add a measure").click()
    measures.get_by_label("Name").fill(MEASURE)
    measures.get_by_label("Better is").select_option(label="Lower")
    measures.get_by_role("button", name="Add measure").click()
    expect(page.get_by_role("status")).to_contain_text("Measure added.")

    # ... and imports 30 data points on the measure's own page.
    page.locator("#measures").get_by_role("link", name=MEASURE).click()
    expect(page.get_by_role("heading", name=MEASURE, level=1)).to_be_visible()
    page.locator("summary", has_text="Upload values from a CSV file").click()
    page.get_by_label("CSV file").set_input_files(
        {"name": "rework.csv", "mimeType": "text/csv", "buffer": points_csv(today)}
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status")).to_contain_text("30 rows: 30 added, 0 updated, 0 unchanged.")

    # The chart shows the signal (a diamond) and the page explains it in words.
    chart = page.get_by_role("img", name=MEASURE)
    expect(chart).to_be_visible()
    expect(chart.locator(".xmr-signal")).not_to_have_count(0)
    expect(page.get_by_role("region", name="Signals")).to_contain_text(
        "Value 25 on point 25 is above the upper natural process limit (16.6): "
        "a signal, not noise. This is in the worse direction."
    )
    values = page.get_by_role("table")
    expect(values.locator("tbody tr")).to_have_count(30)

    # A behaviour written as a trait gets a hint; rewritten as something seen, it does not.
    back_to_the_engagement(page)
    page.get_by_role("link", name="Pinpoint behaviours, commit to practice and log it").click()
    expect(page.get_by_role("heading", name="Practice", level=1)).to_be_visible()
    add_behaviour(page, TRAIT)
    trait = page.locator("#behaviours li[id^=behaviour-]", has_text=TRAIT)
    expect(trait.get_by_role("list", name="Pinpoint hints for this behaviour")).to_contain_text(
        "“proactive” names a trait, not something you can see"
    )
    # The rewrite, by keyboard alone: open it, the field comes next, Enter sends it.
    trait.locator("summary", has_text="Rewrite this behaviour").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    rewrite = page.get_by_role("form", name=f"Rewrite “{TRAIT}”")
    expect(rewrite.get_by_label("Pinpointed behaviour")).to_be_focused()
    expect(rewrite.get_by_label("Pinpointed behaviour")).to_have_value(TRAIT)
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(ASKS)
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Behaviour rewritten.")
    asks = page.locator("#behaviours li[id^=behaviour-]", has_text=ASKS)
    expect(asks).to_contain_text("No pinpoint hints")
    expect(asks.get_by_role("list", name="Pinpoint hints for this behaviour")).to_have_count(0)
    expect(page.locator("#behaviours")).not_to_contain_text(TRAIT)
    for text in (WRITES, OWNS):
        add_behaviour(page, text)
        expect(page.locator("#behaviours li[id^=behaviour-]", has_text=text)).to_contain_text(
            "No pinpoint hints"
        )

    # Coach and client agree a practice at a time and place.
    commit = page.get_by_role("form", name="Commit to practice")
    commit.get_by_label("Behaviour").select_option(label=ASKS)
    commit.get_by_label("When").fill("at the 8:00 huddle")
    commit.get_by_label("Where").fill("at the line 1 board")
    commit.get_by_label("Recurrence").select_option(label="Every working day")
    commit.get_by_label("Starts on").fill(f"{today - datetime.timedelta(days=14):%Y-%m-%d}")
    commit.get_by_role("button", name="Commit").click()
    expect(page.get_by_role("status")).to_contain_text("Practice committed.")

    # A three-step chain from the three behaviours.
    back_to_the_engagement(page)
    page.get_by_role("link", name="Define skill chains and see when they are chained").click()
    define = page.get_by_role("form", name="Define a skill chain")
    define.get_by_label("Name").fill(CHAIN)
    for step, text in enumerate((ASKS, WRITES, OWNS), start=1):
        define.get_by_label(f"Step {step}").select_option(label=text)
    define.get_by_role("button", name="Define the skill").click()
    expect(page.get_by_role("status").first).to_contain_text("Skill chain defined.")
    skill = page.locator("#skills article", has_text=CHAIN)
    expect(skill.get_by_role("heading", name=CHAIN)).to_be_visible()
    steps = skill.locator("tbody tr")
    expect(steps).to_have_count(3)
    for position, text in enumerate((ASKS, WRITES, OWNS), start=1):
        expect(steps.nth(position - 1).get_by_role("rowheader")).to_have_text(str(position))
        expect(steps.nth(position - 1)).to_contain_text(text)
    expect(skill.locator(".chain-status")).to_contain_text("0 of 3 fluent observations in a row")

    # Observations: one correction early is below 4:1; four reinforcements make 4.0:1.
    back_to_the_engagement(page)
    page.get_by_role("link", name="Record observations and see the 4:1 ratio").click()
    ratio = page.locator("#ratio")
    record_observation(page, ASKS, "Reinforcement (positive)", "Good question: Ana raised a jam")
    record_observation(page, WRITES, "Correction (constructive)", "Write it where all can see it")
    expect(ratio.locator("strong").first).to_have_text("1.0:1")
    expect(ratio.get_by_role("status").first).to_contain_text(
        "Below 4:1. 1 reinforcement for 1 correction"
    )
    for behaviour, words in (
        (WRITES, "That list on the board helped"),
        (OWNS, "Everyone knew who fixes the jam"),
        (ASKS, "You waited for an answer: well done"),
    ):
        record_observation(page, behaviour, "Reinforcement (positive)", words)
    expect(ratio.locator("strong").first).to_have_text("4.0:1")
    expect(ratio).to_contain_text("4 reinforcements and 1 correction")
    expect(ratio.get_by_role("status")).to_have_count(0)
    expect(page.locator("#observations tbody tr")).to_have_count(5)

    # The client signs in and logs two practices.
    sign_in(page, live_url, "client@example.com")
    open_engagement_page(page)
    page.get_by_role("link", name="Pinpoint behaviours, commit to practice and log it").click()
    log = page.get_by_role("form", name=f"Log practice of {ASKS}")
    days = working_days_before(today, 2)
    for day, count, reflection in (
        (days[0], 3, "Two people named a problem"),
        (days[1], 5, "Everyone answered"),
    ):
        log.get_by_label("Date").fill(f"{day:%Y-%m-%d}")
        log.get_by_role("radio", name="Yes").check()
        log.get_by_label("How many times").fill(str(count))
        log.get_by_label("Reflection").fill(reflection)
        log.get_by_role("button", name="Log practice").click()
        expect(page.get_by_role("status")).to_contain_text("Practice logged.")
    logs = page.get_by_role("table", name=re.compile("^Logged practice")).locator("tbody tr")
    expect(logs).to_have_count(2)
    expect(logs.nth(0)).to_contain_text(f"{days[1]:%Y-%m-%d}")
    expect(logs.nth(0)).to_contain_text("Everyone answered")
    expect(logs.nth(1)).to_contain_text(f"{days[0]:%Y-%m-%d}")
    expect(logs.nth(1)).to_contain_text("Two people named a problem")
    adherence = page.get_by_role("table", name="Adherence week by week")
    done = adherence.locator("tbody tr td:nth-child(3)")
    assert sum(int(cell) for cell in done.all_inner_texts()) == 2
