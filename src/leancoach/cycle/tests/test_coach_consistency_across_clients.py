"""A coach's consistency across clients: no favourites (METHOD.md, the relationship)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from leancoach.cycle import services
from leancoach.cycle.selectors import coach_consistency
from leancoach.engagements import services as engagement_services
from leancoach.testing.personas import everyone_accepts, make_user

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 25)


def second_client(personas: Any) -> Any:
    person = make_user(
        "second@example.com", "Sky Second", manager=personas.person("sponsor")
    ).person
    return everyone_accepts(
        engagement_services.open_engagement(
            request=None,
            opened_by=personas.person("coach"),
            coach=personas.person("coach"),
            client=person,
        )
    )


def respond(engagement: Any, responses: list[str], days_ago: int = 1) -> None:
    behaviour = services.add_behaviour(
        engagement=engagement, by=engagement.coach, text="Asks for one problem"
    )
    for response in responses:
        services.record_observation(
            engagement=engagement,
            observer=engagement.coach,
            behaviour=behaviour,
            on=TODAY - datetime.timedelta(days=days_ago),
            performance="performed",
            response=response,
        )


def test_a_coach_who_responds_evenly_is_consistent(personas: Any, engagements: Any) -> None:
    other = second_client(personas)
    respond(engagements.ours, ["reinforcement"] * 4 + ["correction"])
    respond(other, ["reinforcement"] * 5)
    result = coach_consistency(personas.person("coach"), today=TODAY)
    assert [row.client_name for row in result.rows] == ["Casey Client", "Sky Second"]
    assert [row.ratio.label for row in result.rows] == ["4.0:1", "5:0"]
    assert result.consistent


def test_a_client_who_hears_nothing_while_others_do_is_named(
    personas: Any, engagements: Any
) -> None:
    other = second_client(personas)
    respond(engagements.ours, ["reinforcement"] * 6)
    result = coach_consistency(personas.person("coach"), today=TODAY)
    assert not result.consistent
    assert result.findings == [
        "Sky Second got no reinforcement or correction from you in the last 28 days, "
        "while your other clients got 6.0 on average."
    ]
    assert other.pk in [row.engagement_id for row in result.rows]


def test_a_ratio_below_four_to_one_with_one_client_only_is_named(
    personas: Any, engagements: Any
) -> None:
    other = second_client(personas)
    respond(engagements.ours, ["reinforcement"] * 8)
    respond(other, ["reinforcement", "correction", "correction"] + ["reinforcement"] * 5)
    result = coach_consistency(personas.person("coach"), today=TODAY)
    assert result.findings == [
        "With Sky Second your ratio is 3.0:1, below 4:1, while with every other client you "
        "keep 4:1 or better."
    ]


def test_far_fewer_responses_than_the_typical_client_is_named(
    personas: Any, engagements: Any
) -> None:
    second = second_client(personas)
    third_person = make_user(
        "third@example.com", "Tia Third", manager=personas.person("sponsor")
    ).person
    third = everyone_accepts(
        engagement_services.open_engagement(
            request=None,
            opened_by=personas.person("coach"),
            coach=personas.person("coach"),
            client=third_person,
        )
    )
    respond(engagements.ours, ["reinforcement"] * 10)
    respond(second, ["reinforcement"] * 10)
    respond(third, ["reinforcement"] * 2)
    result = coach_consistency(personas.person("coach"), today=TODAY)
    assert result.findings == [
        "Tia Third got 2 responses from you in the last 28 days, under half of your typical "
        "client's 10."
    ]


def test_responses_outside_the_window_do_not_count(personas: Any, engagements: Any) -> None:
    second_client(personas)
    respond(engagements.ours, ["reinforcement"] * 3, days_ago=40)
    result = coach_consistency(personas.person("coach"), today=TODAY)
    assert [row.ratio.responses for row in result.rows] == [0, 0]
    assert result.consistent


def test_the_page_shows_the_coach_their_own_clients_only(
    personas: Any, engagements: Any, django_assert_max_num_queries: Any
) -> None:
    second_client(personas)
    respond(engagements.ours, ["reinforcement"] * 3)
    client = Client()
    client.force_login(personas.coach)
    with django_assert_max_num_queries(8):
        page = client.get("/coaching/consistency/").content.decode()
    assert "Casey Client" in page
    assert "Sky Second" in page
    assert "Cleo Client" not in page  # another coach's client
    assert "Sky Second got no reinforcement or correction" in page
    other = Client()
    other.force_login(personas.outsider)
    page = other.get("/coaching/consistency/").content.decode()
    assert "You coach no one at the moment." in page
    assert "Casey Client" not in page
