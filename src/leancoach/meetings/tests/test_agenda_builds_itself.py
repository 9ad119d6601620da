"""A new meeting's agenda follows the method and is pre-filled from the engagement's data."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from leancoach.cycle import services as cycle
from leancoach.engagements import services as engagement_services
from leancoach.meetings import services
from leancoach.meetings.agenda import build_agenda
from leancoach.metrics.services import add_measure, record_value

pytestmark = pytest.mark.django_db


def facts(agenda: Any, key: str) -> list[str]:
    [entry] = [entry for entry in agenda.items if entry.item.key == key]
    return [fact.text for fact in entry.facts]


@pytest.fixture
def seeded(engagements: Any) -> Any:
    """Since the last meeting: a measure whose last value is a signal, a target met,
    an action overdue, a reinforced behaviour, a practice streak."""
    engagement = engagements.ours
    coach = engagement.coach
    today = timezone.localdate()
    last = services.add_meeting(
        engagement=engagement, by=coach, starts_at=timezone.now() - datetime.timedelta(days=15)
    )
    services.close_meeting(meeting=last, by=coach, status="held")
    measure = add_measure(engagement=engagement, by=coach, name="Rework per week")
    values = [10, 11, 9, 10, 12, 10, 11, 9, 10, 11, 10, 30]
    for back, value in enumerate(reversed(values)):
        record_value(measure=measure, on=today - datetime.timedelta(days=back), value=value)
    target = cycle.set_target(
        engagement=engagement,
        by=coach,
        by_date=today + datetime.timedelta(days=7),
        expected="The huddle surfaces problems",
        measure=measure,
        target_value=8,
    )
    cycle.close_target(target=target, status="met", actual="Down to 8", learned="It works")
    services.add_action(
        engagement=engagement,
        by=coach,
        what="Post the rework chart at the line",
        owner="client",
        due_on=today - datetime.timedelta(days=3),
    )
    behaviour = cycle.add_behaviour(
        engagement=engagement, by=coach, text="Asks each person for one problem"
    )
    cycle.record_observation(
        engagement=engagement,
        observer=coach,
        behaviour=behaviour,
        on=today - datetime.timedelta(days=2),
        performance="performed",
        response="reinforcement",
        words="You asked everyone, well done",
    )
    commitment = cycle.commit_to_practice(
        engagement=engagement,
        by=coach,
        behaviour=behaviour,
        when="at the 8:00 huddle",
        where="at the board",
        recurrence="daily",
        starts_on=today - datetime.timedelta(days=10),
    )
    for back in (1, 2, 3):
        cycle.log_practice(
            commitment=commitment, on=today - datetime.timedelta(days=back), done=True, count=1
        )
    return services.add_meeting(
        engagement=engagement, by=coach, starts_at=timezone.now() + datetime.timedelta(hours=1)
    )


def test_a_coaching_meeting_has_the_eight_items_of_the_method(seeded: Any) -> None:
    agenda = build_agenda(seeded, today=timezone.localdate())
    assert [entry.item.key for entry in agenda.items] == [
        "facts",
        "recognition",
        "pinpoint",
        "action_review",
        "challenge",
        "feedback",
        "problem_solving",
        "contracting",
    ]
    assert not agenda.frozen
    assert agenda.since is not None


def test_the_facts_show_each_measure_and_its_new_signal(seeded: Any) -> None:
    lines = facts(build_agenda(seeded, today=timezone.localdate()), "facts")
    assert any(line.startswith("Rework per week: latest 30") for line in lines)
    assert any(
        line.startswith("New signal in Rework per week on") and "above the upper" in line
        for line in lines
    )


def test_recognition_celebrates_the_target_met_the_streak_and_the_reinforcement(
    seeded: Any,
) -> None:
    lines = facts(build_agenda(seeded, today=timezone.localdate()), "recognition")
    assert "Target met: Rework per week reaches 8." in lines
    assert "Practised “Asks each person for one problem” 3 times in a row." in lines
    assert any(
        line.startswith("Reinforced “Asks each person for one problem” 1 time") for line in lines
    )


def test_the_action_review_names_the_overdue_action(seeded: Any) -> None:
    lines = facts(build_agenda(seeded, today=timezone.localdate()), "action_review")
    assert any(
        line.startswith("Overdue: Post the rework chart at the line (client, agreed for")
        for line in lines
    )


def test_the_challenge_item_prompts_to_ask_the_client_first(seeded: Any) -> None:
    agenda = build_agenda(seeded, today=timezone.localdate())
    [challenge] = [entry for entry in agenda.items if entry.item.key == "challenge"]
    assert "Ask the client first" in challenge.item.prompt


def test_facts_before_the_last_meeting_are_not_new(engagements: Any) -> None:
    engagement = engagements.ours
    coach = engagement.coach
    today = timezone.localdate()
    measure = add_measure(engagement=engagement, by=coach, name="Defects")
    values = [10, 11, 9, 10, 12, 10, 11, 9, 10, 30]
    for back, value in enumerate(reversed(values)):
        record_value(measure=measure, on=today - datetime.timedelta(days=back + 5), value=value)
    held = services.add_meeting(
        engagement=engagement, by=coach, starts_at=timezone.now() - datetime.timedelta(days=1)
    )
    services.close_meeting(meeting=held, by=coach, status="held")
    upcoming = services.add_meeting(
        engagement=engagement, by=coach, starts_at=timezone.now() + datetime.timedelta(days=6)
    )
    lines = facts(build_agenda(upcoming, today=today), "facts")
    assert not any(line.startswith("New signal") for line in lines)


def test_actions_agreed_in_the_meeting_are_its_contracting_not_its_review(
    engagements: Any, meeting: Any
) -> None:
    engagement = engagements.ours
    services.add_action(
        engagement=engagement,
        by=engagement.coach,
        what="Ask the team for one problem each morning",
        owner="client",
        due_on=timezone.localdate() + datetime.timedelta(days=7),
        check_back_on=timezone.localdate() + datetime.timedelta(days=8),
        meeting=meeting,
    )
    agenda = build_agenda(meeting, today=timezone.localdate())
    assert facts(agenda, "action_review") == []
    [line] = facts(agenda, "contracting")
    assert line.startswith("Agreed: Ask the team for one problem each morning — client, by")
    assert "check back" in line


def test_a_closed_meeting_keeps_its_agenda_as_it_stood(engagements: Any, meeting: Any) -> None:
    engagement = engagements.ours
    services.add_action(
        engagement=engagement,
        by=engagement.coach,
        what="Walk the line daily",
        owner="client",
        due_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    services.close_meeting(meeting=meeting, by=engagement.coach)
    services.add_action(
        engagement=engagement,
        by=engagement.coach,
        what="Added after the meeting",
        owner="client",
        due_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    meeting.refresh_from_db()
    agenda = build_agenda(meeting, today=timezone.localdate())
    assert agenda.frozen
    lines = facts(agenda, "action_review")
    assert any("Walk the line daily" in line for line in lines)
    assert not any("Added after the meeting" in line for line in lines)


def kata_engagement(personas: Any) -> Any:
    coach = personas.person("coach")
    engagement = engagement_services.open_engagement(
        request=None,
        opened_by=coach,
        coach=coach,
        client=personas.person("outsider"),
        kind="kata",
        sponsor=personas.person("client"),
    )
    return engagement


def test_a_kata_meeting_asks_the_five_questions_with_the_experiment_record(
    personas: Any,
) -> None:
    engagement = kata_engagement(personas)
    coach = engagement.coach
    earlier = services.add_meeting(
        engagement=engagement, by=coach, starts_at=timezone.now() - datetime.timedelta(days=7)
    )
    obstacle = services.park_obstacle(
        engagement=engagement, by=coach, text="Parts arrive late", work_on_now=True
    )
    services.park_obstacle(engagement=engagement, by=coach, text="Changeover takes 40 minutes")
    step = services.plan_experiment(
        engagement=engagement,
        by=coach,
        meeting=earlier,
        obstacle=obstacle,
        step="Call the supplier at 7:30",
        expected="Parts on the line by 8:00",
    )
    services.reflect_on_experiment(
        experiment=step, happened="Parts came at 8:20", learned="The supplier needs a day's notice"
    )
    services.close_meeting(meeting=earlier, by=coach)
    now = services.add_meeting(
        engagement=engagement, by=coach, starts_at=timezone.now() + datetime.timedelta(hours=1)
    )
    agenda = build_agenda(now, today=timezone.localdate())
    assert [entry.item.title for entry in agenda.items] == [
        "1. What is the target condition?",
        "2. What is the actual condition now?",
        "3. What obstacles are preventing you from reaching the target condition?",
        "4. What is your next step?",
        "5. How quickly can we go and see what we have learned from taking that step?",
    ]
    assert (
        "Last step: Call the supplier at 7:30. Expected: Parts on the line by 8:00. "
        "What happened: Parts came at 8:20. What we learned: The supplier needs a day's notice."
    ) in facts(agenda, "kata_actual")
    assert facts(agenda, "kata_obstacles") == [
        "Working on now: Parts arrive late.",
        "In the parking lot: Changeover takes 40 minutes.",
    ]
    services.plan_experiment(
        engagement=engagement,
        by=coach,
        meeting=now,
        step="Order a day ahead",
        expected="Parts by 7:45",
    )
    agenda = build_agenda(now, today=timezone.localdate())
    assert facts(agenda, "kata_next_step") == [
        "Next step: Order a day ahead. We expect: Parts by 7:45."
    ]


def test_only_one_obstacle_is_worked_on_at_a_time(personas: Any) -> None:
    engagement = kata_engagement(personas)
    coach = engagement.coach
    first = services.park_obstacle(engagement=engagement, by=coach, text="A", work_on_now=True)
    second = services.park_obstacle(engagement=engagement, by=coach, text="B", work_on_now=True)
    first.refresh_from_db()
    assert (first.status, second.status) == ("parked", "current")
