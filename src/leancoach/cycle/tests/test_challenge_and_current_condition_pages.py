from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from leancoach.cycle import services
from leancoach.cycle.models import Challenge, CurrentCondition

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_admin_writes_a_challenge_and_everyone_reads_it(personas: Any) -> None:
    admin = signed_in(personas.admin)
    response = admin.post(
        "/challenges/",
        {
            "title": "Right first time",
            "why_it_matters": "Rework costs a fifth of capacity",
            "owner": "sponsor@example.com",
            "teams": "Operations\nAssembly Line 1",
        },
    )
    assert response.status_code == 302
    challenge = Challenge.objects.get()
    assert challenge.owner == personas.person("sponsor")
    page = signed_in(personas.outsider).get("/challenges/")
    assert b"Right first time" in page.content
    assert page.context["form"] is None


def test_only_an_admin_may_write_a_challenge(personas: Any) -> None:
    response = signed_in(personas.coach).post(
        "/challenges/", {"title": "x", "why_it_matters": "y", "owner": "coach@example.com"}
    )
    assert response.status_code == 403
    assert not Challenge.objects.exists()


def test_an_unknown_owner_or_team_is_a_form_error(personas: Any) -> None:
    response = signed_in(personas.admin).post(
        "/challenges/",
        {"title": "x", "why_it_matters": "y", "owner": "ghost@example.com", "teams": "Nowhere"},
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"owner", "teams"}


def test_the_coach_links_the_engagement_to_a_challenge(personas: Any, engagements: Any) -> None:
    challenge = services.create_challenge(
        owner=personas.person("sponsor"), title="Right first time", why_it_matters="Rework"
    )
    coach = signed_in(personas.coach)
    assert (
        b"Right first time" in coach.get(f"/engagements/{engagements.ours.pk}/").content
    )  # offered in the select
    coach.post(f"/engagements/{engagements.ours.pk}/challenge/", {"challenge": challenge.pk})
    engagements.ours.refresh_from_db()
    assert engagements.ours.challenge == challenge
    client = signed_in(personas.client)
    assert (
        client.post(f"/engagements/{engagements.ours.pk}/challenge/", {"challenge": ""}).status_code
        == 403
    )


def test_the_coach_records_the_current_condition_and_the_client_reads_it(
    personas: Any, engagements: Any
) -> None:
    url = f"/engagements/{engagements.ours.pk}/current-condition/"
    response = signed_in(personas.coach).post(
        url,
        {
            "on": "2026-11-20",
            "observed_behaviour": "Asks 3 of 5 days",
            "external_conditions": "New supplier",
            "priorities": "Daily huddle",
        },
    )
    assert response.status_code == 302
    assert CurrentCondition.objects.get().priorities == "Daily huddle"
    page = signed_in(personas.client).get(url)
    assert b"New supplier" in page.content
    assert page.context["form"] is None
    assert (
        signed_in(personas.client).post(url, {"on": "2026-11-20", "priorities": "x"}).status_code
        == 403
    )


def test_the_sponsor_and_an_outsider_cannot_see_the_current_condition(
    personas: Any, engagements: Any
) -> None:
    url = f"/engagements/{engagements.ours.pk}/current-condition/"
    assert signed_in(personas.sponsor).get(url).status_code == 403
    assert signed_in(personas.outsider).get(url).status_code == 404


def test_the_pages_cost_a_fixed_number_of_queries(
    personas: Any, engagements: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(12):
        services.create_challenge(
            owner=personas.person("sponsor"), title=f"Challenge {n}", why_it_matters="x"
        )
        services.record_current_condition(
            engagement=engagements.ours,
            by=engagements.ours.coach,
            observed_behaviour="",
            external_conditions="",
            priorities=f"P{n}",
        )
    coach = signed_in(personas.coach)
    with django_assert_max_num_queries(6):
        coach.get("/challenges/")
    with django_assert_max_num_queries(8):
        coach.get(f"/engagements/{engagements.ours.pk}/current-condition/")
