"""The coaching-cycle API: behaviours, practice, observations, targets, skills, bulk values."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leancoach.cycle import services
from leancoach.cycle.models import Observation, PracticeLog, Skill, TargetCondition
from leancoach.engagements import services as engagement_services
from leancoach.engagements.models import Engagement
from leancoach.metrics.models import DataPoint
from leancoach.metrics.services import add_measure

pytestmark = pytest.mark.django_db

API = "/api/v1"
TODAY = timezone.localdate


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, path: str, data: Any = None) -> Any:
    return client.post(API + path, data or {}, content_type="application/json")


def get(client: Client, path: str) -> Any:
    return client.get(API + path)


def days_ago(days: int) -> str:
    return (TODAY() - datetime.timedelta(days=days)).isoformat()


def base(engagement: Engagement) -> str:
    return f"/engagements/{engagement.pk}"


def share(engagement: Engagement, *categories: str) -> None:
    """A new version of the agreement, sharing ``categories``, signed by everyone."""
    terms = {f"share_{name}": True for name in categories}
    version = engagement_services.propose_agreement(
        request=None, engagement=engagement, by=engagement.coach, role="coach", terms=terms
    )
    for person in (engagement.coach, engagement.client, engagement.sponsor):
        assert person is not None
        engagement_services.sign_agreement(request=None, agreement=version, person=person)


# --- Behaviours --------------------------------------------------------------


def test_a_behaviour_is_added_and_comes_back_with_its_hints(
    personas: Any, engagements: Any
) -> None:
    path = base(engagements.ours) + "/behaviours"
    response = post(signed_in(personas.coach), path, {"text": "Be more engaged in meetings"})
    assert response.status_code == 201, response.content
    added = response.json()
    assert added["text"] == "Be more engaged in meetings"
    assert added["created_by"]["id"] == personas.person("coach").pk
    assert added["hints"], "a vague description gets advice"
    assert {"code", "severity", "message", "span"} <= set(added["hints"][0])
    listed = get(signed_in(personas.client), path).json()
    assert [row["id"] for row in listed] == [added["id"]]
    assert listed[0]["hints"] == added["hints"]


def test_a_blank_behaviour_is_a_422_naming_text(personas: Any, engagements: Any) -> None:
    response = post(
        signed_in(personas.coach), base(engagements.ours) + "/behaviours", {"text": " "}
    )
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["text"]


# --- Practice ----------------------------------------------------------------


def test_practice_is_committed_logged_and_its_adherence_shown(
    personas: Any, engagements: Any, huddle: Any
) -> None:
    client = signed_in(personas.client)
    path = base(engagements.ours) + "/practice"
    start = TODAY() - datetime.timedelta(days=TODAY().weekday() + 7)  # last week's Monday
    response = post(
        client,
        path,
        {
            "behaviour_id": huddle[0].pk,
            "when": "at the 8:00 huddle",
            "where": "at the board",
            "starts_on": start.isoformat(),
        },
    )
    assert response.status_code == 201, response.content
    commitment = response.json()
    assert commitment["behaviour"] == {"id": huddle[0].pk, "text": huddle[0].text}
    for day, done in ((0, True), (1, True), (2, False)):
        on = (start + datetime.timedelta(days=day)).isoformat()
        logged = post(
            client, f"{path}/{commitment['id']}/logs", {"on": on, "done": done, "count": 2}
        )
        assert logged.status_code == 201, logged.content
        assert logged.json()["count"] == (2 if done else 0)
    [row] = get(client, path).json()
    last_week = row["weeks"][0]
    assert last_week["week_start"] == start.isoformat()
    assert (last_week["expected"], last_week["done"], last_week["missed"]) == (5, 2, 1)
    assert last_week["percent"] == 40


def test_practice_logged_for_a_future_day_is_a_422_naming_on(
    personas: Any, engagements: Any, huddle: Any
) -> None:
    commitment = services.commit_to_practice(
        engagement=engagements.ours,
        by=engagements.ours.coach,
        behaviour=huddle[0],
        when="daily",
        where="at the board",
    )
    response = post(
        signed_in(personas.client),
        base(engagements.ours) + f"/practice/{commitment.pk}/logs",
        {"on": days_ago(-1), "done": True},
    )
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["on"]
    assert not PracticeLog.objects.exists()


# --- Observations ------------------------------------------------------------


def test_observations_show_newest_first_with_the_ratio_and_its_warning(
    personas: Any, engagements: Any, huddle: Any
) -> None:
    coach = signed_in(personas.coach)
    path = base(engagements.ours) + "/observations"
    for days, response in ((3, "reinforcement"), (2, "correction"), (1, "correction")):
        recorded = post(
            coach,
            path,
            {
                "on": days_ago(days),
                "behaviour_id": huddle[0].pk,
                "performance": "partly",
                "response": response,
                "words": "Thanks for asking everyone",
            },
        )
        assert recorded.status_code == 201, recorded.content
        assert recorded.json()["observer"]["id"] == personas.person("coach").pk
    body = get(signed_in(personas.client), path).json()
    assert [row["on"] for row in body["observations"]] == [days_ago(1), days_ago(2), days_ago(3)]
    ratio = body["ratio"]
    assert (ratio["reinforcements"], ratio["corrections"], ratio["label"]) == (1, 2, "0.5:1")
    assert ratio["meets_goal"] is False
    assert "Look for 7 more things done well" in ratio["warning"]


def test_an_observation_of_both_or_neither_is_a_422(
    personas: Any, engagements: Any, huddle: Any
) -> None:
    response = post(
        signed_in(personas.coach),
        base(engagements.ours) + "/observations",
        {"on": days_ago(1), "performance": "performed", "response": "none"},
    )
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["behaviour_id"]


def test_the_client_may_read_observations_but_not_record_them(
    personas: Any, engagements: Any, huddle: Any
) -> None:
    body = {
        "on": days_ago(1),
        "behaviour_id": huddle[0].pk,
        "performance": "performed",
        "response": "reinforcement",
    }
    path = base(engagements.ours) + "/observations"
    assert post(signed_in(personas.client), path, body).status_code == 403
    assert get(signed_in(personas.client), path).status_code == 200


# --- Targets -----------------------------------------------------------------


def test_a_target_is_set_and_closed_once(personas: Any, engagements: Any, huddle: Any) -> None:
    coach = signed_in(personas.coach)
    path = base(engagements.ours) + "/targets"
    measure = add_measure(engagement=engagements.ours, by=engagements.ours.coach, name="Yield")
    by_date = (TODAY() + datetime.timedelta(days=14)).isoformat()
    on_measure = post(
        coach,
        path,
        {
            "by_date": by_date,
            "expected": "Yield up once problems are raised daily",
            "measure_id": measure.pk,
            "target_value": 95,
        },
    )
    assert on_measure.status_code == 201, on_measure.content
    assert on_measure.json()["measure"] == {"id": measure.pk, "name": "Yield"}
    on_behaviour = post(
        coach,
        path,
        {
            "by_date": by_date,
            "expected": "Everyone speaks",
            "behaviour_id": huddle[0].pk,
            "rate": 5,
            "rate_period": "week",
        },
    )
    assert on_behaviour.status_code == 201, on_behaviour.content
    assert on_behaviour.json()["kind"] == "behaviour"
    target = on_measure.json()["id"]
    closing = {"status": "met", "actual": "96% by day 10", "learned": "Daily beats weekly"}
    closed = post(coach, f"{path}/{target}/close", closing)
    assert closed.status_code == 200, closed.content
    assert (closed.json()["status"], closed.json()["learned"]) == ("met", "Daily beats weekly")
    again = post(coach, f"{path}/{target}/close", {**closing, "status": "dropped"})
    assert again.status_code == 409
    assert TargetCondition.objects.get(pk=target).status == "met"
    listed = get(signed_in(personas.client), path).json()
    assert [row["status"] for row in listed] == ["met", "open"]


def test_a_target_with_neither_a_measure_nor_a_behaviour_is_a_422(
    personas: Any, engagements: Any
) -> None:
    response = post(
        signed_in(personas.coach),
        base(engagements.ours) + "/targets",
        {"by_date": days_ago(-7), "expected": "Something"},
    )
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["kind"]


# --- Skills ------------------------------------------------------------------


def test_a_skill_is_chained_after_enough_fluent_observations(
    personas: Any, engagements: Any, huddle: Any
) -> None:
    coach = signed_in(personas.coach)
    path = base(engagements.ours) + "/skills"
    response = post(
        coach,
        path,
        {
            "name": "Run the huddle",
            "step_ids": [huddle[1].pk, huddle[0].pk],
            "fluency_threshold": 2,
        },
    )
    assert response.status_code == 201, response.content
    skill = response.json()
    assert [step["behaviour"]["id"] for step in skill["steps"]] == [huddle[1].pk, huddle[0].pk]
    assert skill["chain"] == {"chained": False, "fluent_in_a_row": 0, "needed": 2}
    for days in (2, 1):
        recorded = post(
            coach,
            base(engagements.ours) + "/observations",
            {
                "on": days_ago(days),
                "skill_id": skill["id"],
                "performance": "performed",
                "response": "reinforcement",
            },
        )
        assert recorded.status_code == 201, recorded.content
    [listed] = get(signed_in(personas.client), path).json()
    assert listed["chain"] == {"chained": True, "fluent_in_a_row": 2, "needed": 2}


def test_a_skill_of_one_step_is_a_422_naming_step_ids(
    personas: Any, engagements: Any, huddle: Any
) -> None:
    response = post(
        signed_in(personas.coach),
        base(engagements.ours) + "/skills",
        {"name": "Too short", "step_ids": [huddle[0].pk]},
    )
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["step_ids"]
    assert not Skill.objects.exists()


# --- Data points in bulk -----------------------------------------------------


def bulk_path(engagement: Engagement) -> tuple[str, Any]:
    measure = add_measure(engagement=engagement, by=engagement.coach, name="Yield")
    return base(engagement) + f"/measures/{measure.pk}/values/bulk", measure


def test_sending_the_same_points_twice_changes_nothing_the_second_time(
    personas: Any, engagements: Any
) -> None:
    coach = signed_in(personas.coach)
    path, measure = bulk_path(engagements.ours)
    points = {"points": [{"on": days_ago(day), "value": day} for day in range(1, 4)]}
    first = post(coach, path, points)
    assert first.status_code == 200, first.content
    assert first.json() == {"created": 3, "updated": 0, "unchanged": 0}
    assert post(coach, path, points).json() == {"created": 0, "updated": 0, "unchanged": 3}
    changed = {"points": [{"on": days_ago(1), "value": 9}]}
    assert post(coach, path, changed).json() == {"created": 0, "updated": 1, "unchanged": 0}
    assert measure.points.count() == 3


def test_a_bad_point_is_a_422_naming_its_position_and_nothing_is_written(
    personas: Any, engagements: Any
) -> None:
    path, measure = bulk_path(engagements.ours)
    points = [
        {"on": days_ago(2), "value": 1},
        {"on": days_ago(1), "value": 2},
        {"on": days_ago(2), "value": 3},  # the same day again
    ]
    response = post(signed_in(personas.coach), path, {"points": points})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "points.2.on"
    assert error["message"].startswith("Point 3:")
    assert "point 1" in error["message"]
    assert not DataPoint.objects.filter(measure=measure).exists()


def test_a_point_dated_in_the_future_is_refused(personas: Any, engagements: Any) -> None:
    path, measure = bulk_path(engagements.ours)
    points = [{"on": days_ago(1), "value": 1}, {"on": days_ago(-1), "value": 2}]
    response = post(signed_in(personas.coach), path, {"points": points})
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["points.1.on"]
    assert "future" in response.json()["errors"][0]["message"]
    assert not DataPoint.objects.filter(measure=measure).exists()


def test_a_value_that_is_not_finite_is_refused_by_the_schema(
    personas: Any, engagements: Any
) -> None:
    path, measure = bulk_path(engagements.ours)
    response = signed_in(personas.coach).post(
        API + path,
        '{"points": [{"on": "' + days_ago(1) + '", "value": NaN}]}',
        content_type="application/json",
    )
    assert response.status_code in (400, 422)
    assert not DataPoint.objects.filter(measure=measure).exists()


def test_more_than_ten_thousand_points_are_refused(personas: Any, engagements: Any) -> None:
    path, _measure = bulk_path(engagements.ours)
    points = [{"on": "2020-01-01", "value": 1}] * 10_001
    response = post(signed_in(personas.coach), path, {"points": points})
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["points"]


# --- Who may do what ---------------------------------------------------------

PRACTICE_LISTS = ["/behaviours", "/practice", "/skills"]
SHARED_LISTS = {"/observations": "observations", "/targets": "targets"}


@pytest.mark.parametrize("tail", PRACTICE_LISTS)
def test_the_sponsor_never_reads_the_clients_practice(
    personas: Any, engagements: Any, tail: str
) -> None:
    share(engagements.ours, "observations", "targets", "measures")
    sponsor = signed_in(personas.sponsor)
    assert get(sponsor, base(engagements.ours) + tail).status_code == 403


@pytest.mark.parametrize("tail", sorted(SHARED_LISTS))
def test_the_sponsor_reads_observations_and_targets_only_when_shared(
    personas: Any, engagements: Any, tail: str
) -> None:
    sponsor = signed_in(personas.sponsor)
    path = base(engagements.ours) + tail
    assert get(sponsor, path).status_code == 403
    share(engagements.ours, SHARED_LISTS[tail])
    assert get(sponsor, path).status_code == 200


@pytest.mark.parametrize("tail", [*PRACTICE_LISTS, *SHARED_LISTS])
def test_an_outsider_gets_a_404(personas: Any, engagements: Any, tail: str) -> None:
    outsider = signed_in(personas.outsider)
    assert get(outsider, base(engagements.ours) + tail).status_code == 404
    assert post(outsider, base(engagements.ours) + tail, {}).status_code in (404, 422)


def test_an_outsider_writing_a_valid_body_gets_a_404(personas: Any, engagements: Any) -> None:
    response = post(
        signed_in(personas.outsider), base(engagements.ours) + "/behaviours", {"text": "Asks"}
    )
    assert response.status_code == 404


def test_a_behaviour_of_another_engagement_named_in_a_body_is_not_found(
    personas: Any, engagements: Any, huddle: Any
) -> None:
    theirs = engagements.theirs
    their_behaviour = services.add_behaviour(
        engagement=theirs, by=theirs.coach, text="Writes each problem on the board"
    )
    their_measure = add_measure(engagement=theirs, by=theirs.coach, name="Their yield")
    coach = signed_in(personas.coach)
    ours = base(engagements.ours)
    bodies = {
        "/practice": {"behaviour_id": their_behaviour.pk, "when": "daily", "where": "board"},
        "/observations": {
            "on": days_ago(1),
            "behaviour_id": their_behaviour.pk,
            "performance": "performed",
            "response": "none",
        },
        "/targets": {
            "by_date": days_ago(-7),
            "expected": "More",
            "measure_id": their_measure.pk,
            "target_value": 1,
        },
        "/skills": {"name": "Mixed", "step_ids": [huddle[0].pk, their_behaviour.pk]},
    }
    for tail, body in bodies.items():
        assert post(coach, ours + tail, body).status_code == 404, tail
    assert (
        post(
            coach,
            ours + f"/measures/{their_measure.pk}/values/bulk",
            {"points": [{"on": days_ago(1), "value": 1}]},
        ).status_code
        == 404
    )
    assert not Observation.objects.exists()
    assert not Skill.objects.exists()
    assert not TargetCondition.objects.exists()
    assert not DataPoint.objects.exists()


# --- Query counts ------------------------------------------------------------


def fill(engagement: Engagement, rounds: int) -> None:
    """``rounds`` more of everything the cycle lists."""
    coach = engagement.coach
    today = TODAY()
    measure = add_measure(engagement=engagement, by=coach, name="Yield")
    for n in range(rounds):
        first, second = (
            services.add_behaviour(engagement=engagement, by=coach, text=f"Asks question {n}")
            for _ in range(2)
        )
        commitment = services.commit_to_practice(
            engagement=engagement,
            by=coach,
            behaviour=first,
            when="daily",
            where="board",
            starts_on=today - datetime.timedelta(days=14),
        )
        services.log_practice(commitment=commitment, on=today, done=True, count=1)
        skill = services.define_skill(
            engagement=engagement, by=coach, name=f"Skill {n}", steps=[first, second]
        )
        for thing in ({"behaviour": first}, {"skill": skill}):
            services.record_observation(
                engagement=engagement,
                observer=coach,
                on=today,
                performance="performed",
                response="reinforcement",
                **thing,
            )
        services.set_target(
            engagement=engagement,
            by=coach,
            by_date=today + datetime.timedelta(days=7),
            expected="More",
            measure=measure,
            target_value=n,
        )
        services.set_target(
            engagement=engagement,
            by=coach,
            by_date=today + datetime.timedelta(days=7),
            expected="More",
            behaviour=first,
            rate=3,
            rate_period="week",
        )


def queries_for(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(API + path)
    assert response.status_code == 200, (path, response.content)
    return len(captured)


@pytest.mark.parametrize("tail", [*PRACTICE_LISTS, *SHARED_LISTS])
def test_each_list_costs_the_same_for_twice_the_rows(
    personas: Any, engagements: Any, tail: str
) -> None:
    client = signed_in(personas.coach)
    path = base(engagements.ours) + tail
    fill(engagements.ours, 2)
    few = queries_for(client, path)
    fill(engagements.ours, 2)
    assert queries_for(client, path) == few
    assert few <= 10
