"""The meeting pages, the action log and the home pages cost a fixed number of queries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leancoach.cycle import services as cycle
from leancoach.meetings import services
from leancoach.metrics.services import add_measure, record_value

pytestmark = pytest.mark.django_db


def filled(engagement: Any, meeting: Any) -> None:
    """More of everything the meeting page, the log and the home pages show."""
    coach = engagement.coach
    today = timezone.localdate()
    for n in range(3):
        measure = add_measure(engagement=engagement, by=coach, name=f"Measure {n}")
        for back in range(8):
            record_value(measure=measure, on=today - datetime.timedelta(days=back), value=back % 3)
        action = services.add_action(
            engagement=engagement,
            by=coach,
            what=f"Action {n}",
            owner="client" if n % 2 else "coach",
            due_on=today - datetime.timedelta(days=n),
            meeting=meeting if n == 0 else None,
        )
        services.change_action(action=action, by=coach, what=f"Action {n} (changed)")
        behaviour = cycle.add_behaviour(engagement=engagement, by=coach, text=f"Asks question {n}")
        cycle.record_observation(
            engagement=engagement,
            observer=coach,
            behaviour=behaviour,
            on=today,
            performance="performed",
            response="reinforcement",
        )
        commitment = cycle.commit_to_practice(
            engagement=engagement,
            by=coach,
            behaviour=behaviour,
            when="8:00",
            where="board",
            starts_on=today - datetime.timedelta(days=3),
        )
        cycle.log_practice(commitment=commitment, on=today - datetime.timedelta(days=1), done=True)
        services.add_meeting_note(
            meeting=meeting, by=coach, item="facts", visibility="shared", text=f"Shared {n}"
        )
        services.add_private_meeting_note(meeting=meeting, by=coach, item="facts", text=f"Own {n}")
        services.add_meeting(
            engagement=engagement,
            by=coach,
            starts_at=timezone.now() + datetime.timedelta(days=n + 1),
        )


def costs_the_same(
    user: Any, path: str, engagement: Any, meeting: Any, limit: int, assert_max: Any
) -> None:
    client = Client()
    client.force_login(user)
    filled(engagement, meeting)
    with assert_max(limit):
        assert client.get(path).status_code == 200
    filled(engagement, meeting)  # twice the rows, the same number of queries
    with assert_max(limit):
        assert client.get(path).status_code == 200


@pytest.mark.parametrize("role", ["coach", "client"])
def test_the_meeting_page_costs_a_fixed_number_of_queries(
    personas: Any, engagements: Any, meeting: Any, role: str, django_assert_max_num_queries: Any
) -> None:
    path = f"/engagements/{engagements.ours.pk}/meetings/{meeting.pk}/"
    costs_the_same(
        getattr(personas, role), path, engagements.ours, meeting, 26, django_assert_max_num_queries
    )


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("coach", "actions/log/"),
        ("client", "actions/log/"),
        ("sponsor", "actions/log/"),
        ("coach", "meetings/"),
        ("client", "meetings/"),
    ],
)
def test_the_action_log_and_the_meeting_list_cost_a_fixed_number_of_queries(
    personas: Any,
    engagements: Any,
    meeting: Any,
    role: str,
    path: str,
    django_assert_max_num_queries: Any,
) -> None:
    full = f"/engagements/{engagements.ours.pk}/{path}"
    costs_the_same(
        getattr(personas, role), full, engagements.ours, meeting, 10, django_assert_max_num_queries
    )


@pytest.mark.parametrize("role", ["coach", "client"])
def test_the_home_page_costs_a_fixed_number_of_queries(
    personas: Any, engagements: Any, meeting: Any, role: str, django_assert_max_num_queries: Any
) -> None:
    # 15: one of them gathers what waits for the person (answers, signatures).
    costs_the_same(
        getattr(personas, role), "/", engagements.ours, meeting, 15, django_assert_max_num_queries
    )


def test_my_actions_and_the_programme_cost_a_fixed_number_of_queries(
    personas: Any, engagements: Any, meeting: Any, django_assert_max_num_queries: Any
) -> None:
    costs_the_same(
        personas.client, "/my/actions/", engagements.ours, meeting, 4, django_assert_max_num_queries
    )
    costs_the_same(
        personas.admin, "/programme/", engagements.ours, meeting, 5, django_assert_max_num_queries
    )


def test_the_summaries_page_costs_a_fixed_number_of_queries(
    personas: Any, engagements: Any, django_assert_max_num_queries: Any
) -> None:
    engagement = engagements.ours
    client = Client()
    client.force_login(personas.coach)
    for round_ in range(2):
        for n in range(3):
            held = services.add_meeting(
                engagement=engagement,
                by=engagement.coach,
                starts_at=timezone.now() - datetime.timedelta(days=7 * (n + 1) + round_),
            )
            services.add_meeting_note(
                meeting=held, by=engagement.coach, item="facts", visibility="summary", text="S"
            )
            services.close_meeting(meeting=held, by=engagement.coach)
        with django_assert_max_num_queries(6):
            assert client.get(f"/engagements/{engagement.pk}/summaries/").status_code == 200
